import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import type { LedgerStatus } from '../../src/lib/shared/ledger.js';
import { lockingOnPostgres } from './dialect.js';
import type { Database } from './schema.js';
import type { EvidenceRecord, ExtensionRecord, LedgerEventRecord, LedgerReportRecord, LedgerState, LedgerStore } from './types.js';

const toState = (r: Selectable<Database['ledger_items']>): LedgerState => ({
	proposalId: r.proposal_id,
	conferenceId: r.conference_id,
	status: r.status as LedgerStatus,
	deadline: r.deadline,
	percent: r.percent,
	updatedAt: Number(r.updated_at),
	closedAt: r.closed_at === null ? null : Number(r.closed_at)
});

const toReport = (r: Selectable<Database['ledger_reports']>): LedgerReportRecord => ({
	id: r.id,
	proposalId: r.proposal_id,
	progress: r.progress,
	percent: r.percent,
	difficulties: r.difficulties,
	nextSteps: r.next_steps,
	byUser: r.by_user,
	at: Number(r.at)
});

const toEvidence = (r: Selectable<Database['ledger_evidence']>): EvidenceRecord => ({
	id: r.id,
	proposalId: r.proposal_id,
	reportId: r.report_id,
	name: r.name,
	mime: r.mime,
	size: r.size,
	sha256: r.sha256
});

const toEvent = (r: Selectable<Database['ledger_events']>): LedgerEventRecord => ({
	id: r.id,
	proposalId: r.proposal_id,
	kind: r.kind,
	fromStatus: r.from_status as LedgerStatus,
	toStatus: r.to_status as LedgerStatus,
	reason: r.reason,
	byUser: r.by_user,
	at: Number(r.at)
});

const toExtension = (r: Selectable<Database['ledger_extensions']>): ExtensionRecord => ({
	id: r.id,
	proposalId: r.proposal_id,
	oldDeadline: r.old_deadline,
	newDeadline: r.new_deadline,
	reason: r.reason,
	status: r.status as ExtensionRecord['status'],
	requestedBy: r.requested_by,
	requestedAt: Number(r.requested_at),
	decidedBy: r.decided_by,
	decidedAt: r.decided_at === null ? null : Number(r.decided_at),
	decisionReason: r.decision_reason
});

type Tx = Transaction<Database>;

/**
 * The item's row, created as not started at its first step; returns its status. On PostgreSQL the row
 * stays locked until the transaction ends, so that one item's steps (and their event numbers) are
 * taken one after another; SQLite has one writer at a time anyway.
 */
async function ensureItem(tx: Tx, conferenceId: string, proposalId: string, at: number): Promise<LedgerStatus> {
	await tx
		.insertInto('ledger_items')
		.values({ proposal_id: proposalId, conference_id: conferenceId, status: 'not_started', deadline: '', percent: 0, updated_at: at, closed_at: null })
		.onConflict((oc) => oc.doNothing())
		.execute();
	const row = await lockingOnPostgres(tx, tx.selectFrom('ledger_items').select('status').where('proposal_id', '=', proposalId)).executeTakeFirstOrThrow();
	return row.status as LedgerStatus;
}

/**
 * Moves the item to `set` if its status is one of `from`, as one conditional update per candidate
 * status: of two requests at once exactly one moves it, on PostgreSQL's concurrent writers as on
 * SQLite's single one (a read followed by an update lets both through under READ COMMITTED).
 * Returns the status it moved from, or null when it was in none of them.
 */
async function moveFrom(tx: Tx, proposalId: string, from: readonly LedgerStatus[], set: Updateable<Database['ledger_items']>): Promise<LedgerStatus | null> {
	for (const status of from) {
		const res = await tx.updateTable('ledger_items').set(set).where('proposal_id', '=', proposalId).where('status', '=', status).executeTakeFirst();
		if (Number(res.numUpdatedRows) === 1) return status;
	}
	return null;
}

/**
 * Records a step as the item's next event, under the item's lock (ensureItem): numbered in the order
 * the steps took effect, and never timed before the step it follows (a request's clock is read when
 * it begins, and one that began earlier may have waited for the lock).
 */
async function insertEvent(tx: Tx, e: LedgerEventRecord): Promise<void> {
	const last = await tx
		.selectFrom('ledger_events')
		.select((eb) => [eb.fn.max('seq').as('seq'), eb.fn.max('at').as('at')])
		.where('proposal_id', '=', e.proposalId)
		.executeTakeFirst();
	await tx
		.insertInto('ledger_events')
		.values({
			id: e.id,
			proposal_id: e.proposalId,
			kind: e.kind,
			from_status: e.fromStatus,
			to_status: e.toStatus,
			reason: e.reason,
			by_user: e.byUser,
			at: Math.max(e.at, Number(last?.at ?? 0)),
			seq: Number(last?.seq ?? 0) + 1
		})
		.execute();
}

