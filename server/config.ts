import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import type { RoomLimits } from './collab/room.js';

/**
 * The only reader of the environment. Every setting, its default and its meaning is listed here and in
 * the README's configuration table; `loadConfig` validates them once at start and fails fast.
 */
const int = (def: number, min = 0) => z.coerce.number().int().min(min).default(def);
/** A duration that may be fractional (0.5 hours); positive. */
const duration = (def: number) => z.coerce.number().positive().default(def);

const envSchema = z.object({
	PORT: int(3000).pipe(z.number().max(65535)),
	HOST: z.string().min(1).default('127.0.0.1'),
	DATA_DIR: z.string().min(1).default('./data'),
	DATABASE_URL: z.string().optional(),
	REDIS_URL: z.string().optional(),
	/** Comma-separated origins browsers reach Concord at; default http://HOST:PORT (and localhost). */
	CONCORD_PUBLIC_ORIGIN: z.string().optional(),
	CONCORD_TRUSTED_PROXIES: z.string().optional(),
	CONCORD_ADMIN_USERNAME: z.string().optional(),
	CONCORD_ADMIN_PASSWORD: z.string().optional(),
	CONCORD_SESSION_IDLE_HOURS: duration(72),
	CONCORD_SESSION_MAX_DAYS: duration(30),
	CONCORD_LOGIN_MAX_FAILURES_PER_ACCOUNT: int(5, 1),
	CONCORD_LOGIN_MAX_FAILURES_PER_ADDRESS: int(30, 1),
	CONCORD_LOGIN_WINDOW_MINUTES: int(15, 1),
	CONCORD_MAX_FRAME_BYTES: int(4 * 1024 * 1024, 1024),
	CONCORD_MAX_MESSAGES_PER_SECOND: int(100, 1),
	CONCORD_MESSAGE_BURST: int(400, 1),
	CONCORD_SEND_BUFFER_BYTES: int(16 * 1024 * 1024, 64 * 1024),
	CONCORD_HANDSHAKE_TIMEOUT_MS: int(10_000, 100),
	CONCORD_MAX_SOCKETS_PER_ADDRESS: int(2000, 1),
	CONCORD_MAX_SOCKETS_PER_USER: int(200, 1),
	CONCORD_IDLE_TIMEOUT_MS: int(90_000, 1000),
	CONCORD_MAX_UPDATE_STRUCTS: int(100_000, 100),
	CONCORD_MAX_UPDATE_ELEMENTS: int(5_000, 100),
	CONCORD_MAX_UPDATE_FORMATS: int(20_000, 100),
	CONCORD_MAX_DELETE_CUTS: int(10_000, 100),
	CONCORD_MAX_UPDATE_CPU_MS_PER_SECOND: int(250, 10),
	CONCORD_MAX_DOCUMENT_DEPTH: int(64, 8),
	CONCORD_MAX_DOCUMENT_ROOTS: int(16, 4),
	CONCORD_MAX_PARKED_BYTES: int(1024 * 1024, 64 * 1024),
	CONCORD_MAX_DOCUMENT_BYTES: int(32 * 1024 * 1024, 64 * 1024),
	CONCORD_MAX_CLIENT_IDS_PER_CONNECTION: int(4, 1),
	CONCORD_MAX_PRESENCE_BYTES: int(4096, 256),
	CONCORD_MAX_PRESENCE_IDS_PER_ACCOUNT: int(16, 1),
	CONCORD_PRESENCE_INTERVAL_MS: int(50, 0),
	CONCORD_ROOM_UNLOAD_MS: int(10_000, 0),
	CONCORD_COMPACT_AFTER_UPDATES: int(1000, 1),
	CONCORD_VERSION_AFTER_IDLE_SECONDS: int(300, 1),
	CONCORD_VERSIONS_KEPT: int(100, 1),
	CONCORD_VERSIONS_NAMED_MAX: int(200, 1),
	CONCORD_COMMENT_THREADS_MAX: int(500, 1),
	CONCORD_COMMENTS_MAX: int(2000, 1),
	CONCORD_COMMENTS_PER_THREAD_MAX: int(100, 1),
	CONCORD_SHUTDOWN_GRACE_MS: int(5_000, 0),
	/** normal: durable across process crashes; full: also across power loss, at an fsync per group commit. */
	CONCORD_SQLITE_SYNC: z.enum(['normal', 'full']).default('normal'),
	/** Tests only: while this file exists, storing updates fails as on a full disk. */
	CONCORD_FAULT_STORAGE_FILE: z.string().optional(),
	/** Benchmark only: relay before the commit to measure what commit-before-relay costs. */
	CONCORD_BENCH_RELAY_FIRST: z.enum(['0', '1']).default('0')
});

