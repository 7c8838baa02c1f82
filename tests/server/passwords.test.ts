import { expect, test } from 'vitest';
import { api, login } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { aliceAccount, bobAccount, useUsers } from '../helpers/fixture.js';

const f = useUsers();

const closeCodes = (client: ReturnType<typeof connectClient>) => {
	const codes: number[] = [];
	client.provider.on('connection-close', (e: CloseEvent | null) => {
		if (e) codes.push(e.code);
	});
	return codes;
};

test('changing one\'s password keeps this session, ends the others and closes their sockets', async () => {
	const other = await login(f.server.url, aliceAccount.username, aliceAccount.password);
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: '改密码' } })).body.id;
	const client = connectClient(f.server.wsUrl, docId, other.cookie);
	const codes = closeCodes(client);
	try {
		await waitFor(() => client.provider.synced, 'synced');
		const wrong = await api(f.server.url, 'POST', '/api/me/password', { cookie: f.alice.cookie, body: { currentPassword: 'nope', newPassword: 'new-password-1' } });
		expect(wrong.status).toBe(401);
		const short = await api(f.server.url, 'POST', '/api/me/password', { cookie: f.alice.cookie, body: { currentPassword: aliceAccount.password, newPassword: 'short' } });
		expect(short.body.error.code).toBe('validation_failed');

		const ok = await api(f.server.url, 'POST', '/api/me/password', { cookie: f.alice.cookie, body: { currentPassword: aliceAccount.password, newPassword: 'new-password-1' } });
		expect(ok.status).toBe(204);
		await waitFor(() => codes.length > 0, 'the other session\'s socket closed', 2000);
		expect(codes[0]).toBe(4401);
		expect((await api(f.server.url, 'GET', '/api/me', { cookie: f.alice.cookie })).status).toBe(200);
		expect((await api(f.server.url, 'GET', '/api/me', { cookie: other.cookie })).status).toBe(401);
		expect((await api(f.server.url, 'POST', '/api/auth/login', { body: { username: 'alice', password: aliceAccount.password } })).status).toBe(401);
		await login(f.server.url, 'alice', 'new-password-1');
	} finally {
		client.destroy();
	}
});

test('an administrator resets a password or revokes every session of an account; others may not', async () => {
	const target = (await api(f.server.url, 'GET', '/api/me', { cookie: f.bob.cookie })).body.id;
	expect((await api(f.server.url, 'POST', `/api/users/${target}/sessions/revoke`, { cookie: f.alice.cookie })).status).toBe(403);

	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.bob.cookie, body: { title: '注销会话' } })).body.id;
	const client = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	const codes = closeCodes(client);
	try {
		await waitFor(() => client.provider.synced, 'synced');
		expect((await api(f.server.url, 'POST', `/api/users/${target}/sessions/revoke`, { cookie: f.admin.cookie })).status).toBe(204);
		await waitFor(() => codes.length > 0, 'socket closed', 2000);
		expect(codes[0]).toBe(4401);
		expect((await api(f.server.url, 'GET', '/api/me', { cookie: f.bob.cookie })).status).toBe(401);
	} finally {
		client.destroy();
	}

	const fresh = await login(f.server.url, bobAccount.username, bobAccount.password);
	const reset = await api(f.server.url, 'POST', `/api/users/${target}/password`, { cookie: f.admin.cookie, body: { newPassword: 'reset-password-1' } });
	expect(reset.status).toBe(204);
	expect((await api(f.server.url, 'GET', '/api/me', { cookie: fresh.cookie })).status).toBe(401);
	await login(f.server.url, bobAccount.username, 'reset-password-1');
	expect((await api(f.server.url, 'POST', '/api/users/no-such-user-id/password', { cookie: f.admin.cookie, body: { newPassword: 'whatever-123' } })).status).toBe(404);
});
