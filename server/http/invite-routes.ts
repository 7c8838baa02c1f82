import { createRoute, z } from '@hono/zod-openapi';
import { beijingDateTime } from '../../src/lib/shared/beijing-time.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { roleTitles } from '../../src/lib/shared/roles.js';
import { acceptInviteSchema, createInviteSchema, entityIdSchema, inviteInfoSchema, inviteSchema, userSchema } from '../../src/lib/shared/schemas.js';
import type { SessionService } from '../auth/sessions.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import { InviteError, type InviteService } from '../domain/invites.js';
import type { ConferenceStore, InviteRecord, InviteStore } from '../storage/types.js';
import { presentUser } from './auth-routes.js';
import { conferenceGuard } from './conference-guard.js';
import { AppError, errors } from './errors.js';
import { type CookieOptions, requireSession, setSessionCookie } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';
import { addressOf } from './client-address.js';

export interface InviteRoutesDeps {
	service: InviteService;
	invites: InviteStore;
	conferences: ConferenceStore;
	access: AccessResolver;
	sessions: SessionService;
	audit: Auditor;
	cookies: CookieOptions;
}

const confParams = z.object({ id: entityIdSchema });
const tokenParams = z.object({ token: z.string().min(1).max(200) });

const routes = {
	create: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/invites',
		summary: 'Create an invite link for a role and breakouts, with expiry and maximum uses (organizers); the link is shown once',
		request: { params: confParams, body: { ...json(createInviteSchema), required: true } },
		responses: { 201: { description: 'Created', ...json(inviteSchema) }, ...errorResponses(400, 401, 403, 404) }
	}),
	list: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/invites',
		summary: "The conference's invite links (organizers)",
		request: { params: confParams },
		responses: { 200: { description: 'Invites', ...json(z.object({ invites: z.array(inviteSchema) })) }, ...errorResponses(401, 403, 404) }
	}),
	revoke: createRoute({
		method: 'delete',
		path: '/api/conferences/{id}/invites/{inviteId}',
		summary: 'Revoke an invite link (organizers)',
		request: { params: z.object({ id: entityIdSchema, inviteId: entityIdSchema }) },
		responses: { 204: { description: 'Revoked' }, ...errorResponses(401, 403, 404) }
	}),
	info: createRoute({
		method: 'get',
		path: '/api/invites/{token}',
		summary: 'What an invite link leads to (no sign-in needed); 410 invite_unusable when expired, revoked or used up',
		request: { params: tokenParams },
		responses: { 200: { description: 'The invite', ...json(inviteInfoSchema) }, 404: { description: 'Unknown' }, 410: { description: 'Unusable' } }
	}),
	accept: createRoute({
		method: 'post',
		path: '/api/invites/{token}/accept',
		summary: 'Join with name and unit: creates a guest account bound to the conference and signs it in',
		request: { params: tokenParams, body: { ...json(acceptInviteSchema), required: true } },
		responses: { 200: { description: 'Signed in as a guest', ...json(userSchema) }, ...errorResponses(400, 403, 404), 410: { description: 'Unusable' } }
	})
};

const present = (i: InviteRecord, path?: string) => ({
	id: i.id,
	role: i.role,
	breakoutIds: i.breakoutIds,
	expiresAt: new Date(i.expiresAt).toISOString(),
	maxUses: i.maxUses,
	uses: i.uses,
	revoked: i.revoked,
	...(path ? { path } : {})
});

function inviteFailure(err: unknown): never {
	if (err instanceof InviteError) {
		if (err.problem === 'invalid') throw errors.notFound('invite');
		throw new AppError(410, ErrorCode.inviteUnusable, err.message);
	}
	throw err;
}

/** An invite as the audit log names it: by its role and when it lapses, never by its id. */
const inviteLabel = (i: InviteRecord) => `邀请链接（${roleTitles[i.role]}，${beijingDateTime(i.expiresAt)}止）`;

export function inviteRoutes(deps: InviteRoutesDeps) {
	const app = router();

	const authorize = conferenceGuard(deps.conferences, deps.access);
	const manage = async (c: Parameters<typeof requireSession>[0], conferenceId: string) => {
		const user = requireSession(c).user;
		await authorize(user, conferenceId, 'conference.manage');
		return user;
	};

	app.openapi(routes.create, async (c) => {
		const id = c.req.valid('param').id;
		const user = await manage(c, id);
		const body = c.req.valid('json');
		const breakouts = new Set((await deps.conferences.listBreakouts(id)).map((b) => b.id));
		const unknown = body.breakoutIds.find((b) => !breakouts.has(b));
		if (unknown !== undefined) throw errors.validation(`breakoutIds: no breakout ${unknown} in this conference`);
		const { invite, token } = await deps.service.create(id, user.id, body);
		const names = new Map((await deps.conferences.listBreakouts(id)).map((b) => [b.id, b.name]));
		await deps.audit.record('invite.created', {
			actor: user,
			conferenceId: id,
			target: inviteLabel(invite),
			detail: `限${invite.maxUses}人；${invite.breakoutIds.map((b) => names.get(b) ?? b).join('、')}`
		});
		return c.json(present(invite, `/join/${token}`), 201);
	});

	app.openapi(routes.list, async (c) => {
		const id = c.req.valid('param').id;
		await manage(c, id);
		return c.json({ invites: (await deps.invites.list(id)).map((i) => present(i)) }, 200);
	});

	app.openapi(routes.revoke, async (c) => {
		const { id, inviteId } = c.req.valid('param');
		const user = await manage(c, id);
		const invite = await deps.invites.get(inviteId);
		if (invite === null || invite.conferenceId !== id) throw errors.notFound('invite');
		await deps.invites.revoke(inviteId);
		await deps.audit.record('invite.revoked', { actor: user, conferenceId: id, target: inviteLabel(invite) });
		return c.body(null, 204);
	});

	app.openapi(routes.info, async (c) => {
		const { invite, conference } = await deps.service.resolve(c.req.valid('param').token).catch(inviteFailure);
		return c.json({ conferenceId: conference.id, conferenceTitle: conference.title, role: invite.role }, 200);
	});

	app.openapi(routes.accept, async (c) => {
		const { user, invite } = await deps.service.accept(c.req.valid('param').token, c.req.valid('json')).catch(inviteFailure);
		const { token, expiresAt } = await deps.sessions.create(user.id);
		setSessionCookie(c, token, expiresAt, deps.cookies);
		await deps.audit.record('invite.used', {
			actor: user,
			conferenceId: invite.conferenceId,
			target: inviteLabel(invite),
			address: addressOf(c)
		});
		return c.json(presentUser(user), 200);
	});

	return app;
}