export interface Config {
	port: number;
	host: string;
	dataDir: string;
	databaseFile: string;
	/** PostgreSQL instead of the SQLite file (DATABASE_URL), or null. */
	databaseUrl: string | null;
	/** REDIS_URL: the relay between several instances on one PostgreSQL database; null: one instance. */
	redisUrl: string | null;
	sqliteSync: 'normal' | 'full';
	/**
	 * Origins browsers may send. With PORT=0 (tests) and no CONCORD_PUBLIC_ORIGIN this starts empty and
	 * main.ts fills in the local origins once the port is known.
	 */
	publicOrigins: string[];
	/**
	 * CONCORD_TRUSTED_PROXIES: requests from these addresses carry the client's own in
	 * X-Forwarded-For (sign-in throttle, socket caps, audit); from anywhere else the header is ignored.
	 */
	trustedProxies: string[];
	secureCookies: boolean;
	admin: { username: string; password: string } | null;
	session: { idleMs: number; maxMs: number };
	loginThrottle: { perAccount: number; perAddress: number; windowMs: number };
	limits: {
		maxFrameBytes: number;
		messagesPerSecond: number;
		messageBurst: number;
		sendBufferBytes: number;
		handshakeTimeoutMs: number;
		/** Open sync sockets per client address and per account; more are refused with HTTP 429. */
		socketsPerAddress: number;
		socketsPerUser: number;
		idleTimeoutMs: number;
	};
	/** What a client may make a document hold and cost (see server/collab/room.ts `RoomLimits`). */
	room: RoomLimits;
	/** Event-loop time one account's updates may take per second (ten seconds' worth at once). */
	cpuMsPerSecond: number;
	rooms: { unloadMs: number; compactAfterUpdates: number };
	/** Automatic versions: taken this long after editing pauses; this many kept per document. */
	versions: { pauseMs: number; keepAuto: number; maxNamed: number };
	/** Comments: at most this many threads per document, and comments per thread. */
	comments: { threadsPerDocument: number; commentsPerDocument: number; commentsPerThread: number };
	shutdownGraceMs: number;
	/** Tests only: see CONCORD_FAULT_STORAGE_FILE. */
	faultStorageFile: string | null;
	relayFirst: boolean;
}

/** Thrown with every problem found, so an operator fixes them all in one go. */
export class ConfigError extends Error {
	constructor(readonly problems: string[]) {
		super(`invalid configuration:\n  ${problems.join('\n  ')}`);
	}
}

/**
 * A service URL: unset → null; otherwise one of `protocols` with a host (and a path past "/" when
 * `needsPath`), or a problem named `problem`.
 */
function parseServiceUrl(raw: string | undefined, protocols: string[], needsPath: boolean, problem: string, problems: string[]): string | null {
	if (raw === undefined || raw === '') return null;
	let url: URL | null = null;
	try {
		url = new URL(raw);
	} catch {
		// Reported below.
	}
	if (url === null || !protocols.includes(url.protocol) || url.hostname === '' || (needsPath && url.pathname.length < 2)) {
		problems.push(problem);
		return null;
	}
	return raw;
}

/** DATABASE_URL: a postgres:// or postgresql:// URL with a host and a database name, or unset (SQLite). */
const parseDatabaseUrl = (raw: string | undefined, problems: string[]) =>
	parseServiceUrl(raw, ['postgres:', 'postgresql:'], true, 'DATABASE_URL: expected postgres://user:password@host:5432/database (PostgreSQL); leave it unset to use SQLite in DATA_DIR', problems);

