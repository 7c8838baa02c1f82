import type { CommentThread } from '../../src/lib/shared/comments.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { mayComment, mayModerateComments } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import { CommentError } from '../domain/comments.js';
import type { CommentRecord, CommentStore, ConferenceStore, DocumentStore, MentionRecord, ThreadRecord, UserRecord, UserStore } from '../storage/types.js';
import { AppError, errors } from './errors.js';
import { memberLookup } from './presenters.js';
import { type ReadableDocument, conferenceOfScope, readableDocument } from './readable-document.js';

export interface ThreadViewDeps {
	documents: DocumentStore;
	conferences: ConferenceStore;
	users: UserStore;
	access: AccessResolver;
	store: CommentStore;
}

/** A refused comment or suggestion as the API says it. */
export function commentFailure(err: unknown): never {
	if (err instanceof CommentError) {
		if (err.reason === 'mention') throw new AppError(400, ErrorCode.mentionRefused, err.message);
		if (err.reason === 'limit') throw new AppError(409, ErrorCode.commentLimit, err.message);
		if (err.reason === 'stale') throw new AppError(409, ErrorCode.suggestionStale, err.message);
		if (err.reason === 'decided') throw new AppError(409, ErrorCode.alreadyDecided, err.message);
		throw errors.validation(err.message);
	}
	throw err;
}

/**
 * What the comment and suggestion routes share: people as threads show them, threads and comments
 * as their reader may see them (hidden ones for moderators only), and the document and thread a
 * request is about, checked.
 */
export function threadViews(deps: ThreadViewDeps) {
	const people = (conferenceId: string | null) => memberLookup(deps.users, deps.conferences, conferenceId);
	type People = ReturnType<typeof people>;

	/** A thread with its own comments (oldest first) and their mentions by comment id, as a reader sees it: hidden comments for moderators only. */
	async function presentThread(t: ThreadRecord, comments: CommentRecord[], mentions: Map<string, MentionRecord[]>, moderator: boolean, person: People): Promise<CommentThread> {
		const shown = comments.filter((c) => moderator || c.hiddenAt === null);
		const s = t.suggestion;
		return {
			id: t.id,
			blockId: t.blockId,
			start: t.anchorStart,
			end: t.anchorEnd,
			quote: t.quote,
			field: s?.field ?? null,
			resolved: t.resolvedAt === null ? null : { by: await person(t.resolvedBy), at: new Date(t.resolvedAt).toISOString() },
			suggestion:
				s === null
					? null
					: { text: s.text, decision: s.decision, decidedBy: await person(s.decidedBy), decidedAt: s.decidedAt === null ? null : new Date(s.decidedAt).toISOString() },
			author: await person(t.createdBy),
			comments: await Promise.all(shown.map((c) => presentComment(c, mentions, person)))
		};
	}

	async function presentComment(c: CommentRecord, mentions: Map<string, MentionRecord[]>, person: People) {
		const named = await Promise.all((mentions.get(c.id) ?? []).map((m) => person(m.userId)));
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

	/** The thread of the document, with its comments and their mentions, if the caller may see it. */
	async function threadOf(d: ReadableDocument, threadId: string) {
		const found = await deps.store.threadWith(d.doc.id, threadId);
		// A thread whose first comment was hidden is gone for all but the moderators.
		if (found === null || (found.comments[0]?.hiddenAt != null && !mayModerateComments(d.subject, d.scope))) throw errors.notFound('thread');
		return found;
	}

	/** The thread as its reader sees it now. */
	async function current(d: ReadableDocument, threadId: string): Promise<CommentThread> {
		const { thread, comments, mentions } = await threadOf(d, threadId);
		return presentThread(thread, comments, byComment(mentions), mayModerateComments(d.subject, d.scope), people(conferenceOfScope(d.scope)));
	}

	return { people, presentThread, presentComment, commentable, threadOf, current };
}

/** Records grouped by a key, in their order. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
	const groups = new Map<string, T[]>();
	for (const item of items) {
		const k = key(item);
		const list = groups.get(k);
		if (list === undefined) groups.set(k, [item]);
		else list.push(item);
	}
	return groups;
}

/** Mentions by the comment that makes them. */
export const byComment = (mentions: readonly MentionRecord[]) => groupBy(mentions, (m) => m.commentId);
