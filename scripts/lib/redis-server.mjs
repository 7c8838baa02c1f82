// A Redis server of one's own, for the tests and the benchmark: Debian's redis-server on an ephemeral
// port of 127.0.0.1, without persistence (Concord keeps nothing in Redis), so that its owner can stop,
// pause, kill and start it again on the same port. Never the machine's own server on 6379.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './ports.mjs';

/**
 * Whether a Redis server answers PING on `port`.
 * @param {number} port
 */
function pong(port) {
	return new Promise((resolve) => {
		const socket = net.connect(port, '127.0.0.1');
		let heard = '';
		const done = (/** @type {boolean} */ ok) => {
			socket.destroy();
			resolve(ok);
		};
		socket.setTimeout(1000, () => done(false));
		socket.on('error', () => done(false));
		socket.on('connect', () => socket.write('PING\r\n'));
		socket.on('data', (chunk) => {
			heard += String(chunk);
			if (heard.includes('\r\n')) done(heard.startsWith('+PONG'));
		});
	});
}

/** @param {number} port @param {string} dir */
function launch(port, dir) {
	return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--protected-mode', 'no'], {
		stdio: ['ignore', 'pipe', 'pipe']
	});
}

/** Starts a Redis server and waits until it answers. */
export async function startRedis() {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-redis-'));
	/** @type {import('node:child_process').ChildProcess | null} */
	let proc = null;
	let port = 0;
	/** @type {string[]} */
	const output = [];
	/** @param {number} wanted */
	const start = async (wanted) => {
		proc = launch(wanted, dir);
		proc.stdout?.on('data', (c) => output.push(String(c)));
		proc.stderr?.on('data', (c) => output.push(String(c)));
		const deadline = Date.now() + 20_000;
		while (Date.now() < deadline && proc.exitCode === null) {
			if (await pong(wanted)) return true;
			await new Promise((r) => setTimeout(r, 30));
		}
		proc.kill('SIGKILL');
		return false;
	};
	for (let attempt = 0; ; attempt++) {
		port = await freePort();
		if (await start(port)) break;
		// Another process took the port between looking and listening: try another.
		if (attempt >= 3) throw new Error(`redis-server did not start:\n${output.join('')}`);
	}
	const stopProc = async () => {
		const p = proc;
		proc = null;
		if (p === null || p.exitCode !== null || p.signalCode !== null) return;
		await new Promise((resolve) => {
			p.once('exit', resolve);
			p.kill('SIGCONT');
			p.kill('SIGKILL');
		});
	};
	return {
		port,
		url: `redis://127.0.0.1:${port}`,
		/** Stops the server (its data goes: there is none to keep). */
		stop: stopProc,
		/** Starts it again on the same port. */
		async start() {
			if (!(await start(port))) throw new Error(`redis-server did not start again on ${port}:\n${output.join('')}`);
		},
		/** SIGSTOP: connections stay open and silent. */
		pause: () => proc?.kill('SIGSTOP'),
		resume: () => proc?.kill('SIGCONT'),
		/** Stops the server and removes its directory. */
		async remove() {
			await stopProc();
			await fs.rm(dir, { recursive: true, force: true });
		}
	};
}
