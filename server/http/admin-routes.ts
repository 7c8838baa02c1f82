import { createRoute, z } from '@hono/zod-openapi';
import { can } from '../auth/policy.js';
import type { Rooms } from '../collab/rooms.js';
import { errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, router } from './openapi.js';

const statsSchema = z.object({
	rooms: z.number().int(),
	connections: z.number().int(),
	loads: z.number().int()
});

const stats = createRoute({
	method: 'get',
	path: '/api/admin/stats',
	summary: 'Documents in memory, open sync connections, and document loads since start (administrators only)',
	responses: {
		200: { description: 'Counters', content: { 'application/json': { schema: statsSchema } } },
		...errorResponses(401, 403)
	}
});

export function adminRoutes(deps: { rooms: Rooms }) {
	const app = router();
	app.openapi(stats, (c) => {
		if (!can({ user: requireSession(c).user, membership: null }, 'instance.admin', { kind: 'instance' })) throw errors.forbidden();
		return c.json(deps.rooms.stats(), 200);
	});
	return app;
}
