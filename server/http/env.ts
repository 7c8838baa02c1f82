import type { ValidSession } from '../auth/sessions.js';

/** Hono context variables set by the middleware in this folder. */
export interface AppEnv {
	Variables: {
		/** The caller's session, or null when signed out. */
		session: ValidSession | null;
		/** The client's address (behind a trusted reverse proxy, from X-Forwarded-For). */
		clientAddress: string;
	};
}
