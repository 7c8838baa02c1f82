import type { Kysely, Selectable, Transaction } from 'kysely';
import { type ReportStatus, isOpen, openStatuses } from '../../src/lib/shared/project-report.js';
import { lockingOnPostgres } from './dialect.js';
import type { Database } from './schema.js';
import type { HonorBoardRecord, ProjectReportRecord, ReportEventRecord, ReportEvidenceRecord, ReportFigure, ReportRoundRecord, ReportStore } from './types.js';

const toRound = (r: Selectable<Database['report_rounds']>): ReportRoundRecord => ({
	id: r.id,
	conferenceId: r.conference_id,
	title: r.title,
	periodEnd: r.period_end,
	deadline: r.deadline,
	createdBy: r.created_by,
	createdAt: Number(r.created_at)
});

const toReport = (r: Selectable<Database['project_reports']>): ProjectReportRecord => ({
	id: r.id,
	roundId: r.round_id,
	conferenceId: r.conference_id,
	projectId: r.project_id,
	unit: r.unit,
	status: r.status as ReportStatus,
	figures: JSON.parse(r.figures) as Record<string, ReportFigure>,
	version: Number(r.version),
	submissions: Number(r.submissions),
	updatedAt: Number(r.updated_at),
	decidedBy: r.decided_by,
	decidedAt: r.decided_at === null ? null : Number(r.decided_at)
});

const toEvidence = (r: Selectable<Database['report_evidence']>): ReportEvidenceRecord => ({
	id: r.id,
	reportId: r.report_id,
	section: r.section,
	name: r.name,
	mime: r.mime,
	size: Number(r.size),
	sha256: r.sha256,
	byUser: r.by_user,
	at: Number(r.at)
});

const toEvent = (r: Selectable<Database['report_events']>): ReportEventRecord => ({
	id: r.id,
	reportId: r.report_id,
	kind: r.kind,
	fromStatus: r.from_status as ReportStatus,
	toStatus: r.to_status as ReportStatus,
	reason: r.reason,
	byUser: r.by_user,
	at: Number(r.at)
});


/** A report of a batch that moved on meanwhile: the batch's transaction is rolled back. */
class StaleBatch extends Error {}

/** The report's row, locked until the transaction ends on PostgreSQL (SQLite has one writer); null when there is none. */
async function lockedReport(tx: Transaction<Database>, id: string) {
	return (await lockingOnPostgres(tx, tx.selectFrom('project_reports').selectAll().where('id', '=', id)).executeTakeFirst()) ?? null;
}

/** Reporting rounds on the Kysely query layer. */
const toBoard = (r: Selectable<Database['honor_boards']>): HonorBoardRecord => ({
	id: r.id,
	conferenceId: r.conference_id,
	roundId: r.round_id,
	roundTitle: r.round_title,
	periodEnd: r.period_end,
	settings: JSON.parse(r.settings) as HonorBoardRecord['settings'],
	thresholds: JSON.parse(r.thresholds) as HonorBoardRecord['thresholds'],
	tracks: JSON.parse(r.tracks) as HonorBoardRecord['tracks'],
	publishedBy: r.published_by,
	publishedAt: Number(r.published_at)
});

