import { createRoute, z } from '@hono/zod-openapi';
import { conferenceDetailsSchema, entityIdSchema } from '../../src/lib/shared/schemas.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import type { ConferenceProgram } from '../domain/program.js';
import { SuccessorExists, type Successions } from '../domain/succession.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { AppError } from './errors.js';
import type { ConferenceStore } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { requireSession } from './middleware.js';
import { errorResponses, router } from './openapi.js';

export interface SuccessionRoutesDeps {
	conferences: ConferenceStore;
	access: AccessResolver;
	successions: Successions;
	program: ConferenceProgram;
	audit: Auditor;
}

const successor = createRoute({
	method: 'post',
	path: '/api/conferences/{id}/successor',
	summary:
		"Next year's conference from this one (organizers): title, dates, venue, hosts; breakouts, members with accounts of their own, projects and rules come over, open ledger items are carried over with their history. The caller is its organizer",
	request: { params: z.object({ id: entityIdSchema }), body: { content: { 'application/json': { schema: conferenceDetailsSchema } }, required: true } },
	responses: { 201: { description: 'The new conference and what came over', content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } } }, ...errorResponses(400, 401, 403, 404, 409) }
});

export function successionRoutes(deps: SuccessionRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);

	app.openapi(successor, async (c) => {
		const { user } = requireSession(c);
		const { conference: source } = await authorize(user, c.req.valid('param').id, 'conference.manage');
		const made = await deps.successions.create(source, user, c.req.valid('json')).catch((err: unknown) => {
			if (err instanceof SuccessorExists) throw new AppError(409, ErrorCode.conflict, `This conference already has its next-year conference (${err.successorId}).`);
			throw err;
		});
		await deps.program.ensureLive(made.conference);
		await deps.audit.record('conference.created', { actor: user, conferenceId: made.conference.id, target: made.conference.title, detail: `延续自${source.title}：转入整改事项${made.carried}项` });
		return c.json({ id: made.conference.id, title: made.conference.title, breakouts: made.breakouts, members: made.members, projects: made.projects, carried: made.carried }, 201);
	});

	return app;
}
