import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ErrorCode, type ErrorBody } from '../../src/lib/shared/error-codes.js';

/** The one exception type of the HTTP layer: a status, a stable snake_case code and a message. */
export class AppError extends Error {
	constructor(
		readonly status: ContentfulStatusCode,
		readonly code: string,
		message: string,
		readonly headers: Record<string, string> = {}
	) {
		super(message);
	}
}

export const errors = {
	validation: (message: string) => new AppError(400, ErrorCode.validationFailed, message),
	unauthenticated: () => new AppError(401, ErrorCode.unauthenticated, 'Sign in first.'),
	invalidCredentials: () => new AppError(401, ErrorCode.invalidCredentials, 'Wrong username or password.'),
	tooManyAttempts: (retryAfterMs: number) =>
		new AppError(429, ErrorCode.tooManyAttempts, 'Too many failed sign-in attempts; try again later.', {
			'Retry-After': String(Math.ceil(retryAfterMs / 1000))
		}),
	forbidden: () => new AppError(403, ErrorCode.forbidden, 'You may not do this.'),
	foreignOrigin: () => new AppError(403, ErrorCode.foreignOrigin, 'Request from a foreign origin refused.'),
	notFound: (what = 'resource') => new AppError(404, ErrorCode.notFound, `No such ${what}.`),
	// The rest of the body is never read, so the connection cannot be reused: say so.
	payloadTooLarge: () =>
		new AppError(413, ErrorCode.payloadTooLarge, 'Request body too large.', { Connection: 'close' })
};

export function errorBody(code: string, message: string): ErrorBody {
	return { error: { code, message } };
}

/** The one error mapper: typed errors keep their status and code; anything else is a logged, generic 500. */
export function mapError(err: unknown, c: Context, logError: (message: string, err: unknown) => void): Response {
	if (err instanceof AppError) {
		for (const [k, v] of Object.entries(err.headers)) c.header(k, v);
		return c.json(errorBody(err.code, err.message), err.status);
	}
	if (err instanceof HTTPException && err.status < 500) {
		// Raised by Hono itself, e.g. for a body that is not JSON.
		const code = err.status === 413 ? ErrorCode.payloadTooLarge : ErrorCode.badRequest;
		return c.json(errorBody(code, err.message || 'The request is malformed.'), err.status);
	}
	logError(`unhandled error on ${c.req.method} ${c.req.path}`, err);
	return c.json(errorBody(ErrorCode.internal, 'Internal server error.'), 500);
}
