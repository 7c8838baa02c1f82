// A PostgreSQL server of one's own, for the tests and the benchmark: a new cluster (initdb) in a
// temporary directory on an ephemeral port of 127.0.0.1, from Debian's binaries, so that its owner can
// stop, pause and kill it. Never the machine's own server on 5432. As root (CI), the cluster runs as
// the `postgres` account, since PostgreSQL refuses to run as root.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports.mjs';

/** @typedef {{ uid: number, gid: number } | null} Owner */

/**
 * One statement on a connection of its own.
 * @param {string} url
 * @param {string} text
 */
export async function queryOnce(url, text) {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
	client.on('error', () => undefined);
	await client.connect();
	try {
		return await client.query(text);
	} finally {
		await client.end().catch(() => undefined);
	}
}

/**
 * A new empty database on the cluster of `adminUrl`; returns its connection string.
 * @param {string} adminUrl
 */
export async function createDatabase(adminUrl) {
	const name = `concord_${Math.random().toString(36).slice(2, 10)}`;
	await queryOnce(adminUrl, `CREATE DATABASE ${name}`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<version>/bin). */
async function postgresBin() {
	const root = '/usr/lib/postgresql';
	const versions = (await fs.readdir(root).catch(() => /** @type {string[]} */ ([]))).filter((v) => /^\d+$/u.test(v)).sort((a, b) => Number(b) - Number(a));
	if (versions.length === 0) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/<version>): run node scripts/ensure-tools.mjs');
	return path.join(root, versions[0], 'bin');
}

/** @param {string} name */
async function accountIds(name) {
	const line = (await fs.readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${name}:`));
	if (!line) throw new Error(`no ${name} account to run PostgreSQL as (running as root)`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

/**
 * @param {Owner} owner
 * @param {string} file
 * @param {string[]} args
 */
function launch(owner, file, args) {
	return spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ? { uid: owner.uid, gid: owner.gid } : {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } });
}

/**
 * @param {Owner} owner
 * @param {string} file
 * @param {string[]} args
 */
async function run(owner, file, args) {
	const proc = launch(owner, file, args);
	/** @type {string[]} */
	const output = [];
	proc.stdout.on('data', (c) => output.push(String(c)));
	proc.stderr.on('data', (c) => output.push(String(c)));
	const code = await new Promise((r) => proc.once('exit', r));
	if (code !== 0) throw new Error(`${path.basename(file)} failed (${code}):\n${output.join('')}`);
}

/**
 * Starts a cluster and waits until it accepts connections.
 * @param {{ fsync?: boolean }} [opts] fsync off (the default) for tests: they kill Concord, not the database.
 */
export async function startCluster({ fsync = false } = {}) {
	const bin = await postgresBin();
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-pg-'));
	const data = path.join(dir, 'data');
	const owner = process.getuid?.() === 0 ? await accountIds('postgres') : null;
	if (owner) await fs.chown(dir, owner.uid, owner.gid);
	await run(owner, path.join(bin, 'initdb'), ['-D', data, '-U', 'concord', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
	for (let attempt = 0; ; attempt++) {
		const port = await freePort();
		/** @type {string[]} */
		const output = [];
		const settings = ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', ...(fsync ? [] : ['-c', 'fsync=off', '-c', 'full_page_writes=off'])];
		const proc = launch(owner, path.join(bin, 'postgres'), ['-D', data, '-p', String(port), '-k', dir, ...settings]);
		proc.stdout.on('data', (c) => output.push(String(c)));
		proc.stderr.on('data', (c) => output.push(String(c)));
		const adminUrl = `postgres://concord@127.0.0.1:${port}/postgres`;
		const deadline = Date.now() + 30_000;
		let ready = false;
		while (!ready && proc.exitCode === null && Date.now() < deadline) {
			ready = await queryOnce(adminUrl, 'SELECT 1').then(
				() => true,
				() => false
			);
			if (!ready) await new Promise((r) => setTimeout(r, 50));
		}
		if (!ready) {
			proc.kill('SIGKILL');
			// Another process took the port between looking and listening: try another.
			if (attempt < 3 && /could not bind|Address already in use/u.test(output.join(''))) continue;
			throw new Error(`PostgreSQL did not start:\n${output.join('')}`);
		}
		return {
			port,
			/** @param {string} [db] a connection string for database `db` (the cluster's `postgres` by default) */
			url: (db = 'postgres') => `postgres://concord@127.0.0.1:${port}/${db}`,
			createDatabase: () => createDatabase(adminUrl),
			/** @param {string} text @param {string} [db] */
			query: (text, db = 'postgres') => queryOnce(`postgres://concord@127.0.0.1:${port}/${db}`, text),
			/** Freezes the server (SIGSTOP): connections hang rather than fail. */
			pause: () => proc.kill('SIGSTOP'),
			resume: () => proc.kill('SIGCONT'),
			log: () => output.join(''),
			async stop() {
				if (proc.exitCode === null && proc.signalCode === null) {
					proc.kill('SIGCONT');
					const exited = new Promise((r) => proc.once('exit', r));
					// Fast shutdown: open connections are closed, as when an operator stops the service.
					proc.kill('SIGINT');
					await exited;
				}
				await fs.rm(dir, { recursive: true, force: true });
			}
		};
	}
}
