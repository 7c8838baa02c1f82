import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { api, login, ownConnection } from '../helpers/api.js';
import { waitFor } from '../helpers/clients.js';
import { freePort } from '../helpers/ports.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

test('without admin settings on an empty store, the console says how to create the administrator', async () => {
	const server = await TestServer.start({ env: { CONCORD_ADMIN_USERNAME: '', CONCORD_ADMIN_PASSWORD: '' } });
	try {
		expect(server.output.join('')).toContain('CONCORD_ADMIN_USERNAME=<name> CONCORD_ADMIN_PASSWORD=');
		expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'admin', password: 'anything1' } })).status).toBe(401);
	} finally {
		await server.stop();
		server.removeData();
	}
});

test('with admin settings the administrator exists, once, across restarts', async () => {
	const server = await TestServer.start();
	const restarted = await (async () => {
		await server.stop();
		return server.restart({ CONCORD_ADMIN_PASSWORD: 'a-different-password' });
	})();
	try {
		expect(restarted.output.join('')).not.toContain('Created administrator');
		const admin = await login(restarted.url, adminUsername, adminPassword);
		expect((await api(restarted.url, 'GET', '/api/me', { cookie: admin.cookie })).body.isAdmin).toBe(true);
	} finally {
		await restarted.stop();
		restarted.removeData();
	}
});

interface Run {
	code: number | null;
	stdout: string;
	stderr: string;
	/** The server got as far as listening (it was then stopped): the bad setting was not caught. */
	started: boolean;
}

/**
 * Runs the built server with `env` until it exits by itself. A server that starts anyway is stopped and
 * reported as `started`; one that neither starts nor exits within the time (a hang) fails the test.
 */
function runServer(env: Record<string, string>): Promise<Run> {
	const proc = spawn(process.execPath, [path.resolve('dist/server.js')], {
		env: { ...process.env, CONCORD_ADMIN_USERNAME: adminUsername, CONCORD_ADMIN_PASSWORD: adminPassword, HOST: '127.0.0.1', PORT: '0', ...env },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let stdout = '';
	let stderr = '';
	let started = false;
	proc.stdout.on('data', (c: Buffer) => {
		stdout += c.toString();
		if (!started && stdout.includes('Listening on')) {
			started = true;
			proc.kill('SIGTERM');
		}
	});
	proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			proc.kill('SIGKILL');
			reject(new Error(`the server neither started nor exited within 30 s (a hang):\n${stdout}${stderr}`));
		}, 30_000);
		proc.once('exit', (code) => {
			clearTimeout(timer);
			resolve({ code, stdout, stderr, started });
		});
	});
}

let scratch: string;
beforeAll(async () => {
	scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-startup-'));
});
afterAll(async () => {
	await fs.chmod(path.join(scratch, 'read-only'), 0o755).catch(() => {});
	await fs.rm(scratch, { recursive: true, force: true });
});

const exists = (p: string) => fs.access(p).then(() => true, () => false);

/** The server refused to start: non-zero exit, one line on stderr naming `what`, no stack trace. */
function expectOneLineRefusal(run: Run, what: RegExp) {
	expect(run.started, `the server started anyway:\n${run.stdout}`).toBe(false);
	expect(run.code).not.toBe(0);
	expect(run.code).not.toBeNull();
	const lines = run.stderr.trimEnd().split('\n');
	expect(lines, run.stderr).toHaveLength(1);
	expect(lines[0]).toMatch(/^\[concord\] /);
	expect(lines[0]).toMatch(what);
	expect(run.stderr).not.toMatch(/\n\s+at |Error:/);
}

test('an invalid configuration stops the server at once with every problem named, the schema’s and the later checks’ together', async () => {
	const dataDir = path.join(scratch, 'never-created-by-config');
	const run = await runServer({ DATA_DIR: dataDir, PORT: 'not-a-port', CONCORD_ADMIN_USERNAME: 'admin', CONCORD_ADMIN_PASSWORD: '', DATABASE_URL: 'mysql://db/concord', CONCORD_PUBLIC_ORIGIN: 'ftp://x' });
	expect(run.started).toBe(false);
	expect(run.code).toBe(2);
	for (const name of ['PORT', 'CONCORD_ADMIN_USERNAME', 'DATABASE_URL', 'CONCORD_PUBLIC_ORIGIN']) expect(run.stderr).toContain(name);
	expect(run.stderr).not.toMatch(/\n\s+at /);
	expect(await exists(dataDir)).toBe(false);
});

