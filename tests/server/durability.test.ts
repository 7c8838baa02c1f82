import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { type Fixture, startWithUsers } from '../helpers/fixture.js';
import type { TestServer } from '../helpers/server.js';

let f: Fixture;
let current: TestServer;

afterEach(async () => {
	await current.stop();
	current.removeData();
});

test('SIGKILL right after client B received A\'s edit: after restart a new client has it', async () => {
	f = await startWithUsers();
	current = f.server;
	const docId = await createDocument(f.server.url, f.alice, '水利组根因分析');
	const a = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	const b = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	await waitFor(() => a.provider.synced && b.provider.synced, 'sync');
	const edit = '坝基揭露断层破碎带𠮷';
	a.text.insert(0, edit);
	await waitFor(() => b.text.toString() === edit, 'B receives the edit');
	await f.server.kill();
	a.destroy();
	b.destroy();

	current = await f.server.restart();
	const c = connectClient(current.wsUrl, docId, f.bob.cookie);
	try {
		await waitFor(() => c.provider.synced, 'fresh client synced');
		expect(c.text.toString()).toBe(edit);
	} finally {
		c.destroy();
	}
});

test('typing under load, then SIGKILL: everything any client received survives', async () => {
	f = await startWithUsers({ env: { CONCORD_COMPACT_AFTER_UPDATES: '50' } });
	current = f.server;
	const docId = await createDocument(f.server.url, f.alice, '能源组整改方案');
	const a = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	const b = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	await waitFor(() => a.provider.synced && b.provider.synced, 'sync');
	for (let i = 0; i < 300; i++) {
		(i % 2 === 0 ? a : b).text.insert(0, String.fromCodePoint(0x4e00 + i));
		if (i % 25 === 0) await new Promise((r) => setImmediate(r));
	}
	// Wait for a few of B's received updates (of A's edits: B's own count for nothing here), then kill
	// in the middle of the stream.
	await waitFor(() => Y.getState(b.doc.store, a.doc.clientID) > 20, 'B receives part of the stream');
	await f.server.kill();
	// What each client received from the server is the other client's edits: its clock for the other's id.
	const receivedByB = Y.getState(b.doc.store, a.doc.clientID);
	const receivedByA = Y.getState(a.doc.store, b.doc.clientID);
	expect(receivedByB).toBeGreaterThan(0);
	a.destroy();
	b.destroy();

	current = await f.server.restart();
	const c = connectClient(current.wsUrl, docId, f.alice.cookie);
	try {
		await waitFor(() => c.provider.synced, 'fresh client synced');
		expect(Y.getState(c.doc.store, a.doc.clientID)).toBeGreaterThanOrEqual(receivedByB);
		expect(Y.getState(c.doc.store, b.doc.clientID)).toBeGreaterThanOrEqual(receivedByA);
	} finally {
		c.destroy();
	}
});

test('SIGTERM drains: clients are told "going away", the process exits 0, and content is kept', async () => {
	f = await startWithUsers();
	current = f.server;
	const docId = await createDocument(f.server.url, f.alice, '会议纪要（初稿）');
	const a = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	await waitFor(() => a.provider.synced, 'sync');
	const codes: number[] = [];
	a.provider.on('connection-close', (event: CloseEvent | null) => {
		if (event) codes.push(event.code);
	});
	const b = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	a.text.insert(0, '一、总体情况和评价');
	await waitFor(() => b.text.toString() === '一、总体情况和评价', 'the edit reached the server');
	const exit = await f.server.stop();
	expect(exit).toBe(0);
	await waitFor(() => codes.length > 0, 'close event');
	expect(codes[0]).toBe(1001);
	a.destroy();
	b.destroy();

	current = await f.server.restart();
	const c = connectClient(current.wsUrl, docId, f.alice.cookie);
	try {
		await waitFor(() => c.provider.synced, 'fresh client synced');
		expect(c.text.toString()).toBe('一、总体情况和评价');
	} finally {
		c.destroy();
	}
});
