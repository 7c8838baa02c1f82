import { createRoute, z } from '@hono/zod-openapi';
import {
	type CommentThread,
	commentChangeSchema,
	commentSchema,
	decisionSchema,
	mentionSchema,
	newSuggestionSchema,
	newThreadSchema,
	replySchema,
	threadChangeSchema,
	threadSchema,
	threadsResponseSchema
} from '../../src/lib/shared/comments.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { documentIdSchema, entityIdSchema } from '../../src/lib/shared/schemas.js';
import { mayComment, mayDecideSuggestions, mayModerateComments } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import { CommentError, type Comments } from '../domain/comments.js';
import type { CommentRecord, CommentStore, ConferenceStore, DocumentStore, MentionRecord, ThreadRecord, UserRecord, UserStore } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { memberLookup } from './presenters.js';
import { errorResponses, router } from './openapi.js';
import { type ReadableDocument, conferenceOfScope, readableDocument } from './readable-document.js';

export interface CommentRoutesDeps {
	documents: DocumentStore;
	conferences: ConferenceStore;
	users: UserStore;
	access: AccessResolver;
	store: CommentStore;
	comments: Comments;
	audit: Auditor;
}

const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema } } });
const params = z.object({ id: documentIdSchema });
const threadParams = z.object({ id: documentIdSchema, threadId: entityIdSchema });
const commentParams = z.object({ id: documentIdSchema, threadId: entityIdSchema, commentId: entityIdSchema });

