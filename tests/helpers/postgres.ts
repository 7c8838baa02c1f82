import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { waitFor } from './clients.js';
import { freePort } from './ports.js';

/**
 * A PostgreSQL server of the test's own: a new cluster (initdb) in a temporary directory on an
 * ephemeral port of 127.0.0.1, from the Debian binaries, so that a test can stop, pause and kill it.
 * Never the machine's own server on 5432. As root (CI), the cluster runs as the `postgres` account,
 * since PostgreSQL refuses to run as root.
 */
export class TestPostgres {
	private constructor(
		private readonly proc: ChildProcess,
		readonly port: number,
		private readonly dir: string,
		private readonly output: string[]
	) {}

	static async start(): Promise<TestPostgres> {
		const bin = await postgresBin();
		const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-pg-'));
		const data = path.join(dir, 'data');
		const owner = process.getuid?.() === 0 ? await accountIds('postgres') : null;
		if (owner) await fs.chown(dir, owner.uid, owner.gid);
		await run(owner, path.join(bin, 'initdb'), ['-D', data, '-U', 'concord', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
		for (let attempt = 0; ; attempt++) {
			const port = await freePort();
			const output: string[] = [];
			const proc = launch(owner, path.join(bin, 'postgres'), [
				'-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1',
				// Only the test's data: no fsync (a test kills Concord, not the database, when it checks durability).
				'-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'max_connections=200'
			]);
			proc.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
			proc.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
			const server = new TestPostgres(proc, port, dir, output);
			try {
				await waitFor(async () => proc.exitCode === null && (await server.query('SELECT 1').then(() => true, () => false)), 'PostgreSQL accepts connections', 30_000);
				return server;
			} catch (err) {
				proc.kill('SIGKILL');
				// Another process took the port between looking and listening: try another.
				if (attempt < 3 && /could not bind|Address already in use/u.test(output.join(''))) continue;
				throw new Error(`PostgreSQL did not start: ${String(err)}\n${output.join('')}`);
			}
		}
	}

	/** A connection string for database `db` (the cluster's `postgres` by default). */
	url(db = 'postgres'): string {
		return `postgres://concord@127.0.0.1:${this.port}/${db}`;
	}

	/** One statement on database `db` (the cluster's `postgres` by default), on a connection of its own. */
	query(text: string, db = 'postgres'): Promise<pg.QueryResult> {
		return queryOnce(this.url(db), text);
	}

	/** A new empty database (one per store or Concord server under test); returns its connection string. */
	createDatabase(): Promise<string> {
		return createDatabase(this.url());
	}

	/** Freezes the server (SIGSTOP): connections hang rather than fail. */
	pause(): void {
		this.proc.kill('SIGSTOP');
	}

	resume(): void {
		this.proc.kill('SIGCONT');
	}

	async stop(): Promise<void> {
		if (this.proc.exitCode === null && this.proc.signalCode === null) {
			this.resume();
			const exited = new Promise((r) => this.proc.once('exit', r));
			// Fast shutdown: open connections are closed, as when an operator stops the service.
			this.proc.kill('SIGINT');
			await exited;
		}
		await fs.rm(this.dir, { recursive: true, force: true });
	}

	/** What the server printed (for a failing test's message). */
	log(): string {
		return this.output.join('');
	}
}

declare module 'vitest' {
	export interface ProvidedContext {
		/** The server-on-PostgreSQL project's cluster (its `postgres` database); unset elsewhere. */
		postgresAdminUrl: string;
	}
}

async function queryOnce(url: string, text: string): Promise<pg.QueryResult> {
	const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
	client.on('error', () => undefined);
	await client.connect();
	try {
		return await client.query(text);
	} finally {
		await client.end().catch(() => undefined);
	}
}

/** A new empty database on the cluster of `adminUrl`; returns its connection string. */
export async function createDatabase(adminUrl: string): Promise<string> {
	const name = `concord_${Math.random().toString(36).slice(2, 10)}`;
	await queryOnce(adminUrl, `CREATE DATABASE ${name}`);
	const url = new URL(adminUrl);
	url.pathname = `/${name}`;
	return url.toString();
}

/** The newest installed PostgreSQL's bin directory (Debian: /usr/lib/postgresql/<version>/bin). */
async function postgresBin(): Promise<string> {
	const root = '/usr/lib/postgresql';
	const versions = (await fs.readdir(root).catch(() => [] as string[])).filter((v) => /^\d+$/u.test(v)).sort((a, b) => Number(b) - Number(a));
	if (versions.length === 0) throw new Error('PostgreSQL is not installed (no /usr/lib/postgresql/<version>): run node scripts/ensure-tools.mjs');
	return path.join(root, versions[0], 'bin');
}

async function accountIds(name: string): Promise<{ uid: number; gid: number }> {
	const line = (await fs.readFile('/etc/passwd', 'utf8')).split('\n').find((l) => l.startsWith(`${name}:`));
	if (!line) throw new Error(`no ${name} account to run PostgreSQL as (running as root)`);
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

function launch(owner: { uid: number; gid: number } | null, file: string, args: string[]): ChildProcess {
	return spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(owner ? { uid: owner.uid, gid: owner.gid } : {}), env: { ...process.env, LC_ALL: 'C.UTF-8' } });
}

async function run(owner: { uid: number; gid: number } | null, file: string, args: string[]): Promise<void> {
	const proc = launch(owner, file, args);
	const output: string[] = [];
	proc.stdout?.on('data', (c: Buffer) => output.push(c.toString()));
	proc.stderr?.on('data', (c: Buffer) => output.push(c.toString()));
	const code = await new Promise<number | null>((r) => proc.once('exit', r));
	if (code !== 0) throw new Error(`${path.basename(file)} failed (${code}):\n${output.join('')}`);
}
