import { afterEach, expect, test } from 'vitest';
import { api, createDocument, login } from '../helpers/api.js';
import { type SyncClient, connectClient, syncedClient, waitFor } from '../helpers/clients.js';
import { type Fixture, aliceAccount, startWithUsers } from '../helpers/fixture.js';

/**
 * An open sync socket lives no longer than its session: when the session ends (idle or absolute
 * limit) the socket is closed with 4401 and what is sent afterwards is not stored. Typing in the
 * editor counts as use, as an HTTP request does; presence renewals do not.
 */
let f: Fixture | null = null;
afterEach(async () => {
	await f?.server.stop();
	f?.server.removeData();
	f = null;
});

/** The close code the client's socket gets first. */
function firstClose(c: SyncClient): Promise<number> {
	return new Promise((resolve) => c.provider.once('connection-close', (e: { code: number } | null) => resolve(e?.code ?? 0)));
}

test('an idle session closes its open socket with 4401; nothing sent afterwards is stored', async () => {
	// 0.002 hours: 7.2 seconds.
	f = await startWithUsers({ env: { CONCORD_SESSION_IDLE_HOURS: '0.002' } });
	const docId = await createDocument(f.server.url, f.alice, '会话过期');
	const client = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	client.text.insert(0, '过期前');
	const closed = firstClose(client);
	expect(await closed).toBe(4401);
	// Offline edits stay in the client; the socket cannot come back with this session.
	client.text.insert(client.text.length, '过期后');
	expect((await api(f.server.url, 'GET', '/api/me', { cookie: f.alice.cookie })).status).toBe(401);
	const fresh = await login(f.server.url, aliceAccount.username, aliceAccount.password);
	const reader = await syncedClient(f.server.wsUrl, docId, fresh.cookie);
	expect(reader.text.toString()).toBe('过期前');
	reader.destroy();
	client.destroy();
});

test('typing keeps the session alive past its idle window; stopping lets it end', async () => {
	f = await startWithUsers({ env: { CONCORD_SESSION_IDLE_HOURS: '0.002' } });
	const docId = await createDocument(f.server.url, f.alice, '持续输入');
	const client = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	let code = 0;
	client.provider.on('connection-close', (e: { code: number } | null) => {
		if (code === 0) code = e?.code ?? -1;
	});
	const started = Date.now();
	// Two idle windows of steady typing.
	while (Date.now() - started < 15_000) {
		client.text.insert(client.text.length, '字');
		await new Promise((r) => setTimeout(r, 500));
	}
	expect(code).toBe(0);
	expect((await api(f.server.url, 'GET', '/api/me', { cookie: f.alice.cookie })).status).toBe(200);
	await waitFor(() => code !== 0, 'the session ends once typing stops', 20_000);
	expect(code).toBe(4401);
	client.destroy();
});

test('the absolute limit closes the socket even while typing', async () => {
	// 0.0001 days: 8.6 seconds.
	f = await startWithUsers({ env: { CONCORD_SESSION_MAX_DAYS: '0.0001' } });
	const docId = await createDocument(f.server.url, f.alice, '绝对期限');
	const client = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	const closed = firstClose(client);
	const typing = setInterval(() => client.text.insert(0, '字'), 300);
	try {
		expect(await closed).toBe(4401);
	} finally {
		clearInterval(typing);
		client.destroy();
	}
});