/** The rectification ledger on the Kysely query layer. */
export function sqlLedgerStore(db: Kysely<Database>): LedgerStore {
	return {
		async states(conferenceId) {
			return (await db.selectFrom('ledger_items').selectAll().where('conference_id', '=', conferenceId).execute()).map(toState);
		},
		async state(proposalId) {
			const row = await db.selectFrom('ledger_items').selectAll().where('proposal_id', '=', proposalId).executeTakeFirst();
			return row ? toState(row) : null;
		},
		transition(conferenceId, from, event) {
			return db.transaction().execute(async (tx) => {
				await ensureItem(tx, conferenceId, event.proposalId, event.at);
				const status = await moveFrom(tx, event.proposalId, from, { status: event.toStatus, updated_at: event.at, closed_at: event.toStatus === 'closed' ? event.at : null });
				if (status === null) return false;
				await insertEvent(tx, { ...event, fromStatus: status });
				return true;
			});
		},
		report(conferenceId, r, evidence, event) {
			return db.transaction().execute(async (tx) => {
				await ensureItem(tx, conferenceId, r.proposalId, r.at);
				const status = await moveFrom(tx, r.proposalId, ['not_started', 'in_progress'], { status: 'in_progress', percent: r.percent, updated_at: r.at });
				if (status === null) return false;
				await tx
					.insertInto('ledger_reports')
					.values({ id: r.id, proposal_id: r.proposalId, progress: r.progress, percent: r.percent, difficulties: r.difficulties, next_steps: r.nextSteps, by_user: r.byUser, at: r.at })
					.execute();
				for (const e of evidence) {
					await tx
						.insertInto('ledger_evidence')
						.values({ id: e.id, proposal_id: e.proposalId, report_id: e.reportId, name: e.name, mime: e.mime, size: e.size, sha256: e.sha256 })
						.execute();
				}
				await insertEvent(tx, { ...event, fromStatus: status, toStatus: 'in_progress' });
				return true;
			});
		},
		async reports(proposalId) {
			return (await db.selectFrom('ledger_reports').selectAll().where('proposal_id', '=', proposalId).orderBy('at', 'desc').orderBy('id').execute()).map(toReport);
		},
		async reportsOf(conferenceId) {
			const rows = await db
				.selectFrom('ledger_reports')
				.innerJoin('proposals', 'proposals.id', 'ledger_reports.proposal_id')
				.selectAll('ledger_reports')
				.where('proposals.conference_id', '=', conferenceId)
				.orderBy('ledger_reports.at', 'asc')
				.orderBy('ledger_reports.id')
				.execute();
			return rows.map(toReport);
		},
		async evidence(id) {
			const row = await db.selectFrom('ledger_evidence').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toEvidence(row) : null;
		},
		async evidenceOf(proposalId) {
			return (await db.selectFrom('ledger_evidence').selectAll().where('proposal_id', '=', proposalId).orderBy('id').execute()).map(toEvidence);
		},
		async evidenceOfConference(conferenceId) {
			const rows = await db
				.selectFrom('ledger_evidence')
				.innerJoin('proposals', 'proposals.id', 'ledger_evidence.proposal_id')
				.selectAll('ledger_evidence')
				.where('proposals.conference_id', '=', conferenceId)
				.orderBy('ledger_evidence.id')
				.execute();
			return rows.map(toEvidence);
		},
		async events(proposalId) {
			return (await db.selectFrom('ledger_events').selectAll().where('proposal_id', '=', proposalId).orderBy('seq').execute()).map(toEvent);
		},
		requestExtension(conferenceId, e, event) {
			return db.transaction().execute(async (tx) => {
				const status = await ensureItem(tx, conferenceId, e.proposalId, e.requestedAt);
				const res = await tx
					.insertInto('ledger_extensions')
					.values({
						id: e.id,
						proposal_id: e.proposalId,
						old_deadline: e.oldDeadline,
						new_deadline: e.newDeadline,
						reason: e.reason,
						status: 'pending',
						requested_by: e.requestedBy,
						requested_at: e.requestedAt,
						decided_by: null,
						decided_at: null,
						decision_reason: ''
					})
					.onConflict((oc) => oc.doNothing())
					.executeTakeFirst();
				if (Number(res.numInsertedOrUpdatedRows ?? 0) !== 1) return false;
				await insertEvent(tx, { ...event, fromStatus: status, toStatus: status });
				return true;
			});
		},
		decideExtension(conferenceId, id, d, event) {
			return db.transaction().execute(async (tx) => {
				// The item's lock first, as every other step takes it: a request waiting on this
				// extension's pending row while holding the item's lock would otherwise deadlock with it.
				const pending = await tx.selectFrom('ledger_extensions').select('proposal_id').where('id', '=', id).executeTakeFirst();
				if (!pending) return null;
				const status = await ensureItem(tx, conferenceId, pending.proposal_id, d.at);
				const res = await tx
					.updateTable('ledger_extensions')
					.set({ status: d.status, decided_by: d.by, decided_at: d.at, decision_reason: d.reason })
					.where('id', '=', id)
					.where('status', '=', 'pending')
					.executeTakeFirst();
				if (Number(res.numUpdatedRows) !== 1) return null;
				const ext = toExtension(await tx.selectFrom('ledger_extensions').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
				if (d.status === 'approved') {
					await tx.updateTable('ledger_items').set({ deadline: ext.newDeadline, updated_at: d.at }).where('proposal_id', '=', ext.proposalId).execute();
				}
				await insertEvent(tx, { ...event, proposalId: ext.proposalId, fromStatus: status, toStatus: status });
				return ext;
			});
		},
		async extension(id) {
			const row = await db.selectFrom('ledger_extensions').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toExtension(row) : null;
		},
		async extensions(proposalId) {
			return (await db.selectFrom('ledger_extensions').selectAll().where('proposal_id', '=', proposalId).orderBy('requested_at', 'desc').execute()).map(toExtension);
		},
		async settings(conferenceId) {
			const row = await db.selectFrom('ledger_settings').select('settings').where('conference_id', '=', conferenceId).executeTakeFirst();
			return row?.settings ?? null;
		},
		async setSettings(conferenceId, json) {
			await db
				.insertInto('ledger_settings')
				.values({ conference_id: conferenceId, settings: json })
				.onConflict((oc) => oc.column('conference_id').doUpdateSet({ settings: json }))
				.execute();
		}
	};
}
