import { type KpiSet, type LampThresholds, groupKpis, kpiSet } from '../../src/lib/shared/kpi.js';
import { type DerivedIndicators, type FigureValue, type Lamp, derivedIndicators, lampOf, timeElapsedPercent } from '../../src/lib/shared/project-report.js';
import { sectors } from '../../src/lib/shared/schemas.js';
import { type HonorSettings, defaultHonorRules, honorBoard, honorSettingsSchema } from '../../src/lib/shared/honor-board.js';
import { createHash } from 'node:crypto';
import { randomId } from '../auth/tokens.js';
import type { BreakoutRecord, ConferenceStore, DocumentStore, HonorBoardRecord, ProjectRecord, ReportRoundRecord, ReportStore, UserRecord } from '../storage/types.js';
import { type Ledger, type LedgerItem, breakoutIn } from './ledger.js';
import { ProjectReports, type ReportView } from './reports.js';

/** What a published board says (its round, rules and entries), as a hash: the same board twice is one. */
const contentHash = (b: HonorBoardRecord) => createHash('sha256').update(JSON.stringify([b.roundId, b.settings, b.thresholds, b.tracks])).digest('hex');

/** Rounds oldest first: by the end of the period reported on, then by when they were opened. */
const byPeriod = (a: ReportRoundRecord, b: ReportRoundRecord) => a.periodEnd.localeCompare(b.periodEnd) || a.createdAt - b.createdAt;

/**
 * The round shown unless one is asked for: the latest with an accepted report (a round just opened
 * would show the venue nothing), else the latest. `oldestFirst` as `byPeriod` sorts them.
 */
const defaultRound = (oldestFirst: readonly ReportRoundRecord[], hasAccepted: (r: ReportRoundRecord) => boolean) =>
	[...oldestFirst].reverse().find(hasAccepted) ?? oldestFirst.at(-1) ?? null;

/** Red lamps first, then amber, green, and the projects without one. */
const severity = (lamp: Lamp | null) => (lamp === null ? 3 : { red: 0, amber: 1, green: 2 }[lamp]);

/** A project on the dashboard: its lamp in the round shown, and where the conference took it up. */
export interface DashboardProject {
	project: ProjectRecord;
	breakout: BreakoutRecord | null;
	/** The round's report of it, if it has one; its figures count only once accepted. */
	report: { id: string; status: string } | null;
	derived: DerivedIndicators | null;
	lamp: Lamp | null;
	/** Analyses and plans linked to the project. */
	documents: { id: string; title: string; kind: string }[];
	/** Resolutions from those documents, with their ledger rows. */
	resolutions: { proposalId: string; number: string; ledgerNumber: string; title: string; status: LedgerItem['status']; percent: number; deadline: string }[];
}

export interface SeriesPoint {
	round: ReportRoundRecord;
	timeElapsed: number;
	total: KpiSet;
	bySector: (KpiSet & { label: string })[];
}

export interface Dashboard {
	round: (ReportRoundRecord & { timeElapsed: number }) | null;
	rounds: ReportRoundRecord[];
	thresholds: LampThresholds & { custom: boolean };
	/** Reports of the round not (yet) accepted, which the figures leave out. */
	pending: number;
	total: KpiSet | null;
	bySector: (KpiSet & { label: string })[];
	byRegion: (KpiSet & { label: string })[];
	/** Each round's totals and by sector, oldest first: the same projects' figures over time. */
	series: SeriesPoint[];
	/** The conference this one follows (last year's), its rounds over the same projects (by 项目代码): the two years compared. */
	previous: { conferenceId: string; title: string; series: SeriesPoint[] } | null;
	projects: DashboardProject[];
}

/**
 * The stage-one dashboard (第一阶段 宏观回顾与总体评价): the indicators of the accepted reports by sector,
 * region and round, each project's lamp by the conference's rule, and from a project to its breakout,
 * the analyses and plans linked to it, their resolutions and ledger rows. Everything is computed from
 * the reports as they are: nothing is typed in.
 */
export class StageOne {
	constructor(
		private readonly reports: ProjectReports,
		private readonly store: ReportStore,
		private readonly conferences: ConferenceStore,
		private readonly documents: DocumentStore,
		private readonly ledger: Ledger,
		private readonly predecessorOf: (conferenceId: string) => Promise<string | null> = async () => null,
		private readonly now: () => number = Date.now
	) {}

	/** The conference's 红黑榜 rule and excusals (the demo rule of domain.md §7.9 until set). */
	async honorSettings(conferenceId: string): Promise<HonorSettings & { custom: boolean }> {
		const json = await this.store.honorSettings(conferenceId);
		const parsed = json === null ? null : honorSettingsSchema.safeParse(JSON.parse(json));
		return parsed?.success ? { ...parsed.data, custom: true } : { rules: defaultHonorRules, excused: [], custom: false };
	}

