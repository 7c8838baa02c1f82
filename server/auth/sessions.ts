import type { SessionStore, UserRecord, UserStore } from '../storage/types.js';
import { hashSecret, randomId, secretMatches } from './tokens.js';

/**
 * Sessions by Lucia's method: the client holds `<id>.<secret>`; the store holds only SHA-256(secret),
 * compared in constant time. Expiry slides forward with use (idle limit) but never past the absolute
 * limit set at sign-in.
 */
export interface SessionPolicy {
	idleMs: number;
	maxMs: number;
}

export interface ValidSession {
	sessionId: string;
	user: UserRecord;
	expiresAt: number;
	/** True when the expiry moved and the cookie should be re-issued. */
	refreshed: boolean;
}

export class SessionService {
	constructor(
		private readonly sessions: SessionStore,
		private readonly users: UserStore,
		private readonly policy: SessionPolicy,
		private readonly now: () => number = Date.now
	) {}

	/** Creates a session for `userId` and returns its token and expiry. */
	async create(userId: string): Promise<{ token: string; sessionId: string; expiresAt: number }> {
		const id = randomId();
		const secret = randomId();
		const now = this.now();
		const absoluteExpiresAt = now + this.policy.maxMs;
		const expiresAt = Math.min(now + this.policy.idleMs, absoluteExpiresAt);
		await this.sessions.insert({ id, userId, secretHash: hashSecret(secret), createdAt: now, expiresAt, absoluteExpiresAt });
		return { token: `${id}.${secret}`, sessionId: id, expiresAt };
	}

	/** Resolves a token to its session and user, or null; expired sessions are deleted on sight. */
	async validate(token: string | undefined | null): Promise<ValidSession | null> {
		if (typeof token !== 'string' || token.length > 200) return null;
		const dot = token.indexOf('.');
		if (dot <= 0) return null;
		const id = token.slice(0, dot);
		const secret = token.slice(dot + 1);
		const session = await this.sessions.find(id);
		if (session === null || !secretMatches(secret, session.secretHash)) return null;
		const now = this.now();
		if (now >= session.expiresAt || now >= session.absoluteExpiresAt) {
			await this.sessions.delete(id);
			return null;
		}
		const user = await this.users.findById(session.userId);
		if (user === null) return null;
		let expiresAt = session.expiresAt;
		let refreshed = false;
		// Write only when half the idle window has passed: one write per session per half-window, not per request.
		if (session.expiresAt - now < this.policy.idleMs / 2) {
			expiresAt = Math.min(now + this.policy.idleMs, session.absoluteExpiresAt);
			if (expiresAt > session.expiresAt) {
				await this.sessions.setExpiry(id, expiresAt);
				refreshed = true;
			}
		}
		return { sessionId: id, user, expiresAt, refreshed };
	}

	/**
	 * For an open sync socket of `sessionId`: the session's expiry now (slid forward first when the
	 * socket was `active`, as an HTTP request would slide it), or null once the session has ended.
	 */
	async recheck(sessionId: string, active: boolean): Promise<number | null> {
		const session = await this.sessions.find(sessionId);
		if (session === null) return null;
		const now = this.now();
		if (now >= session.expiresAt || now >= session.absoluteExpiresAt) {
			await this.sessions.delete(sessionId);
			return null;
		}
		if (active && session.expiresAt - now < this.policy.idleMs / 2) {
			const next = Math.min(now + this.policy.idleMs, session.absoluteExpiresAt);
			if (next > session.expiresAt) {
				await this.sessions.setExpiry(sessionId, next);
				return next;
			}
		}
		return session.expiresAt;
	}

	/** The idle window: a session unused for this long ends. */
	get idleMs(): number {
		return this.policy.idleMs;
	}

	async revoke(sessionId: string): Promise<void> {
		await this.sessions.delete(sessionId);
	}

	/** Ends every session of `userId`, except `keepSessionId` when given (a password change keeps the current one). */
	async revokeAllForUser(userId: string, keepSessionId?: string): Promise<void> {
		await this.sessions.deleteForUser(userId, keepSessionId);
	}
}
