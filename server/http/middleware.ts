import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { SessionService, ValidSession } from '../auth/sessions.js';
import type { AppEnv } from './env.js';
import { errors } from './errors.js';

export const sessionCookieName = 'concord_session';

const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * True when a request comes from a page of Concord itself (the cross-site request rule, for
 * state-changing requests and sync upgrades alike): its Origin is one of the public origins, or, when
 * the browser sent no Origin, its fetch metadata says `Sec-Fetch-Site: same-origin`. Anything else — a
 * foreign or "null" Origin, or neither header, as from a plain HTML form of an old browser — is
 * refused, so scripts and stock y-websocket clients must send the server's Origin.
 */
export function originAllowed(c: Context, publicOrigins: readonly string[]): boolean {
	const origin = c.req.header('origin');
	if (origin === undefined) return c.req.header('sec-fetch-site') === 'same-origin';
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