/** REDIS_URL: a redis:// or rediss:// URL with a host, or unset (one instance). */
const parseRedisUrl = (raw: string | undefined, problems: string[]) =>
	parseServiceUrl(raw, ['redis:', 'rediss:'], false, 'REDIS_URL: expected redis://host:6379 (optionally redis://:password@host:6379/0); leave it unset for one instance', problems);

/** Where the data is, for the start-up line: the SQLite file, or PostgreSQL's host and database (never the password). */
const hostOf = (url: URL) => `${url.hostname}${url.port ? `:${url.port}` : ''}`;

export function describeStorage(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'redisUrl'>): string {
	if (config.databaseUrl === null) return `data in ${config.dataDir}`;
	const url = new URL(config.databaseUrl);
	const redis = config.redisUrl === null ? '' : `, relay on Redis at ${hostOf(new URL(config.redisUrl))}`;
	return `PostgreSQL at ${hostOf(url)}${url.pathname}, files in ${config.dataDir}${redis}`;
}

/** Parses and validates `env` (normally `process.env`) into a frozen Config. */
export function loadConfig(env: Record<string, string | undefined>): Config {
	const parsed = envSchema.safeParse(env);
	const problems = parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
	// The checks below read the raw strings, so they run even when the schema failed elsewhere: one
	// run names every problem.
	const databaseUrl = parseDatabaseUrl(env.DATABASE_URL, problems);
	const redisUrl = parseRedisUrl(env.REDIS_URL, problems);
	if (redisUrl !== null && !env.DATABASE_URL) {
		problems.push('REDIS_URL: several instances share one PostgreSQL database: set DATABASE_URL too (SQLite serves one instance)');
	}
	const publicOrigins = parseOrigins(env.CONCORD_PUBLIC_ORIGIN, parsed.data?.HOST ?? '', parsed.data?.PORT ?? 0, problems);
	const trustedProxies = parseProxies(env.CONCORD_TRUSTED_PROXIES, problems);
	const admin = parseAdmin(env.CONCORD_ADMIN_USERNAME, env.CONCORD_ADMIN_PASSWORD, problems);
	if (!parsed.success || problems.length > 0) throw new ConfigError(problems);
	const e = parsed.data;

	const dataDir = path.resolve(e.DATA_DIR);
	return Object.freeze({
		port: e.PORT,
		host: e.HOST,
		dataDir,
		databaseFile: path.join(dataDir, 'concord.db'),
		databaseUrl,
		redisUrl,
		sqliteSync: e.CONCORD_SQLITE_SYNC,
		publicOrigins,
		trustedProxies,
		secureCookies: publicOrigins.length > 0 && publicOrigins.every((o) => o.startsWith('https://')),
		admin,
		session: { idleMs: e.CONCORD_SESSION_IDLE_HOURS * 3_600_000, maxMs: e.CONCORD_SESSION_MAX_DAYS * 86_400_000 },
		loginThrottle: {
			perAccount: e.CONCORD_LOGIN_MAX_FAILURES_PER_ACCOUNT,
			perAddress: e.CONCORD_LOGIN_MAX_FAILURES_PER_ADDRESS,
			windowMs: e.CONCORD_LOGIN_WINDOW_MINUTES * 60_000
		},
		limits: {
			maxFrameBytes: e.CONCORD_MAX_FRAME_BYTES,
			messagesPerSecond: e.CONCORD_MAX_MESSAGES_PER_SECOND,
			messageBurst: e.CONCORD_MESSAGE_BURST,
			sendBufferBytes: e.CONCORD_SEND_BUFFER_BYTES,
			handshakeTimeoutMs: e.CONCORD_HANDSHAKE_TIMEOUT_MS,
			socketsPerAddress: e.CONCORD_MAX_SOCKETS_PER_ADDRESS,
			socketsPerUser: e.CONCORD_MAX_SOCKETS_PER_USER,
			idleTimeoutMs: e.CONCORD_IDLE_TIMEOUT_MS
		},
		room: {
			maxFrameBytes: e.CONCORD_MAX_FRAME_BYTES,
			update: {
				maxStructs: e.CONCORD_MAX_UPDATE_STRUCTS,
				maxElements: e.CONCORD_MAX_UPDATE_ELEMENTS,
				maxFormats: e.CONCORD_MAX_UPDATE_FORMATS,
				maxDeleteCuts: e.CONCORD_MAX_DELETE_CUTS,
				maxDepth: e.CONCORD_MAX_DOCUMENT_DEPTH,
				maxRoots: e.CONCORD_MAX_DOCUMENT_ROOTS
			},
			maxParkedBytes: e.CONCORD_MAX_PARKED_BYTES,
			maxDocumentBytes: e.CONCORD_MAX_DOCUMENT_BYTES,
			maxClientIdsPerConnection: e.CONCORD_MAX_CLIENT_IDS_PER_CONNECTION,
			presence: { maxStateBytes: e.CONCORD_MAX_PRESENCE_BYTES, maxIdsPerAccount: e.CONCORD_MAX_PRESENCE_IDS_PER_ACCOUNT, intervalMs: e.CONCORD_PRESENCE_INTERVAL_MS }
		},
		cpuMsPerSecond: e.CONCORD_MAX_UPDATE_CPU_MS_PER_SECOND,
		rooms: { unloadMs: e.CONCORD_ROOM_UNLOAD_MS, compactAfterUpdates: e.CONCORD_COMPACT_AFTER_UPDATES },
		versions: { pauseMs: e.CONCORD_VERSION_AFTER_IDLE_SECONDS * 1000, keepAuto: e.CONCORD_VERSIONS_KEPT, maxNamed: e.CONCORD_VERSIONS_NAMED_MAX },
		comments: { threadsPerDocument: e.CONCORD_COMMENT_THREADS_MAX, commentsPerDocument: e.CONCORD_COMMENTS_MAX, commentsPerThread: e.CONCORD_COMMENTS_PER_THREAD_MAX },
		shutdownGraceMs: e.CONCORD_SHUTDOWN_GRACE_MS,
		faultStorageFile: e.CONCORD_FAULT_STORAGE_FILE ?? null,
		relayFirst: e.CONCORD_BENCH_RELAY_FIRST === '1'
	});
}

