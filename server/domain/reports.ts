import { beijingDate } from '../../src/lib/shared/beijing-time.js';
import { type LampThresholds, defaultThresholds } from '../../src/lib/shared/kpi.js';
import {
	type FigureKey,
	type FigureProblem,
	type FigureValue,
	type ReportSection,
	type ReportStatus,
	type ReportTransition,
	betweenFigures,
	figureDefs,
	figureProblems,
	isOpen,
	maxRoundReports,
	reportSections,
	reportTransitions
} from '../../src/lib/shared/project-report.js';
import { randomId } from '../auth/tokens.js';
import type { ConferenceStore, ProjectReportRecord, ReportEvidenceRecord, ReportFigure, ReportRoundRecord, ReportStore, UserRecord } from '../storage/types.js';
import { type EvidenceFiles, type EvidenceUpload, checkUploads } from './evidence.js';
import { type TemplateRow, cellValue, figureHeaderZh, readHeader, reportIdHeader } from './exports/report-template.js';

/** Why a report step was refused: the route turns each into a status and an error code. */
export class ReportError extends Error {
	constructor(
		readonly code: 'wrong_status' | 'stale' | 'bad_figures' | 'incomplete' | 'bad_file' | 'not_reporter' | 'own_unit' | 'bad_assignment',
		message: string
	) {
		super(message);
	}
}

const unitKey = (unit: string) => unit.replace(/\s+/gu, '');
/** The account's unit (given or typed) is `unit`. */
const namesUnit = (user: UserRecord, unit: string) => unitKey(user.unit) !== '' && unitKey(user.unit) === unitKey(unit);

/** Rows of one imported workbook, at most (the attendee lists' bound: the XLSX reader is theirs). */
export const maxImportRows = 2000;

/** One row of an imported workbook (its sheet row number) and what is wrong with it. */
export interface ImportRow {
	row: number;
	reportId: string;
	problems: { column: string; reason: FigureProblem['reason'] | 'unknown_report' | 'not_yours' | 'locked' | 'duplicate' }[];
}

export interface ReportImport {
	/** The sheet as a whole: no 报告编号 column, or no rows under the header. */
	fileProblem: 'no_header' | 'duplicate_column' | 'no_rows' | 'too_many_rows' | null;
	rows: ImportRow[];
	rejectedRows: number;
	/** Reports saved (0 for a check). */
	saved: number;
}

/** What is wrong with changing `values` of the report: the changed values' own problems, and the rules between figures as they would then stand. */
function problemsOfChange(report: ProjectReportRecord, values: Record<string, FigureValue>): FigureProblem[] {
	const merged = { ...ProjectReports.values(report), ...values };
	return figureProblems(merged, false).filter((p) => Object.hasOwn(values, p.key) || betweenFigures.has(p.reason));
}

/** The report's figures with `values` applied (each changed one by `user`, now, not yet submitted); null when none changed. */
function changedFigures(report: ProjectReportRecord, user: UserRecord, values: Record<string, FigureValue>, at: number): Record<string, ReportFigure> | null {
	const figures: Record<string, ReportFigure> = { ...report.figures };
	let changed = false;
	for (const [key, raw] of Object.entries(values)) {
		const value = typeof raw === 'string' ? raw.trim() : raw;
		if ((figures[key]?.value ?? null) === value) continue;
		figures[key] = { value, by: user.id, at, submission: null };
		changed = true;
	}
	return changed ? figures : null;
}

/** A report with the round it belongs to and, as of today (Beijing time), whether it is overdue. */
export interface ReportView {
	report: ProjectReportRecord;
	round: ReportRoundRecord;
	/** Not submitted (draft or returned) and the deadline's day has passed. */
	overdue: boolean;
}

/**
 * Project execution reports (项目执行报告): an organizer opens a round with a deadline and assigns
 * each project to its reporting unit; the unit's members fill in the figures (each one keeps who
 * entered it, when, and which submission first sent it), attach evidence by section and submit; a
 * reviewer outside that unit returns the report with reasons or accepts it. A submitted report is
 * locked; every step is conditional on the version it was based on, so of two at once one wins.
 */