export function sqlReportStore(db: Kysely<Database>): ReportStore {
	return {
		createRound(round, reports) {
			return db.transaction().execute(async (tx) => {
				await tx
					.insertInto('report_rounds')
					.values({ id: round.id, conference_id: round.conferenceId, title: round.title, period_end: round.periodEnd, deadline: round.deadline, created_by: round.createdBy, created_at: round.createdAt })
					.execute();
				for (const r of reports) {
					await tx
						.insertInto('project_reports')
						.values({
							id: r.id,
							round_id: r.roundId,
							conference_id: r.conferenceId,
							project_id: r.projectId,
							unit: r.unit,
							status: r.status,
							figures: JSON.stringify(r.figures),
							version: r.version,
							submissions: r.submissions,
							updated_at: r.updatedAt,
							decided_by: null,
							decided_at: null
						})
						.execute();
				}
			});
		},
		async rounds(conferenceId) {
			return (await db.selectFrom('report_rounds').selectAll().where('conference_id', '=', conferenceId).orderBy('created_at', 'desc').orderBy('id').execute()).map(toRound);
		},
		async round(id) {
			const row = await db.selectFrom('report_rounds').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toRound(row) : null;
		},
		async reports(roundId) {
			return (await db.selectFrom('project_reports').selectAll().where('round_id', '=', roundId).orderBy('id').execute()).map(toReport);
		},
		async report(id) {
			const row = await db.selectFrom('project_reports').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toReport(row) : null;
		},
		async saveFigures(id, version, figures, at) {
			const res = await db
				.updateTable('project_reports')
				.set({ figures: JSON.stringify(figures), version: version + 1, updated_at: at })
				.where('id', '=', id)
				.where('version', '=', version)
				.where('status', 'in', openStatuses)
				.executeTakeFirst();
			return Number(res.numUpdatedRows) === 1;
		},
		saveMany(saves, at) {
			return db
				.transaction()
				.execute(async (tx) => {
					for (const s of saves) {
						const res = await tx
							.updateTable('project_reports')
							.set({ figures: JSON.stringify(s.figures), version: s.version + 1, updated_at: at })
							.where('id', '=', s.id)
							.where('version', '=', s.version)
							.where('status', 'in', openStatuses)
							.executeTakeFirst();
						// Rolls the transaction back: the earlier reports of the batch are not saved either.
						if (Number(res.numUpdatedRows) !== 1) throw new StaleBatch();
					}
					return true;
				})
				.catch((err: unknown) => {
					if (err instanceof StaleBatch) return false;
					throw err;
				});
		},
		transition(id, version, from, event, figures) {
			return db.transaction().execute(async (tx) => {
				const row = await lockedReport(tx, id);
				if (row === null || Number(row.version) !== version || !from.includes(row.status as ReportStatus)) return false;
				const decided = event.toStatus === 'accepted' || event.toStatus === 'returned';
				await tx
					.updateTable('project_reports')
					.set({
						status: event.toStatus,
						version: version + 1,
						updated_at: event.at,
						...(figures ? { figures: JSON.stringify(figures), submissions: Number(row.submissions) + 1 } : {}),
						...(decided ? { decided_by: event.byUser, decided_at: event.at } : {})
					})
					.where('id', '=', id)
					.execute();
				const last = await tx.selectFrom('report_events').select((eb) => eb.fn.max('seq').as('seq')).where('report_id', '=', id).executeTakeFirst();
				await tx
					.insertInto('report_events')
					.values({
						id: event.id,
						report_id: id,
						seq: Number(last?.seq ?? 0) + 1,
						kind: event.kind,
						from_status: row.status,
						to_status: event.toStatus,
						reason: event.reason,
						by_user: event.byUser,
						at: event.at
					})
					.execute();
				return true;
			});
		},
		addEvidence(evidence) {
			if (evidence.length === 0) return Promise.resolve(true);
			return db.transaction().execute(async (tx) => {
				const row = await lockedReport(tx, evidence[0].reportId);
				if (row === null || !isOpen(row.status as ReportStatus)) return false;
				// Evidence is part of what a submission sends: a page that has not seen it is stale.
				await tx.updateTable('project_reports').set({ version: Number(row.version) + 1 }).where('id', '=', row.id).execute();
				for (const e of evidence) {
					await tx
						.insertInto('report_evidence')
						.values({ id: e.id, report_id: e.reportId, section: e.section, name: e.name, mime: e.mime, size: e.size, sha256: e.sha256, by_user: e.byUser, at: e.at })
						.execute();
				}
				return true;
			});
		},
		async projectHasReports(projectId) {
			return (await db.selectFrom('project_reports').select('id').where('project_id', '=', projectId).limit(1).executeTakeFirst()) !== undefined;
		},
		async evidenceOf(reportId) {
			return (await db.selectFrom('report_evidence').selectAll().where('report_id', '=', reportId).orderBy('at').orderBy('id').execute()).map(toEvidence);
		},
		async evidence(id) {
			const row = await db.selectFrom('report_evidence').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toEvidence(row) : null;
		},
		async events(reportId) {
			return (await db.selectFrom('report_events').selectAll().where('report_id', '=', reportId).orderBy('seq').execute()).map(toEvent);
		},
		async lampThresholds(conferenceId) {
			const row = await db.selectFrom('lamp_thresholds').selectAll().where('conference_id', '=', conferenceId).executeTakeFirst();
			return row
				? { conferenceId, amberBelow: Number(row.amber_below) / 10, redBelow: Number(row.red_below) / 10, updatedBy: row.updated_by, updatedAt: Number(row.updated_at) }
				: null;
		},
		async setLampThresholds(r) {
			const values = { amber_below: Math.round(r.amberBelow * 10), red_below: Math.round(r.redBelow * 10), updated_by: r.updatedBy, updated_at: r.updatedAt };
			await db
				.insertInto('lamp_thresholds')
				.values({ conference_id: r.conferenceId, ...values })
				.onConflict((oc) => oc.column('conference_id').doUpdateSet(values))
				.execute();
		},
		async honorSettings(conferenceId) {
			return (await db.selectFrom('honor_settings').select('settings').where('conference_id', '=', conferenceId).executeTakeFirst())?.settings ?? null;
		},
		async setHonorSettings(conferenceId, settings, by, at) {
			const values = { settings, updated_by: by, updated_at: at };
			await db
				.insertInto('honor_settings')
				.values({ conference_id: conferenceId, ...values })
				.onConflict((oc) => oc.column('conference_id').doUpdateSet(values))
				.execute();
		},
		async publishHonorBoard(b, contentHash) {
			const res = await db
				.insertInto('honor_boards')
				.values({
					id: b.id,
					conference_id: b.conferenceId,
					round_id: b.roundId,
					round_title: b.roundTitle,
					period_end: b.periodEnd,
					settings: JSON.stringify(b.settings),
					thresholds: JSON.stringify(b.thresholds),
					tracks: JSON.stringify(b.tracks),
					published_by: b.publishedBy,
					published_at: b.publishedAt,
					content_hash: contentHash
				})
				.onConflict((oc) => oc.columns(['conference_id', 'content_hash']).doNothing())
				.executeTakeFirst();
			if (Number(res.numInsertedOrUpdatedRows ?? 0) > 0) return null;
			const row = await db.selectFrom('honor_boards').selectAll().where('conference_id', '=', b.conferenceId).where('content_hash', '=', contentHash).executeTakeFirstOrThrow();
			return toBoard(row);
		},
		async honorBoards(conferenceId) {
			return (await db.selectFrom('honor_boards').selectAll().where('conference_id', '=', conferenceId).orderBy('published_at', 'desc').orderBy('id').execute()).map(toBoard);
		}
	};
}
