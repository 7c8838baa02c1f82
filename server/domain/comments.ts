import * as Y from 'yjs';
import type { CommentAnchor } from '../../src/lib/shared/comments.js';
import { type Scope, can } from '../auth/policy.js';
import { randomId } from '../auth/tokens.js';
import type { CommentRecord, CommentStore, DocumentRecord, MentionRecord, ThreadRecord, UserRecord, UserStore } from '../storage/types.js';
import type { AccessResolver } from './access.js';

/** A comment refused; the HTTP layer maps `reason` to a status and code. */
export class CommentError extends Error {
	constructor(
		readonly reason: 'mention' | 'limit' | 'anchor',
		message: string
	) {
		super(message);
	}
}

export interface CommentLimits {
	threadsPerDocument: number;
	commentsPerThread: number;
}

/** What the conference's event stream is told: a document's comments changed, or someone was mentioned. */
export type CommentEvent = { conferenceId: string; scope: string; docId: string } & ({ type: 'comments' } | { type: 'mentions'; userId: string });

/**
 * Comment threads on documents: opened on a block or a text range, replied to, resolved and reopened
 * by anyone who may comment, hidden by moderators. Mentions must name members of the document's
 * conference who may read it; each is told on their conference's event stream and kept for their
 * bell until read.
 */
export class Comments {
	constructor(
		private readonly store: CommentStore,
		private readonly users: UserStore,
		private readonly access: AccessResolver,
		private readonly announce: (e: CommentEvent) => void,
		private readonly limits: CommentLimits,
		private readonly now: () => number = Date.now
	) {}

	async open(doc: DocumentRecord, scope: Scope, author: UserRecord, anchor: CommentAnchor, body: string, mentionIds: readonly string[]): Promise<ThreadRecord> {
		for (const rel of [anchor.start, anchor.end]) if (rel !== null && !isRelativePosition(rel)) throw new CommentError('anchor', 'The anchor is not a Yjs relative position.');
		const { threads } = await this.store.listThreads(doc.id);
		if (threads.length >= this.limits.threadsPerDocument) throw new CommentError('limit', `A document holds at most ${this.limits.threadsPerDocument} threads.`);
		const mentions = await this.mentioned(doc, scope, mentionIds);
		const at = this.now();
		const thread: ThreadRecord = {
			id: randomId(12),
			docId: doc.id,
			blockId: anchor.blockId,
			anchorStart: anchor.start,
			anchorEnd: anchor.end,
			quote: anchor.quote,
			createdBy: author.id,
			createdAt: at,
			resolvedBy: null,
			resolvedAt: null
		};
		const first = comment(thread.id, author, body, at);
		await this.store.addThread(thread, first, mentions(first.id));
		this.told(scope, doc, mentionIds);
		return thread;
	}

	async reply(doc: DocumentRecord, scope: Scope, thread: ThreadRecord, author: UserRecord, body: string, mentionIds: readonly string[]): Promise<CommentRecord> {
		const { comments } = await this.store.listThreads(doc.id);
		if (comments.filter((c) => c.threadId === thread.id).length >= this.limits.commentsPerThread)
			throw new CommentError('limit', `A thread holds at most ${this.limits.commentsPerThread} comments.`);
		const mentions = await this.mentioned(doc, scope, mentionIds);
		const reply = comment(thread.id, author, body, this.now());
		await this.store.addComment(reply, mentions(reply.id));
		// A reply to a resolved thread reopens it: the question is open again.
		if (thread.resolvedAt !== null) await this.store.setResolved(thread.id, null, null);
		this.told(scope, doc, mentionIds);
		return reply;
	}

	async resolve(doc: DocumentRecord, scope: Scope, thread: ThreadRecord, by: UserRecord, resolved: boolean): Promise<void> {
		await this.store.setResolved(thread.id, resolved ? by.id : null, resolved ? this.now() : null);
		this.told(scope, doc, []);
	}

	async hide(doc: DocumentRecord, scope: Scope, commentId: string, by: UserRecord, hidden: boolean): Promise<void> {
		await this.store.setHidden(commentId, hidden ? by.id : null, hidden ? this.now() : null);
		this.told(scope, doc, []);
	}

	/** The mentioned members as rows for `commentId`, once each; refuses anyone who may not read the document. */
	private async mentioned(doc: DocumentRecord, scope: Scope, ids: readonly string[]): Promise<(commentId: string) => MentionRecord[]> {
		const unique = [...new Set(ids)];
		const conferenceId = scope.kind === 'conference' || scope.kind === 'breakout' ? scope.conferenceId : null;
		if (unique.length > 0 && conferenceId === null) throw new CommentError('mention', 'Mentions are for documents of a conference.');
		for (const id of unique) {
			const user = await this.users.findById(id);
			const subject = user === null ? null : await this.access.subject(user, scope);
			if (subject === null || subject.membership === null || !can(subject, 'document.read', scope))
				throw new CommentError('mention', `${doc.title}: a mentioned person is not a member who may read it.`);
		}
		return (commentId) => unique.map((userId) => ({ commentId, userId, conferenceId: conferenceId!, readAt: null }));
	}

	private told(scope: Scope, doc: DocumentRecord, mentionIds: readonly string[]): void {
		if (scope.kind !== 'conference' && scope.kind !== 'breakout') return;
		const where = { conferenceId: scope.conferenceId, scope: scope.kind === 'breakout' ? scope.breakoutId : 'plenary', docId: doc.id };
		this.announce({ ...where, type: 'comments' });
		for (const userId of new Set(mentionIds)) this.announce({ ...where, type: 'mentions', userId });
	}
}

const comment = (threadId: string, author: UserRecord, body: string, at: number): CommentRecord => ({
	id: randomId(12),
	threadId,
	authorId: author.id,
	body,
	createdAt: at,
	hiddenBy: null,
	hiddenAt: null
});

function isRelativePosition(base64: string): boolean {
	try {
		const rel = Y.decodeRelativePosition(new Uint8Array(Buffer.from(base64, 'base64')));
		return rel.item !== null || rel.type !== null || rel.tname !== null;
	} catch {
		return false;
	}
}
