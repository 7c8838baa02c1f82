import net from 'node:net';
import { expect, test } from 'vitest';
import type WebSocket from 'ws';
import { api, createDocument } from '../helpers/api.js';
import { connectClient, rawSocket, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';

const f = useUsers({
		env: { CONCORD_IDLE_TIMEOUT_MS: '1500', CONCORD_HANDSHAKE_TIMEOUT_MS: '1000', CONCORD_SEND_BUFFER_BYTES: '65536' }
	});

const connections = async () =>
	((await api(f.server.url, 'GET', '/api/admin/stats', { cookie: f.admin.cookie })).body as { connections: number }).connections;

test('a socket that says nothing for the idle timeout is closed with 4408', async () => {
	const docId = await createDocument(f.server.url, f.alice, '空闲超时');
	const res = await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie });
	if (!('ws' in res)) throw new Error('refused');
	const code = await new Promise<number>((resolve) => res.ws.once('close', (c) => resolve(c)));
	expect(code).toBe(4408);
});

test('a client that never finishes its request headers is dropped after the handshake timeout', async () => {
	const socket = net.connect(f.server.port, '127.0.0.1');
	await new Promise((r) => socket.once('connect', r));
	const t0 = Date.now();
	socket.write('GET /sync/whatever HTTP/1.1\r\nHost: 127.0.0.1\r\n');
	socket.resume();
	const closedAt = await new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
	// 1 s timeout, checked every second: well under Node's default of 30 s between checks.
	expect(closedAt - t0).toBeLessThan(5000);
});

test('a reader that stops reading is dropped instead of buffering without bound; the writer is unaffected', async () => {
	const docId = await createDocument(f.server.url, f.alice, '慢读者');
	const res = await rawSocket(f.server.wsUrl, docId, { cookie: f.bob.cookie });
	if (!('ws' in res)) throw new Error('refused');
	const slow: WebSocket = res.ws;
	await new Promise((r) => setTimeout(r, 100));
	(slow as unknown as { _socket: net.Socket })._socket.pause();
	// Once the slow reader is gone only the writer is left.
	const dropped = async () => (await connections()) === 1;

	const writer = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	try {
		await waitFor(() => writer.provider.synced, 'writer synced');
		const chunk = '整'.repeat(300_000); // about 900 KB of UTF-8 per update
		expect(await connections()).toBe(2);
		for (let i = 0; i < 40 && !(await dropped()); i++) {
			writer.text.insert(writer.text.length, chunk);
			await new Promise((r) => setTimeout(r, 50));
		}
		await waitFor(dropped, 'slow reader dropped', 20_000);
		expect(writer.provider.wsconnected).toBe(true);
	} finally {
		writer.destroy();
		slow.terminate();
	}
});