	/** Stores the rule and excusals; an excused project must be one of the conference's. */
	async setHonorSettings(conferenceId: string, user: UserRecord, settings: HonorSettings): Promise<void> {
		const projects = new Set((await this.conferences.listProjects(conferenceId)).map((p) => p.id));
		const stranger = settings.excused.find((e) => !projects.has(e.projectId));
		if (stranger !== undefined) throw new RangeError(`Project ${stranger.projectId} is not of this conference.`);
		if (new Set(settings.excused.map((e) => e.projectId)).size !== settings.excused.length) throw new RangeError('A project is excused twice.');
		await this.store.setHonorSettings(conferenceId, JSON.stringify(settings), user.id, this.now());
	}

	/** The 红黑榜 of the round's accepted reports of the projects in `readable`'s breakouts, by the conference's rules; null without such a round. */
	async honorBoard(conferenceId: string, roundId: string | null, readable: ReadonlyMap<string, BreakoutRecord>) {
		const [rounds, settings, thresholds, projects] = await Promise.all([
			this.reports.rounds(conferenceId),
			this.honorSettings(conferenceId),
			this.reports.thresholds(conferenceId),
			this.conferences.listProjects(conferenceId)
		]);
		const byId = new Map(projects.filter((p) => readable.has(p.breakoutId)).map((p) => [p.id, p]));
		const oldestFirst = [...rounds].sort(byPeriod);
		const acceptedOf = new Map(
			await Promise.all(oldestFirst.map(async (r) => [r.id, (await this.reports.reportsOf(r)).filter((v) => v.report.status === 'accepted' && byId.has(v.report.projectId))] as const))
		);
		const round = roundId === null ? defaultRound(oldestFirst, (r) => acceptedOf.get(r.id)!.length > 0) : (rounds.find((r) => r.id === roundId) ?? null);
		if (round === null) return null;
		const accepted = acceptedOf.get(round.id)!;
		const entries = accepted.map((v) => {
			const p = byId.get(v.report.projectId)!;
			return { projectId: p.id, reportId: v.report.id, code: p.code, name: p.name, sector: p.sector, values: ProjectReports.values(v.report) };
		});
		return { round, settings, thresholds, accepted: accepted.length, tracks: honorBoard(entries, round.periodEnd, settings, thresholds) };
	}

	/**
	 * Publishes the round's board as computed now, frozen (rule, lamp rule and figures as they are),
	 * over the projects of every breakout but the closed ones: the minutes are read by every member,
	 * and a closed breakout's projects are for its own members. Publishing the same board again
	 * (a double click, two organizers at once) gives the one already published.
	 */
	async publishHonorBoard(conferenceId: string, roundId: string, user: UserRecord): Promise<{ board: HonorBoardRecord; created: boolean } | null> {
		const open = new Map((await this.conferences.listBreakouts(conferenceId)).filter((b) => !b.closed).map((b) => [b.id, b]));
		const board = await this.honorBoard(conferenceId, roundId, open);
		if (board === null) return null;
		if (board.accepted === 0) throw new RangeError('The round has no accepted report: there is nothing to rank.');
		const record: HonorBoardRecord = {
			id: randomId(12),
			conferenceId,
			roundId: board.round.id,
			roundTitle: board.round.title,
			periodEnd: board.round.periodEnd,
			settings: { rules: board.settings.rules, excused: board.settings.excused },
			thresholds: { amberBelow: board.thresholds.amberBelow, redBelow: board.thresholds.redBelow },
			tracks: board.tracks,
			publishedBy: user.id,
			publishedAt: this.now()
		};
		const same = await this.store.publishHonorBoard(record, contentHash(record));
		return same === null ? { board: record, created: true } : { board: same, created: false };
	}

	honorBoards(conferenceId: string): Promise<HonorBoardRecord[]> {
		return this.store.honorBoards(conferenceId);
	}

	/**
	 * The dashboard of `roundId` (default: see `defaultRound`), over the projects of the breakouts in
	 * `readable` only: a member sees the figures of what they may read, aggregates included.
	 */
	async view(conferenceId: string, roundId: string | null, readable: ReadonlyMap<string, BreakoutRecord>): Promise<Dashboard | null> {
		const [rounds, thresholds, allProjects, items] = await Promise.all([
			this.reports.rounds(conferenceId),
			this.reports.thresholds(conferenceId),
			this.conferences.listProjects(conferenceId),
			this.ledger.items(conferenceId)
		]);
		const oldestFirst = [...rounds].sort(byPeriod);
		const projects = allProjects.filter((p) => readable.has(p.breakoutId));
		const byId = new Map(projects.map((p) => [p.id, p]));

		const rows = (views: readonly ReportView[]) => views.filter((v) => v.report.status === 'accepted').map((v) => ({ project: byId.get(v.report.projectId)!, values: ProjectReports.values(v.report) }));
		// Each round's reports of the projects shown.
		const viewsOf = new Map(await Promise.all(oldestFirst.map(async (r) => [r.id, (await this.reports.reportsOf(r)).filter((v) => byId.has(v.report.projectId))] as const)));
		const series = oldestFirst.map((r) => this.point(r, rows(viewsOf.get(r.id)!), thresholds));
		const round = roundId === null ? defaultRound(oldestFirst, (r) => viewsOf.get(r.id)!.some((v) => v.report.status === 'accepted')) : (rounds.find((r) => r.id === roundId) ?? null);
		if (roundId !== null && round === null) return null;
		const views = round === null ? [] : viewsOf.get(round.id)!;
		const accepted = rows(views);
		const periodEnd = round?.periodEnd ?? '';
		const reportOf = new Map(views.map((v) => [v.report.projectId, { id: v.report.id, status: v.report.status, values: v.report.status === 'accepted' ? ProjectReports.values(v.report) : null }]));
		return {
			round: round && { ...round, timeElapsed: timeElapsedPercent(round.periodEnd) },
			rounds: oldestFirst,
			thresholds,
			pending: views.length - accepted.length,
			total: round && kpiSet(accepted.map((x) => x.values), periodEnd, thresholds),
			bySector: groupKpis(accepted, (x) => x.project.sector, (x) => x.values, periodEnd, thresholds, sectors),
			byRegion: groupKpis(accepted, (x) => x.project.region, (x) => x.values, periodEnd, thresholds),
			series,
			previous: await this.previous(conferenceId, projects, thresholds),
			projects: await this.projectRows(conferenceId, projects, readable, items, reportOf, periodEnd, thresholds)
		};
	}