/** The origins of a server reached directly at host:port. */
export function localOrigins(host: string, port: number): string[] {
	const origins = [`http://${host}:${port}`];
	if (host === '127.0.0.1' || host === '0.0.0.0') origins.push(`http://localhost:${port}`);
	return origins;
}

function parseOrigins(raw: string | undefined, host: string, port: number, problems: string[]): string[] {
	if (raw === undefined || raw.trim() === '') return port === 0 ? [] : localOrigins(host, port);
	const origins: string[] = [];
	for (const item of raw.split(',').map((s) => s.trim()).filter(Boolean)) {
		try {
			const url = new URL(item);
			if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('scheme');
			origins.push(url.origin);
		} catch {
			problems.push(`CONCORD_PUBLIC_ORIGIN: "${item}" is not an http(s) origin`);
		}
	}
	return origins;
}

/** CONCORD_TRUSTED_PROXIES: the reverse proxies' own addresses (IPv4 or IPv6), comma-separated. */
function parseProxies(raw: string | undefined, problems: string[]): string[] {
	const out: string[] = [];
	for (const item of (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
		if (isIP(item) === 0) problems.push(`CONCORD_TRUSTED_PROXIES: "${item}" is not an IP address (list the reverse proxies' own addresses, e.g. 127.0.0.1)`);
		else out.push(item);
	}
	return out;
}

function parseAdmin(username: string | undefined, password: string | undefined, problems: string[]) {
	if (!username && !password) return null;
	if (!username || !password) {
		problems.push('CONCORD_ADMIN_USERNAME and CONCORD_ADMIN_PASSWORD must be set together');
		return null;
	}
	if (password.length < 8) problems.push('CONCORD_ADMIN_PASSWORD: at least 8 characters');
	if (!/^[A-Za-z0-9._-]{2,64}$/.test(username)) {
		problems.push('CONCORD_ADMIN_USERNAME: 2–64 letters, digits, dot, underscore or hyphen');
	}
	return { username, password };
}
