import { createRoute, z } from '@hono/zod-openapi';
import { streamSSE } from 'hono/streaming';
import { entityIdSchema, handsSchema, questionSchema } from '../../src/lib/shared/schemas.js';
import { type Scope, can } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import type { EventHub, LiveEvent, LiveRoom } from '../domain/live-room.js';
import type { ConferenceStore, DocumentRecord, DocumentStore, LiveRoomStore, UserRecord, UserStore } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';

export interface LiveRoutesDeps {
	conferences: ConferenceStore;
	users: UserStore;
	store: LiveRoomStore;
	access: AccessResolver;
	room: LiveRoom;
	hub: EventHub;
	audit: Auditor;
	documents: DocumentStore;
	presence: (docId: string) => { editors: { id: string; name: string; unit: string; unitType: string }[]; watching: number };
	/** Milliseconds between keep-alive comments on an event stream. */
	keepAliveMs?: number;
}

/** Event types whose scope is 'plenary' or a breakout id (the others name a round, a case, a document or nothing). */
const breakoutScoped = new Set<LiveEvent['type']>(['questions', 'hands', 'grants', 'presence', 'proposals', 'ledger', 'comments', 'mentions']);

const confParams = z.object({ id: entityIdSchema });
const questionParams = z.object({ id: entityIdSchema, questionId: entityIdSchema });
/** 'plenary' or a breakout id. */
const scopeSchema = z.union([z.literal('plenary'), entityIdSchema]);

const routes = {
	events: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/events',
		summary: 'Server-sent events of the live room (`live`: {type: questions|hands|grants, scope}); fetch what changed',
		request: { params: confParams },
		responses: { 200: { description: 'An event stream', content: { 'text/event-stream': { schema: z.string() } } }, ...errorResponses(401, 404) }
	}),
	questions: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/questions',
		summary: "The questions of a scope the caller may see (moderators: all, hidden and private included)",
		request: { params: confParams, query: z.object({ scope: scopeSchema }) },
		responses: { 200: { description: 'Questions', ...json(z.object({ questions: z.array(questionSchema), moderator: z.boolean() })) }, ...errorResponses(400, 401, 404) }
	}),
	ask: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/questions',
		summary: 'Ask a question in a scope one may read; private: only the asker and the moderators see it',
		request: { params: confParams, body: { ...json(z.object({ scope: scopeSchema, text: z.string().trim().min(1).max(500), private: z.boolean().default(false) })), required: true } },
		responses: { 201: { description: 'Asked', ...json(z.object({ id: z.string() })) }, ...errorResponses(400, 401, 404) }
	}),
	vote: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/questions/{questionId}/vote',
		summary: 'Upvote a question; once per person (again changes nothing)',
		request: { params: questionParams },
		responses: { 204: { description: 'Counted' }, ...errorResponses(401, 404) }
	}),
	moderate: createRoute({
		method: 'patch',
		path: '/api/conferences/{id}/questions/{questionId}',
		summary: "Answer, pin or hide a question (the scope's moderators: a breakout's moderators and organizers, or organizers for the plenary)",
		request: {
			params: questionParams,
			body: { ...json(z.object({ hidden: z.boolean().optional(), pinned: z.boolean().optional(), answer: z.string().trim().max(1000).optional() })), required: true }
		},
		responses: { 204: { description: 'Changed' }, ...errorResponses(400, 401, 403, 404) }
	}),
	raise: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/breakouts/{breakoutId}/hand',
		summary: 'Raise a hand in a breakout one follows: asks its moderators for edit rights',
		request: { params: z.object({ id: entityIdSchema, breakoutId: entityIdSchema }) },
		responses: { 204: { description: 'Raised' }, ...errorResponses(401, 404) }
	}),
	lower: createRoute({
		method: 'delete',
		path: '/api/conferences/{id}/breakouts/{breakoutId}/hand',
		summary: 'Lower one’s hand',
		request: { params: z.object({ id: entityIdSchema, breakoutId: entityIdSchema }) },
		responses: { 204: { description: 'Lowered' }, ...errorResponses(401, 404) }
	}),
	hands: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/breakouts/{breakoutId}/hands',
		summary: "Raised hands and current edit grants of a breakout (its moderators); others learn only whether their own hand is up",
		request: { params: z.object({ id: entityIdSchema, breakoutId: entityIdSchema }) },
		responses: {
			200: {
				description: 'Hands and grants',
				...json(handsSchema)
			},
			...errorResponses(401, 404)
		}
	}),
	grant: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/breakouts/{breakoutId}/grants/{userId}',
		summary: "Grant a member edit rights in the breakout for the session (its moderators); their open connections can write at once",
		request: { params: z.object({ id: entityIdSchema, breakoutId: entityIdSchema, userId: entityIdSchema }) },
		responses: { 204: { description: 'Granted' }, ...errorResponses(401, 403, 404) }
	}),
	presence: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/presence',
		summary: 'Who is online where: for each document of the conference the caller may read, its editors and how many watch',
		request: { params: confParams },
		responses: {
			200: {
				description: 'Presence',
				...json(
					z.object({
						documents: z.array(
							z.object({ documentId: z.string(), editors: z.array(z.object({ id: z.string(), name: z.string(), unit: z.string(), unitType: z.string() })), watching: z.number() })
						)
					})
				)
			},
			...errorResponses(401, 404)
		}
	}),
	revoke: createRoute({
		method: 'delete',
		path: '/api/conferences/{id}/breakouts/{breakoutId}/grants/{userId}',
		summary: 'Withdraw edit rights (its moderators); open connections become read-only at once',
		request: { params: z.object({ id: entityIdSchema, breakoutId: entityIdSchema, userId: entityIdSchema }) },
		responses: { 204: { description: 'Withdrawn' }, ...errorResponses(401, 403, 404) }
	})
};

