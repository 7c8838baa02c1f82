import { createRoute, z } from '@hono/zod-openapi';
import type { AuditAction } from '../../src/lib/shared/audit-actions.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import {
	type ReportTransition,
	derivedIndicators,
	isOpen,
	figureDefs,
	lampOf,
	reportSaveSchema,
	reportTransitionNames,
	roundCreateSchema,
	timeElapsedPercent
} from '../../src/lib/shared/project-report.js';
import type { LampThresholds } from '../../src/lib/shared/kpi.js';
import { entityIdSchema } from '../../src/lib/shared/schemas.js';
import { isBlank } from '../../src/lib/shared/text.js';
import { can } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import { safeFileName } from '../domain/evidence.js';
import { reportTemplate } from '../domain/exports/report-template.js';
import { ProjectReports, ReportError, type ReportView } from '../domain/reports.js';
import { XlsxRefusal } from '../domain/xlsx-table-reader.js';
import type { ConferenceStore, ProjectRecord, UserRecord, UserStore } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { downloadHeaders } from './download.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { formWithUploads } from './uploads.js';
import { errorResponses, json, router } from './openapi.js';
import { personLookup } from './presenters.js';

export interface ReportRoutesDeps {
	conferences: ConferenceStore;
	users: UserStore;
	access: AccessResolver;
	reports: ProjectReports;
	audit: Auditor;
	/** Announces a change of a round to the conference's open pages (they fetch what they may see). */
	announce: (conferenceId: string, roundId: string) => void;
	/** Announces a step that moves the stage-one figures (a report accepted or returned). */
	announceDashboard: (conferenceId: string) => void;
	/** The first sheet of an uploaded workbook as rows of text (off the event loop); throws XlsxRefusal. */
	readXlsx: (bytes: Uint8Array) => Promise<string[][]>;
}

const idParams = z.object({ id: entityIdSchema });
const loose = z.record(z.string(), z.unknown());

