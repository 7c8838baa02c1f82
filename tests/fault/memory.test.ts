import * as encoding from 'lib0/encoding';
import { expect, test } from 'vitest';
import { api, login } from '../helpers/api.js';
import { rawSocket, waitFor } from '../helpers/clients.js';
import { scaled } from '../helpers/fault.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

/**
 * Guarantee: memory follows what is open, not what was ever opened. Documents are opened (a sync
 * step 1, answered) and closed by the thousand; once they have left memory the server's resident
 * memory returns near where it was after the first few hundred.
 */
const stepOne = (() => {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint8Array(e, new Uint8Array([0]));
	return encoding.toUint8Array(e);
})();

async function inBatches<T>(items: T[], width: number, each: (item: T) => Promise<void>): Promise<void> {
	for (let i = 0; i < items.length; i += width) await Promise.all(items.slice(i, i + width).map(each));
}

test(`open and close ${scaled(10_000)} documents: every one leaves memory, and resident memory returns near its baseline`, async () => {
	// --expose-gc lets the stats collect garbage first, so what is measured is what is still referenced.
	const server = await TestServer.start({ env: { CONCORD_ROOM_UNLOAD_MS: '50', CONCORD_MAX_SOCKETS_PER_USER: '100000', NODE_OPTIONS: '--expose-gc' } });
	try {
		const admin = await login(server.url, adminUsername, adminPassword);
		const stats = async () => (await api(server.url, 'GET', '/api/admin/stats?gc=1', { cookie: admin.cookie })).body as { rooms: number; loads: number; rssBytes: number; heapUsedBytes: number };
		const count = scaled(10_000);
		const ids: string[] = [];
		await inBatches(
			Array.from({ length: count }, (_, i) => i),
			32,
			async (i) => {
				const res = await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: `文档${i}` } });
				ids.push(res.body.id);
			}
		);
		const openAndClose = async (docId: string) => {
			const res = await rawSocket(server.wsUrl, docId, { cookie: admin.cookie });
			if (!('ws' in res)) throw new Error(`refused: ${res.status}`);
			const answered = new Promise((r) => res.ws.once('message', r));
			res.ws.send(stepOne);
			await answered;
			await new Promise((r) => (res.ws.once('close', r), res.ws.close()));
		};
		const warm = ids.slice(0, 500);
		await inBatches(warm, 50, openAndClose);
		await waitFor(async () => (await stats()).rooms === 0, 'the first documents leave memory', 30_000);
		const baseline = await stats();
		await inBatches(ids.slice(500), 50, openAndClose);
		await waitFor(async () => (await stats()).rooms === 0, 'every document leaves memory', 60_000);
		const after = await stats();
		expect(after.loads).toBeGreaterThanOrEqual(count);
		console.log(`memory: baseline rss ${baseline.rssBytes >> 20} MB heap ${baseline.heapUsedBytes >> 20} MB; after ${count} documents rss ${after.rssBytes >> 20} MB heap ${after.heapUsedBytes >> 20} MB`);
		// A leaked room costs tens of KB: 9,500 of them would be hundreds of MB.
		expect(after.rssBytes - baseline.rssBytes).toBeLessThan(96 * 1024 * 1024);
		expect(after.heapUsedBytes - baseline.heapUsedBytes).toBeLessThan(16 * 1024 * 1024);
	} finally {
		await server.stop();
		server.removeData();
	}
});
