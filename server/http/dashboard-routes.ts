import { createRoute, z } from '@hono/zod-openapi';
import { honorSettingsSchema } from '../../src/lib/shared/honor-board.js';
import { lampThresholdsSchema } from '../../src/lib/shared/kpi.js';
import { entityIdSchema } from '../../src/lib/shared/schemas.js';
import { can } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import type { Dashboard, SeriesPoint, StageOne } from '../domain/dashboard.js';
import { dashboardWorkbook } from '../domain/exports/dashboard-xlsx.js';
import type { ProjectReports } from '../domain/reports.js';
import type { ConferenceStore, HonorBoardRecord, UserRecord, UserStore } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { downloadHeaders } from './download.js';
import { errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';
import { personLookup } from './presenters.js';

export interface DashboardRoutesDeps {
	conferences: ConferenceStore;
	users: UserStore;
	access: AccessResolver;
	stageOne: StageOne;
	reports: ProjectReports;
	audit: Auditor;
	/** Announces the conference's dashboard changed (its lamp rule): open pages fetch it again. */
	announce: (conferenceId: string) => void;
}

const idParams = z.object({ id: entityIdSchema });
const roundQuery = z.object({ round: entityIdSchema.optional() });
const loose = z.record(z.string(), z.unknown());

const routes = {
	dashboard: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/dashboard',
		summary:
			"Stage one (第一阶段 总体评价): the accepted reports' 开工率, 竣工率, 年度投资完成率 (against 序时) and 资金支付率 in total, by sector, by region and by round, each project's lamp by the conference's rule, and its breakout, linked analyses, resolutions and ledger rows; over the breakouts the caller may read. round: a reporting round (default the latest)",
		request: { params: idParams, query: roundQuery },
		responses: { 200: { description: 'The dashboard', ...json(loose) }, ...errorResponses(400, 401, 404) }
	}),
	workbook: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/dashboard.xlsx',
		summary: "The dashboard's figures as XLSX: by sector, by region, each project's lamp with its rule, the rounds over time, and how each indicator is computed",
		request: { params: idParams, query: roundQuery },
		responses: { 200: { description: 'The workbook' }, ...errorResponses(400, 401, 404) }
	}),
	honorBoard: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/honor-board',
		summary: "红黑榜 as the conference's rule computes it now from the round's accepted reports (default the latest round), with each entry's figures, score and reasons; the rule and excusals; the boards published",
		request: { params: idParams, query: roundQuery },
		responses: { 200: { description: 'The board', ...json(loose) }, ...errorResponses(400, 401, 404) }
	}),
	honorSettings: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/honor-settings',
		summary: 'The 红黑榜 rule (organizers): thresholds, conditions, top and bottom N, tracks (all or by sector), the SPI weight of the score; and the projects excused for force majeure, each with its reason',
		request: { params: idParams, body: { ...json(honorSettingsSchema), required: true } },
		responses: { 200: { description: 'The rule now', ...json(loose) }, ...errorResponses(400, 401, 403, 404) }
	}),
	publishHonorBoard: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/honor-boards',
		summary: "Publish the round's 红黑榜 into the minutes (organizers): computed now over every project and frozen with its rule; later changes of rule or figures do not touch it",
		request: { params: idParams, body: { ...json(z.object({ roundId: entityIdSchema })), required: true } },
		responses: { 201: { description: 'The published board', ...json(loose) }, 200: { description: 'The same board, published before (created: false)', ...json(loose) }, ...errorResponses(400, 401, 403, 404) }
	}),
	thresholds: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/lamp-thresholds',
		summary: 'The lamp rule (organizers): points against 序时 below which a lamp is amber (amberBelow) and red (redBelow), one decimal, redBelow < amberBelow',
		request: { params: idParams, body: { ...json(lampThresholdsSchema), required: true } },
		responses: { 200: { description: 'The rule now', ...json(loose) }, ...errorResponses(400, 401, 403, 404) }
	})
};

const iso = (t: number) => new Date(t).toISOString();
const presentBoard = (b: HonorBoardRecord) => ({ id: b.id, roundId: b.roundId, roundTitle: b.roundTitle, periodEnd: b.periodEnd, settings: b.settings, thresholds: b.thresholds, tracks: b.tracks, publishedAt: iso(b.publishedAt) });
const roundOut = (r: { id: string; title: string; periodEnd: string; deadline: string; createdAt: number }) => ({ id: r.id, title: r.title, periodEnd: r.periodEnd, deadline: r.deadline, createdAt: iso(r.createdAt) });

const seriesOut = (s: SeriesPoint) => ({ round: roundOut(s.round), timeElapsed: s.timeElapsed, total: s.total, bySector: s.bySector });

/** The dashboard as the browser takes it. */
function present(d: Dashboard) {
	return {
		round: d.round && { ...roundOut(d.round), timeElapsed: d.round.timeElapsed },
		rounds: d.rounds.map(roundOut),
		thresholds: d.thresholds,
		pending: d.pending,
		total: d.total,
		bySector: d.bySector,
		byRegion: d.byRegion,
		series: d.series.map(seriesOut),
		previous: d.previous && { conferenceId: d.previous.conferenceId, title: d.previous.title, series: d.previous.series.map(seriesOut) },
		projects: d.projects.map((p) => ({
			id: p.project.id,
			code: p.project.code,
			name: p.project.name,
			sector: p.project.sector,
			region: p.project.region,
			breakout: p.breakout && { id: p.breakout.id, name: p.breakout.name },
			report: p.report,
			derived: p.derived,
			lamp: p.lamp,
			documents: p.documents,
			resolutions: p.resolutions
		}))
	};
}