const routes = {
	rounds: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/report-rounds',
		summary: 'Reporting rounds (项目执行报告) of the conference, newest first, with counts by status and the overdue reports as of today (Beijing time)',
		request: { params: idParams },
		responses: { 200: { description: 'Rounds', ...json(loose) }, ...errorResponses(401, 404) }
	}),
	openRound: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/report-rounds',
		summary:
			'Open a reporting round (organizers): title, periodEnd (报告期截止, YYYY-MM-DD), deadline (YYYY-MM-DD, Beijing time), and assignments of projects to reporting units (omitted: every project, by its 建设单位)',
		request: { params: idParams, body: { ...json(roundCreateSchema), required: true } },
		responses: { 201: { description: 'The round', ...json(loose) }, ...errorResponses(400, 401, 403, 404) }
	}),
	round: createRoute({
		method: 'get',
		path: '/api/report-rounds/{id}',
		summary: 'One round with the reports the caller may see: reviewers see every report, a reporting unit its own, everyone the accepted ones',
		request: { params: idParams },
		responses: { 200: { description: 'The round', ...json(loose) }, ...errorResponses(401, 404) }
	}),
	report: createRoute({
		method: 'get',
		path: '/api/project-reports/{id}',
		summary: 'One report: its figures with their provenance (who entered each, when, in which submission, the evidence of its section), the derived indicators, evidence and history',
		request: { params: idParams },
		responses: { 200: { description: 'The report', ...json(loose) }, ...errorResponses(401, 404) }
	}),
	save: createRoute({
		method: 'put',
		path: '/api/project-reports/{id}',
		summary: 'Save figures of a draft or returned report (the reporting unit): the changed values and the version they are based on (409 conflict when someone saved first)',
		request: { params: idParams, body: { ...json(reportSaveSchema), required: true } },
		responses: { 200: { description: 'The report', ...json(loose) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	evidence: createRoute({
		method: 'post',
		path: '/api/project-reports/{id}/evidence',
		summary: 'Evidence for one section of the report (multipart/form-data: section, files; PDF, OFD, DOCX, XLSX, PNG, JPEG, 20 MB each, checked by content). All or nothing',
		request: { params: idParams },
		responses: { 201: { description: 'The report', ...json(loose) }, ...errorResponses(400, 401, 403, 404, 409, 413) }
	}),
	transition: createRoute({
		method: 'post',
		path: '/api/project-reports/{id}/transitions',
		summary: 'A step: submit (the reporting unit; every required figure filled in), return (退回, with a reason) or accept — reviewers (supervisors, organizers) not of the reporting unit',
		request: {
			params: idParams,
			body: {
				...json(z.object({ action: z.enum(reportTransitionNames as unknown as [ReportTransition, ...ReportTransition[]]), version: z.number().int().min(0), reason: z.string().trim().max(500).default('') })),
				required: true
			}
		},
		responses: { 200: { description: 'The report', ...json(loose) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	template: createRoute({
		method: 'get',
		path: '/api/report-rounds/{id}/template.xlsx',
		summary: "The round's XLSX template for the caller's unit: one row per report it fills in that is still open, with the figures entered so far",
		request: { params: idParams },
		responses: { 200: { description: 'The workbook' }, ...errorResponses(401, 404) }
	}),
	import: createRoute({
		method: 'post',
		path: '/api/report-rounds/{id}/import',
		summary:
			'Figures from a filled-in template (the XLSX file as the body). With check=1 nothing is saved: every row with its problems. Otherwise all rows or none: 400 import_rejected when any row has a problem',
		request: {
			params: idParams,
			query: z.object({ check: z.enum(['0', '1']).default('0') }),
			body: { content: { 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) } }, required: true }
		},
		responses: { 200: { description: 'Checked or saved: the rows and their problems', ...json(loose) }, ...errorResponses(400, 401, 404, 409, 413) }
	}),
	file: createRoute({
		method: 'get',
		path: '/api/report-evidence/{id}',
		summary: 'An evidence file of a report, as an attachment, to those who may see the report',
		request: { params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }) },
		responses: { 200: { description: 'The file' }, ...errorResponses(401, 404) }
	})
};

const statusOf: Record<ReportError['code'], [400 | 403 | 409, string]> = {
	wrong_status: [409, ErrorCode.reportStatus],
	stale: [409, ErrorCode.conflict],
	bad_figures: [400, ErrorCode.validationFailed],
	incomplete: [409, ErrorCode.reportIncomplete],
	bad_file: [400, ErrorCode.evidenceRejected],
	not_reporter: [403, ErrorCode.notResponsibleUnit],
	own_unit: [403, ErrorCode.ownUnit],
	bad_assignment: [400, ErrorCode.validationFailed]
};

function reportFailure(err: unknown): never {
	if (err instanceof ReportError) {
		const [status, code] = statusOf[err.code];
		throw new AppError(status, code, err.message);
	}
	throw err;
}

const stepAudit: Record<ReportTransition, AuditAction> = { submit: 'reports.submitted', return: 'reports.returned', accept: 'reports.accepted' };
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function reportRoutes(deps: ReportRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);
	const personOf = personLookup(deps.users);

	async function rights(user: UserRecord, conferenceId: string) {
		const subject = await deps.access.subject(user, { kind: 'conference', conferenceId });
		const scope = { kind: 'conference', conferenceId } as const;
		return { review: can(subject, 'reports.review', scope), manage: can(subject, 'conference.manage', scope) };
	}

	/** Reviewers see every report; the reporting unit its own; every member the accepted ones of the breakouts they may see. */
	const visible = (v: ReportView, project: ProjectRecord | null | undefined, user: UserRecord, review: boolean, readable: { has(breakoutId: string): boolean }) =>
		review || deps.reports.isReporter(v.report, user) || (v.report.status === 'accepted' && project != null && readable.has(project.breakoutId));

	function row(v: ReportView, project: ProjectRecord | undefined, user: UserRecord, review: boolean, rule: LampThresholds) {
		const derived = derivedIndicators(ProjectReports.values(v.report), v.round.periodEnd);
		const reporter = deps.reports.isReporter(v.report, user);
		return {
			id: v.report.id,
			roundId: v.round.id,
			project: project ? { id: project.id, name: project.name, code: project.code, sector: project.sector, region: project.region, breakoutId: project.breakoutId } : null,
			unit: v.report.unit,
			status: v.report.status,
			overdue: v.overdue,
			version: v.report.version,
			submissions: v.report.submissions,
			updatedAt: iso(v.report.updatedAt),
			decidedAt: iso(v.report.decidedAt),
			derived,
			lamp: lampOf(derived.deviation, rule.amberBelow, rule.redBelow),
			mine: reporter,
			mayEdit: reporter && isOpen(v.report.status),
			mayReview: review && !deps.reports.isOwnUnit(v.report, user) && v.report.status === 'submitted'
		};
	}

	async function visibleReport(user: UserRecord, id: string) {
		const v = await deps.reports.report(id);
		if (v === null) throw errors.notFound('report');
		await authorize(user, v.report.conferenceId, 'conference.read').catch(() => {
			throw errors.notFound('report');
		});
		const [r, project, readable] = await Promise.all([rights(user, v.report.conferenceId), deps.conferences.getProject(v.report.projectId), deps.access.readableBreakouts(user, v.report.conferenceId)]);
		if (!visible(v, project, user, r.review, readable)) throw errors.notFound('report');
		return { v, project, rights: r };
	}

	async function detail(user: UserRecord, id: string) {
		const { v, project, rights: r } = await visibleReport(user, id);
		const [evidence, events, rule] = await Promise.all([deps.reports.evidenceOf(id), deps.reports.events(id), deps.reports.thresholds(v.report.conferenceId)]);
		const evidenceOut = await Promise.all(
			evidence.map(async (e) => ({ id: e.id, section: e.section, name: e.name, size: e.size, mime: e.mime, at: new Date(e.at).toISOString(), by: await personOf(e.byUser) }))
		);
		const accepted = v.report.status === 'accepted' ? { by: await personOf(v.report.decidedBy), at: iso(v.report.decidedAt) } : null;
		return {
			...row(v, project ?? undefined, user, r.review, rule),
			thresholds: rule,
			round: { id: v.round.id, title: v.round.title, periodEnd: v.round.periodEnd, deadline: v.round.deadline, timeElapsed: timeElapsedPercent(v.round.periodEnd) },
			figures: await Promise.all(
				figureDefs.map(async (d) => {
					const f = v.report.figures[d.key];
					return {
						key: d.key,
						value: f?.value ?? null,
						by: f ? await personOf(f.by) : null,
						at: f ? new Date(f.at).toISOString() : null,
						submission: f?.submission ?? null,
						evidence: evidenceOut.filter((e) => e.section === d.section).map((e) => e.id)
					};
				})
			),
			accepted,
			evidence: evidenceOut,
			events: await Promise.all(events.map(async (e) => ({ kind: e.kind, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason, at: new Date(e.at).toISOString(), by: await personOf(e.byUser) })))
		};
	}

	app.openapi(routes.rounds, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.read');
		const [rounds, r] = await Promise.all([deps.reports.rounds(conference.id), rights(user, conference.id)]);
		const out = await Promise.all(
			rounds.map(async (round) => {
				const views = await deps.reports.reportsOf(round);
				const count = (f: (v: ReportView) => boolean) => views.filter(f).length;
				return {
					id: round.id,
					title: round.title,
					periodEnd: round.periodEnd,
					deadline: round.deadline,
					createdAt: new Date(round.createdAt).toISOString(),
					total: views.length,
					counts: {
						draft: count((v) => v.report.status === 'draft'),
						submitted: count((v) => v.report.status === 'submitted'),
						returned: count((v) => v.report.status === 'returned'),
						accepted: count((v) => v.report.status === 'accepted')
					},
					overdue: count((v) => v.overdue),
					mine: count((v) => deps.reports.isReporter(v.report, user)),
					mineOpen: count((v) => deps.reports.isReporter(v.report, user) && isOpen(v.report.status)),
					/** Submitted reports the caller may review (not of their own unit). */
					toReview: r.review ? count((v) => v.report.status === 'submitted' && !deps.reports.isOwnUnit(v.report, user)) : 0
				};
			})
		);
		return c.json({ rounds: out, today: deps.reports.today(), mayManage: r.manage, mayReview: r.review }, 200);
	});

	app.openapi(routes.openRound, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.manage');
		const input = c.req.valid('json');
		const round = await deps.reports.openRound(id, user, input).catch(reportFailure);
		deps.announce(id, round.id);
		await deps.audit.record('reports.round_opened', { actor: user, conferenceId: id, target: round.title, detail: `截止${round.deadline}` });
		return c.json({ id: round.id }, 201);
	});

	app.openapi(routes.round, async (c) => {
		const { user } = requireSession(c);
		const round = await visibleRound(user, c.req.valid('param').id);
		const [views, projects, r, readable, rule] = await Promise.all([
			deps.reports.reportsOf(round),
			deps.conferences.listProjects(round.conferenceId),
			rights(user, round.conferenceId),
			deps.access.readableBreakouts(user, round.conferenceId),
			deps.reports.thresholds(round.conferenceId)
		]);
		const byId = new Map(projects.map((p) => [p.id, p]));
		const rows = views.filter((v) => visible(v, byId.get(v.report.projectId), user, r.review, readable)).map((v) => row(v, byId.get(v.report.projectId), user, r.review, rule));
		rows.sort((a, b) => (a.project?.code ?? '').localeCompare(b.project?.code ?? '') || a.id.localeCompare(b.id));
		return c.json(
			{
				round: { id: round.id, title: round.title, periodEnd: round.periodEnd, deadline: round.deadline, timeElapsed: timeElapsedPercent(round.periodEnd), conferenceId: round.conferenceId },
				reports: rows,
				thresholds: rule,
				hidden: views.length - rows.length,
				today: deps.reports.today(),
				mayReview: r.review
			},
			200
		);
	});

	app.openapi(routes.report, async (c) => {
		const { user } = requireSession(c);
		return c.json(await detail(user, c.req.valid('param').id), 200);
	});

	app.openapi(routes.save, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const { version, values } = c.req.valid('json');
		const { v } = await visibleReport(user, id);
		await deps.reports.save(v.report, user, version, values).catch(reportFailure);
		deps.announce(v.report.conferenceId, v.round.id);
		return c.json(await detail(user, id), 200);
	});

	app.openapi(routes.evidence, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const { v } = await visibleReport(user, id);
		const { field, uploads } = await formWithUploads(c);
		const section = field('section') ?? '';
		await deps.reports.addEvidence(v.report, user, section, uploads).catch(reportFailure);
		deps.announce(v.report.conferenceId, v.round.id);
		await deps.audit.record('reports.evidence_added', { actor: user, conferenceId: v.report.conferenceId, target: v.report.id, detail: uploads.map((u) => safeFileName(u.name)).join('、').slice(0, 500) });
		return c.json(await detail(user, id), 201);
	});

	app.openapi(routes.transition, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const { action, version, reason } = c.req.valid('json');
		const { v, rights: r } = await visibleReport(user, id);
		if (action !== 'submit' && !r.review) throw errors.forbidden();
		if (action === 'return' && isBlank(reason)) throw errors.validation('reason: say why the report is returned.');
		await deps.reports.transition(v.report, user, version, action, reason).catch(reportFailure);
		deps.announce(v.report.conferenceId, v.round.id);
		if (action !== 'submit') deps.announceDashboard(v.report.conferenceId);
		await deps.audit.record(stepAudit[action], { actor: user, conferenceId: v.report.conferenceId, target: v.report.id, detail: reason });
		return c.json(await detail(user, id), 200);
	});

	/** The round, to a member of its conference (else 404). */
	async function visibleRound(user: UserRecord, id: string) {
		const round = await deps.reports.round(id);
		if (round === null) throw errors.notFound('round');
		await authorize(user, round.conferenceId, 'conference.read').catch(() => {
			throw errors.notFound('round');
		});
		return round;
	}

	app.openapi(routes.template, async (c) => {
		const { user } = requireSession(c);
		const round = await visibleRound(user, c.req.valid('param').id);
		const book = await reportTemplate(round.title, await deps.reports.templateRows(round, user));
		return c.body(new Uint8Array(book), 200, downloadHeaders(`${round.title}填报模板.xlsx`, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'));
	});

	app.openapi(routes.import, async (c) => {
		const { user } = requireSession(c);
		const round = await visibleRound(user, c.req.valid('param').id);
		const check = c.req.valid('query').check === '1';
		const bytes = new Uint8Array(await c.req.arrayBuffer());
		let table: string[][];
		try {
			table = await deps.readXlsx(bytes);
		} catch (err) {
			if (!(err instanceof XlsxRefusal)) throw err;
			if (check) return c.json({ fileProblem: err.problem, rows: [], rejectedRows: 0, saved: 0 }, 200);
			throw new AppError(400, ErrorCode.importRejected, `Nothing was imported: the file is ${err.problem}.`);
		}
		const result = await deps.reports.importFigures(round, user, table, !check).catch(reportFailure);
		if (!check && (result.fileProblem !== null || result.rejectedRows > 0)) {
			throw new AppError(400, ErrorCode.importRejected, `Nothing was imported (${result.fileProblem ?? `${result.rejectedRows} rows with problems`}); check the file to see each problem.`);
		}
		if (!check) {
			deps.announce(round.conferenceId, round.id);
			await deps.audit.record('reports.imported', { actor: user, conferenceId: round.conferenceId, target: round.title, detail: `${result.saved}份报告` });
		}
		return c.json(result, 200);
	});

	app.openapi(routes.file, async (c) => {
		const { user } = requireSession(c);
		const e = await deps.reports.evidence(c.req.valid('param').id);
		if (e === null) throw errors.notFound('file');
		await visibleReport(user, e.reportId).catch(() => {
			throw errors.notFound('file');
		});
		const bytes = await deps.reports.readEvidence(e.id);
		return c.body(new Uint8Array(bytes), 200, { ...downloadHeaders(e.name, e.mime), 'Content-Security-Policy': "default-src 'none'; sandbox" });
	});

	return app;
}
