import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { CommentRecord, CommentStore, MentionRecord, ThreadRecord } from './types.js';

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
			: { text: r.suggestion, decision: r.decision as 'accepted' | 'rejected' | null, decidedBy: r.decided_by, decidedAt: nullableNumber(r.decided_at) }
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

const mentionRows = (mentions: readonly MentionRecord[]) =>
	mentions.map((m) => ({ comment_id: m.commentId, user_id: m.userId, conference_id: m.conferenceId, read_at: m.readAt }));

export function sqlCommentStore(db: Kysely<Database>): CommentStore {
	return {
		async addThread(t, first, mentions) {
			await db.transaction().execute(async (tx) => {
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
						decision: t.suggestion?.decision ?? null,
						decided_by: t.suggestion?.decidedBy ?? null,
						decided_at: t.suggestion?.decidedAt ?? null
					})
					.execute();
				if (first !== null) await tx.insertInto('comments').values(commentRow(first)).execute();
				if (mentions.length > 0) await tx.insertInto('comment_mentions').values(mentionRows(mentions)).execute();
			});
		},
		async addComment(comment, mentions) {
			await db.transaction().execute(async (tx) => {
				await tx.insertInto('comments').values(commentRow(comment)).execute();
				if (mentions.length > 0) await tx.insertInto('comment_mentions').values(mentionRows(mentions)).execute();
			});
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
			return {
				threads,
				comments,
				mentions: mentions.map((m) => ({ commentId: m.comment_id, userId: m.user_id, conferenceId: m.conference_id, readAt: nullableNumber(m.read_at) }))
			};
		},
		async getThread(id) {
			const r = await db.selectFrom('comment_threads').selectAll().where('id', '=', id).executeTakeFirst();
			return r === undefined ? null : toThread(r);
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
