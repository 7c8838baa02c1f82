import { createRoute } from '@hono/zod-openapi';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import { changePasswordSchema, loginRequestSchema, userSchema } from '../../src/lib/shared/schemas.js';
import type { SignInThrottle } from '../auth/login-throttle.js';
import { hashPassword, verifyDecoy, verifyPassword } from '../auth/passwords.js';
import type { SessionService } from '../auth/sessions.js';
import type { Rooms } from '../collab/rooms.js';
import type { Auditor } from '../domain/audit.js';
import type { UserRecord, UserStore } from '../storage/types.js';
import { errorResponses, router } from './openapi.js';
import { type CookieOptions, clearSessionCookie, requireSession, setSessionCookie } from './middleware.js';
import { errors } from './errors.js';
import { addressOf } from './client-address.js';

export interface AuthRoutesDeps {
	users: UserStore;
	audit: Auditor;
	sessions: SessionService;
	throttle: SignInThrottle;
	rooms: Rooms;
	cookies: CookieOptions;
}

/** The public shape of a user. */
export function presentUser(u: UserRecord) {
	return { id: u.id, username: u.username, displayName: u.displayName, unit: u.unit, color: u.color, isAdmin: u.isAdmin, boundConferenceId: u.guestConferenceId };
}

const login = createRoute({
	method: 'post',
	path: '/api/auth/login',
	summary: 'Sign in with username and password; sets the HttpOnly session cookie',
	request: { body: { content: { 'application/json': { schema: loginRequestSchema } }, required: true } },
	responses: {
		200: { description: 'Signed in', content: { 'application/json': { schema: userSchema } } },
		...errorResponses(400, 401, 403, 429)
	}
});

const logout = createRoute({
	method: 'post',
	path: '/api/auth/logout',
	summary: 'Sign out: revokes the session and closes its open sync sockets',
	responses: { 204: { description: 'Signed out' }, ...errorResponses(403) }
});

const me = createRoute({
	method: 'get',
	path: '/api/me',
	summary: 'The signed-in user',
	responses: {
		200: { description: 'The signed-in user', content: { 'application/json': { schema: userSchema } } },
		...errorResponses(401)
	}
});

const changePassword = createRoute({
	method: 'post',
	path: '/api/me/password',
	summary: "Change one's own password; every other session of the account ends and its sockets close (4401)",
	request: { body: { content: { 'application/json': { schema: changePasswordSchema } }, required: true } },
	responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 403) }
});

export function authRoutes(deps: AuthRoutesDeps) {
	const app = router();

	app.openapi(login, async (c) => {
		const { username, password } = c.req.valid('json');
		const address = addressOf(c);
		const wait = await deps.throttle.retryAfter(username, address);
		if (wait > 0) throw errors.tooManyAttempts(wait);
		const user = await deps.users.findByUsername(username);
		const ok = user === null ? await verifyDecoy(password) : await verifyPassword(user.passwordHash, password);
		if (!ok || user === null) {
			await deps.throttle.recordFailure(username, address);
			await deps.audit.record('auth.login_failed', { actor: null, actorName: username.slice(0, 64), address });
			throw errors.invalidCredentials();
		}
		await deps.throttle.recordSuccess(username);
		await deps.audit.record('auth.login', { actor: user, address });
		const { token, expiresAt } = await deps.sessions.create(user.id);
		setSessionCookie(c, token, expiresAt, deps.cookies);
		return c.json(presentUser(user), 200);
	});

	app.openapi(logout, async (c) => {
		const session = c.get('session');
		if (session !== null) {
			await deps.sessions.revoke(session.sessionId);
			await deps.audit.record('auth.logout', { actor: session.user, address: addressOf(c) });
			deps.rooms.closeSession(session.sessionId, CloseCode.unauthorized, 'signed out');
		}
		clearSessionCookie(c, deps.cookies);
		return c.body(null, 204);
	});

	app.openapi(me, (c) => c.json(presentUser(requireSession(c).user), 200));

	app.openapi(changePassword, async (c) => {
		const session = requireSession(c);
		const { currentPassword, newPassword } = c.req.valid('json');
		if (!(await verifyPassword(session.user.passwordHash, currentPassword))) throw errors.invalidCredentials();
		await deps.users.setPasswordHash(session.user.id, await hashPassword(newPassword));
		await deps.sessions.revokeAllForUser(session.user.id, session.sessionId);
		deps.rooms.closeUser(session.user.id, CloseCode.unauthorized, 'password changed', session.sessionId);
		await deps.audit.record('password.changed', { actor: session.user, address: addressOf(c) });
		return c.body(null, 204);
	});

	return app;
}
