import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { createDatabase } from './postgres.js';

export const adminUsername = 'admin';
export const adminPassword = 'admin-password-1';

const serverEntry = path.resolve(import.meta.dirname, '../../dist/server.js');

export interface ServerOptions {
	/** Reuse a data directory (restart); a fresh temporary one otherwise. */
	dataDir?: string;
	/** Reuse a port (restart); 0 for an ephemeral one. */
	port?: number;
	env?: Record<string, string>;
}

/** A real Concord server process (the production bundle) on 127.0.0.1 with its own data directory. */
export class TestServer {
	private constructor(
		readonly proc: ChildProcess,
		readonly port: number,
		readonly dataDir: string,
		private readonly env: Record<string, string>,
		readonly output: string[]
	) {}

	private paused = false;

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The server's PostgreSQL database, or null when it is on SQLite in its data directory. */
	get databaseUrl(): string | null {
		return this.env.DATABASE_URL ?? null;
	}

	get wsUrl(): string {
		return `ws://127.0.0.1:${this.port}/sync`;
	}

	static async start(opts: ServerOptions = {}): Promise<TestServer> {
		if (!fs.existsSync(serverEntry)) throw new Error('dist/server.js is missing: run `npm run build` first');
		const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'concord-test-'));
		const env: Record<string, string> = {
			CONCORD_ADMIN_USERNAME: adminUsername,
			CONCORD_ADMIN_PASSWORD: adminPassword,
			CONCORD_ROOM_UNLOAD_MS: '1000',
			...opts.env
		};
		// In the server-on-PostgreSQL project every new server gets a database of its own on the project's
		// cluster (a restart passes the same DATABASE_URL on, so it finds its data again).
		const cluster = inject('postgresAdminUrl');
		if (cluster && env.DATABASE_URL === undefined) env.DATABASE_URL = await createDatabase(cluster);
		const proc = spawn(process.execPath, ['--enable-source-maps', serverEntry], {
			env: { ...process.env, ...env, DATA_DIR: dataDir, PORT: String(opts.port ?? 0), HOST: '127.0.0.1' },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		const output: string[] = [];
		const port = await new Promise<number>((resolve, reject) => {
			const timer = setTimeout(() => reject(new Error(`server did not start:\n${output.join('')}`)), 20_000);
			const onData = (chunk: Buffer) => {
				output.push(chunk.toString());
				const m = /Listening on http:\/\/[^:]+:(\d+)/.exec(output.join(''));
				if (m) {
					clearTimeout(timer);
					resolve(Number(m[1]));
				}
			};
			proc.stdout!.on('data', onData);
			proc.stderr!.on('data', (c: Buffer) => output.push(c.toString()));
			proc.once('exit', (code) => {
				clearTimeout(timer);
				reject(new Error(`server exited with ${code}:\n${output.join('')}`));
			});
		});
		// On the PostgreSQL project a server that did not say so would test SQLite under the wrong name.
		if (env.DATABASE_URL && !output.join('').includes('(PostgreSQL at ')) throw new Error(`server is not on PostgreSQL:\n${output.join('')}`);
		return new TestServer(proc, port, dataDir, env, output);
	}

	/** A new server process on the same port and data directory. */
	restart(extraEnv: Record<string, string> = {}): Promise<TestServer> {
		return TestServer.start({ dataDir: this.dataDir, port: this.port, env: { ...this.env, ...extraEnv } });
	}

	/** SIGKILL: no drain, no flush. */
	async kill(): Promise<void> {
		await this.signal('SIGKILL');
	}

	/**
	 * SIGSTOP: the process stops, its sockets stay open and the kernel still accepts connections, so
	 * clients see a connection that is up but silent (a dead network, a stalled proxy). `resume` undoes it.
	 */
	pause(): void {
		this.paused = true;
		this.proc.kill('SIGSTOP');
	}

	resume(): void {
		this.paused = false;
		this.proc.kill('SIGCONT');
	}

	/** SIGTERM, and wait for the process to exit; returns its exit code. */
	async stop(): Promise<number | null> {
		return this.signal('SIGTERM');
	}

	private signal(sig: NodeJS.Signals): Promise<number | null> {
		if (this.proc.exitCode !== null || this.proc.signalCode !== null) return Promise.resolve(this.proc.exitCode);
		return new Promise((resolve) => {
			this.proc.once('exit', (code) => resolve(code));
			this.proc.kill(sig);
			// A stopped process would hold the signal until continued.
			if (this.paused) this.resume();
		});
	}

	removeData(): void {
		fs.rmSync(this.dataDir, { recursive: true, force: true });
	}
}
