import { createRoute, z } from '@hono/zod-openapi';
import { newUserSchema, userSchema } from '../../src/lib/shared/schemas.js';
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

export function userRoutes(deps: { users: UserStore }) {
	const app = router();
	app.openapi(list, async (c) => {
		if (!can({ user: requireSession(c).user, membership: null }, 'user.list', { kind: 'instance' })) throw errors.forbidden();
		return c.json({ users: (await deps.users.list()).map(presentUser) }, 200);
	});
	app.openapi(create, async (c) => {
		const { user } = requireSession(c);
		if (!can({ user, membership: null }, 'user.create', { kind: 'instance' })) throw errors.forbidden();
		const created = await createUser(deps.users, c.req.valid('json'));
		if (created === null) throw new AppError(409, ErrorCode.conflict, 'That username is taken.');
		return c.json(presentUser(created), 201);
	});
	return app;
}
