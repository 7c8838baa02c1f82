import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { LiveRoomStore, QuestionRecord } from './types.js';

const toQuestion = (r: Selectable<Database['questions']>): QuestionRecord => ({
	id: r.id,
	conferenceId: r.conference_id,
	scope: r.scope,
	askerId: r.asker_id,
	text: r.text,
	private: r.private === 1,
	hidden: r.hidden === 1,
	pinned: r.pinned === 1,
	answer: r.answer,
	answeredBy: r.answered_by,
	createdAt: Number(r.created_at)
});

/** Q&A, raised hands and edit grants on the Kysely query layer. */
export function sqlLiveRoomStore(db: Kysely<Database>): LiveRoomStore {
	return {
		async ask(q) {
			await db
				.insertInto('questions')
				.values({
					id: q.id,
					conference_id: q.conferenceId,
					scope: q.scope,
					asker_id: q.askerId,
					text: q.text,
					private: q.private ? 1 : 0,
					hidden: q.hidden ? 1 : 0,
					pinned: q.pinned ? 1 : 0,
					answer: q.answer,
					answered_by: q.answeredBy,
					created_at: q.createdAt
				})
				.execute();
		},
		async getQuestion(id) {
			const row = await db.selectFrom('questions').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toQuestion(row) : null;
		},
		async listQuestions(conferenceId, scope, userId) {
			const rows = await db
				.selectFrom('questions')
				.selectAll('questions')
				.select((eb) => [
					eb.selectFrom('question_votes').whereRef('question_votes.question_id', '=', 'questions.id').select(eb.fn.countAll<number>().as('n')).as('votes'),
					eb
						.selectFrom('question_votes')
						.whereRef('question_votes.question_id', '=', 'questions.id')
						.where('question_votes.user_id', '=', userId)
						.select(eb.fn.countAll<number>().as('n'))
						.as('mine')
				])
				.where('conference_id', '=', conferenceId)
				.where('scope', '=', scope)
				.orderBy('created_at')
				.orderBy('id')
				.execute();
			return rows.map((r) => ({ ...toQuestion(r), votes: Number(r.votes ?? 0), votedByMe: Number(r.mine ?? 0) > 0 }));
		},
		async vote(questionId, userId) {
			const res = await db
				.insertInto('question_votes')
				.values({ question_id: questionId, user_id: userId })
				.onConflict((oc) => oc.columns(['question_id', 'user_id']).doNothing())
				.executeTakeFirst();
			return Number(res.numInsertedOrUpdatedRows ?? 0) === 1;
		},
		async moderate(id, change) {
			const set: Partial<{ hidden: number; pinned: number; answer: string; answered_by: string | null }> = {};
			if (change.hidden !== undefined) set.hidden = change.hidden ? 1 : 0;
			if (change.pinned !== undefined) set.pinned = change.pinned ? 1 : 0;
			if (change.answer !== undefined) set.answer = change.answer;
			if (change.answeredBy !== undefined) set.answered_by = change.answeredBy;
			if (Object.keys(set).length > 0) await db.updateTable('questions').set(set).where('id', '=', id).execute();
		},
		async raiseHand(conferenceId, breakoutId, userId, at) {
			await db
				.insertInto('raised_hands')
				.values({ conference_id: conferenceId, breakout_id: breakoutId, user_id: userId, raised_at: at })
				.onConflict((oc) => oc.columns(['breakout_id', 'user_id']).doNothing())
				.execute();
		},
		async lowerHand(breakoutId, userId) {
			await db.deleteFrom('raised_hands').where('breakout_id', '=', breakoutId).where('user_id', '=', userId).execute();
		},
		async listHands(breakoutId) {
			const rows = await db.selectFrom('raised_hands').select(['user_id', 'raised_at']).where('breakout_id', '=', breakoutId).orderBy('raised_at').execute();
			return rows.map((r) => ({ userId: r.user_id, raisedAt: Number(r.raised_at) }));
		},
		async grant(g) {
			await db
				.insertInto('edit_grants')
				.values({ conference_id: g.conferenceId, breakout_id: g.breakoutId, user_id: g.userId, granted_by: g.grantedBy, expires_at: g.expiresAt })
				.onConflict((oc) => oc.columns(['breakout_id', 'user_id']).doUpdateSet({ granted_by: g.grantedBy, expires_at: g.expiresAt }))
				.execute();
		},
		async revokeGrant(breakoutId, userId) {
			const res = await db.deleteFrom('edit_grants').where('breakout_id', '=', breakoutId).where('user_id', '=', userId).executeTakeFirst();
			return Number(res.numDeletedRows) > 0;
		},
		async listGrants(breakoutId, now) {
			const rows = await db.selectFrom('edit_grants').selectAll().where('breakout_id', '=', breakoutId).where('expires_at', '>', now).execute();
			return rows.map((r) => ({ conferenceId: r.conference_id, breakoutId: r.breakout_id, userId: r.user_id, grantedBy: r.granted_by, expiresAt: Number(r.expires_at) }));
		},
		async grantedBreakouts(conferenceId, userId, now) {
			const rows = await db
				.selectFrom('edit_grants')
				.select('breakout_id')
				.where('conference_id', '=', conferenceId)
				.where('user_id', '=', userId)
				.where('expires_at', '>', now)
				.execute();
			return rows.map((r) => r.breakout_id);
		}
	};
}


