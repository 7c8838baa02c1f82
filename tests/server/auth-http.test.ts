import { expect, test } from 'vitest';
import { api, createDocument, login } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { aliceAccount, bobAccount, useUsers } from '../helpers/fixture.js';
import { withOrigin } from '../helpers/origin.js';

const f = useUsers({ env: { CONCORD_LOGIN_MAX_FAILURES_PER_ACCOUNT: '3' } });

test('sign-in sets an HttpOnly SameSite=Lax cookie; /api/me answers with the user', async () => {
	const res = await fetch(`${f.server.url}/api/auth/login`, {
		method: 'POST',
		headers: withOrigin(f.server.url, { 'content-type': 'application/json' }),
		body: JSON.stringify({ username: 'ALICE', password: aliceAccount.password })
	});
	expect(res.status).toBe(200);
	const cookie = res.headers.get('set-cookie') ?? '';
	expect(cookie).toMatch(/^concord_session=[a-z0-9]+\.[a-z0-9]+;/);
	expect(cookie).toMatch(/HttpOnly/i);
	expect(cookie).toMatch(/SameSite=Lax/i);
	expect(cookie).not.toMatch(/Secure/i);
	const me = await api(f.server.url, 'GET', '/api/me', { cookie: cookie.split(';')[0] });
	expect(me.status).toBe(200);
	expect(me.body).toMatchObject({ username: 'alice', displayName: aliceAccount.displayName, unit: aliceAccount.unit });
	expect(me.body).not.toHaveProperty('passwordHash');
});

test('wrong credentials get 401 invalid_credentials; unknown users look the same', async () => {
	for (const body of [
		{ username: 'alice', password: 'wrong-password' },
		{ username: 'nobody', password: 'wrong-password' }
	]) {
		const res = await api(f.server.url, 'POST', '/api/auth/login', { body });
		expect(res.status).toBe(401);
		expect(res.body).toEqual({ error: { code: 'invalid_credentials', message: expect.any(String) } });
	}
	expect((await api(f.server.url, 'GET', '/api/me')).body.error.code).toBe('unauthenticated');
});

test('repeated failures for one account are throttled with 429 and Retry-After', async () => {
	for (let i = 0; i < 3; i++) {
		expect((await api(f.server.url, 'POST', '/api/auth/login', { body: { username: 'carol', password: 'x' } })).status).toBe(401);
	}
	const res = await api(f.server.url, 'POST', '/api/auth/login', { body: { username: 'carol', password: 'x' } });
	expect(res.status).toBe(429);
	expect(res.body.error.code).toBe('too_many_attempts');
	expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
});

test('malformed and invalid bodies get 400 with a stable code and change nothing', async () => {
	const before = (await api(f.server.url, 'GET', '/api/documents', { cookie: f.alice.cookie })).body.documents.length;
	const bad = await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: '{"title":' });
	expect(bad.status).toBe(400);
	expect(bad.body.error.code).toBe('bad_request');
	const invalid = await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: '' } });
	expect(invalid.status).toBe(400);
	expect(invalid.body.error.code).toBe('validation_failed');
	const big = await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: 'x'.repeat(2_000_000) } });
	expect(big.status).toBe(413);
	expect(big.body.error.code).toBe('payload_too_large');
	expect((await api(f.server.url, 'GET', '/api/documents', { cookie: f.alice.cookie })).body.documents.length).toBe(before);
});

test('a state-changing request from a foreign Origin is refused with 403', async () => {
	const res = await api(f.server.url, 'POST', '/api/documents', {
		cookie: f.alice.cookie,
		body: { title: '跨站请求' },
		headers: { origin: 'http://evil.example' }
	});
	expect(res.status).toBe(403);
	expect(res.body.error.code).toBe('foreign_origin');
	const same = await api(f.server.url, 'POST', '/api/documents', {
		cookie: f.alice.cookie,
		body: { title: '同源请求' },
		headers: { origin: f.server.url }
	});
	expect(same.status).toBe(201);
});

test('documents: create, list, get; unknown ids are 404', async () => {
	const id = await createDocument(f.server.url, f.alice, '交通组 T1 项目根因分析');
	const got = await api(f.server.url, 'GET', `/api/documents/${id}`, { cookie: f.bob.cookie });
	expect(got.status).toBe(200);
	expect(got.body).toMatchObject({ id, title: '交通组 T1 项目根因分析', ownerName: aliceAccount.displayName });
	const list = await api(f.server.url, 'GET', '/api/documents', { cookie: f.bob.cookie });
	expect(list.body.documents.map((d: { id: string }) => d.id)).toContain(id);
	expect((await api(f.server.url, 'GET', '/api/documents/unknown-doc-id', { cookie: f.bob.cookie })).status).toBe(404);
	expect((await api(f.server.url, 'GET', `/api/documents/${id}`)).status).toBe(401);
});

test('only administrators create accounts; a taken username is 409', async () => {
	const body = { username: 'dave', password: 'dave-pass-1', displayName: '赵某', unit: '戊省水利厅' };
	expect((await api(f.server.url, 'POST', '/api/users', { cookie: f.alice.cookie, body })).status).toBe(403);
	expect((await api(f.server.url, 'POST', '/api/users', { cookie: f.admin.cookie, body })).status).toBe(201);
	const again = await api(f.server.url, 'POST', '/api/users', { cookie: f.admin.cookie, body });
	expect(again.status).toBe(409);
	expect(again.body.error.code).toBe('username_taken');
});

test('logout revokes the session and closes its open sync sockets with 4401', async () => {
	const session = await login(f.server.url, bobAccount.username, bobAccount.password);
	const docId = await createDocument(f.server.url, session, '退出测试');
	const client = connectClient(f.server.wsUrl, docId, session.cookie);
	const codes: number[] = [];
	client.provider.on('connection-close', (e: CloseEvent | null) => {
		if (e) codes.push(e.code);
	});
	try {
		await waitFor(() => client.provider.synced, 'sync');
		expect((await api(f.server.url, 'POST', '/api/auth/logout', { cookie: session.cookie })).status).toBe(204);
		await waitFor(() => codes.length > 0, 'socket closed', 2000);
		expect(codes[0]).toBe(4401);
		expect((await api(f.server.url, 'GET', '/api/me', { cookie: session.cookie })).status).toBe(401);
	} finally {
		client.destroy();
	}
});

test('/api/openapi.json describes every API route', async () => {
	const res = await api(f.server.url, 'GET', '/api/openapi.json');
	expect(res.status).toBe(200);
	const paths = Object.keys(res.body.paths);
	for (const p of ['/api/auth/login', '/api/auth/logout', '/api/me', '/api/documents', '/api/documents/{id}', '/api/users', '/api/admin/stats']) {
		expect(paths).toContain(p);
	}
	expect(res.body.paths['/api/documents'].post.requestBody).toBeDefined();
});

test('the SPA shell answers client routes; missing files and API routes stay 404', async () => {
	const page = await fetch(`${f.server.url}/d/some-document`);
	expect(page.status).toBe(200);
	expect(page.headers.get('content-type')).toContain('text/html');
	expect((await fetch(`${f.server.url}/favicon.ico`)).status).toBe(404);
	expect((await fetch(`${f.server.url}/missing.js`)).status).toBe(404);
	const apiMissing = await api(f.server.url, 'GET', '/api/nothing-here');
	expect(apiMissing.status).toBe(404);
	expect(apiMissing.body.error.code).toBe('not_found');
	expect(await (await fetch(`${f.server.url}/healthz`)).json()).toEqual({ ok: true });
});