export class ProjectReports {
	constructor(
		private readonly store: ReportStore,
		private readonly conferences: ConferenceStore,
		private readonly files: EvidenceFiles,
		private readonly now: () => number = Date.now
	) {}

	today(): string {
		return beijingDate(this.now());
	}

	/** The conference's lamp rule (the default until an organizer sets one). */
	async thresholds(conferenceId: string): Promise<LampThresholds & { custom: boolean }> {
		const stored = await this.store.lampThresholds(conferenceId);
		return stored ? { amberBelow: stored.amberBelow, redBelow: stored.redBelow, custom: true } : { ...defaultThresholds, custom: false };
	}

	setThresholds(conferenceId: string, user: UserRecord, t: LampThresholds): Promise<void> {
		return this.store.setLampThresholds({ conferenceId, amberBelow: t.amberBelow, redBelow: t.redBelow, updatedBy: user.id, updatedAt: this.now() });
	}

	/** Opens a round; without assignments, every project of the conference is assigned to its 建设单位. */
	async openRound(conferenceId: string, user: UserRecord, input: { title: string; periodEnd: string; deadline: string; assignments?: { projectId: string; unit: string }[] }): Promise<ReportRoundRecord> {
		const projects = await this.conferences.listProjects(conferenceId);
		const byId = new Map(projects.map((p) => [p.id, p]));
		const assignments = input.assignments ?? projects.map((p) => ({ projectId: p.id, unit: p.ownerUnit.trim() }));
		if (assignments.length === 0) throw new ReportError('bad_assignment', 'The conference has no projects to report on.');
		if (assignments.length > maxRoundReports) throw new ReportError('bad_assignment', `At most ${maxRoundReports} reports in one round: assign them in several.`);
		const seen = new Set<string>();
		for (const a of assignments) {
			const project = byId.get(a.projectId);
			if (project === undefined) throw new ReportError('bad_assignment', `Project ${a.projectId} is not of this conference.`);
			if (a.unit === '') throw new ReportError('bad_assignment', `Project ${project.code || project.name} has no reporting unit (建设单位): assign one.`);
			if (seen.has(a.projectId)) throw new ReportError('bad_assignment', `Project ${project.code || project.name} is assigned twice.`);
			seen.add(a.projectId);
		}
		const at = this.now();
		const round: ReportRoundRecord = { id: randomId(12), conferenceId, title: input.title, periodEnd: input.periodEnd, deadline: input.deadline, createdBy: user.id, createdAt: at };
		const reports: ProjectReportRecord[] = assignments.map((a) => ({
			id: randomId(12),
			roundId: round.id,
			conferenceId,
			projectId: a.projectId,
			unit: a.unit,
			status: 'draft',
			figures: {},
			version: 0,
			submissions: 0,
			updatedAt: at,
			decidedBy: null,
			decidedAt: null
		}));
		await this.store.createRound(round, reports);
		return round;
	}

	rounds(conferenceId: string) {
		return this.store.rounds(conferenceId);
	}

	round(id: string) {
		return this.store.round(id);
	}

	private view(report: ProjectReportRecord, round: ReportRoundRecord): ReportView {
		return { report, round, overdue: isOpen(report.status) && this.today() > round.deadline };
	}

	async reportsOf(round: ReportRoundRecord): Promise<ReportView[]> {
		return (await this.store.reports(round.id)).map((r) => this.view(r, round));
	}

	async report(id: string): Promise<ReportView | null> {
		const report = await this.store.report(id);
		const round = report && (await this.store.round(report.roundId));
		return report && round ? this.view(report, round) : null;
	}

	/** True when `user` is of the report's reporting unit (by a unit given to them, never one they typed themselves). */
	isReporter(report: ProjectReportRecord, user: UserRecord): boolean {
		return !user.unitDeclared && namesUnit(user, report.unit);
	}

	/** True when `user` may not review the report: their unit, given or typed, is its reporting unit. */
	isOwnUnit(report: ProjectReportRecord, user: UserRecord): boolean {
		return namesUnit(user, report.unit);
	}

