import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';
import { WebSocketServer } from 'ws';
import { createApp } from './app.js';
import { createUser } from './auth/users.js';
import { Rooms } from './collab/rooms.js';
import { localBus } from './collab/relay.js';
import { ConfigError, describeStorage, loadConfig, localOrigins } from './config.js';
import { CloseCode } from '../src/lib/shared/close-codes.js';
import { maxAttendeeRows } from './domain/attendee-list.js';
import { XlsxTableReader } from './domain/xlsx-table-reader.js';
import { StartupError, listen } from './startup.js';
import { prepareDataDir, removeCreated } from './storage/data-dir.js';
import { lockDataDir } from './storage/sqlite/data-dir-lock.js';
import { openPostgresStorage } from './storage/postgres/open-postgres.js';
import { openSqliteStorage } from './storage/sqlite/open-sqlite.js';
import { faultyUpdateLog } from './storage/fault-injection.js';
import type { Storage } from './storage/types.js';
import { RedisRelay } from './scale/redis-relay.js';
import { RedisThrottle } from './scale/redis-throttle.js';

/** Composition root: config → listen → data directory and its lock → storage → services → app; signals; shutdown. */

type App = ReturnType<typeof createApp>;

function logError(message: string, err: unknown): void {
	console.error(`[concord] ${message}:`, err);
}

async function ensureFirstAdmin(storage: Storage, admin: { username: string; password: string } | null): Promise<void> {
	if ((await storage.users.count()) > 0) return;
	if (admin === null) {
		console.log(
			'[concord] No accounts yet. To create the first administrator, stop the server and start it once with\n' +
				'          CONCORD_ADMIN_USERNAME=<name> CONCORD_ADMIN_PASSWORD=<at least 8 characters> npm start'
		);
		return;
	}
	try {
		await createUser(storage.users, {
			username: admin.username,
			password: admin.password,
			displayName: admin.username,
			unit: '',
			isAdmin: true
		});
	} catch (err) {
		// Several instances starting at once on an empty database: one of them created it.
		if ((await storage.users.findByUsername(admin.username)) !== null) return;
		throw err;
	}
	console.log(`[concord] Created administrator "${admin.username}".`);
}

/**
 * Sends "going away" to every sync socket still open and waits, at most `graceMs`, until every close
 * handshake is done; what is left then is cut. Under load a close frame waits behind queued updates:
 * cutting the socket before it went out is what a client sees as 1006 instead of 1001.
 */
