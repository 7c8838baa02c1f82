// Starts each benchmark target as its own process on 127.0.0.1 and tells the load generator how to
// reach it: URL per document, protocol flavour, session cookie (Concord).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCluster } from '../../scripts/lib/postgres-cluster.mjs';
import { freePort } from '../../scripts/lib/ports.mjs';
import { startRedis } from '../../scripts/lib/redis-server.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const admin = { username: 'bench', password: 'bench-password-1' };

/** Every target: its protocol flavour and whether it keeps documents across a restart. */
export const targetKinds = {
	concord: { flavor: 'yws', persistent: true, label: 'Concord (SQLite, commit before relay)' },
	'concord-pg': { flavor: 'yws', persistent: true, label: 'Concord (PostgreSQL, commit before relay)' },
	'concord-3': { flavor: 'yws', persistent: true, label: 'Concord, 3 instances (PostgreSQL + Redis), clients spread over them' },
	'concord-relay-first': { flavor: 'yws', persistent: true, label: 'Concord, relay first (bench switch)' },
	yws: { flavor: 'yws', persistent: false, label: 'y-websocket reference (memory)' },
	'yws-leveldb': { flavor: 'yws', persistent: true, label: 'y-websocket reference (LevelDB)' },
	hocus: { flavor: 'hocus', persistent: false, label: 'Hocuspocus (memory)' },
	'hocus-sqlite': { flavor: 'hocus', persistent: true, label: 'Hocuspocus (SQLite)' },
	floor: { flavor: 'raw', persistent: false, label: 'floor: raw relay' }
};

function commandFor(kind, dataDir, databaseUrl, extraEnv = {}) {
	const env = { ...process.env, PORT: '0' };
	switch (kind) {
		case 'concord':
		case 'concord-pg':
		case 'concord-3':
		case 'concord-relay-first':
			return {
				args: [path.join(root, 'dist', 'server.js')],
				env: {
					...env,
					NODE_ENV: 'production',
					DATA_DIR: dataDir,
					CONCORD_ADMIN_USERNAME: admin.username,
					CONCORD_ADMIN_PASSWORD: admin.password,
					// The generator is one address sending for many editors: lift per-socket rate limits.
					CONCORD_MAX_MESSAGES_PER_SECOND: '1000000',
					CONCORD_MESSAGE_BURST: '1000000',
					CONCORD_MAX_FRAME_BYTES: String(64 * 1024 * 1024),
					CONCORD_ROOM_UNLOAD_MS: '2000',
					// …and one account for all of them: lift the per-account socket cap.
					CONCORD_MAX_SOCKETS_PER_USER: '1000000',
					CONCORD_MAX_SOCKETS_PER_ADDRESS: '1000000',
					CONCORD_BENCH_RELAY_FIRST: kind === 'concord-relay-first' ? '1' : '0',
					...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
					...extraEnv
				}
			};
		case 'yws':
			return { args: [path.join(here, '..', 'targets', 'ywebsocket.mjs')], env };
		case 'yws-leveldb':
			return { args: [path.join(here, '..', 'targets', 'ywebsocket.mjs')], env: { ...env, YPERSISTENCE: path.join(dataDir, 'leveldb') } };
		case 'hocus':
			return { args: [path.join(here, '..', 'targets', 'hocuspocus.mjs')], env };
		case 'hocus-sqlite':
			return { args: [path.join(here, '..', 'targets', 'hocuspocus.mjs')], env: { ...env, HOCUS_SQLITE: path.join(dataDir, 'hocus.db') } };
		case 'floor':
			return { args: [path.join(here, '..', 'targets', 'floor.mjs')], env };
		default:
			throw new Error(`unknown target ${kind}`);
	}
}

let cluster = null;
/**
 * The bench's own PostgreSQL (scripts/lib/postgres-cluster.mjs), started at the first concord-pg
 * target: fsync on, as a deployment runs it, so that "committed" means on disk.
 */
