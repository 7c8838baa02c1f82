import { expect, test } from 'vitest';
import type WebSocket from 'ws';
import { createDocument } from '../helpers/api.js';
import { connectClient, rawSocket, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';

const f = useUsers({ env: { CONCORD_MAX_FRAME_BYTES: '65536' } });

async function openRaw(docId: string): Promise<WebSocket> {
	const res = await rawSocket(f.server.wsUrl, docId, { cookie: f.bob.cookie });
	if (!('ws' in res)) throw new Error(`refused: ${res.status}`);
	return res.ws;
}

function closeCodeOf(ws: WebSocket): Promise<number> {
	return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

const cases: Array<[string, Uint8Array, number]> = [
	['a bad varint', new Uint8Array([0x80, 0x80, 0x80, 0x80]), 4400],
	['a truncated update', new Uint8Array([0, 2, 50, 1, 2, 3]), 4400],
	['an unknown message type', new Uint8Array([42, 0]), 4400],
	['an update Yjs cannot decode', new Uint8Array([0, 2, 4, 0xff, 0xff, 0xff, 0xff]), 4400],
	['an oversized frame', new Uint8Array(70_000), 4413]
];

test.each(cases)('%s closes only that connection; the document and other clients are untouched', async (_name, frame, code) => {
	const docId = await createDocument(f.server.url, f.alice, '恶意帧测试');
	const a = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	const b = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	try {
		await waitFor(() => a.provider.synced && b.provider.synced, 'sync');
		a.text.insert(0, '原有内容');
		await waitFor(() => b.text.toString() === '原有内容', 'B has the content');

		const hostile = await openRaw(docId);
		const closed = closeCodeOf(hostile);
		hostile.send(frame);
		expect(await closed).toBe(code);

		// The others stay connected and keep editing together.
		b.text.insert(4, '，后续编辑');
		await waitFor(() => a.text.toString() === '原有内容，后续编辑', 'A sees B after the attack');
		expect(a.provider.wsconnected && b.provider.wsconnected).toBe(true);

		const c = connectClient(f.server.wsUrl, docId, f.bob.cookie);
		await waitFor(() => c.provider.synced, 'a fresh client syncs');
		expect(c.text.toString()).toBe('原有内容，后续编辑');
		c.destroy();
	} finally {
		a.destroy();
		b.destroy();
	}
});

test('a flood above the message rate limit closes with 4429', async () => {
	const docId = await createDocument(f.server.url, f.alice, '限流测试');
	const ws = await openRaw(docId);
	const closed = closeCodeOf(ws);
	const queryAwareness = new Uint8Array([3]);
	for (let i = 0; i < 2000 && ws.readyState === ws.OPEN; i++) ws.send(queryAwareness);
	expect(await closed).toBe(4429);
});
