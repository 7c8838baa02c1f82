import { createRoute, z } from '@hono/zod-openapi';
import { commentChangeSchema, commentSchema, mentionSchema, newThreadSchema, replySchema, threadChangeSchema, threadSchema, threadsResponseSchema } from '../../src/lib/shared/comments.js';
import { documentIdSchema, entityIdSchema } from '../../src/lib/shared/schemas.js';
import { mayComment, mayDecideSuggestions, mayModerateComments } from '../auth/policy.js';
import type { Auditor } from '../domain/audit.js';
import type { Comments } from '../domain/comments.js';
import { type ThreadViewDeps, byComment, commentFailure, groupBy, threadViews } from './comment-threads.js';
import { conferenceGuard } from './conference-guard.js';
import { errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';
import { conferenceOfScope, readableDocument } from './readable-document.js';

export interface CommentRoutesDeps extends ThreadViewDeps {
	comments: Comments;
	audit: Auditor;
}

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

export function commentRoutes(deps: CommentRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);

	const { people, presentThread, presentComment, commentable, threadOf, current } = threadViews(deps);

	app.openapi(routes.list, async (c) => {
		const { user } = requireSession(c);
		const d = await readableDocument(deps, user, c.req.valid('param').id);
		const moderator = mayModerateComments(d.subject, d.scope);
		const { threads, comments, mentions } = await deps.store.listThreads(d.doc.id);
		const person = people(conferenceOfScope(d.scope));
		const ofThread = groupBy(comments, (x) => x.threadId);
		const mentionsOf = byComment(mentions);
		const visible = threads.filter((t) => moderator || ofThread.get(t.id)?.[0]?.hiddenAt == null);
		const presented = await Promise.all(visible.map((t) => presentThread(t, ofThread.get(t.id) ?? [], mentionsOf, moderator, person)));
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
		const { thread } = await threadOf(d, threadId);
		const { body, mentions } = c.req.valid('json');
		const reply = await deps.comments.reply(d.doc, d.scope, thread, user, body, mentions).catch(commentFailure);
		const mentioned = mentions.filter((id) => id !== user.id).map((userId) => ({ commentId: reply.id, userId, conferenceId: '', readAt: null }));
		return c.json(await presentComment(reply, byComment(mentioned), people(conferenceOfScope(d.scope))), 201);
	});

	app.openapi(routes.resolve, async (c) => {
		const { user } = requireSession(c);
		const { id, threadId } = c.req.valid('param');
		const d = await commentable(user, id);
		const { thread } = await threadOf(d, threadId);
		await deps.comments.resolve(d.doc, d.scope, thread, user, c.req.valid('json').resolved);
		return c.json(await current(d, thread.id), 200);
	});

	app.openapi(routes.hide, async (c) => {
		const { user } = requireSession(c);
		const { id, threadId, commentId } = c.req.valid('param');
		const d = await readableDocument(deps, user, id);
		if (!mayModerateComments(d.subject, d.scope)) throw errors.forbidden();
		const { thread } = await threadOf(d, threadId);
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

	app.openapi(routes.mentions, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.read');
		const person = people(id);
		// Each document's title, or null when the caller may no longer read it (a breakout closed meanwhile): checked once.
		const titles = new Map<string, string | null>();
		const unread = await deps.store.unreadMentions(user.id, id);
		const mentions = [];
		for (const m of unread) {
			if (!titles.has(m.docId)) titles.set(m.docId, await readableDocument(deps, user, m.docId).then((d) => d.doc.title, () => null));
			const title = titles.get(m.docId) ?? null;
			if (title === null) continue;
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
