import { Hono } from 'hono';
import { upgradeWebSocket } from '@hono/node-server';
import type { WebSocket } from 'ws';
import { schemaParam } from '../../src/lib/shared/blocks.js';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import { ackParam } from '../../src/lib/shared/sync-protocol.js';
import { documentIdSchema } from '../../src/lib/shared/schemas.js';
import type { SessionService } from '../auth/sessions.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import type { AppEnv } from './env.js';
import { originAllowed } from './middleware.js';
import type { DocumentStore } from '../storage/types.js';
import { Connection, type ConnectionLimits } from '../collab/connection.js';
import type { Room } from '../collab/room.js';
import type { Rooms } from '../collab/rooms.js';
import type { ClusterBus } from '../collab/relay.js';
import { SocketCaps } from '../collab/socket-caps.js';
import { addressOf } from './client-address.js';

/**
 * The upgrade helper of @hono/node-server keeps the request's context alive for as long as the socket
 * is open (its closure holds it). What the context holds of the HTTP request is no longer needed once
 * the socket is open: let it go (about 5 KB per connection).
 */
function forgetRequest(c: { env: unknown; req: { raw: object } }): void {
	const env = c.env as Record<string, unknown> | undefined;
	if (env) for (const key of Object.keys(env)) env[key] = undefined;
	const raw = c.req.raw as Record<symbol, unknown>;
	for (const key of Object.getOwnPropertySymbols(raw)) raw[key] = undefined;
}

/** Frames a client may send while its document loads. */
const maxEarlyFrames = 256;

export interface SyncRouteDeps {
	documents: DocumentStore;
	sessions: SessionService;
	audit: Auditor;
	access: AccessResolver;
	rooms: Rooms;
	publicOrigins: readonly string[];
	/** Several instances: the socket caps count the others' sockets too. */
	cluster: { bus: ClusterBus; instance: string } | null;
	limits: ConnectionLimits & { handshakeTimeoutMs: number; socketsPerAddress: number; socketsPerUser: number };
}

/**
 * `GET /sync/<docId>`: the y-websocket endpoint. Origin, session, document, access and the socket caps
 * are all checked before the handshake; a refusal is a plain HTTP 403/401/404/429 and no socket is ever
 * opened.
 */
export function syncRoute(deps: SyncRouteDeps) {
	const app = new Hono<AppEnv>();
	const caps = new SocketCaps(deps.limits.socketsPerAddress, deps.limits.socketsPerUser);
	if (deps.cluster !== null) caps.share(deps.cluster.bus, deps.cluster.instance);
	app.get('/sync/:docId', async (c, next) => {
		if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') return c.text('Expected a WebSocket upgrade', 426);
		if (!originAllowed(c, deps.publicOrigins)) return c.body(null, 403);
		const session = c.get('session');
		if (session === null) return c.body(null, 401);
		const docId = c.req.param('docId');
		const doc = documentIdSchema.safeParse(docId).success ? await deps.documents.get(docId) : null;
		const { access, membership, presenter } =
			doc === null ? { access: 'none' as const, membership: null, presenter: false } : await deps.access.documentGrant(session.user, doc);
		if (doc === null || access === 'none') {
			if (doc !== null) {
				const scope = await deps.access.scopeOf(doc);
				const conferenceId = scope !== null && (scope.kind === 'conference' || scope.kind === 'breakout') ? scope.conferenceId : null;
				await deps.audit.record('sync.denied', { actor: session.user, conferenceId, target: doc.title, address: addressOf(c) });
			}
			return c.body(null, 404);
		}
		const identity = {
			id: session.user.id,
			name: session.user.displayName,
			unit: session.user.unit,
			unitType: membership?.unitType ?? '',
			presenter,
			color: session.user.color
		};
		const wantsAck = c.req.query(ackParam) === '1';
		const schemaText = c.req.query(schemaParam);
		const schemaVersion = schemaText !== undefined && /^\d{1,6}$/.test(schemaText) ? Number(schemaText) : null;
		const release = caps.reserve(addressOf(c), session.user.id);
		if (release === null) return c.body(null, 429, { 'Retry-After': '5' });
		// A handshake that never completes gives its place back.
		const unopened = setTimeout(release, deps.limits.handshakeTimeoutMs + 1000);
		let conn: Connection | null = null;
		let room: Room | null = null;
		const upgrade = upgradeWebSocket(() => ({
			onOpen(_evt, ws) {
				clearTimeout(unopened);
				forgetRequest(c);
				const raw = ws.raw as WebSocket;
				conn = new Connection(raw, identity, session.sessionId, access, wantsAck, deps.limits, schemaVersion);
				const current = conn;
				// The socket lives as long as its session: an expired or revoked one closes it with 4401.
				current.watchSession(session.expiresAt, deps.sessions.idleMs, (active) => deps.sessions.recheck(session.sessionId, active));
				// Frames that arrive while the document loads wait here, in order.
				const early: Uint8Array[] = [];
				raw.on('message', (data: Buffer, isBinary: boolean) => {
					const frame = isBinary ? data : Buffer.from(data);
					if (room !== null) room.receive(current, frame);
					else if (early.length < maxEarlyFrames) early.push(frame);
					else current.close(CloseCode.rateLimited, 'too many messages before the document loaded');
				});
				void deps.rooms.join(docId, current).then((joined) => {
					if (joined === null) return;
					room = joined;
					for (const frame of early) joined.receive(current, frame);
					early.length = 0;
				});
			},
			onClose() {
				clearTimeout(unopened);
				release();
				conn?.stopTimers();
				if (conn !== null && room !== null) room.leave(conn);
			}
		}));
		return upgrade(c, next);
	});
	return app;
}
