import { createRoute, z } from '@hono/zod-openapi';
import { beijingDateTime } from '../../src/lib/shared/beijing-time.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { roleTitles } from '../../src/lib/shared/roles.js';
import {
	breakoutSchema,
	conferenceSchema,
	conferenceViewSchema,
	createBreakoutSchema,
	createConferenceSchema,
	entityIdSchema,
	memberSchema,
	addMemberSchema,
	putMemberSchema,
	updateBreakoutSchema
} from '../../src/lib/shared/schemas.js';
import { can, mayApprove, mayBelong } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import { type Auditor, auditCsv, personLabel } from '../domain/audit.js';
import { ConferenceRuleError, type ConferenceService } from '../domain/conferences.js';
import type { ConferenceProgram } from '../domain/program.js';
import type { Context } from 'hono';
import type { AppEnv } from './env.js';
import type { AuditLog, BreakoutRecord, ConferenceRecord, ConferenceStore, MemberRecord, UserRecord, UserStore } from '../storage/types.js';
import { auditListSchema, auditQuery, presentAuditEntry } from './audit-presenter.js';
import { conferenceGuard } from './conference-guard.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';

export interface ConferenceRoutesDeps {
	conferences: ConferenceStore;
	audit: Auditor;
	auditLog: AuditLog;
	service: ConferenceService;
	users: UserStore;
	access: AccessResolver;
	program: ConferenceProgram;
}

const confParams = z.object({ id: entityIdSchema });
const memberParams = z.object({ id: entityIdSchema, userId: entityIdSchema });
const breakoutParams = z.object({ id: entityIdSchema, breakoutId: entityIdSchema });

const routes = {
	create: createRoute({
		method: 'post',
		path: '/api/conferences',
		summary: 'Create a conference and its first organizer (administrators only)',
		request: { body: { ...json(createConferenceSchema), required: true } },
		responses: { 201: { description: 'Created', ...json(conferenceSchema) }, ...errorResponses(400, 401, 403) }
	}),
	list: createRoute({
		method: 'get',
		path: '/api/conferences',
		summary: 'Conferences the caller belongs to (administrators: all)',
		responses: { 200: { description: 'Conferences', ...json(z.object({ conferences: z.array(conferenceSchema) })) }, ...errorResponses(401) }
	}),
	get: createRoute({
		method: 'get',
		path: '/api/conferences/{id}',
		summary: 'A conference with its breakouts',
		request: { params: confParams },
		responses: {
			200: { description: 'The conference, its breakouts and what the caller may do there', ...json(conferenceViewSchema) },
			...errorResponses(401, 404)
		}
	}),
	members: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/members',
		summary: 'Members with role, unit and breakouts',
		request: { params: confParams },
		responses: { 200: { description: 'Members', ...json(z.object({ members: z.array(memberSchema) })) }, ...errorResponses(401, 404) }
	}),
	putMember: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/members/{userId}',
		summary: 'Add a member or change their role, unit type and breakouts (organizers); open connections follow within seconds',
		request: { params: memberParams, body: { ...json(putMemberSchema), required: true } },
		responses: { 200: { description: 'The membership', ...json(memberSchema) }, ...errorResponses(400, 401, 403, 404) }
	}),
	addMember: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/members',
		summary: 'Add an existing account by username, or change its membership (organizers)',
		request: { params: confParams, body: { ...json(addMemberSchema), required: true } },
		responses: { 200: { description: 'The membership', ...json(memberSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	removeMember: createRoute({
		method: 'delete',
		path: '/api/conferences/{id}/members/{userId}',
		summary: "Remove a member (organizers); their open sync sockets close with 4403",
		request: { params: memberParams },
		responses: { 204: { description: 'Removed' }, ...errorResponses(400, 401, 403, 404) }
	}),
	setLeave: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/members/{userId}/leave',
		summary: 'Mark a member as excused (请假) or present (organizers): the minutes list them under 请假 instead of 出席',
		request: { params: memberParams, body: { ...json(z.object({ onLeave: z.boolean() })), required: true } },
		responses: { 204: { description: 'Saved' }, ...errorResponses(400, 401, 403, 404) }
	}),
	createBreakout: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/breakouts',
		summary: 'Create a breakout (organizers)',
		request: { params: confParams, body: { ...json(createBreakoutSchema), required: true } },
		responses: { 201: { description: 'Created', ...json(breakoutSchema) }, ...errorResponses(400, 401, 403, 404) }
	}),
	updateBreakout: createRoute({
		method: 'patch',
		path: '/api/conferences/{id}/breakouts/{breakoutId}',
		summary: "Close a breakout to members of other breakouts, or open it (organizers, the breakout's moderators)",
		request: { params: breakoutParams, body: { ...json(updateBreakoutSchema), required: true } },
		responses: { 200: { description: 'The breakout', ...json(breakoutSchema) }, ...errorResponses(400, 401, 403, 404) }
	})
};

