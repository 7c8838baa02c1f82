import { createRoute, z } from '@hono/zod-openapi';
import { agendaSchema, agendaWarnings } from '../../src/lib/shared/agenda.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { conferenceDetailsSchema, createProjectSchema, entityIdSchema, projectSchema } from '../../src/lib/shared/schemas.js';
import { type Scope, can } from '../auth/policy.js';
import { randomId } from '../auth/tokens.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import type { ConferenceProgram } from '../domain/program.js';
import type { ConferenceStore, ProjectRecord, UserRecord } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';

export interface ProgramRoutesDeps {
	conferences: ConferenceStore;
	access: AccessResolver;
	program: ConferenceProgram;
	audit: Auditor;
	/** Whether a project has execution reports (a project with any is kept: its reports name it). */
	projectInUse: (projectId: string) => Promise<boolean>;
}

const confParams = z.object({ id: entityIdSchema });

const warningSchema = z.object({ code: z.string(), days: z.number().optional(), date: z.string().optional(), half: z.string().optional(), first: z.string().optional(), second: z.string().optional() });
const agendaAnswer = z.object({ agenda: agendaSchema, warnings: z.array(warningSchema) });

const countdownSchema = z.object({
	/** `plenary`, or the id of a breakout. */
	scope: z.union([z.literal('plenary'), entityIdSchema]),
	action: z.enum(['start', 'pause', 'resume', 'extend', 'stop']),
	minutes: z.number().int().min(1).max(600).optional(),
	label: z.string().trim().max(100).optional()
});
const countdownAnswer = z.object({
	countdown: z.object({ label: z.string(), durationMs: z.number(), running: z.boolean(), endsAt: z.number().nullable(), remainingMs: z.number() }).nullable()
});

const routes = {
	details: createRoute({
		method: 'patch',
		path: '/api/conferences/{id}',
		summary: 'Change the title, dates, venue and organizing bodies (organizers)',
		request: { params: confParams, body: { ...json(conferenceDetailsSchema), required: true } },
		responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 403, 404) }
	}),
	agenda: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/agenda',
		summary: 'The agenda with its warnings (longer than two days, a half-day without a break, overlaps)',
		request: { params: confParams },
		responses: { 200: { description: 'The agenda', ...json(agendaAnswer) }, ...errorResponses(401, 404) }
	}),
	putAgenda: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/agenda',
		summary: "Replace the agenda (organizers); every open client's programme follows at once",
		request: { params: confParams, body: { ...json(agendaSchema), required: true } },
		responses: { 200: { description: 'Saved, with its warnings', ...json(agendaAnswer) }, ...errorResponses(400, 401, 403, 404) }
	}),
	now: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/now',
		summary: 'Mark the agenda item under way, or none (organizers)',
		request: { params: confParams, body: { ...json(z.object({ itemId: z.string().max(32).nullable() })), required: true } },
		responses: { 204: { description: 'Marked' }, ...errorResponses(400, 401, 403, 404) }
	}),
	countdown: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/countdown',
		summary: "Start (minutes, label), pause, resume, extend (minutes) or stop a countdown: the plenary's (organizers) or a breakout's (its moderators, organizers)",
		request: { params: confParams, body: { ...json(countdownSchema), required: true } },
		responses: { 200: { description: 'The countdown now', ...json(countdownAnswer) }, ...errorResponses(400, 401, 403, 404) }
	}),
	projects: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/projects',
		summary: 'Projects under discussion, of the breakouts the caller may see',
		request: { params: confParams },
		responses: { 200: { description: 'Projects', ...json(z.object({ projects: z.array(projectSchema) })) }, ...errorResponses(401, 404) }
	}),
	createProject: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/projects',
		summary: "Add a project to a breakout (organizers, the breakout's moderators)",
		request: { params: confParams, body: { ...json(createProjectSchema), required: true } },
		responses: { 201: { description: 'Added', ...json(projectSchema) }, ...errorResponses(400, 401, 403, 404) }
	}),
	deleteProject: createRoute({
		method: 'delete',
		path: '/api/conferences/{id}/projects/{projectId}',
		summary: "Remove a project (organizers, the breakout's moderators)",
		request: { params: z.object({ id: entityIdSchema, projectId: entityIdSchema }) },
		responses: { 204: { description: 'Removed' }, ...errorResponses(401, 403, 404, 409) }
	}),
	time: createRoute({
		method: 'get',
		path: '/api/time',
		summary: "The server's clock (epoch ms), so that countdowns read the same on every screen",
		responses: { 200: { description: 'Now', ...json(z.object({ now: z.number() })) } }
	})
};

const presentProject = (p: ProjectRecord) => ({ id: p.id, breakoutId: p.breakoutId, name: p.name, code: p.code, sector: p.sector, region: p.region, ownerUnit: p.ownerUnit });