export function liveRoutes(deps: LiveRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);

	/** The policy scope of a live-room scope, 404 when it is not of this conference or not readable. */
	async function scopeFor(user: UserRecord, conferenceId: string, scope: string): Promise<{ scope: Scope; moderator: boolean }> {
		const { membership } = await authorize(user, conferenceId, 'conference.read');
		if (scope === 'plenary') {
			const s: Scope = { kind: 'conference', conferenceId };
			return { scope: s, moderator: can({ user, membership }, 'conference.manage', s) };
		}
		const b = await deps.conferences.getBreakout(scope);
		if (b === null || b.conferenceId !== conferenceId) throw errors.notFound('breakout');
		const s: Scope = { kind: 'breakout', conferenceId, breakoutId: b.id, closed: b.closed };
		const subject = await deps.access.subject(user, s);
		if (!can(subject, 'document.read', s)) throw errors.notFound('breakout');
		return { scope: s, moderator: can(subject, 'breakout.manage', s) };
	}

	async function questionFor(user: UserRecord, conferenceId: string, questionId: string) {
		const q = await deps.store.getQuestion(questionId);
		if (q === null || q.conferenceId !== conferenceId) {
			await authorize(user, conferenceId, 'conference.read');
			throw errors.notFound('question');
		}
		const { moderator } = await scopeFor(user, conferenceId, q.scope);
		// A question one may not see does not exist for them.
		if (!moderator && (q.hidden || (q.private && q.askerId !== user.id))) throw errors.notFound('question');
		return { q, moderator };
	}

	app.openapi(routes.events, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		/** What the stream may announce to this member, read again as it goes (memberships, breakouts and grants change). */
		const readAccess = async () => {
			const { membership } = await authorize(user, id, 'conference.read');
			const breakouts = new Map((await deps.conferences.listBreakouts(id)).map((b) => [b.id, b]));
			const grants = await deps.store.grantedBreakouts(id, user.id, Date.now());
			return { membership, breakouts, grants };
		};
		let access = await readAccess();
		// Events name a scope only; still, a closed breakout's activity is not announced to outsiders,
		// nor that of a breakout this stream has not heard of (it is read again first).
		const mayRead = (e: LiveEvent) => {
			if (e.user !== undefined && e.user !== user.id) return false;
			if (!breakoutScoped.has(e.type) || e.scope === 'plenary') return true;
			const b = access.breakouts.get(e.scope);
			return b !== undefined && can({ user, membership: access.membership, grants: access.grants }, 'document.read', { kind: 'breakout', conferenceId: id, breakoutId: b.id, closed: b.closed });
		};
		return streamSSE(c, async (stream) => {
			let open = true;
			let reading: Promise<void> | null = null;
			// A member removed meanwhile (or a conference gone) ends the stream.
			const reread = () =>
				(reading ??= readAccess().then(
					(a) => {
						access = a;
						reading = null;
					},
					() => {
						reading = null;
						open = false;
						void stream.close();
					}
				));
			const unsubscribe = deps.hub.subscribe(id, (e) => {
				void (async () => {
					if (breakoutScoped.has(e.type) && e.scope !== 'plenary' && !access.breakouts.has(e.scope)) await reread();
					if (open && mayRead(e)) await stream.writeSSE({ event: 'live', data: JSON.stringify(e) });
				})();
			});
			stream.onAbort(() => {
				open = false;
				unsubscribe();
			});
			await stream.writeSSE({ event: 'ready', data: '{}' });
			while (open) {
				await stream.sleep(deps.keepAliveMs ?? 20_000);
				await reread();
				if (open) await stream.write(': keep-alive\n\n');
			}
			unsubscribe();
		}) as never;
	});

	app.openapi(routes.questions, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const scope = c.req.valid('query').scope;
		const { moderator } = await scopeFor(user, id, scope);
		return c.json({ questions: await deps.room.questions(id, scope, user, moderator), moderator }, 200);
	});

	app.openapi(routes.ask, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const body = c.req.valid('json');
		await scopeFor(user, id, body.scope);
		const q = await deps.room.ask(id, body.scope, user, body.text, body.private);
		return c.json({ id: q.id }, 201);
	});

	app.openapi(routes.vote, async (c) => {
		const { user } = requireSession(c);
		const { id, questionId } = c.req.valid('param');
		const { q } = await questionFor(user, id, questionId);
		await deps.room.vote(q, user);
		return c.body(null, 204);
	});

	app.openapi(routes.moderate, async (c) => {
		const { user } = requireSession(c);
		const { id, questionId } = c.req.valid('param');
		const { q, moderator } = await questionFor(user, id, questionId);
		if (!moderator) throw errors.forbidden();
		await deps.room.moderate(q, user, c.req.valid('json'));
		return c.body(null, 204);
	});

	app.openapi(routes.raise, async (c) => {
		const { user } = requireSession(c);
		const { id, breakoutId } = c.req.valid('param');
		await scopeFor(user, id, breakoutId);
		await deps.room.raiseHand(id, breakoutId, user);
		return c.body(null, 204);
	});

	app.openapi(routes.lower, async (c) => {
		const { user } = requireSession(c);
		const { id, breakoutId } = c.req.valid('param');
		await scopeFor(user, id, breakoutId);
		await deps.room.lowerHand(id, breakoutId, user.id);
		return c.body(null, 204);
	});

	app.openapi(routes.hands, async (c) => {
		const { user } = requireSession(c);
		const { id, breakoutId } = c.req.valid('param');
		const { moderator } = await scopeFor(user, id, breakoutId);
		const all = await deps.room.handsAndGrants(breakoutId);
		return c.json(
			{
				myHand: all.hands.some((h) => h.userId === user.id),
				myGrant: all.grants.some((g) => g.userId === user.id),
				hands: moderator ? all.hands : [],
				grants: moderator ? all.grants : []
			},
			200
		);
	});

	async function moderatorOf(c: Parameters<typeof requireSession>[0], id: string, breakoutId: string, userId: string) {
		const { user } = requireSession(c);
		const { moderator } = await scopeFor(user, id, breakoutId);
		if (!moderator) throw errors.forbidden();
		const [target, member] = await Promise.all([deps.users.findById(userId), deps.conferences.getMember(id, userId)]);
		if (target === null || member === null) throw errors.notFound('member');
		return { user, target };
	}

	app.openapi(routes.grant, async (c) => {
		const { id, breakoutId, userId } = c.req.valid('param');
		const { user, target } = await moderatorOf(c, id, breakoutId, userId);
		await deps.room.grant(id, breakoutId, userId, user);
		const b = await deps.conferences.getBreakout(breakoutId);
		await deps.audit.record('edit.granted', { actor: user, conferenceId: id, target: `${target.displayName}（${target.unit}）`, detail: b?.name ?? breakoutId });
		return c.body(null, 204);
	});

	app.openapi(routes.revoke, async (c) => {
		const { id, breakoutId, userId } = c.req.valid('param');
		const { user, target } = await moderatorOf(c, id, breakoutId, userId);
		await deps.room.revoke(id, breakoutId, userId);
		const b = await deps.conferences.getBreakout(breakoutId);
		await deps.audit.record('edit.revoked', { actor: user, conferenceId: id, target: `${target.displayName}（${target.unit}）`, detail: b?.name ?? breakoutId });
		return c.body(null, 204);
	});

	app.openapi(routes.presence, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.read');
		const docs: DocumentRecord[] = [...(await deps.documents.listIn({ kind: 'conference', id }))];
		for (const b of await deps.conferences.listBreakouts(id)) docs.push(...(await deps.documents.listIn({ kind: 'breakout', id: b.id })));
		const out = [];
		for (const d of docs) {
			if (d.kind === 'live' || (await deps.access.documentAccess(user, d)) === 'none') continue;
			const p = deps.presence(d.id);
			if (p.editors.length > 0 || p.watching > 0) out.push({ documentId: d.id, ...p });
		}
		return c.json({ documents: out }, 200);
	});

	return app;
}
