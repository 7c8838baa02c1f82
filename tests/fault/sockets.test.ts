import net from 'node:net';
import type WebSocket from 'ws';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Session, api, createUser, login } from '../helpers/api.js';
import { connectClient, rawSocket, waitFor } from '../helpers/clients.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

/**
 * Guarantee: one client cannot take the server down by holding sockets. Caps per account and per
 * address hold, also against a burst; sockets that never finish the upgrade or never speak are timed
 * out; a reader that stops reading is dropped at the send buffer while memory stays bounded and the
 * others notice nothing.
 */
let server: TestServer;
let admin: Session;
let a: Session;
let b: Session;
let docId: string;
beforeAll(async () => {
	server = await TestServer.start({
		env: {
			CONCORD_MAX_SOCKETS_PER_USER: '5',
			CONCORD_MAX_SOCKETS_PER_ADDRESS: '8',
			CONCORD_HANDSHAKE_TIMEOUT_MS: '500',
			CONCORD_IDLE_TIMEOUT_MS: '1500'
		}
	});
	admin = await login(server.url, adminUsername, adminPassword);
	for (const [username, displayName] of [
		['cap-a', '甲'],
		['cap-b', '乙']
	]) {
		await createUser(server.url, admin, { username, password: `${username}-password`, displayName, unit: '' });
	}
	a = await login(server.url, 'cap-a', 'cap-a-password');
	b = await login(server.url, 'cap-b', 'cap-b-password');
	docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '连接上限' } })).body.id;
});
afterAll(async () => {
	await server.stop();
	server.removeData();
});

const open = (s: Session) => rawSocket(server.wsUrl, docId, { cookie: s.cookie });
const sockets = (results: Awaited<ReturnType<typeof open>>[]) => results.flatMap((r) => ('ws' in r ? [r.ws] : []));
const closeAll = async (list: WebSocket[]) => {
	await Promise.all(list.map((ws) => new Promise((r) => (ws.once('close', r), ws.close()))));
};

test('caps per account and per address hold against a burst, and a closed socket gives its place back', async () => {
	const burst = await Promise.all(Array.from({ length: 20 }, () => open(a)));
	expect(sockets(burst)).toHaveLength(5);
	expect(burst.filter((r) => 'status' in r).every((r) => 'status' in r && r.status === 429)).toBe(true);
	// The address has 8 places: b gets the 3 that are left.
	const fromB = await Promise.all(Array.from({ length: 6 }, () => open(b)));
	expect(sockets(fromB)).toHaveLength(3);
	const refused = await open(b);
	expect('status' in refused && refused.status).toBe(429);
	const [first, ...rest] = sockets(burst);
	await closeAll([first]);
	await waitFor(async () => 'ws' in (await open(a).then((r) => (('ws' in r && rest.push(r.ws)), r))), 'a place is free again');
	await closeAll([...rest, ...sockets(fromB)]);
});

test('a client that never finishes its upgrade request is dropped after the handshake timeout, and holds no place', async () => {
	const port = Number(new URL(server.url).port);
	const started = Date.now();
	const closed = await new Promise<number>((resolve) => {
		const socket = net.connect(port, '127.0.0.1', () => socket.write(`GET /sync/${docId} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n`));
		socket.resume();
		socket.on('close', () => resolve(Date.now() - started));
		socket.on('error', () => undefined);
	});
	expect(closed).toBeLessThan(5000);
	// The five places of the account are all free.
	const five = await Promise.all(Array.from({ length: 5 }, () => open(a)));
	expect(sockets(five)).toHaveLength(5);
	await closeAll(sockets(five));
});

test('a socket that never sends is closed with 4408 after the idle timeout', async () => {
	const res = await open(a);
	if (!('ws' in res)) throw new Error('refused');
	const code = await new Promise<number>((resolve) => res.ws.once('close', (c: number) => resolve(c)));
	expect(code).toBe(4408);
});

test('readers that stop reading are dropped at the send buffer; the server does not buffer for them, and another reader gets everything', async () => {
	// A server of its own: the idle timeout above is too short for readers that only listen.
	// --expose-gc: memory is measured after a collection (stats ?gc=1), so it is what is still held.
	const own = await TestServer.start({ env: { CONCORD_SEND_BUFFER_BYTES: String(4 * 1024 * 1024), NODE_OPTIONS: '--expose-gc' } });
	const ownAdmin = await login(own.url, adminUsername, adminPassword);
	const ownDoc = (await api(own.url, 'POST', '/api/documents', { cookie: ownAdmin.cookie, body: { title: '慢读者' } })).body.id as string;
	const stats = async () =>
		(await api(own.url, 'GET', '/api/admin/stats?gc=1', { cookie: ownAdmin.cookie })).body as { heapUsedBytes: number; arrayBuffersBytes: number; connections: number };
	const held = async () => {
		const s = await stats();
		return s.heapUsedBytes + s.arrayBuffersBytes;
	};
	const slow = sockets(await Promise.all(Array.from({ length: 5 }, () => rawSocket(own.wsUrl, ownDoc, { cookie: ownAdmin.cookie }))));
	expect(slow).toHaveLength(5);
	await new Promise((r) => setTimeout(r, 100));
	for (const ws of slow) (ws as unknown as { _socket: net.Socket })._socket.pause();
	const writer = connectClient(own.wsUrl, ownDoc, ownAdmin.cookie);
	const reader = connectClient(own.wsUrl, ownDoc, ownAdmin.cookie);
	try {
		await waitFor(() => writer.provider.synced && reader.provider.synced, 'synced');
		const before = await held();
		const chunk = '整'.repeat(40_000); // about 120 KB of UTF-8 per update
		let written = 0;
		for (let i = 0; i < 300 && (await stats()).connections > 2; i++) {
			writer.text.insert(writer.text.length, chunk);
			written += 120_000;
			await new Promise((r) => setTimeout(r, 10));
		}
		await waitFor(async () => (await stats()).connections === 2, 'the slow readers are dropped', 20_000);
		// Writing goes on: a server that kept buffering for the five would hold five times all of it.
		for (let i = 0; i < 150; i++) {
			writer.text.insert(writer.text.length, chunk);
			written += 120_000;
			await new Promise((r) => setTimeout(r, 20));
		}
		await waitFor(() => reader.text.length === writer.text.length, 'the other reader has everything', 30_000);
		// The document itself costs up to twice what was written (UTF-16); five send queues of it would be far more.
		expect((await held()) - before).toBeLessThan(2 * written + 16 * 1024 * 1024);
		expect(writer.provider.wsconnected && reader.provider.wsconnected).toBe(true);
	} finally {
		writer.destroy();
		reader.destroy();
		for (const ws of slow) ws.terminate();
		await own.stop();
		own.removeData();
	}
});
