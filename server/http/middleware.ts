import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SessionService, ValidSession } from '../auth/sessions.js';
import type { AppEnv } from './env.js';
import { errors } from './errors.js';

export const sessionCookieName = 'concord_session';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True when a request may come from this origin. Browsers send Origin on every state-changing request
 * and every WebSocket upgrade, so a foreign or "null" Origin is refused. A request without Origin is
 * not a browser's cross-site request (Sec-Fetch-Site, when present, must then not say cross-site), so
 * scripts and stock y-websocket clients in Node may omit it.
 */
export function originAllowed(c: Context, publicOrigins: readonly string[]): boolean {
	const origin = c.req.header('origin');
	if (origin === undefined) {
		const site = c.req.header('sec-fetch-site');
		return site === undefined || site === 'same-origin' || site === 'none';
	}
	return publicOrigins.includes(origin);
}

/** Refuses state-changing requests from foreign origins (CSRF). */
export function checkOrigin(publicOrigins: readonly string[]): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		if (unsafeMethods.has(c.req.method) && !originAllowed(c, publicOrigins)) throw errors.foreignOrigin();
		await next();
	};
}

export interface CookieOptions {
	secure: boolean;
}

export function setSessionCookie(c: Context, token: string, expiresAt: number, opts: CookieOptions): void {
	setCookie(c, sessionCookieName, token, {
		httpOnly: true,
		sameSite: 'Lax',
		secure: opts.secure,
		path: '/',
		expires: new Date(expiresAt)
	});
}

export function clearSessionCookie(c: Context, opts: CookieOptions): void {
	deleteCookie(c, sessionCookieName, { path: '/', secure: opts.secure, httpOnly: true, sameSite: 'Lax' });
}

/** Resolves the session cookie into `c.var.session`, re-issuing the cookie when its expiry slid forward. */
export function loadSession(sessions: SessionService, opts: CookieOptions): MiddlewareHandler<AppEnv> {
	return async (c, next) => {
		const token = getCookie(c, sessionCookieName);
		let session: ValidSession | null = null;
		if (token !== undefined) {
			session = await sessions.validate(token);
			if (session === null) clearSessionCookie(c, opts);
			else if (session.refreshed) setSessionCookie(c, token, session.expiresAt, opts);
		}
		c.set('session', session);
		await next();
	};
}

/** The caller's session, or a 401. */
export function requireSession(c: Context<AppEnv>): ValidSession {
	const session = c.get('session');
	if (session === null) throw errors.unauthenticated();
	return session;
}
