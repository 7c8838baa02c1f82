import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import { lockingOnPostgres } from './dialect.js';
import type { CommentCaps, CommentRecord, CommentStore, MentionRecord, ThreadRecord } from './types.js';

const nullableNumber = (v: number | string | null) => (v === null ? null : Number(v));

const toThread = (r: Selectable<Database['comment_threads']>): ThreadRecord => ({
	id: r.id,
	docId: r.doc_id,
	blockId: r.block_id,
	anchorStart: r.anchor_start,
	anchorEnd: r.anchor_end,
	quote: r.quote,
	createdBy: r.created_by,
	createdAt: Number(r.created_at),
	resolvedBy: r.resolved_by,
	resolvedAt: nullableNumber(r.resolved_at),
	suggestion:
		r.suggestion === null
			? null
			: { text: r.suggestion, field: r.field, decision: r.decision as 'accepted' | 'rejected' | null, decidedBy: r.decided_by, decidedAt: nullableNumber(r.decided_at) }
});

const toComment = (r: Selectable<Database['comments']>): CommentRecord => ({
	id: r.id,
	threadId: r.thread_id,
	authorId: r.author_id,
	body: r.body,
	createdAt: Number(r.created_at),
	hiddenBy: r.hidden_by,
	hiddenAt: nullableNumber(r.hidden_at)
});

const commentRow = (c: CommentRecord) => ({
	id: c.id,
	thread_id: c.threadId,
	author_id: c.authorId,
	body: c.body,
	created_at: c.createdAt,
	hidden_by: c.hiddenBy,
	hidden_at: c.hiddenAt
});

const toMention = (m: { comment_id: string; user_id: string; conference_id: string; read_at: number | string | null }): MentionRecord => ({
	commentId: m.comment_id,
	userId: m.user_id,
	conferenceId: m.conference_id,
	readAt: nullableNumber(m.read_at)
});

/**
 * Holds the document's row (on PostgreSQL; SQLite has one writer) so that concurrent comments are
 * counted one after another, then says which cap, if any, one more comment (in `threadId`, or a new
 * thread when null) would pass.
 */
async function holdAndCount(tx: Kysely<Database>, docId: string, threadId: string | null, caps: CommentCaps): Promise<'threads' | 'comments' | 'perThread' | null> {
	await lockingOnPostgres(tx, tx.selectFrom('documents').select('id').where('id', '=', docId)).execute();
	const count = async (query: { executeTakeFirstOrThrow(): Promise<{ n: number | string | bigint }> }) => Number((await query.executeTakeFirstOrThrow()).n);
	if (threadId === null && (await count(tx.selectFrom('comment_threads').select((e) => e.fn.countAll().as('n')).where('doc_id', '=', docId))) >= caps.threads) return 'threads';
	const inDoc = tx
		.selectFrom('comments')
		.innerJoin('comment_threads', 'comment_threads.id', 'comments.thread_id')
		.select((e) => e.fn.countAll().as('n'))
		.where('comment_threads.doc_id', '=', docId);
	if ((await count(inDoc)) >= caps.comments) return 'comments';
	if (threadId !== null && (await count(tx.selectFrom('comments').select((e) => e.fn.countAll().as('n')).where('thread_id', '=', threadId))) >= caps.perThread) return 'perThread';
	return null;
}

const mentionRows = (mentions: readonly MentionRecord[]) =>
	mentions.map((m) => ({ comment_id: m.commentId, user_id: m.userId, conference_id: m.conferenceId, read_at: m.readAt }));