export function programRoutes(deps: ProgramRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);

	/** The breakout of this conference, or 404 (after the conference itself is checked). */
	async function breakoutScope(user: UserRecord, conferenceId: string, breakoutId: string): Promise<Scope> {
		const b = await deps.conferences.getBreakout(breakoutId);
		if (b === null || b.conferenceId !== conferenceId) {
			await authorize(user, conferenceId, 'conference.read');
			throw errors.notFound('breakout');
		}
		return { kind: 'breakout', conferenceId, breakoutId, closed: b.closed };
	}

	app.openapi(routes.details, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const { conference } = await authorize(user, id, 'conference.manage');
		const details = c.req.valid('json');
		await deps.conferences.updateDetails(id, details);
		await deps.audit.record('conference.updated', { actor: user, conferenceId: id, target: details.title, detail: conference.title === details.title ? '' : `${conference.title} → ${details.title}` });
		return c.body(null, 204);
	});

	app.openapi(routes.agenda, async (c) => {
		const { conference } = await authorize(requireSession(c).user, c.req.valid('param').id, 'conference.read');
		const agenda = conference.agenda ?? { stages: [] };
		return c.json({ agenda, warnings: agendaWarnings(agenda) }, 200);
	});

	app.openapi(routes.putAgenda, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.manage');
		const agenda = c.req.valid('json');
		await deps.program.setAgenda(conference, agenda);
		await deps.audit.record('agenda.updated', { actor: user, conferenceId: conference.id, target: conference.title });
		return c.json({ agenda, warnings: agendaWarnings(agenda) }, 200);
	});

	app.openapi(routes.now, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.manage');
		const { itemId } = c.req.valid('json');
		if (itemId !== null && !conference.agenda?.stages.some((s) => s.items.some((i) => i.id === itemId))) throw errors.validation(`itemId: no agenda item ${itemId}`);
		await deps.program.setCurrent(conference, itemId);
		return c.body(null, 204);
	});

	app.openapi(routes.countdown, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const body = c.req.valid('json');
		const scope = body.scope === 'plenary' ? null : await breakoutScope(user, id, body.scope);
		const { conference } = await authorize(user, id, scope === null ? 'conference.manage' : 'breakout.manage', scope ?? undefined);
		if ((body.action === 'start' || body.action === 'extend') && body.minutes === undefined) throw errors.validation('minutes: required to start or extend');
		const action =
			body.action === 'start'
				? { action: body.action, minutes: body.minutes!, label: body.label ?? '' }
				: body.action === 'extend'
					? { action: body.action, minutes: body.minutes! }
					: { action: body.action };
		const countdown = await deps.program.countdown(conference, body.scope === 'plenary' ? 'plenary' : { breakoutId: body.scope }, action);
		return c.json({ countdown }, 200);
	});

	app.openapi(routes.projects, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const { membership } = await authorize(user, id, 'conference.read');
		const breakouts = new Map((await deps.conferences.listBreakouts(id)).map((b) => [b.id, b]));
		const visible = (p: ProjectRecord) => {
			const b = breakouts.get(p.breakoutId);
			return b !== undefined && can({ user, membership }, 'document.read', { kind: 'breakout', conferenceId: id, breakoutId: b.id, closed: b.closed });
		};
		return c.json({ projects: (await deps.conferences.listProjects(id)).filter(visible).map(presentProject) }, 200);
	});

	app.openapi(routes.createProject, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const body = c.req.valid('json');
		const scope = await breakoutScope(user, id, body.breakoutId);
		await authorize(user, id, 'breakout.manage', scope);
		const project: ProjectRecord = { ...body, id: randomId(12), conferenceId: id, createdAt: Date.now() };
		await deps.conferences.createProject(project);
		await deps.audit.record('project.created', { actor: user, conferenceId: id, target: project.name, detail: project.code });
		return c.json(presentProject(project), 201);
	});

	app.openapi(routes.deleteProject, async (c) => {
		const { user } = requireSession(c);
		const { id, projectId } = c.req.valid('param');
		const project = await deps.conferences.getProject(projectId);
		if (project === null || project.conferenceId !== id) {
			await authorize(user, id, 'conference.read');
			throw errors.notFound('project');
		}
		await authorize(user, id, 'breakout.manage', await breakoutScope(user, id, project.breakoutId));
		if (await deps.projectInUse(projectId)) throw new AppError(409, ErrorCode.conflict, 'The project has execution reports; it stays.');
		await deps.conferences.deleteProject(projectId);
		await deps.audit.record('project.deleted', { actor: user, conferenceId: id, target: project.name, detail: project.code });
		return c.body(null, 204);
	});

	app.openapi(routes.time, (c) => c.json({ now: Date.now() }, 200));

	return app;
}