async function benchDatabase() {
	cluster ??= startCluster({ fsync: true });
	return (await cluster).createDatabase();
}

/** Stops the bench's PostgreSQL, if one was started. */
export async function stopBenchDatabase() {
	if (cluster) await (await cluster).stop();
	cluster = null;
}

async function spawnTarget(kind, dataDir, port, databaseUrl, extraEnv) {
	const { args, env } = commandFor(kind, dataDir, databaseUrl, extraEnv);
	if (port) env.PORT = String(port);
	// BENCH_PROFILE_DIR=<dir>: Concord writes a V8 CPU profile there when it stops (--cpu-prof).
	const profile = process.env.BENCH_PROFILE_DIR && kind.startsWith('concord') ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
	const proc = spawn(process.execPath, [...profile, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], cwd: path.join(here, '..') });
	let out = '';
	const found = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${kind} did not start:\n${out}`)), 30_000);
		const onData = (chunk) => {
			out += chunk;
			const m = /READY (\d+)|Listening on http:\/\/[^:]+:(\d+)/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1] ?? m[2]));
			}
		};
		proc.stdout.on('data', onData);
		proc.stderr.on('data', (c) => (out += c));
		proc.once('exit', (code) => {
			clearTimeout(timer);
			reject(new Error(`${kind} exited with ${code}:\n${out}`));
		});
	});
	// Keep draining output so a chatty target never blocks on a full pipe.
	proc.stdout.resume();
	proc.stderr.resume();
	return { proc, port: found };
}

/** Concord takes state-changing requests and sync upgrades only from its own origin (CSRF), as a page sends it. */
const concordOrigin = (port) => `http://127.0.0.1:${port}`;

async function concordLogin(port, account) {
	const res = await fetch(`${concordOrigin(port)}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: concordOrigin(port) },
		body: JSON.stringify(account)
	});
	if (res.status !== 200) throw new Error(`Concord login failed: ${res.status}`);
	return (res.headers.get('set-cookie') ?? '').split(';')[0];
}

const viewer = { username: 'viewer', password: 'viewer-password-1' };

/**
 * Concord as deployed: documents live in a breakout of a conference; editors write there and viewers
 * are observers (read-only; their presence is counted, not broadcast). Idempotent across restarts.
 */
async function concordSetup(port, cookie) {
	const call = async (method, path, body, c = cookie) => {
		const res = await fetch(`${concordOrigin(port)}${path}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: c, origin: concordOrigin(port) },
			body: body ? JSON.stringify(body) : undefined
		});
		return res.json().catch(() => null);
	};
	const existing = (await call('GET', '/api/conferences')).conferences[0];
	let breakoutId;
	if (existing) {
		breakoutId = (await call('GET', `/api/conferences/${existing.id}`)).breakouts[0].id;
	} else {
		await call('POST', '/api/users', { ...viewer, displayName: '远程列席', unit: '县人民政府' });
		const conference = await call('POST', '/api/conferences', { title: '基准测试会议' });
		breakoutId = (await call('POST', `/api/conferences/${conference.id}/breakouts`, { name: '交通组' })).id;
		await call('POST', `/api/conferences/${conference.id}/members`, { username: viewer.username, role: 'observer', breakoutIds: [breakoutId] });
	}
	return { breakoutId, viewerCookie: await concordLogin(port, viewer) };
}

