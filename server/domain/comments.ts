import * as Y from 'yjs';
import type { CommentAnchor, SuggestionAnchor } from '../../src/lib/shared/comments.js';
import { type Scope, can } from '../auth/policy.js';
import { randomId } from '../auth/tokens.js';
import type { CommentCaps, CommentRecord, CommentStore, DocumentRecord, MentionRecord, ThreadRecord, UserRecord, UserStore } from '../storage/types.js';
import type { AccessResolver } from './access.js';
import { type MeasureField, measureFieldValid } from '../../src/lib/shared/blocks.js';
import { applySuggestion, holdsQuote } from './suggestion-text.js';

/** A comment refused; the HTTP layer maps `reason` to a status and code. */
export class CommentError extends Error {
	constructor(
		/** stale: the suggested range no longer holds the quoted text; decided: someone decided first. */
		readonly reason: 'mention' | 'limit' | 'anchor' | 'stale' | 'decided',
		message: string
	) {
		super(message);
	}
}

export interface CommentLimits {
	threadsPerDocument: number;
	commentsPerDocument: number;
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
		/** Reads a document as it stands, and changes it as the server (accepted suggestions). */
		private readonly read: <T>(docId: string, look: (doc: Y.Doc) => T) => Promise<T>,
		private readonly edit: (docId: string, change: (doc: Y.Doc) => void, as: string) => Promise<void>,
		private readonly now: () => number = Date.now
	) {}

	async open(doc: DocumentRecord, scope: Scope, author: UserRecord, anchor: CommentAnchor, body: string, mentionIds: readonly string[]): Promise<ThreadRecord> {
		checkAnchor(anchor);
		return this.add(doc, scope, author, anchor, null, body, mentionIds);
	}

	/**
	 * Opens a suggestion (建议修改): `text` for the anchored range (or inserted at its start when it has
	 * no end, or as the new value of a measure's field), refused when the target does not hold the
	 * quoted text now. `body` is an optional reason.
	 */
	async suggest(doc: DocumentRecord, scope: Scope, author: UserRecord, anchor: SuggestionAnchor, text: string, body: string, mentionIds: readonly string[]): Promise<ThreadRecord> {
		checkAnchor(anchor);
		if (anchor.field !== null && !measureFieldValid(anchor.field as MeasureField, text)) throw new CommentError('anchor', `Not a value for ${anchor.field}.`);
		if (!(await this.read(doc.id, (d) => holdsQuote(d, anchor, anchor.quote)))) throw new CommentError('stale', 'The target does not hold the quoted text.');
		return this.add(doc, scope, author, anchor, { text, field: anchor.field }, body, mentionIds);
	}

	private async add(
		doc: DocumentRecord,
		scope: Scope,
		author: UserRecord,
		anchor: CommentAnchor | SuggestionAnchor,
		suggestion: { text: string; field: string | null } | null,
		body: string,
		mentionIds: readonly string[]
	): Promise<ThreadRecord> {
		const mentions = await this.mentioned(doc, scope, author, mentionIds);
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
			resolvedAt: null,
			suggestion: suggestion === null ? null : { ...suggestion, decision: null, decidedBy: null, decidedAt: null }
		};
		const first = body === '' ? null : comment(thread.id, author, body, at);
		const over = await this.store.addThread(thread, first, first === null ? [] : mentions(first.id), this.caps);
		if (over !== null) throw this.limitError(over);
		this.told(scope, doc, first === null ? [] : mentionIds.filter((id) => id !== author.id));
		return thread;
	}

	/**
	 * Accepts a pending suggestion (its text goes into the document under the suggester's name, and
	 * only if the range still holds the quoted text: anyone's later edit there makes it stale) or
	 * rejects it. The decision is claimed first, so that two deciders never apply it twice; a stale
	 * one is left pending. Either way the thread is resolved.
	 */
	async decide(doc: DocumentRecord, scope: Scope, thread: ThreadRecord, by: UserRecord, accept: boolean, announce = true): Promise<void> {
		if (thread.suggestion === null) throw new CommentError('anchor', 'Not a suggestion.');
		const at = this.now();
		if (!(await this.store.decide(thread.id, accept ? 'accepted' : 'rejected', by.id, at))) throw new CommentError('decided', 'Someone decided on it first.');
		if (accept) {
			const { text, field } = thread.suggestion;
			const target = { blockId: thread.blockId, start: thread.anchorStart, end: thread.anchorEnd, field };
			let applied = false;
			await this.edit(doc.id, (d) => (applied = applySuggestion(d, target, thread.quote, text)), thread.createdBy).catch(async (err: unknown) => {
				await this.store.undecide(thread.id);
				throw err;
			});
			if (!applied) {
				await this.store.undecide(thread.id);
				throw new CommentError('stale', 'The text was changed since; it is left pending.');
			}
		}
		await this.store.setResolved(thread.id, by.id, at);
		if (announce) this.told(scope, doc, []);
	}

	/** Decides every pending suggestion of the document, oldest first; stale ones stay pending. */
	async decideAll(doc: DocumentRecord, scope: Scope, by: UserRecord, accept: boolean): Promise<{ decided: ThreadRecord[]; stale: number }> {
		const { threads } = await this.store.listThreads(doc.id);
		const decided: ThreadRecord[] = [];
		let stale = 0;
		for (const t of threads.filter((x) => x.suggestion !== null && x.suggestion.decision === null)) {
			try {
				await this.decide(doc, scope, t, by, accept, false);
				decided.push(t);
			} catch (err) {
				if (!(err instanceof CommentError)) throw err;
				if (err.reason === 'stale') stale++;
			}
		}
		this.told(scope, doc, []);
		return { decided, stale };
	}

	async reply(doc: DocumentRecord, scope: Scope, thread: ThreadRecord, author: UserRecord, body: string, mentionIds: readonly string[]): Promise<CommentRecord> {
		const mentions = await this.mentioned(doc, scope, author, mentionIds);
		const reply = comment(thread.id, author, body, this.now());
		const over = await this.store.addComment(doc.id, reply, mentions(reply.id), this.caps);
		if (over !== null) throw this.limitError(over);
		// A reply to a resolved thread reopens it: the question is open again.
		if (thread.resolvedAt !== null) await this.store.setResolved(thread.id, null, null);
		this.told(scope, doc, mentionIds.filter((id) => id !== author.id));
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

	private get caps(): CommentCaps {
		return { threads: this.limits.threadsPerDocument, comments: this.limits.commentsPerDocument, perThread: this.limits.commentsPerThread };
	}

	private limitError(over: 'threads' | 'comments' | 'perThread'): CommentError {
		const [what, n] = over === 'threads' ? ['threads in a document', this.limits.threadsPerDocument] : over === 'comments' ? ['comments in a document', this.limits.commentsPerDocument] : ['comments in a thread', this.limits.commentsPerThread];
		return new CommentError('limit', `At most ${n} ${what}.`);
	}

	/** The mentioned members as rows for `commentId`, once each (the author is not told of their own comment); refuses anyone who may not read the document. */
	private async mentioned(doc: DocumentRecord, scope: Scope, author: UserRecord, ids: readonly string[]): Promise<(commentId: string) => MentionRecord[]> {
		const unique = [...new Set(ids)].filter((id) => id !== author.id);
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

/** Refuses an anchor whose positions are not Yjs relative positions. */
function checkAnchor(anchor: { start: string | null; end: string | null }): void {
	for (const rel of [anchor.start, anchor.end]) if (rel !== null && !isRelativePosition(rel)) throw new CommentError('anchor', 'The anchor is not a Yjs relative position.');
}

function isRelativePosition(base64: string): boolean {
	try {
		const rel = Y.decodeRelativePosition(new Uint8Array(Buffer.from(base64, 'base64')));
		return rel.item !== null || rel.type !== null || rel.tname !== null;
	} catch {
		return false;
	}
}