async function closeSockets(wss: WebSocketServer, graceMs: number): Promise<void> {
	const sockets = [...wss.clients];
	const closed = sockets.map((ws) => new Promise<void>((resolve) => ws.once('close', () => resolve())));
	for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.close(CloseCode.goingAway, 'server shutting down');
	let timer: NodeJS.Timeout | undefined;
	await Promise.race([Promise.all(closed), new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
	clearTimeout(timer);
	for (const ws of wss.clients) ws.terminate();
}

/**
 * The reader of attendee lists' sheets. Its worker is the bundle's dist/xlsx-worker.js, or, when the
 * server runs from source under tsx (npm run dev), an entry that loads the TypeScript worker.
 */
function attendeeXlsxReader(): XlsxTableReader {
	const fromSource = import.meta.url.endsWith('.ts');
	return new XlsxTableReader({
		workerUrl: new URL(fromSource ? './domain/xlsx-worker-dev.mjs' : './xlsx-worker.js', import.meta.url),
		limits: { maxRows: maxAttendeeRows + 2, maxColumns: 100 },
		// A list of 2,000 rows unpacks to a few MB; 1 MB that declares more than this is a zip bomb.
		bounds: { maxEntries: 1000, maxTotalBytes: 50 * 1024 * 1024, maxRatio: 100, ratioFloorBytes: 1024 * 1024 },
		timeoutMs: 15_000,
		maxHeapMb: 128,
		concurrency: 2
	});
}

async function main(): Promise<void> {
	let config;
	try {
		config = loadConfig(process.env);
	} catch (err) {
		if (err instanceof ConfigError) {
			console.error(`[concord] ${err.message}`);
			process.exit(2);
		}
		throw err;
	}

	// ws enforces a hard cap at twice the frame limit; between the two, Room closes with 4413.
	const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxFrameBytes * 2, perMessageDeflate: false });
	// A client that opens a connection but never finishes its request headers (an upgrade included) is
	// dropped after the handshake timeout; Node checks for that every `connectionsCheckingInterval`.
	const serverOptions = {
		headersTimeout: config.limits.handshakeTimeoutMs,
		requestTimeout: Math.max(config.limits.handshakeTimeoutMs, 30_000),
		connectionsCheckingInterval: Math.min(1000, config.limits.handshakeTimeoutMs)
	};
	// The port is taken first, before anything is written to disk, so that a port in use or a bad HOST
	// leaves nothing behind. Requests arriving before the app is ready wait for it.
	let appIsReady: (app: App) => void = () => {};
	const appReady = new Promise<App>((resolve) => (appIsReady = resolve));
	const server = createAdaptorServer({ fetch: async (req, env) => (await appReady).fetch(req, env), websocket: { server: wss }, serverOptions }) as Server;
	await listen(server, config.port, config.host);
	const address = server.address() as AddressInfo;
	if (config.publicOrigins.length === 0) config.publicOrigins.push(...localOrigins(config.host, address.port));

	const created = prepareDataDir(config.dataDir);
	// SQLite: this process is the only one on the directory. PostgreSQL: the directory holds evidence
	// files only (written whole under fresh names), which the instances of one database share.
	let lock: { release(): void } = { release() {} };
	try {
		if (config.databaseUrl === null) lock = lockDataDir(config.dataDir);
	} catch (err) {
		removeCreated(created);
		throw err;
	}
	const storage =
		config.databaseUrl === null
			? await openSqliteStorage(config.databaseFile, config.sqliteSync)
			: await openPostgresStorage(config.databaseUrl).catch((err: unknown) => {
					lock?.release();
					throw new StartupError(`cannot use DATABASE_URL (${describeStorage(config)}): ${err instanceof Error ? err.message : String(err)}`);
				});
	await ensureFirstAdmin(storage, config.admin);
	// On SQLite this is the only process (the lock above): a lease still held is a crashed run's.
	if (config.databaseUrl === null) await storage.leases.releaseAll();
	if (config.faultStorageFile) console.warn(`[concord] CONCORD_FAULT_STORAGE_FILE is set: storing updates fails while ${config.faultStorageFile} exists (tests only)`);
	// Several instances: the relay carries committed updates, presence and cluster messages between them.
	const relay = config.redisUrl === null ? null : new RedisRelay(config.redisUrl, logError);
	if (relay !== null && !(await relay.connected(5000))) {
		const why = relay.lastProblem === '' ? '' : ` (${relay.lastProblem})`;
		console.warn(`[concord] Redis (REDIS_URL) is unreachable${why}; starting anyway: editing works on this instance, the others catch up once Redis is back (/healthz says degraded)`);
	}
	const rooms = new Rooms({
		relay: relay ?? undefined,
		cluster: relay ?? undefined,
		log: config.faultStorageFile ? faultyUpdateLog(storage.updates, config.faultStorageFile) : storage.updates,
		limits: config.room,
		cpuMsPerSecond: config.cpuMsPerSecond,
		compactAfterUpdates: config.rooms.compactAfterUpdates,
		unloadMs: config.rooms.unloadMs,
		relayFirst: config.relayFirst,
		touch: (ids, at) => storage.documents.touch(ids, at),
		logError
	});
	const buildDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'build');
	const instance = relay?.instance ?? `${process.pid}-${randomBytes(4).toString('hex')}`;
	const throttle = relay === null ? undefined : new RedisThrottle(relay.commands, config.loginThrottle, () => relay.up);
	appIsReady(createApp({ config, storage, rooms, cluster: relay ?? localBus(), instance, throttle, buildDir, xlsxTables: attendeeXlsxReader(), logError }));
	console.log(`[concord] Listening on http://${address.address}:${address.port} (${describeStorage(config)})`);

	// Expired sessions are refused on sight; this also keeps the table from growing without bound.
	const purge = setInterval(() => {
		storage.sessions.deleteExpired(Date.now()).catch((err) => logError('purging expired sessions failed', err));
	}, 3_600_000);
	purge.unref();

	let stopping = false;
	const shutdown = async (signal: string) => {
		if (stopping) return;
		stopping = true;
		console.log(`[concord] ${signal}: draining`);
		const force = setTimeout(() => {
			console.error('[concord] drain timed out; exiting');
			process.exit(1);
		}, config.shutdownGraceMs + 5000);
		force.unref();
		clearInterval(purge);
		server.close();
		await rooms.shutdown();
		await relay?.stop();
		await closeSockets(wss, config.shutdownGraceMs);
		await storage.close();
		lock.release();
		console.log('[concord] stopped');
		process.exit(0);
	};
	process.on('SIGTERM', () => void shutdown('SIGTERM'));
	process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err) => {
	if (err instanceof StartupError) console.error(`[concord] ${err.message}`);
	else logError('failed to start', err);
	process.exit(1);
});
