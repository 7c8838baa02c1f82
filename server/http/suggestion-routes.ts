import { createRoute, z } from '@hono/zod-openapi';
import { type SuggestableField, measureFieldTitles } from '../../src/lib/shared/blocks.js';
import { decisionSchema, newSuggestionSchema, threadSchema } from '../../src/lib/shared/comments.js';
import { documentIdSchema, entityIdSchema } from '../../src/lib/shared/schemas.js';
import { mayDecideSuggestions } from '../auth/policy.js';
import type { Auditor } from '../domain/audit.js';
import type { Comments } from '../domain/comments.js';
import type { ThreadRecord, UserRecord } from '../storage/types.js';
import { type ThreadViewDeps, commentFailure, threadViews } from './comment-threads.js';
import { errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';
import { type ReadableDocument, conferenceOfScope, readableDocument } from './readable-document.js';

export interface SuggestionRoutesDeps extends ThreadViewDeps {
	comments: Comments;
	audit: Auditor;
}

const params = z.object({ id: documentIdSchema });
const threadParams = z.object({ id: documentIdSchema, threadId: entityIdSchema });

const routes = {
	suggest: createRoute({
		method: 'post',
		path: '/api/documents/{id}/suggestions',
		summary:
			'Suggests a change (建议修改) instead of editing: text for a range whose text is quoted (empty: delete it), or, without an end, text to insert; refused with 409 suggestion_stale when the range does not hold the quote. Whoever may comment',
		request: { params, body: { ...json(newSuggestionSchema), required: true } },
		responses: { 201: { description: 'The suggestion', ...json(threadSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	decide: createRoute({
		method: 'post',
		path: '/api/documents/{id}/suggestions/{threadId}/decision',
		summary:
			'Accepts a suggestion (its text goes into the document) or rejects it; the expert panel for conference documents, the moderators for a breakout’s; audited. 409 suggestion_stale when the text changed since, already_decided when someone decided first',
		request: { params: threadParams, body: { ...json(decisionSchema), required: true } },
		responses: { 200: { description: 'The suggestion', ...json(threadSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	decideAll: createRoute({
		method: 'post',
		path: '/api/documents/{id}/suggestions/decision',
		summary: 'Accepts or rejects every pending suggestion, oldest first; those whose text changed since stay pending and are counted',
		request: { params, body: { ...json(decisionSchema), required: true } },
		responses: { 200: { description: 'What was decided', ...json(z.object({ decided: z.number(), stale: z.number() })) }, ...errorResponses(400, 401, 403, 404) }
	}),
};

/**
 * Suggestions (建议修改): proposed instead of edits by whoever may comment, decided by the expert panel
 * (conference documents) or a breakout's moderators, each decision audited. They are threads of
 * their own kind, listed with the comments (GET …/comments).
 */
export function suggestionRoutes(deps: SuggestionRoutesDeps) {
	const app = router();
	const { commentable, threadOf, current } = threadViews(deps);

	app.openapi(routes.suggest, async (c) => {
		const { user } = requireSession(c);
		const d = await commentable(user, c.req.valid('param').id);
		const { anchor, text, body, mentions } = c.req.valid('json');
		const thread = await deps.comments.suggest(d.doc, d.scope, user, anchor, text, body, mentions).catch(commentFailure);
		return c.json(await current(d, thread.id), 201);
	});

	/** The document for a decision on its suggestions, when the caller decides them. */
	async function decidable(user: UserRecord, id: string): Promise<ReadableDocument> {
		const d = await readableDocument(deps, user, id);
		if (!mayDecideSuggestions(d.subject, d.scope)) throw errors.forbidden();
		return d;
	}

	/** Each decision in the audit log: who suggested what, and the decision. */
	async function audited(d: ReadableDocument, user: UserRecord, t: ThreadRecord, accept: boolean) {
		const author = await deps.users.findById(t.createdBy);
		const field = t.suggestion?.field as SuggestableField | null | undefined;
		const what = field
			? `将${measureFieldTitles[field] ?? field}由“${t.quote}”改为“${t.suggestion?.text ?? ''}”`
			: t.anchorEnd === null
				? `插入“${t.suggestion?.text ?? ''}”`
				: t.suggestion?.text
					? `“${t.quote}”改为“${t.suggestion.text}”`
					: `删除“${t.quote}”`;
		await deps.audit.record(accept ? 'suggestion.accepted' : 'suggestion.rejected', {
			actor: user,
			conferenceId: conferenceOfScope(d.scope),
			target: `《${d.doc.title}》`,
			detail: `${author === null ? '—' : `${author.displayName}（${author.unit}）`}建议${what}`.slice(0, 500)
		});
	}

	app.openapi(routes.decide, async (c) => {
		const { user } = requireSession(c);
		const { id, threadId } = c.req.valid('param');
		const d = await decidable(user, id);
		const { thread } = await threadOf(d, threadId);
		if (thread.suggestion === null) throw errors.notFound('suggestion');
		const { accept } = c.req.valid('json');
		await deps.comments.decide(d.doc, d.scope, thread, user, accept).catch(commentFailure);
		await audited(d, user, thread, accept);
		return c.json(await current(d, thread.id), 200);
	});

	app.openapi(routes.decideAll, async (c) => {
		const { user } = requireSession(c);
		const d = await decidable(user, c.req.valid('param').id);
		const { accept } = c.req.valid('json');
		const { decided, stale } = await deps.comments.decideAll(d.doc, d.scope, user, accept);
		for (const t of decided) await audited(d, user, t, accept);
		return c.json({ decided: decided.length, stale }, 200);
	});

	return app;
}
