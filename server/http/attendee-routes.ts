import { createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import {
	attendeePreviewSchema,
	entityIdSchema,
	importedAttendeesSchema,
	signInLinkInfoSchema,
	signInLinkSchema,
	userSchema
} from '../../src/lib/shared/schemas.js';
import type { SessionService } from '../auth/sessions.js';
import type { AccessResolver } from '../domain/access.js';
import { type AttendeeImport, type IssuedLink, SignInLinkError } from '../domain/attendee-import.js';
import type { Auditor } from '../domain/audit.js';
import type { ConferenceStore, UserStore } from '../storage/types.js';
import { presentUser } from './auth-routes.js';
import { conferenceGuard } from './conference-guard.js';
import type { AppEnv } from './env.js';
import { AppError, errors } from './errors.js';
import { type CookieOptions, requireSession, setSessionCookie } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';
import { addressOf } from './client-address.js';

export interface AttendeeRoutesDeps {
	attendees: AttendeeImport;
	conferences: ConferenceStore;
	users: UserStore;
	access: AccessResolver;
	sessions: SessionService;
	audit: Auditor;
	cookies: CookieOptions;
}

const file = {
	content: {
		'text/csv': { schema: z.string().openapi({ format: 'binary' }) },
		'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) }
	},
	required: true
};
const confParams = z.object({ id: entityIdSchema });
const tokenParams = z.object({ token: z.string().min(1).max(200) });
/** How long a one-time link stays valid: a week unless said otherwise, at most 90 days. */
const linkHours = z.coerce.number().int().min(1).max(2160).default(168);

const routes = {
	preview: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/attendees/preview',
		summary: 'Check an attendee list (CSV in UTF-8 or GB18030, or XLSX) row by row; nothing is stored (organizers)',
		request: { params: confParams, body: file },
		responses: { 200: { description: 'Every row with its problems', ...json(attendeePreviewSchema) }, ...errorResponses(401, 403, 404, 413) }
	}),
	import: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/attendees/import',
		summary:
			'Import an attendee list: all rows or none. Each person gets an account bound to the conference and a one-time sign-in link, returned once (organizers); 400 import_rejected when any row has a problem',
		request: { params: confParams, query: z.object({ linkHours }), body: file },
		responses: { 201: { description: 'Imported', ...json(importedAttendeesSchema) }, ...errorResponses(400, 401, 403, 404, 413) }
	}),
	issue: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/members/{userId}/signin-link',
		summary: "A new one-time sign-in link for a member whose account is bound to this conference; the member's unused links stop working (organizers)",
		request: { params: z.object({ id: entityIdSchema, userId: entityIdSchema }), query: z.object({ linkHours }) },
		responses: { 201: { description: 'The link, shown once', ...json(signInLinkSchema) }, ...errorResponses(401, 403, 404) }
	}),
	info: createRoute({
		method: 'get',
		path: '/api/signin-links/{token}',
		summary: 'Whom a one-time sign-in link signs in (no sign-in needed); 410 signin_link_unusable when used or expired',
		request: { params: tokenParams },
		responses: { 200: { description: 'The link', ...json(signInLinkInfoSchema) }, 404: { description: 'Unknown' }, 410: { description: 'Used or expired' } }
	}),
	redeem: createRoute({
		method: 'post',
		path: '/api/signin-links/{token}/redeem',
		summary: 'Use a one-time sign-in link: signs its person in (sets the session cookie); the link is then used up',
		request: { params: tokenParams },
		responses: {
			200: { description: 'Signed in', ...json(userSchema.extend({ conferenceId: z.string() })) },
			...errorResponses(403, 404),
			410: { description: 'Used or expired' }
		}
	})
};

function linkFailure(err: unknown): never {
	if (err instanceof SignInLinkError) {
		if (err.problem === 'invalid') throw errors.notFound('sign-in link');
		throw new AppError(410, ErrorCode.signInLinkUnusable, err.message);
	}
	throw err;
}

const presentLink = (l: IssuedLink) => ({
	userId: l.user.id,
	displayName: l.user.displayName,
	unit: l.user.unit,
	path: `/signin/${l.token}`,
	expiresAt: new Date(l.expiresAt).toISOString()
});

export function attendeeRoutes(deps: AttendeeRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);

	async function organizerWithFile(c: Context<AppEnv>, conferenceId: string) {
		const user = requireSession(c).user;
		await authorize(user, conferenceId, 'conference.manage');
		return { user, bytes: new Uint8Array(await c.req.arrayBuffer()) };
	}

	app.openapi(routes.preview, async (c) => {
		const id = c.req.valid('param').id;
		const { bytes } = await organizerWithFile(c, id);
		return c.json(await deps.attendees.preview(id, bytes), 200);
	});

	app.openapi(routes.import, async (c) => {
		const id = c.req.valid('param').id;
		const { user, bytes } = await organizerWithFile(c, id);
		const { preview, links } = await deps.attendees.commit(id, bytes, user.id, c.req.valid('query').linkHours);
		if (links === null) {
			const why = preview.fileProblem ? `the file: ${preview.fileProblem.code}` : preview.rows.length === 0 ? 'no rows' : `${preview.rejectedRows} rows with problems`;
			throw new AppError(400, ErrorCode.importRejected, `Nothing was imported (${why}); preview the file to see each problem.`);
		}
		await deps.audit.record('attendees.imported', { actor: user, conferenceId: id, target: String(links.length), detail: links.map((l) => l.user.displayName).join('、').slice(0, 500) });
		return c.json({ links: links.map(presentLink) }, 201);
	});

	app.openapi(routes.issue, async (c) => {
		const { id, userId } = c.req.valid('param');
		const user = requireSession(c).user;
		await authorize(user, id, 'conference.manage');
		const [target, member] = await Promise.all([deps.users.findById(userId), deps.conferences.getMember(id, userId)]);
		if (target === null || member === null) throw errors.notFound('member');
		// Only accounts that belong to this conference: an organizer must never mint a way into anyone else's account.
		if (target.guestConferenceId !== id) throw errors.forbidden();
		const link = await deps.attendees.issueLink(id, target, user.id, c.req.valid('query').linkHours);
		await deps.audit.record('signin_link.created', { actor: user, conferenceId: id, target: `${target.displayName}（${target.unit}）` });
		return c.json(presentLink(link), 201);
	});

	app.openapi(routes.info, async (c) => {
		const { user, conference } = await deps.attendees.resolve(c.req.valid('param').token).catch(linkFailure);
		return c.json({ displayName: user.displayName, unit: user.unit, conferenceId: conference.id, conferenceTitle: conference.title }, 200);
	});

	app.openapi(routes.redeem, async (c) => {
		const { user, conference } = await deps.attendees.redeem(c.req.valid('param').token).catch(linkFailure);
		const { token, expiresAt } = await deps.sessions.create(user.id);
		setSessionCookie(c, token, expiresAt, deps.cookies);
		await deps.audit.record('signin_link.used', { actor: user, conferenceId: conference.id, address: addressOf(c) });
		return c.json({ ...presentUser(user), conferenceId: conference.id }, 200);
	});

	return app;
}