const auditRoutes = {
	list: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/audit',
		summary: "The conference's audit log, newest first, filtered by action (organizers)",
		request: { params: confParams, query: auditQuery },
		responses: { 200: { description: 'Entries', ...json(auditListSchema) }, ...errorResponses(400, 401, 403, 404) }
	}),
	csv: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/audit.csv',
		summary: "The conference's audit log as CSV (UTF-8 with BOM), same filters (organizers)",
		request: { params: confParams, query: auditQuery },
		responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: z.string() } } }, ...errorResponses(400, 401, 403, 404) }
	})
};

/** Beijing time for people reading an export: 2025-07-18 09:30:05. */
const beijingTime = (ms: number) => beijingDateTime(ms, true);

const presentBreakout = (b: BreakoutRecord) => ({ id: b.id, conferenceId: b.conferenceId, name: b.name, sector: b.sector, region: b.region, closed: b.closed });

export function conferenceRoutes(deps: ConferenceRoutesDeps) {
	const app = router();

	const presentConference = (c: ConferenceRecord, membership: MemberRecord | null) => ({
		id: c.id,
		title: c.title,
		startDate: c.startDate,
		endDate: c.endDate,
		venue: c.venue,
		hosts: c.hosts,
		moderatorsApprove: c.moderatorsApprove,
		createdAt: new Date(c.createdAt).toISOString(),
		myRole: membership?.role ?? null
	});

	const authorize = conferenceGuard(deps.conferences, deps.access);

	function ruleError(err: unknown): never {
		if (err instanceof ConferenceRuleError) {
			if (err.reason === 'not_member') throw errors.notFound('member');
			if (err.reason === 'last_organizer') throw new AppError(409, ErrorCode.lastOrganizer, err.message);
			throw errors.validation(err.message);
		}
		throw err;
	}

	app.openapi(routes.create, async (c) => {
		const { user } = requireSession(c);
		if (!can({ user, membership: null }, 'conference.create', { kind: 'instance' })) throw errors.forbidden();
		const { organizerId, ...details } = c.req.valid('json');
		const conference = await deps.service.create(details, user.id, organizerId ?? user.id).catch(ruleError);
		await deps.program.ensureLive(conference);
		await deps.audit.record('conference.created', { actor: user, conferenceId: conference.id, target: conference.title });
		const membership = await deps.conferences.getMember(conference.id, user.id);
		return c.json(presentConference(conference, membership), 201);
	});

	app.openapi(routes.list, async (c) => {
		const { user } = requireSession(c);
		const list = user.isAdmin ? await deps.conferences.listAll() : (await deps.conferences.listForUser(user.id)).filter((conf) => mayBelong(user, conf.id));
		const conferences = await Promise.all(list.map(async (conf) => presentConference(conf, await deps.conferences.getMember(conf.id, user.id))));
		return c.json({ conferences }, 200);
	});

	app.openapi(routes.get, async (c) => {
		const { user } = requireSession(c);
		const { conference, membership } = await authorize(user, c.req.valid('param').id, 'conference.read');
		// Conferences from before live documents existed get theirs on first sight.
		await deps.program.ensureLive(conference);
		const subject = { user, membership };
		const here = { kind: 'conference' as const, conferenceId: conference.id };
		const records = await deps.conferences.listBreakouts(conference.id);
		const scopeOf = (b: BreakoutRecord) => ({ kind: 'breakout' as const, conferenceId: conference.id, breakoutId: b.id, closed: b.closed });
		const breakouts = records.map((b) => ({
			...presentBreakout(b),
			mine: membership?.breakoutIds.includes(b.id) ?? false,
			mayCreate: can(subject, 'document.create', scopeOf(b)),
			mayManage: can(subject, 'breakout.manage', scopeOf(b))
		}));
		return c.json(
			{
				...presentConference(conference, membership),
				breakouts,
				mayManage: can(subject, 'conference.manage', here),
				mayCreate: can(subject, 'document.create', here),
				mayApprove: can(subject, 'minutes.approve', here) || records.some((b) => mayApprove(subject, conference, scopeOf(b))),
				mayReview: can(subject, 'ledger.review', here)
			},
			200
		);
	});

	const presentMember = async (m: MemberRecord, withContact = true) => {
		const u = await deps.users.findById(m.userId);
		return {
			userId: m.userId,
			displayName: u?.displayName ?? '',
			unit: u?.unit ?? '',
			role: m.role,
			unitType: m.unitType,
			breakoutIds: m.breakoutIds,
			bound: u?.guestConferenceId === m.conferenceId,
			onLeave: m.onLeave ?? false,
			...(withContact ? { phone: u?.phone ?? '', email: u?.email ?? '' } : {})
		};
	};

	app.openapi(routes.members, async (c) => {
		const { user } = requireSession(c);
		const { conference, membership } = await authorize(user, c.req.valid('param').id, 'conference.read');
		const withContact = can({ user, membership }, 'conference.manage', { kind: 'conference', conferenceId: conference.id });
		const members = await deps.conferences.listMembers(conference.id);
		return c.json({ members: await Promise.all(members.map((m) => presentMember(m, withContact))) }, 200);
	});


	const userLabel = async (userId: string) => {
		const u = await deps.users.findById(userId);
		return u ? personLabel(u) : userId;
	};

	/** Adds or changes a membership and records which it was. */
	async function saveMember(actor: UserRecord, conferenceId: string, userId: string, input: Parameters<ConferenceService['putMember']>[2]) {
		const before = await deps.conferences.getMember(conferenceId, userId);
		const m = await deps.service.putMember(conferenceId, userId, input).catch(ruleError);
		const names = new Map((await deps.conferences.listBreakouts(conferenceId)).map((b) => [b.id, b.name]));
		await deps.audit.record(before === null ? 'member.added' : 'member.changed', {
			actor,
			conferenceId,
			target: await userLabel(userId),
			detail: `${before ? `${roleTitles[before.role]} → ` : ''}${roleTitles[m.role]}；${m.breakoutIds.map((b) => names.get(b) ?? b).join('、')}`
		});
		return m;
	}

	app.openapi(routes.putMember, async (c) => {
		const { user } = requireSession(c);
		const { id, userId } = c.req.valid('param');
		await authorize(user, id, 'conference.manage');
		const m = await saveMember(user, id, userId, c.req.valid('json'));
		return c.json(await presentMember(m), 200);
	});

	app.openapi(routes.addMember, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.manage');
		const { username, ...membership } = c.req.valid('json');
		const target = await deps.users.findByUsername(username);
		if (target === null || !mayBelong(target, id)) throw new AppError(400, ErrorCode.unknownAccount, `username: no account "${username}"`);
		// Adding is for newcomers: changing a member's role or breakouts is PUT, never a silent overwrite.
		if ((await deps.conferences.getMember(id, target.id)) !== null) throw new AppError(409, ErrorCode.alreadyMember, `username: "${username}" is already a member`);
		const m = await saveMember(user, id, target.id, membership);
		return c.json(await presentMember(m), 200);
	});

	app.openapi(routes.removeMember, async (c) => {
		const { user } = requireSession(c);
		const { id, userId } = c.req.valid('param');
		await authorize(user, id, 'conference.manage');
		await deps.service.removeMember(id, userId).catch(ruleError);
		await deps.audit.record('member.removed', { actor: user, conferenceId: id, target: await userLabel(userId) });
		return c.body(null, 204);
	});

	app.openapi(routes.setLeave, async (c) => {
		const { user } = requireSession(c);
		const { id, userId } = c.req.valid('param');
		await authorize(user, id, 'conference.manage');
		const onLeave = c.req.valid('json').onLeave;
		if (!(await deps.conferences.setOnLeave(id, userId, onLeave))) throw errors.notFound('member');
		await deps.audit.record('member.changed', { actor: user, conferenceId: id, target: await userLabel(userId), detail: onLeave ? '请假' : '出席' });
		return c.body(null, 204);
	});

	app.openapi(routes.createBreakout, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.manage');
		const b = await deps.service.createBreakout(conference.id, c.req.valid('json'));
		await deps.audit.record('breakout.created', { actor: user, conferenceId: conference.id, target: b.name });
		return c.json(presentBreakout(b), 201);
	});

	app.openapi(routes.updateBreakout, async (c) => {
		const { user } = requireSession(c);
		const { id, breakoutId } = c.req.valid('param');
		const breakout = await deps.conferences.getBreakout(breakoutId);
		if (breakout === null || breakout.conferenceId !== id) {
			await authorize(user, id, 'conference.read');
			throw errors.notFound('breakout');
		}
		await authorize(user, id, 'breakout.manage', { kind: 'breakout', conferenceId: id, breakoutId, closed: breakout.closed });
		const closed = c.req.valid('json').closed;
		await deps.service.setBreakoutClosed(breakout, closed);
		await deps.audit.record(closed ? 'breakout.closed' : 'breakout.opened', { actor: user, conferenceId: id, target: breakout.name });
		return c.json(presentBreakout({ ...breakout, closed }), 200);
	});

	const auditEntries = async (c: Context<AppEnv>, id: string, q: z.infer<typeof auditQuery>) => {
		await authorize(requireSession(c).user, id, 'conference.manage');
		return deps.auditLog.list({ conferenceId: id, action: q.action, beforeId: q.before, limit: q.limit });
	};

	app.openapi(auditRoutes.list, async (c) => {
		const entries = await auditEntries(c, c.req.valid('param').id, c.req.valid('query'));
		return c.json({ entries: entries.map(presentAuditEntry) }, 200);
	});

	app.openapi(auditRoutes.csv, async (c) => {
		const id = c.req.valid('param').id;
		const entries = await auditEntries(c, id, c.req.valid('query'));
		c.header('Content-Disposition', `attachment; filename="audit-${id}.csv"`);
		return c.body(auditCsv(entries, beijingTime), 200, { 'Content-Type': 'text/csv; charset=utf-8' });
	});

	return app;
}
