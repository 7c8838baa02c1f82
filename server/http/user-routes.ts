import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from './env.js';
import { entityIdSchema, newUserSchema, resetPasswordSchema, userSchema } from '../../src/lib/shared/schemas.js';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import { hashPassword } from '../auth/passwords.js';
import type { SessionService } from '../auth/sessions.js';
import type { Rooms } from '../collab/rooms.js';
import type { Auditor } from '../domain/audit.js';
import { can } from '../auth/policy.js';
import { createUser } from '../auth/users.js';
import type { UserStore } from '../storage/types.js';
import { presentUser } from './auth-routes.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, router } from './openapi.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';


const create = createRoute({
	method: 'post',
	path: '/api/users',
	summary: 'Create an account (administrators only)',
	request: { body: { content: { 'application/json': { schema: newUserSchema } }, required: true } },
	responses: {
		201: { description: 'Created', content: { 'application/json': { schema: userSchema } } },
		409: { description: 'Username taken' },
		...errorResponses(400, 401, 403)
	}
});

const list = createRoute({
	method: 'get',
	path: '/api/users',
	summary: 'All accounts (administrators only)',
	responses: {
		200: { description: 'Accounts', content: { 'application/json': { schema: z.object({ users: z.array(userSchema) }) } } },
		...errorResponses(401, 403)
	}
});

const userParams = z.object({ id: entityIdSchema });

const resetPassword = createRoute({
	method: 'post',
	path: '/api/users/{id}/password',
	summary: "Set a new password for an account (administrators); all of the account's sessions end",
	request: { params: userParams, body: { content: { 'application/json': { schema: resetPasswordSchema } }, required: true } },
	responses: { 204: { description: 'Reset' }, ...errorResponses(400, 401, 403, 404) }
});

const revokeSessions = createRoute({
	method: 'post',
	path: '/api/users/{id}/sessions/revoke',
	summary: "End every session of an account and close its sync sockets with 4401 (administrators)",
	request: { params: userParams },
	responses: { 204: { description: 'Revoked' }, ...errorResponses(400, 401, 403, 404) }
});

export interface UserRoutesDeps {
	users: UserStore;
	audit: Auditor;
	sessions: SessionService;
	rooms: Rooms;
}

export function userRoutes(deps: UserRoutesDeps) {
	const app = router();

	/** The account an administrator acts on. */
	async function managed(c: Context<AppEnv>, id: string) {
		if (!can({ user: requireSession(c).user, membership: null }, 'user.manage', { kind: 'instance' })) throw errors.forbidden();
		const target = await deps.users.findById(id);
		if (target === null) throw errors.notFound('user');
		return target;
	}

	async function endSessions(userId: string, reason: string) {
		await deps.sessions.revokeAllForUser(userId);
		deps.rooms.closeUser(userId, CloseCode.unauthorized, reason);
	}

	app.openapi(resetPassword, async (c) => {
		const target = await managed(c, c.req.valid('param').id);
		await deps.users.setPasswordHash(target.id, await hashPassword(c.req.valid('json').newPassword));
		await endSessions(target.id, 'password reset');
		await deps.audit.record('password.reset', { actor: requireSession(c).user, target: `${target.displayName}（${target.username}）` });
		return c.body(null, 204);
	});

	app.openapi(revokeSessions, async (c) => {
		const target = await managed(c, c.req.valid('param').id);
		await endSessions(target.id, 'sessions revoked');
		await deps.audit.record('sessions.revoked', { actor: requireSession(c).user, target: `${target.displayName}（${target.username}）` });
		return c.body(null, 204);
	});

	app.openapi(list, async (c) => {
		if (!can({ user: requireSession(c).user, membership: null }, 'user.list', { kind: 'instance' })) throw errors.forbidden();
		return c.json({ users: (await deps.users.list()).map(presentUser) }, 200);
	});
	app.openapi(create, async (c) => {
		const { user } = requireSession(c);
		if (!can({ user, membership: null }, 'user.create', { kind: 'instance' })) throw errors.forbidden();
		const created = await createUser(deps.users, c.req.valid('json'));
		if (created === null) throw new AppError(409, ErrorCode.usernameTaken, 'That username is taken.');
		return c.json(presentUser(created), 201);
	});
	return app;
}