export function dashboardRoutes(deps: DashboardRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);
	const personOf = personLookup(deps.users);

	async function dashboard(user: UserRecord, conferenceId: string, round: string | undefined) {
		const { conference } = await authorize(user, conferenceId, 'conference.read');
		const readable = await deps.access.readableBreakouts(user, conference.id);
		const d = await deps.stageOne.view(conference.id, round ?? null, readable);
		if (d === null) throw errors.notFound('round');
		return { conference, d };
	}

	app.openapi(routes.dashboard, async (c) => {
		const { user } = requireSession(c);
		const { conference, d } = await dashboard(user, c.req.valid('param').id, c.req.valid('query').round);
		const scope = { kind: 'conference', conferenceId: conference.id } as const;
		return c.json({ ...present(d), mayConfigure: can(await deps.access.subject(user, scope), 'conference.manage', scope) }, 200);
	});

	app.openapi(routes.workbook, async (c) => {
		const { user } = requireSession(c);
		const { conference, d } = await dashboard(user, c.req.valid('param').id, c.req.valid('query').round);
		const book = await dashboardWorkbook(conference.title, d);
		await deps.audit.record('export.downloaded', { actor: user, conferenceId: conference.id, target: 'dashboard.xlsx' });
		return c.body(new Uint8Array(book), 200, downloadHeaders(`${conference.title}第一阶段总体情况.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'));
	});

	app.openapi(routes.thresholds, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.manage');
		const t = c.req.valid('json');
		await deps.reports.setThresholds(id, user, t);
		deps.announce(id);
		await deps.audit.record('reports.lamp_rule_changed', { actor: user, conferenceId: id, target: '灯号规则', detail: `黄灯低于${t.amberBelow}，红灯低于${t.redBelow}` });
		return c.json(await deps.reports.thresholds(id), 200);
	});

	app.openapi(routes.honorBoard, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.read');
		const readable = await deps.access.readableBreakouts(user, conference.id);
		const [board, published, settings] = await Promise.all([
			deps.stageOne.honorBoard(conference.id, c.req.valid('query').round ?? null, readable),
			deps.stageOne.honorBoards(conference.id),
			deps.stageOne.honorSettings(conference.id)
		]);
		if (board === null && c.req.valid('query').round !== undefined) throw errors.notFound('round');
		const scope = { kind: 'conference', conferenceId: conference.id } as const;
		const mayConfigure = can(await deps.access.subject(user, scope), 'conference.manage', scope);
		// Excusals name projects and reasons: others see those of the projects they may read.
		const readableProjects = new Set((await deps.conferences.listProjects(conference.id)).filter((p) => readable.has(p.breakoutId)).map((p) => p.id));
		const excused = mayConfigure ? settings.excused : settings.excused.filter((e) => readableProjects.has(e.projectId));
		return c.json(
			{
				round: board && roundOut(board.round),
				accepted: board?.accepted ?? 0,
				tracks: board?.tracks ?? [],
				settings: { ...settings, excused },
				thresholds: board?.thresholds ?? (await deps.reports.thresholds(conference.id)),
				// The latest in full (the minutes' attachment); earlier ones by who published what, when.
				published: await Promise.all(
					published.map(async (b, i) => {
						const publishedBy = await personOf(b.publishedBy);
						return i === 0 ? { ...presentBoard(b), publishedBy } : { id: b.id, roundId: b.roundId, roundTitle: b.roundTitle, periodEnd: b.periodEnd, publishedAt: iso(b.publishedAt), publishedBy };
					})
				),
				mayConfigure
			},
			200
		);
	});

	app.openapi(routes.honorSettings, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.manage');
		const settings = c.req.valid('json');
		await deps.stageOne.setHonorSettings(id, user, settings).catch((err: unknown) => {
			throw err instanceof RangeError ? errors.validation(`excused: ${err.message}`) : err;
		});
		deps.announce(id);
		await deps.audit.record('reports.honor_rules_changed', { actor: user, conferenceId: id, target: '红黑榜规则', detail: `红榜前${settings.rules.topN}名，黑榜后${settings.rules.bottomN}名，免责${settings.excused.length}项` });
		return c.json(await deps.stageOne.honorSettings(id), 200);
	});

	app.openapi(routes.publishHonorBoard, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.manage');
		const published = await deps.stageOne.publishHonorBoard(id, c.req.valid('json').roundId, user).catch((err: unknown) => {
			throw err instanceof RangeError ? errors.validation(`roundId: ${err.message}`) : err;
		});
		if (published === null) throw errors.notFound('round');
		const { board, created } = published;
		if (created) {
			deps.announce(id);
			await deps.audit.record('reports.honor_board_published', { actor: user, conferenceId: id, target: board.roundTitle, detail: board.tracks.map((t) => `红榜${t.red.length}项、黑榜${t.black.length}项`).join('；') });
		}
		// The same board published before: that one, 200, nothing new.
		const body = { ...presentBoard(board), publishedBy: await personOf(board.publishedBy), created };
		return created ? c.json(body, 201) : c.json(body, 200);
	});

	return app;
}