export function sqlCommentStore(db: Kysely<Database>): CommentStore {
	return {
		async addThread(t, first, mentions, limits) {
			return db.transaction().execute(async (tx) => {
				const over = await holdAndCount(tx, t.docId, null, limits);
				if (over !== null) return over === 'perThread' ? 'comments' : over;
				await tx
					.insertInto('comment_threads')
					.values({
						id: t.id,
						doc_id: t.docId,
						block_id: t.blockId,
						anchor_start: t.anchorStart,
						anchor_end: t.anchorEnd,
						quote: t.quote,
						created_by: t.createdBy,
						created_at: t.createdAt,
						resolved_by: t.resolvedBy,
						resolved_at: t.resolvedAt,
						suggestion: t.suggestion?.text ?? null,
						field: t.suggestion?.field ?? null,
						decision: t.suggestion?.decision ?? null,
						decided_by: t.suggestion?.decidedBy ?? null,
						decided_at: t.suggestion?.decidedAt ?? null
					})
					.execute();
				if (first !== null) await tx.insertInto('comments').values(commentRow(first)).execute();
				if (mentions.length > 0) await tx.insertInto('comment_mentions').values(mentionRows(mentions)).execute();
				return null;
			});
		},
		async addComment(docId, comment, mentions, limits) {
			return db.transaction().execute(async (tx) => {
				const over = await holdAndCount(tx, docId, comment.threadId, limits);
				if (over === 'comments' || over === 'perThread') return over;
				await tx.insertInto('comments').values(commentRow(comment)).execute();
				if (mentions.length > 0) await tx.insertInto('comment_mentions').values(mentionRows(mentions)).execute();
				return null;
			});
		},
		async threadWith(docId, threadId) {
			const row = await db.selectFrom('comment_threads').selectAll().where('id', '=', threadId).where('doc_id', '=', docId).executeTakeFirst();
			if (row === undefined) return null;
			const comments = (await db.selectFrom('comments').selectAll().where('thread_id', '=', threadId).orderBy('created_at').orderBy('id').execute()).map(toComment);
			const mentions =
				comments.length === 0
					? []
					: await db
							.selectFrom('comment_mentions')
							.selectAll()
							.where(
								'comment_id',
								'in',
								comments.map((c) => c.id)
							)
							.execute();
			return { thread: toThread(row), comments, mentions: mentions.map(toMention) };
		},
		async listThreads(docId) {
			const threads = (await db.selectFrom('comment_threads').selectAll().where('doc_id', '=', docId).orderBy('created_at').orderBy('id').execute()).map(toThread);
			if (threads.length === 0) return { threads, comments: [], mentions: [] };
			const comments = (
				await db
					.selectFrom('comments')
					.innerJoin('comment_threads', 'comment_threads.id', 'comments.thread_id')
					.selectAll('comments')
					.where('comment_threads.doc_id', '=', docId)
					.orderBy('comments.created_at')
					.orderBy('comments.id')
					.execute()
			).map(toComment);
			const mentions = await db
				.selectFrom('comment_mentions')
				.innerJoin('comments', 'comments.id', 'comment_mentions.comment_id')
				.innerJoin('comment_threads', 'comment_threads.id', 'comments.thread_id')
				.select(['comment_mentions.comment_id', 'comment_mentions.user_id', 'comment_mentions.conference_id', 'comment_mentions.read_at'])
				.where('comment_threads.doc_id', '=', docId)
				.execute();
			return { threads, comments, mentions: mentions.map(toMention) };
		},
		async getComment(id) {
			const r = await db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirst();
			return r === undefined ? null : toComment(r);
		},
		async setResolved(threadId, by, at) {
			await db.updateTable('comment_threads').set({ resolved_by: by, resolved_at: at }).where('id', '=', threadId).execute();
		},
		async setHidden(commentId, by, at) {
			await db.updateTable('comments').set({ hidden_by: by, hidden_at: at }).where('id', '=', commentId).execute();
		},
		async decide(threadId, decision, by, at) {
			const r = await db
				.updateTable('comment_threads')
				.set({ decision, decided_by: by, decided_at: at })
				.where('id', '=', threadId)
				.where('suggestion', 'is not', null)
				.where('decision', 'is', null)
				.executeTakeFirst();
			return Number(r.numUpdatedRows) > 0;
		},
		async undecide(threadId) {
			await db.updateTable('comment_threads').set({ decision: null, decided_by: null, decided_at: null }).where('id', '=', threadId).execute();
		},
		async unreadMentions(userId, conferenceId) {
			const rows = await db
				.selectFrom('comment_mentions')
				.innerJoin('comments', 'comments.id', 'comment_mentions.comment_id')
				.innerJoin('comment_threads', 'comment_threads.id', 'comments.thread_id')
				.select(['comments.id', 'comments.thread_id', 'comment_threads.doc_id', 'comments.author_id', 'comments.body', 'comments.created_at'])
				.where('comment_mentions.user_id', '=', userId)
				.where('comment_mentions.conference_id', '=', conferenceId)
				.where('comment_mentions.read_at', 'is', null)
				.where('comments.hidden_at', 'is', null)
				// Nor any of a thread whose first comment is hidden: the thread is gone for all but moderators.
				.where(({ not, exists, selectFrom }) =>
					not(
						exists(
							selectFrom('comments as first')
								.select('first.id')
								.whereRef('first.thread_id', '=', 'comments.thread_id')
								.where('first.hidden_at', 'is not', null)
								.where((eb) =>
									eb.not(
										eb.exists(
											eb
												.selectFrom('comments as earlier')
												.select('earlier.id')
												.whereRef('earlier.thread_id', '=', 'first.thread_id')
												.where((e) =>
													e.or([
														e('earlier.created_at', '<', e.ref('first.created_at')),
														e.and([e('earlier.created_at', '=', e.ref('first.created_at')), e('earlier.id', '<', e.ref('first.id'))])
													])
												)
										)
									)
								)
						)
					)
				)
				.orderBy('comments.created_at', 'desc')
				.limit(100)
				.execute();
			return rows.map((r) => ({ commentId: r.id, threadId: r.thread_id, docId: r.doc_id, authorId: r.author_id, body: r.body, createdAt: Number(r.created_at) }));
		},
		async markMentionsRead(userId, conferenceId, at) {
			await db
				.updateTable('comment_mentions')
				.set({ read_at: at })
				.where('user_id', '=', userId)
				.where('conference_id', '=', conferenceId)
				.where('read_at', 'is', null)
				.execute();
		}
	};
}
