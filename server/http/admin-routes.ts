import { createRoute, z } from '@hono/zod-openapi';
import { can } from '../auth/policy.js';
import type { Rooms } from '../collab/rooms.js';
import type { AuditLog } from '../storage/types.js';
import { auditListSchema, auditQuery, presentAuditEntry } from './audit-presenter.js';
import { errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, router } from './openapi.js';

const statsSchema = z.object({
	rooms: z.number().int(),
	connections: z.number().int(),
	loads: z.number().int(),
	/** The process's resident memory and V8 heap in use, in bytes. */
	rssBytes: z.number().int(),
	heapUsedBytes: z.number().int(),
	/** Buffers and array buffers (socket send queues among them). */
	arrayBuffersBytes: z.number().int()
});

const stats = createRoute({
	method: 'get',
	path: '/api/admin/stats',
	summary:
		'Documents in memory, open sync connections, document loads since start, and memory in use (administrators only). `?gc=1` collects garbage first when the process runs with --expose-gc (tests)',
	request: { query: z.object({ gc: z.enum(['0', '1']).optional() }) },
	responses: {
		200: { description: 'Counters', content: { 'application/json': { schema: statsSchema } } },
		...errorResponses(401, 403)
	}
});

const audit = createRoute({
	method: 'get',
	path: '/api/admin/audit',
	summary: 'The whole audit log, sign-ins included, newest first (administrators only)',
	request: { query: auditQuery },
	responses: {
		200: { description: 'Entries', content: { 'application/json': { schema: auditListSchema } } },
		...errorResponses(400, 401, 403)
	}
});

export function adminRoutes(deps: { rooms: Rooms; auditLog: AuditLog }) {
	const app = router();
	app.openapi(audit, async (c) => {
		if (!can({ user: requireSession(c).user, membership: null }, 'instance.admin', { kind: 'instance' })) throw errors.forbidden();
		const q = c.req.valid('query');
		const entries = await deps.auditLog.list({ action: q.action, beforeId: q.before, limit: q.limit });
		return c.json({ entries: entries.map(presentAuditEntry) }, 200);
	});
	app.openapi(stats, (c) => {
		if (!can({ user: requireSession(c).user, membership: null }, 'instance.admin', { kind: 'instance' })) throw errors.forbidden();
		const collect = (globalThis as { gc?: () => void }).gc;
		if (c.req.valid('query').gc === '1' && collect) collect();
		const memory = process.memoryUsage();
		return c.json({ ...deps.rooms.stats(), rssBytes: memory.rss, heapUsedBytes: memory.heapUsed, arrayBuffersBytes: memory.arrayBuffers }, 200);
	});
	return app;
}
