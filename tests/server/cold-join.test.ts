import { expect, test } from 'vitest';
import { api, createDocument } from '../helpers/api.js';
import { type SyncClient, connectClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';

const f = useUsers({ env: { CONCORD_ROOM_UNLOAD_MS: '200' } });

const stats = async () => (await api(f.server.url, 'GET', '/api/admin/stats', { cookie: f.admin.cookie })).body as { rooms: number; connections: number; loads: number };

test('50 simultaneous joins of a cold document load it once, and every client gets the full content', async () => {
	const docId = await createDocument(f.server.url, f.alice, '冷启动文档');
	const writer = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	await waitFor(() => writer.provider.synced, 'writer synced');
	const content = '一'.repeat(2000) + '𠮷';
	writer.text.insert(0, content);
	const check = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	await waitFor(() => check.text.toString() === content, 'content stored');
	writer.destroy();
	check.destroy();
	await waitFor(async () => (await stats()).rooms === 0, 'document unloaded');
	const before = (await stats()).loads;

	const clients: SyncClient[] = [];
	const emptyOnSync: number[] = [];
	for (let i = 0; i < 50; i++) {
		const c = connectClient(f.server.wsUrl, docId, i % 2 ? f.alice.cookie : f.bob.cookie);
		// No client may ever be told "synced" while it still lacks the stored content.
		c.provider.on('sync', (synced: boolean) => {
			if (synced && c.text.toString() !== content) emptyOnSync.push(i);
		});
		clients.push(c);
	}
	try {
		await waitFor(() => clients.every((c) => c.provider.synced), 'all 50 synced', 20_000);
		expect(emptyOnSync).toEqual([]);
		for (const c of clients) expect(c.text.toString()).toBe(content);
		expect((await stats()).loads - before).toBe(1);
		expect((await stats()).connections).toBe(50);
	} finally {
		for (const c of clients) c.destroy();
	}
	await waitFor(async () => (await stats()).rooms === 0, 'document leaves memory after its clients');
});

test('stats are for administrators only', async () => {
	expect((await api(f.server.url, 'GET', '/api/admin/stats', { cookie: f.alice.cookie })).status).toBe(403);
	expect((await api(f.server.url, 'GET', '/api/admin/stats')).status).toBe(401);
});