const routes = {
	list: createRoute({
		method: 'get',
		path: '/api/documents/{id}/comments',
		summary: "A document's comment threads (评论), oldest first; those who may read it. Hidden comments reach moderators only",
		request: { params },
		responses: { 200: { description: 'Threads', ...json(threadsResponseSchema) }, ...errorResponses(401, 404) }
	}),
	open: createRoute({
		method: 'post',
		path: '/api/documents/{id}/comments',
		summary: 'Opens a thread on a block or a text range (two Yjs relative positions); mentions name conference members who may read the document, each notified',
		request: { params, body: { ...json(newThreadSchema), required: true } },
		responses: { 201: { description: 'The thread', ...json(threadSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	reply: createRoute({
		method: 'post',
		path: '/api/documents/{id}/comments/{threadId}/replies',
		summary: 'Replies in a thread (a resolved thread opens again)',
		request: { params: threadParams, body: { ...json(replySchema), required: true } },
		responses: { 201: { description: 'The comment', ...json(commentSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	resolve: createRoute({
		method: 'patch',
		path: '/api/documents/{id}/comments/{threadId}',
		summary: 'Resolves or reopens a thread; whoever may comment',
		request: { params: threadParams, body: { ...json(threadChangeSchema), required: true } },
		responses: { 200: { description: 'The thread', ...json(threadSchema) }, ...errorResponses(400, 401, 403, 404) }
	}),
	hide: createRoute({
		method: 'patch',
		path: '/api/documents/{id}/comments/{threadId}/{commentId}',
		summary: "Hides a comment or shows it again (a thread's first comment hides the thread); the document's moderators, audited",
		request: { params: commentParams, body: { ...json(commentChangeSchema), required: true } },
		responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 403, 404) }
	}),
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
	mentions: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/mentions',
		summary: "The caller's unread mentions (@) in the conference's comments, newest first",
		request: { params: z.object({ id: entityIdSchema }) },
		responses: { 200: { description: 'Mentions', ...json(z.object({ mentions: z.array(mentionSchema) })) }, ...errorResponses(401, 404) }
	}),
	read: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/mentions/read',
		summary: "Marks the caller's mentions in the conference as read",
		request: { params: z.object({ id: entityIdSchema }) },
		responses: { 204: { description: 'Marked' }, ...errorResponses(401, 404) }
	})
};

function commentFailure(err: unknown): never {
	if (err instanceof CommentError) {
		if (err.reason === 'mention') throw new AppError(400, ErrorCode.mentionRefused, err.message);
		if (err.reason === 'limit') throw new AppError(409, ErrorCode.commentLimit, err.message);
		if (err.reason === 'stale') throw new AppError(409, ErrorCode.suggestionStale, err.message);
		if (err.reason === 'decided') throw new AppError(409, ErrorCode.alreadyDecided, err.message);
		throw errors.validation(err.message);
	}
	throw err;
}

export function commentRoutes(deps: CommentRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);

	const people = (conferenceId: string | null) => memberLookup(deps.users, deps.conferences, conferenceId);
	type People = ReturnType<typeof people>;

	async function presentThread(t: ThreadRecord, comments: CommentRecord[], mentions: MentionRecord[], moderator: boolean, person: People): Promise<CommentThread> {
		const shown = comments.filter((c) => c.threadId === t.id && (moderator || c.hiddenAt === null));
		const s = t.suggestion;
		return {
			id: t.id,
			blockId: t.blockId,
			start: t.anchorStart,
			end: t.anchorEnd,
			quote: t.quote,
			resolved: t.resolvedAt === null ? null : { by: await person(t.resolvedBy), at: new Date(t.resolvedAt).toISOString() },
			suggestion:
				s === null
					? null
					: { text: s.text, decision: s.decision, decidedBy: await person(s.decidedBy), decidedAt: s.decidedAt === null ? null : new Date(s.decidedAt).toISOString() },
			author: await person(t.createdBy),
			comments: await Promise.all(shown.map((c) => presentComment(c, mentions, person)))
		};
	}

	async function presentComment(c: CommentRecord, mentions: MentionRecord[], person: People) {
		const named = await Promise.all(mentions.filter((m) => m.commentId === c.id).map((m) => person(m.userId)));
		return {
			id: c.id,
			author: await person(c.authorId),
			body: c.body,
			mentions: named.filter((p) => p !== null),
			createdAt: new Date(c.createdAt).toISOString(),
			hidden: c.hiddenAt !== null
		};
	}

	/** The document for a comment, when the caller may comment on it. */
	async function commentable(user: UserRecord, id: string): Promise<ReadableDocument> {
		const d = await readableDocument(deps, user, id);
		if (!mayComment(d.subject, d.scope)) throw errors.forbidden();
		return d;
	}

	async function threadOf(d: ReadableDocument, threadId: string): Promise<ThreadRecord> {
		const t = await deps.store.getThread(threadId);
		if (t === null || t.docId !== d.doc.id) throw errors.notFound('thread');
		// A thread whose first comment was hidden is gone for all but the moderators.
		const { comments } = await deps.store.listThreads(d.doc.id);
		const first = comments.find((c) => c.threadId === t.id);
		if (first?.hiddenAt != null && !mayModerateComments(d.subject, d.scope)) throw errors.notFound('thread');
		return t;
	}

	/** The thread as its reader sees it now. */
	async function current(d: ReadableDocument, threadId: string): Promise<CommentThread> {
		const { threads, comments, mentions } = await deps.store.listThreads(d.doc.id);
		return presentThread(threads.find((t) => t.id === threadId)!, comments, mentions, mayModerateComments(d.subject, d.scope), people(conferenceOfScope(d.scope)));
	}

	app.openapi(routes.list, async (c) => {
		const { user } = requireSession(c);
		const d = await readableDocument(deps, user, c.req.valid('param').id);
		const moderator = mayModerateComments(d.subject, d.scope);
		const { threads, comments, mentions } = await deps.store.listThreads(d.doc.id);
		const person = people(conferenceOfScope(d.scope));
		const visible = threads.filter((t) => moderator || comments.find((x) => x.threadId === t.id)?.hiddenAt == null);
		const presented = await Promise.all(visible.map((t) => presentThread(t, comments, mentions, moderator, person)));
		return c.json({ threads: presented, mayComment: mayComment(d.subject, d.scope), mayModerate: moderator, mayDecide: mayDecideSuggestions(d.subject, d.scope) }, 200);
	});

	app.openapi(routes.open, async (c) => {
		const { user } = requireSession(c);
		const d = await commentable(user, c.req.valid('param').id);
		const { anchor, body, mentions } = c.req.valid('json');
		const thread = await deps.comments.open(d.doc, d.scope, user, anchor, body, mentions).catch(commentFailure);
		return c.json(await current(d, thread.id), 201);
	});

	app.openapi(routes.reply, async (c) => {
		const { user } = requireSession(c);
		const { id, threadId } = c.req.valid('param');
		const d = await commentable(user, id);
		const thread = await threadOf(d, threadId);
		const { body, mentions } = c.req.valid('json');
		const reply = await deps.comments.reply(d.doc, d.scope, thread, user, body, mentions).catch(commentFailure);
		const { mentions: all } = await deps.store.listThreads(d.doc.id);
		return c.json(await presentComment(reply, all, people(conferenceOfScope(d.scope))), 201);
	});

	app.openapi(routes.resolve, async (c) => {
		const { user } = requireSession(c);
		const { id, threadId } = c.req.valid('param');
		const d = await commentable(user, id);
		const thread = await threadOf(d, threadId);
		await deps.comments.resolve(d.doc, d.scope, thread, user, c.req.valid('json').resolved);
		return c.json(await current(d, thread.id), 200);
	});

	app.openapi(routes.hide, async (c) => {
		const { user } = requireSession(c);
		const { id, threadId, commentId } = c.req.valid('param');
		const d = await readableDocument(deps, user, id);
		if (!mayModerateComments(d.subject, d.scope)) throw errors.forbidden();
		const thread = await threadOf(d, threadId);
		const comment = await deps.store.getComment(commentId);
		if (comment === null || comment.threadId !== thread.id) throw errors.notFound('comment');
		const { hidden } = c.req.valid('json');
		await deps.comments.hide(d.doc, d.scope, comment.id, user, hidden);
		const author = await deps.users.findById(comment.authorId);
		await deps.audit.record(hidden ? 'comment.hidden' : 'comment.shown', {
			actor: user,
			conferenceId: conferenceOfScope(d.scope),
			target: `《${d.doc.title}》`,
			detail: `${author?.displayName ?? '—'}：${comment.body.slice(0, 60)}`
		});
		return c.body(null, 204);
	});

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
		const what = t.anchorEnd === null ? `插入“${t.suggestion?.text ?? ''}”` : t.suggestion?.text ? `“${t.quote}”改为“${t.suggestion.text}”` : `删除“${t.quote}”`;
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
		const thread = await threadOf(d, threadId);
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

	app.openapi(routes.mentions, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.read');
		const person = people(id);
		const titles = new Map<string, string>();
		const unread = await deps.store.unreadMentions(user.id, id);
		const mentions = [];
		for (const m of unread) {
			// Only documents the caller may still read (a breakout may have closed meanwhile).
			const title = titles.get(m.docId) ?? (await readableDocument(deps, user, m.docId).then((d) => d.doc.title, () => null));
			if (title === null) continue;
			titles.set(m.docId, title);
			mentions.push({ commentId: m.commentId, threadId: m.threadId, docId: m.docId, docTitle: title, by: await person(m.authorId), excerpt: m.body.slice(0, 120), createdAt: new Date(m.createdAt).toISOString() });
		}
		return c.json({ mentions }, 200);
	});

	app.openapi(routes.read, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.read');
		await deps.store.markMentionsRead(user.id, id, Date.now());
		return c.body(null, 204);
	});

	return app;
}