	private point(r: ReportRoundRecord, accepted: readonly { project: ProjectRecord; values: Record<string, FigureValue> }[], thresholds: LampThresholds): SeriesPoint {
		return {
			round: r,
			timeElapsed: timeElapsedPercent(r.periodEnd),
			total: kpiSet(
				accepted.map((x) => x.values),
				r.periodEnd,
				thresholds
			),
			bySector: groupKpis(accepted, (x) => x.project.sector, (x) => x.values, r.periodEnd, thresholds, sectors)
		};
	}

	/** Last year's rounds, over its projects that are this year's shown ones (the same 项目代码), by this year's lamp rule. */
	private async previous(conferenceId: string, projects: readonly ProjectRecord[], thresholds: LampThresholds): Promise<Dashboard['previous']> {
		const id = await this.predecessorOf(conferenceId);
		const before = id === null ? null : await this.conferences.get(id);
		if (before === null) return null;
		const codes = new Set(projects.map((p) => p.code.trim()).filter(Boolean));
		const theirs = new Map((await this.conferences.listProjects(before.id)).filter((p) => codes.has(p.code.trim())).map((p) => [p.id, p]));
		const rounds = (await this.reports.rounds(before.id)).sort(byPeriod);
		const series = await Promise.all(
			rounds.map(async (r) => {
				const accepted = (await this.reports.reportsOf(r)).filter((v) => v.report.status === 'accepted' && theirs.has(v.report.projectId));
				return this.point(r, accepted.map((v) => ({ project: theirs.get(v.report.projectId)!, values: ProjectReports.values(v.report) })), thresholds);
			})
		);
		return { conferenceId: before.id, title: before.title, series };
	}

	private async projectRows(
		conferenceId: string,
		projects: readonly ProjectRecord[],
		readable: ReadonlyMap<string, BreakoutRecord>,
		items: readonly LedgerItem[],
		reportOf: ReadonlyMap<string, { id: string; status: string; values: Record<string, FigureValue> | null }>,
		periodEnd: string,
		thresholds: LampThresholds
	): Promise<DashboardProject[]> {
		// The documents of the readable breakouts (and the conference's own) that name a project.
		const parents = [{ kind: 'conference' as const, id: conferenceId }, ...[...readable.keys()].map((id) => ({ kind: 'breakout' as const, id }))];
		const docs = (await Promise.all(parents.map((p) => this.documents.listIn(p)))).flat().filter((d) => d.projectId !== null && (d.kind === 'analysis' || d.kind === 'plan'));
		return projects
			.map((project) => {
				const report = reportOf.get(project.id) ?? null;
				const derived = report?.values ? derivedIndicators(report.values, periodEnd) : null;
				const linked = docs.filter((d) => d.projectId === project.id);
				const sources = new Set(linked.map((d) => d.id));
				return {
					project,
					breakout: readable.get(project.breakoutId) ?? null,
					report: report && { id: report.id, status: report.status },
					derived,
					lamp: derived ? lampOf(derived.deviation, thresholds.amberBelow, thresholds.redBelow) : null,
					documents: linked.map((d) => ({ id: d.id, title: d.title, kind: d.kind })),
					resolutions: items
						.filter((i) => sources.has(i.resolution.proposal.sourceDocId) && readable.has(breakoutIn(i)))
						.map((i) => ({
							proposalId: i.resolution.proposal.id,
							number: i.resolution.number,
							ledgerNumber: i.resolution.ledgerNumber,
							title: i.resolution.title,
							status: i.status,
							percent: i.percent,
							deadline: i.deadline
						}))
				};
			})
			.sort((a, b) => severity(a.lamp) - severity(b.lamp) || (a.derived?.deviation ?? 0) - (b.derived?.deviation ?? 0) || a.project.code.localeCompare(b.project.code));
	}
}
