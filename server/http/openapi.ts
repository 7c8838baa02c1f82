import { OpenAPIHono, type z } from '@hono/zod-openapi';
import type { AppEnv } from './env.js';
import { errors } from './errors.js';

/** A router whose request validation failures become our `validation_failed` error. */
export function router(): OpenAPIHono<AppEnv> {
	return new OpenAPIHono<AppEnv>({
		defaultHook: (result) => {
			if (!result.success) {
				const issue = result.error.issues[0];
				throw errors.validation(issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'Invalid request.');
			}
		}
	});
}

/** A JSON body (of a request or a response) of `schema`, as route definitions describe it. */
export const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });

const errorContent = {
	'application/json': {
		schema: {
			type: 'object',
			properties: {
				error: {
					type: 'object',
					properties: { code: { type: 'string' }, message: { type: 'string' } },
					required: ['code', 'message']
				}
			},
			required: ['error']
		}
	}
} as const;

/** The error responses a route may give, described once. */
export function errorResponses(...statuses: Array<400 | 401 | 403 | 404 | 409 | 413 | 429>) {
	const text: Record<number, string> = {
		400: 'Malformed or invalid request',
		401: 'Not signed in, or wrong credentials',
		403: 'Not allowed, or a foreign Origin',
		404: 'Not found',
		409: 'In conflict with the current state (e.g. already decided)',
		413: 'Body too large',
		429: 'Too many attempts'
	};
	return Object.fromEntries(statuses.map((s) => [s, { description: text[s], content: errorContent }]));
}