	/** The figures' values alone. */
	static values(report: ProjectReportRecord): Record<string, FigureValue> {
		return Object.fromEntries(Object.entries(report.figures).map(([k, f]) => [k, f.value]));
	}

	private mayEdit(report: ProjectReportRecord, user: UserRecord) {
		if (!this.isReporter(report, user)) throw new ReportError('not_reporter', 'Only the reporting unit fills in its report.');
		if (!isOpen(report.status)) throw new ReportError('wrong_status', `A ${report.status} report is locked.`);
	}

	/**
	 * Saves figures of the draft: each value that changed takes the author and the time (and is sent
	 * with the next submission); values the body leaves out keep theirs. Refused when the report moved
	 * on from `version` (someone saved or stepped first).
	 */
	async save(report: ProjectReportRecord, user: UserRecord, version: number, values: Record<string, FigureValue>): Promise<void> {
		this.mayEdit(report, user);
		const problems = problemsOfChange(report, values);
		if (problems.length > 0) throw new ReportError('bad_figures', `Figures refused: ${problems.map((p) => `${p.key} (${p.reason})`).join(', ')}.`);
		const at = this.now();
		const figures = changedFigures(report, user, values, at);
		// Nothing changed: nothing is written (and the version stays, so nobody else's page goes stale) — unless the page itself is stale.
		if (figures === null) {
			if (version !== report.version) throw new ReportError('stale', 'The report changed since it was opened.');
			return;
		}
		if (!(await this.store.saveFigures(report.id, version, figures, at))) throw new ReportError('stale', 'The report changed since it was opened.');
	}

	/** Evidence for one section of the report, checked and written before it is recorded (all or nothing). */
	async addEvidence(report: ProjectReportRecord, user: UserRecord, section: string, uploads: readonly EvidenceUpload[]): Promise<void> {
		this.mayEdit(report, user);
		if (!(reportSections as readonly string[]).includes(section)) throw new ReportError('bad_file', `Unknown section ${section}.`);
		if (uploads.length === 0) throw new ReportError('bad_file', 'No file was attached.');
		const checked = checkUploads(uploads, (why) => new ReportError('bad_file', why));
		const at = this.now();
		const records: ReportEvidenceRecord[] = checked.map((u) => ({ id: randomId(16), reportId: report.id, section: section as ReportSection, name: u.name, mime: u.mime, size: u.size, sha256: u.sha256, byUser: user.id, at }));
		await this.files.saveThen(
			records.map((r, i) => ({ id: r.id, bytes: checked[i].bytes })),
			async () => {
				if (!(await this.store.addEvidence(records))) throw new ReportError('wrong_status', 'The report is locked.');
			}
		);
	}

	/**
	 * A step: the unit submits a complete report (each figure not yet sent is stamped with this
	 * submission); a reviewer outside the unit returns it (reason required) or accepts it.
	 */
	async transition(report: ProjectReportRecord, user: UserRecord, version: number, action: ReportTransition, reason: string): Promise<void> {
		const rule = reportTransitions[action];
		if (rule.actor === 'unit' && !this.isReporter(report, user)) throw new ReportError('not_reporter', 'Only the reporting unit submits its report.');
		// A unit typed by the person themselves proves nothing for them, but counts against them as a reviewer.
		if (rule.actor === 'reviewer' && this.isOwnUnit(report, user)) throw new ReportError('own_unit', 'A reviewer of the reporting unit cannot review its own report.');
		if (!(rule.from as readonly ReportStatus[]).includes(report.status)) throw new ReportError('wrong_status', `${action} is not possible from ${report.status}.`);
		let figures: Record<string, ReportFigure> | undefined;
		if (action === 'submit') {
			const problems = figureProblems(ProjectReports.values(report), true);
			if (problems.length > 0) throw new ReportError('incomplete', `The report is not complete: ${problems.map((p) => `${p.key} (${p.reason})`).join(', ')}.`);
			const n = report.submissions + 1;
			figures = Object.fromEntries(Object.entries(report.figures).map(([k, f]) => [k, f.submission === null ? { ...f, submission: n } : f]));
		}
		const event = { id: randomId(12), reportId: report.id, kind: action, fromStatus: report.status, toStatus: rule.to, reason, byUser: user.id, at: this.now() };
		if (!(await this.store.transition(report.id, version, rule.from, event, figures))) throw new ReportError('stale', 'Someone else changed the report first.');
	}