/** Starts a target; `dataDir` (optional) reuses stored data. `restart()` keeps the same object. */
export async function startTarget(kind, opts = {}) {
	const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), `bench-${kind}-`));
	const flavor = targetKinds[kind].flavor;
	const isConcord = kind.startsWith('concord');
	// A database of its own, kept across restart() like the data directory.
	const databaseUrl = kind === 'concord-pg' || kind === 'concord-3' ? (opts.databaseUrl ?? (await benchDatabase())) : undefined;
	// Three instances: one Redis of the target's own, clients spread over the instances by document and turn.
	const instances = kind === 'concord-3' ? 3 : 1;
	const redis = instances > 1 ? await startRedis() : null;
	let extra = [];
	let turn = 0;
	let proc = null;
	const target = {
		kind,
		flavor,
		dataDir,
		port: 0,
		pid: 0,
		cookie: null,
		headers: {},
		/** Concord: viewers sign in as observers. */
		viewerHeaders: null,
		breakoutId: null,
		/** Every process of the target and their ports (three for concord-3). */
		pids: null,
		ports: null,
		async launch(port) {
			let started;
			if (redis !== null) {
				const ports = [port || (await freePort()), ...(target.ports?.slice(1) ?? [await freePort(), await freePort()])];
				const env = { REDIS_URL: redis.url, CONCORD_PUBLIC_ORIGIN: ports.map(concordOrigin).join(',') };
				started = await spawnTarget(kind, dataDir, ports[0], databaseUrl, env);
				extra = [];
				for (const p of ports.slice(1)) extra.push((await spawnTarget(kind, dataDir, p, databaseUrl, env)).proc);
				target.ports = ports;
			} else {
				started = await spawnTarget(kind, dataDir, port, databaseUrl);
			}
			proc = started.proc;
			target.port = started.port;
			target.pid = proc.pid;
			target.pids = [proc.pid, ...extra.map((p) => p.pid)];
			target.cookie = isConcord ? await concordLogin(started.port, admin) : null;
			target.headers = target.cookie ? { cookie: target.cookie, origin: concordOrigin(started.port) } : {};
			if (isConcord) {
				const setup = await concordSetup(started.port, target.cookie);
				target.breakoutId = setup.breakoutId;
				target.viewerHeaders = { cookie: setup.viewerCookie, origin: concordOrigin(started.port) };
			}
		},
		/** WebSocket URL of a document. Hocuspocus multiplexes on one URL and names documents in each frame. */
		url(doc) {
			if (flavor === 'hocus') return `ws://127.0.0.1:${target.port}/`;
			if (isConcord) return `ws://127.0.0.1:${target.ports ? target.ports[turn++ % target.ports.length] : target.port}/sync/${doc}`;
			return `ws://127.0.0.1:${target.port}/${doc}`;
		},
		/** Document names to use; Concord documents are created through its API first. */
		async documents(n, prefix = 'd') {
			if (!isConcord) return Array.from({ length: n }, (_, i) => `${prefix}${i}-${Date.now().toString(36)}`);
			const ids = [];
			for (let i = 0; i < n; i += 16) {
				const batch = await Promise.all(
					Array.from({ length: Math.min(16, n - i) }, async (_, j) => {
						const res = await fetch(`http://127.0.0.1:${target.port}/api/documents`, {
							method: 'POST',
							headers: { 'content-type': 'application/json', cookie: target.cookie, origin: concordOrigin(target.port) },
							body: JSON.stringify({ title: `${prefix}${i + j}`, breakoutId: target.breakoutId })
						});
						return (await res.json()).id;
					})
				);
				ids.push(...batch);
			}
			return ids;
		},
		/** Concord only: documents held in memory. */
		async roomsInMemory() {
			if (!isConcord) return null;
			const res = await fetch(`http://127.0.0.1:${target.port}/api/admin/stats`, { headers: { cookie: target.cookie } });
			return (await res.json()).rooms;
		},
		async stop() {
			await Promise.all(
				[proc, ...extra]
					.filter((p) => p !== null && p.exitCode === null && p.signalCode === null)
					.map(
						(p) =>
							new Promise((resolve) => {
								p.once('exit', resolve);
								p.kill('SIGTERM');
								setTimeout(() => p.kill('SIGKILL'), 5000).unref();
							})
					)
			);
		},
		/** Stops and starts the same target again on its data and port. */
		async restart() {
			await target.stop();
			await target.launch(target.port);
		},
		remove() {
			fs.rmSync(dataDir, { recursive: true, force: true });
			void redis?.remove();
		}
	};
	await target.launch(opts.port);
	return target;
}
