import { type Kysely, type Selectable, sql } from 'kysely';
import { lockConference } from './conference-store.js';
import { onPostgres } from './dialect.js';
import type { Database } from './schema.js';
import type { ProposalRecord, ProposalStore } from './types.js';

const toProposal = (r: Selectable<Database['proposals']>): ProposalRecord => ({
	id: r.id,
	conferenceId: r.conference_id,
	breakoutId: r.breakout_id,
	sourceDocId: r.source_doc_id,
	blockId: r.block_id,
	status: r.status as ProposalRecord['status'],
	proposedBy: r.proposed_by,
	proposedAt: Number(r.proposed_at),
	decidedBy: r.decided_by,
	decidedAt: r.decided_at === null ? null : Number(r.decided_at),
	reason: r.reason,
	snapshot: r.snapshot,
	numbers:
		r.resolution_no === null || r.ledger_series === null || r.ledger_no === null
			? null
			: { resolution: Number(r.resolution_no), ledgerSeries: r.ledger_series, ledger: Number(r.ledger_no) }
});

/** A unique index refused the row (SQLite, PostgreSQL). */
const isUniqueViolation = (err: unknown) => {
	const code = (err as { code?: unknown } | null)?.code;
	return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
};

/**
 * The next number above every one the conference (and for a ledger number, the series) ever gave, as
 * a subquery of the numbering statement itself; on PostgreSQL under the conference's row lock, so that
 * the statement starts (and reads the highest number) only once the previous numbering has committed.
 */
const nextResolutionNo = sql<number>`(SELECT COALESCE(MAX(n.resolution_no), 0) + 1 FROM proposals AS n WHERE n.conference_id = proposals.conference_id)`;
const nextLedgerNo = (series: string) =>
	sql<number>`(SELECT COALESCE(MAX(n.ledger_no), 0) + 1 FROM proposals AS n WHERE n.conference_id = proposals.conference_id AND n.ledger_series = ${series})`;

/** Tries a numbering again should a concurrent one still take the same number first (the unique indexes refuse the second). */
async function retryingTakenNumbers<T>(run: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await run();
		} catch (err) {
			if (!isUniqueViolation(err) || attempt >= 10) throw err;
		}
	}
}

/** Proposals for the minutes on the Kysely query layer. */
export function sqlProposalStore(db: Kysely<Database>): ProposalStore {
	// SQLite runs one statement at a time, so the numbering statement alone is atomic (and a transaction
	// held across an await would only make a second connection of the same process wait on a busy lock);
	// PostgreSQL runs them side by side and needs the conference's lock.
	const concurrentWriters = onPostgres(db);
	const live = (docId: string, blockId: string) =>
		db.selectFrom('proposals').selectAll().where('source_doc_id', '=', docId).where('block_id', '=', blockId).where('status', 'in', ['pending', 'approved']).executeTakeFirst();
	return {
		async proposeOnce(p) {
			// The partial unique index allows one live proposal per block: a second insert does nothing.
			await db
				.insertInto('proposals')
				.values({
					id: p.id,
					conference_id: p.conferenceId,
					breakout_id: p.breakoutId,
					source_doc_id: p.sourceDocId,
					block_id: p.blockId,
					status: p.status,
					proposed_by: p.proposedBy,
					proposed_at: p.proposedAt,
					decided_by: null,
					decided_at: null,
					reason: '',
					snapshot: ''
				})
				.onConflict((oc) => oc.doNothing())
				.execute();
			const row = await live(p.sourceDocId, p.blockId);
			if (!row) throw new Error('proposal vanished');
			return toProposal(row);
		},
		async get(id) {
			const row = await db.selectFrom('proposals').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toProposal(row) : null;
		},
		async list(conferenceId) {
			const rows = await db.selectFrom('proposals').selectAll().where('conference_id', '=', conferenceId).orderBy('proposed_at', 'desc').orderBy('id').execute();
			return rows.map(toProposal);
		},
		decide(id, d) {
			const numbers =
				d.status === 'approved' && d.ledgerSeries !== undefined ? { resolution_no: nextResolutionNo, ledger_series: d.ledgerSeries, ledger_no: nextLedgerNo(d.ledgerSeries) } : {};
			// One conditional statement decides and numbers: a proposal already decided takes no number.
			const decide = (tx: Kysely<Database>) =>
				tx
					.updateTable('proposals')
					.set({ status: d.status, decided_by: d.by, decided_at: d.at, reason: d.reason, snapshot: d.snapshot, ...numbers })
					.where('id', '=', id)
					.where('status', '=', 'pending')
					.executeTakeFirst();
			return retryingTakenNumbers(async () => {
				const res =
					d.status === 'approved' && concurrentWriters
						? await db.transaction().execute(async (tx) => {
								await lockConference(tx, tx.selectFrom('proposals').select('conference_id').where('id', '=', id));
								return decide(tx);
							})
						: await decide(db);
				return Number(res.numUpdatedRows) === 1;
			});
		},
		async resnapshot(id, snapshot, by, at) {
			const res = await db.updateTable('proposals').set({ snapshot, decided_by: by, decided_at: at }).where('id', '=', id).where('status', '=', 'approved').executeTakeFirst();
			return Number(res.numUpdatedRows) === 1;
		},
		async withdraw(id, by, at, reason) {
			const res = await db
				.updateTable('proposals')
				.set({ status: 'withdrawn', decided_by: by, decided_at: at, reason })
				.where('id', '=', id)
				.where('status', '=', 'approved')
				.executeTakeFirst();
			return Number(res.numUpdatedRows) === 1;
		},
		async listByStatus(status) {
			return (await db.selectFrom('proposals').selectAll().where('status', '=', status).execute()).map(toProposal);
		}
	};
}