	/**
	 * Checks (and with `commit`, saves) figures read from the round's XLSX template: every row must be a
	 * report of the round the caller fills in and still open, and every value must pass the same checks
	 * as a save. All rows or none: one problem anywhere and nothing is saved.
	 */
	async importFigures(round: ReportRoundRecord, user: UserRecord, table: readonly string[][], commit: boolean): Promise<ReportImport> {
		const [header, ...body] = table;
		const columns = header ? readHeader(header) : 'no_header';
		if (typeof columns === 'string') return { fileProblem: columns, rows: [], rejectedRows: 0, saved: 0 };
		if (body.length === 0) return { fileProblem: 'no_rows', rows: [], rejectedRows: 0, saved: 0 };
		// The reader keeps a row more than this (main.ts), so a longer sheet shows here instead of being cut short.
		if (body.length > maxImportRows) return { fileProblem: 'too_many_rows', rows: [], rejectedRows: 0, saved: 0 };
		const reports = new Map((await this.store.reports(round.id)).map((r) => [r.id, r]));
		const seen = new Set<string>();
		const at = this.now();
		const saves: { id: string; version: number; figures: Record<string, ReportFigure> }[] = [];
		const rows: ImportRow[] = body.map((cells, i) => {
			const reportId = (cells[columns.idColumn] ?? '').trim();
			const row: ImportRow = { row: i + 2, reportId, problems: [] };
			const report = reports.get(reportId);
			if (report === undefined) row.problems.push({ column: reportIdHeader, reason: 'unknown_report' });
			else if (!this.isReporter(report, user)) row.problems.push({ column: reportIdHeader, reason: 'not_yours' });
			else if (!isOpen(report.status)) row.problems.push({ column: reportIdHeader, reason: 'locked' });
			else if (seen.has(reportId)) row.problems.push({ column: reportIdHeader, reason: 'duplicate' });
			if (row.problems.length > 0 || report === undefined) return row;
			seen.add(reportId);
			const values: Record<string, FigureValue> = {};
			for (const [column, key] of columns.figures) {
				const v = cellValue(figureDefs.find((d) => d.key === key)!.kind, cells[column] ?? '');
				if (v !== undefined) values[key] = v;
			}
			for (const p of problemsOfChange(report, values)) row.problems.push({ column: figureHeaderZh[p.key as FigureKey], reason: p.reason });
			const figures = changedFigures(report, user, values, at);
			if (figures !== null) saves.push({ id: report.id, version: report.version, figures });
			return row;
		});
		const rejectedRows = rows.filter((r) => r.problems.length > 0).length;
		if (!commit || rejectedRows > 0) return { fileProblem: null, rows, rejectedRows, saved: 0 };
		if (saves.length > 0 && !(await this.store.saveMany(saves, at))) throw new ReportError('stale', 'A report changed while the workbook was read.');
		return { fileProblem: null, rows, rejectedRows: 0, saved: saves.length };
	}

	/** The rows of the round's template for `user`: the reports they fill in that are still open. */
	async templateRows(round: ReportRoundRecord, user: UserRecord): Promise<TemplateRow[]> {
		const projects = new Map((await this.conferences.listProjects(round.conferenceId)).map((p) => [p.id, p]));
		return (await this.store.reports(round.id))
			.filter((r) => this.isReporter(r, user) && isOpen(r.status))
			.map((r) => ({ reportId: r.id, code: projects.get(r.projectId)?.code ?? '', name: projects.get(r.projectId)?.name ?? '', unit: r.unit, values: ProjectReports.values(r) }));
	}

	evidenceOf(reportId: string) {
		return this.store.evidenceOf(reportId);
	}

	evidence(id: string) {
		return this.store.evidence(id);
	}

	readEvidence(id: string) {
		return this.files.read(id);
	}

	events(reportId: string) {
		return this.store.events(reportId);
	}
}
