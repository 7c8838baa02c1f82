import * as decoding from 'lib0/decoding';
import type WebSocket from 'ws';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../helpers/api.js';
import { rawSocket, syncedClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { closeCodeOf, deleteSetUpdate, openRaw, syncFrame } from '../helpers/frames.js';

/**
 * Updates that build on content the server does not have wait beside the connection that sent them,
 * charged to it: they never hold back anyone else, and a reader is never served them as if they were
 * the document. They are applied (and acknowledged) once the content arrives.
 */
const f = useUsers({ env: { CONCORD_MAX_PARKED_BYTES: String(64 * 1024) } });

/** An update without structs that deletes `ranges` ranges of content of a client the server has never seen. */
const deleteUnknown = (client: number, ranges = 1) =>
	deleteSetUpdate(
		client,
		Array.from({ length: ranges }, (_, i) => [i * 10, 5] as [number, number])
	);

test('an 8-byte delete of unknown content is charged to its sender: an honest writer goes on, a reader gets a clean document', async () => {
	const docId = await createDocument(f.server.url, f.alice, '悬空删除');
	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const attackClosed = closeCodeOf(attacker);
	const dangling = deleteUnknown(123456);
	expect(dangling.byteLength).toBeLessThanOrEqual(8);
	attacker.send(syncFrame(2, dangling));

	const writer = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	for (let i = 0; i < 30; i++) writer.text.insert(writer.text.length, `第${i}段：征地拆迁进展说明。`.repeat(20));
	const expected = writer.text.toString();
	const reader = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	await waitFor(() => reader.text.toString() === expected, 'the reader has every paragraph');
	expect(writer.provider.wsconnected).toBe(true);
	expect(reader.doc.store.pendingStructs).toBeNull();
	expect(reader.doc.store.pendingDs).toBeNull();
	reader.destroy();

	// Past its budget the attacker, and only the attacker, is closed.
	for (let i = 0; i < 100 && attacker.readyState === attacker.OPEN; i++) attacker.send(syncFrame(2, deleteUnknown(1_000_000 + i, 2000)));
	expect(await attackClosed).toBe(4400);
	writer.text.insert(0, '之后：');
	const after = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	await waitFor(() => after.text.toString() === `之后：${expected}`, 'writing goes on');
	after.destroy();
	writer.destroy();
});

/** `saved` acknowledgements (message type 8) a raw socket receives. */
function acks(ws: WebSocket): number[] {
	const seen: number[] = [];
	ws.on('message', (data: Buffer) => {
		const d = decoding.createDecoder(new Uint8Array(data));
		if (decoding.readVarUint(d) === 8) seen.push(decoding.readVarUint(d));
	});
	return seen;
}

test('an update that arrives before the content it builds on waits, then both apply, in order, and only then are acknowledged', async () => {
	const docId = await createDocument(f.server.url, f.alice, '乱序到达');
	const watcher = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	const local = new Y.Doc();
	const t = local.getText('t');
	t.insert(0, '基础内容');
	const first = Y.encodeStateAsUpdate(local);
	const sv = Y.encodeStateVector(local);
	t.insert(4, '，后续补充');
	const second = Y.encodeStateAsUpdate(local, sv);

	const res = await rawSocket(f.server.wsUrl, `${docId}?ack=1`, { cookie: f.alice.cookie });
	if (!('ws' in res)) throw new Error(`refused: ${res.status}`);
	const ws = res.ws;
	const seen = acks(ws);
	ws.send(syncFrame(2, second));
	// A change the server cannot apply yet is neither shown to others nor acknowledged.
	await waitFor(() => seen.length > 0, 'an acknowledgement');
	expect(seen).toEqual([0]);
	expect(watcher.text.toString()).toBe('');
	ws.send(syncFrame(2, first));
	await waitFor(() => watcher.text.toString() === '基础内容，后续补充', 'both reach the watcher');
	await waitFor(() => seen.includes(2), 'both acknowledged');
	expect(seen.every((n) => n === 0 || n === 2)).toBe(true);
	ws.close();
	watcher.destroy();
});
