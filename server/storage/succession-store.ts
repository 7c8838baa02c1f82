import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { CarriedItem, SuccessionStore } from './types.js';

const toCarried = (r: Selectable<Database['carried_items']>): CarriedItem => ({ conferenceId: r.conference_id, proposalId: r.proposal_id, breakoutId: r.breakout_id, carriedAt: Number(r.carried_at) });

export function sqlSuccessionStore(db: Kysely<Database>): SuccessionStore {
	return {
		async link(successorId, predecessorId, by, at, carried) {
			await db.transaction().execute(async (tx) => {
				await tx.insertInto('conference_successions').values({ conference_id: successorId, predecessor_id: predecessorId, created_by: by, created_at: at }).execute();
				if (carried.length > 0) {
					await tx
						.insertInto('carried_items')
						.values(carried.map((c) => ({ conference_id: c.conferenceId, proposal_id: c.proposalId, breakout_id: c.breakoutId, carried_at: c.carriedAt })))
						.execute();
				}
			});
		},
		async predecessorOf(conferenceId) {
			return (await db.selectFrom('conference_successions').select('predecessor_id').where('conference_id', '=', conferenceId).executeTakeFirst())?.predecessor_id ?? null;
		},
		async successorOf(conferenceId) {
			return (await db.selectFrom('conference_successions').select('conference_id').where('predecessor_id', '=', conferenceId).executeTakeFirst())?.conference_id ?? null;
		},
		async carriedInto(conferenceId) {
			return (await db.selectFrom('carried_items').selectAll().where('conference_id', '=', conferenceId).orderBy('carried_at').orderBy('proposal_id').execute()).map(toCarried);
		},
		async carriersOf(proposalId) {
			return (await db.selectFrom('carried_items').selectAll().where('proposal_id', '=', proposalId).execute()).map(toCarried);
		}
	};
}
