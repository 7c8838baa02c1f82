import { afterEach, expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

let server: TestServer;
afterEach(async () => {
	await server.stop();
	server.removeData();
});

const attempt = (password: string, forwardedFor?: string) =>
	api(server.url, 'POST', '/api/auth/login', { body: { username: adminUsername, password }, headers: forwardedFor ? { 'x-forwarded-for': forwardedFor } : {} });

test('behind a trusted reverse proxy, failed sign-ins count per client (X-Forwarded-For): one delegate\'s typos lock out nobody else', async () => {
	server = await TestServer.start({ env: { CONCORD_TRUSTED_PROXIES: '127.0.0.1', CONCORD_LOGIN_MAX_FAILURES_PER_ADDRESS: '3', CONCORD_LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' } });
	for (let i = 0; i < 3; i++) expect((await attempt('wrong-password', '192.168.5.20')).status).toBe(401);
	expect((await attempt(adminPassword, '192.168.5.20')).status).toBe(429);
	// Another delegate behind the same proxy signs in.
	expect((await attempt(adminPassword, '192.168.5.21')).status).toBe(200);
	// A client cannot escape its count by writing its own header before the proxy's.
	expect((await attempt(adminPassword, '1.2.3.4, 192.168.5.20')).status).toBe(429);
	// The audit log names the client, not the proxy.
	const admin = await api(server.url, 'POST', '/api/auth/login', { body: { username: adminUsername, password: adminPassword }, headers: { 'x-forwarded-for': '192.168.5.22' } });
	const cookie = (admin.headers.get('set-cookie') ?? '').split(';')[0];
	const audit = (await api(server.url, 'GET', '/api/admin/audit', { cookie })).body as { entries?: { address: string }[] };
	expect(JSON.stringify(audit)).toContain('192.168.5.20');
});

test('without trusted proxies X-Forwarded-For is ignored: a guesser changing it is still one address', async () => {
	server = await TestServer.start({ env: { CONCORD_LOGIN_MAX_FAILURES_PER_ADDRESS: '3', CONCORD_LOGIN_MAX_FAILURES_PER_ACCOUNT: '100' } });
	for (let i = 0; i < 3; i++) expect((await attempt('wrong-password', `10.9.9.${i}`)).status).toBe(401);
	expect((await attempt(adminPassword, '10.9.9.200')).status).toBe(429);
});