test('a port already in use: one line naming the port, exit non-zero, nothing created', async () => {
	const holder = net.createServer();
	await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
	const port = (holder.address() as net.AddressInfo).port;
	const dataDir = path.join(scratch, 'port-in-use');
	try {
		const run = await runServer({ DATA_DIR: dataDir, PORT: String(port) });
		expectOneLineRefusal(run, new RegExp(`PORT ${port}.*in use`));
	} finally {
		holder.close();
	}
	expect(await exists(dataDir)).toBe(false);
});

test('a HOST that does not resolve: one line naming it, exit non-zero, nothing created', async () => {
	const dataDir = path.join(scratch, 'bad-host');
	const run = await runServer({ DATA_DIR: dataDir, HOST: 'concord-no-such-host.invalid' });
	expectOneLineRefusal(run, /HOST "concord-no-such-host\.invalid"/);
	expect(await exists(dataDir)).toBe(false);
});

test('a DATA_DIR that is a file: one line, exit non-zero, the file untouched', async () => {
	const file = path.join(scratch, 'a-file');
	await fs.writeFile(file, 'not a directory');
	const run = await runServer({ DATA_DIR: file });
	expectOneLineRefusal(run, /DATA_DIR .*a-file.* not a directory/);
	expect(await fs.readFile(file, 'utf8')).toBe('not a directory');
	expect((await fs.readdir(scratch)).filter((n) => n.startsWith('a-file'))).toEqual(['a-file']);
});

test('a DATA_DIR that cannot be written: one line, exit non-zero, nothing created in it', async () => {
	// root writes through file modes, so for root a directory of a file system that takes no files stands in.
	let dir = '/sys';
	if (process.getuid?.() !== 0) {
		dir = path.join(scratch, 'read-only');
		await fs.mkdir(dir);
		await fs.chmod(dir, 0o555);
	}
	const before = await fs.readdir(dir);
	const run = await runServer({ DATA_DIR: path.join(dir, 'concord-data') });
	expectOneLineRefusal(run, /DATA_DIR .*concord-data.* (not writable|cannot be created)/);
	expect(await fs.readdir(dir)).toEqual(before);
	const direct = await runServer({ DATA_DIR: dir });
	expectOneLineRefusal(direct, /DATA_DIR .* not writable/);
	expect(await fs.readdir(dir)).toEqual(before);
});

test('a DATA_DIR that cannot exist (/proc/nope) is refused at once instead of spinning forever', async () => {
	const run = await runServer({ DATA_DIR: '/proc/nope' });
	expectOneLineRefusal(run, /DATA_DIR \/proc\/nope/);
	expect(await exists('/proc/nope')).toBe(false);
});

/** Names, sizes and modification times of everything in `dir`: what "changes nothing" compares. */
async function snapshot(dir: string): Promise<string[]> {
	const out: string[] = [];
	for (const name of (await fs.readdir(dir)).sort()) {
		const s = await fs.stat(path.join(dir, name));
		out.push(`${name} ${s.size} ${s.mtimeMs}`);
	}
	return out;
}

test('one process per data directory: a second one exits naming the holder and changes nothing; after the holder is SIGKILLed a new one starts', async () => {
	const first = await TestServer.start();
	let next: TestServer | null = null;
	try {
		await waitFor(async () => (await fetch(`${first.url}/healthz`, { headers: ownConnection })).ok, 'the first server is up');
		const before = await snapshot(first.dataDir);
		const second = await runServer({ DATA_DIR: first.dataDir });
		expectOneLineRefusal(second, new RegExp(`DATA_DIR .* in use by another Concord process \\(pid ${first.proc.pid}, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d Beijing time\\)`));
		expect(await snapshot(first.dataDir)).toEqual(before);
		expect((await fetch(`${first.url}/healthz`, { headers: ownConnection })).ok).toBe(true);

		await first.kill();
		next = await TestServer.start({ dataDir: first.dataDir });
		const admin = await login(next.url, adminUsername, adminPassword);
		expect((await api(next.url, 'GET', '/api/me', { cookie: admin.cookie })).body.isAdmin).toBe(true);
	} finally {
		await first.stop();
		await next?.stop();
		first.removeData();
	}
});

test('a DATABASE_URL nobody answers at stops the start with one line naming it, never its password, and frees the data directory', async () => {
	const dataDir = path.join(scratch, 'unreachable-postgres');
	const refused = await freePort();
	const run = await runServer({ DATA_DIR: dataDir, DATABASE_URL: `postgres://concord:s3cret-pw@127.0.0.1:${refused}/concord` });
	expectOneLineRefusal(run, new RegExp(`cannot use DATABASE_URL \\(PostgreSQL at 127\\.0\\.0\\.1:${refused}/concord`));
	expect(run.stderr).not.toContain('s3cret-pw');
	expect(run.code).toBe(1);
	// The lock went with it: the same directory starts at once on SQLite.
	const again = await runServer({ DATA_DIR: dataDir });
	expect(again.started).toBe(true);
});
