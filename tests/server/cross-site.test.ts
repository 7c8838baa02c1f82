import { expect, test } from 'vitest';
import { api, createDocument, login } from '../helpers/api.js';
import { rawSocket, waitFor } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { aliceAccount, useUsers } from '../helpers/fixture.js';
import { breakoutWithPlan } from '../helpers/ledger.js';

/**
 * The cross-site request rule (README "API"): a state-changing request is taken only with an Origin
 * among the public origins, or, with no Origin at all, with `Sec-Fetch-Site: same-origin`. Everything
 * else is 403 `foreign_origin` and changes nothing; the sync upgrade follows the same rule.
 */
const f = useUsers();

/** What a plain HTML form on another site posts: no Origin (old browsers, privacy settings), no fetch metadata. */
const formPost = (path: string, cookie: string, headers: Record<string, string> = {}) =>
	fetch(`${f.server.url}${path}`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: 'reason=x'
	});

async function refused(res: Response) {
	expect(res.status).toBe(403);
	expect(((await res.json()) as { error: { code: string } }).error.code).toBe('foreign_origin');
}

test('a form-like logout without Origin or Sec-Fetch-Site is refused and the session stays', async () => {
	const s = await login(f.server.url, aliceAccount.username, aliceAccount.password);
	await refused(await formPost('/api/auth/logout', s.cookie));
	expect((await api(f.server.url, 'GET', '/api/me', { cookie: s.cookie })).status).toBe(200);
});

test('a form-like approval without Origin is refused and nothing is approved', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '跨站审定');
	const { planId, measureIds } = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, [
		{ text: '完成征地拆迁', responsibleUnit: '甲省交通运输厅', deadline: '2025-09-30' }
	]);
	const proposed = await api(f.server.url, 'POST', `/api/documents/${planId}/proposals`, { cookie: f.alice.cookie, body: { blockIds: measureIds } });
	expect(proposed.status).toBe(201);
	const id = proposed.body.proposals[0].id as string;
	await refused(await formPost(`/api/proposals/${id}/approve`, f.admin.cookie));
	const proposals = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/proposals`, { cookie: f.admin.cookie })).body.proposals;
	expect(proposals.map((p: { id: string; status: string }) => [p.id, p.status])).toEqual([[id, 'pending']]);
	expect((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/resolutions`, { cookie: f.admin.cookie })).body.resolutions).toEqual([]);
});

test('sign-in without Origin is refused too; fetch metadata other than same-origin does not stand in for Origin', async () => {
	for (const site of [undefined, 'none', 'same-site', 'cross-site']) {
		const res = await api(f.server.url, 'POST', '/api/auth/login', {
			body: { username: aliceAccount.username, password: aliceAccount.password },
			headers: { origin: undefined, ...(site === undefined ? {} : { 'sec-fetch-site': site }) }
		});
		expect(res.status, `Sec-Fetch-Site: ${site}`).toBe(403);
		expect(res.body.error.code).toBe('foreign_origin');
		expect(res.headers.get('set-cookie')).toBeNull();
	}
});

test('a foreign or opaque Origin is refused whatever Sec-Fetch-Site says', async () => {
	const before = (await api(f.server.url, 'GET', '/api/documents', { cookie: f.alice.cookie })).body.documents.length;
	for (const origin of ['http://evil.example', 'null', `${f.server.url}.evil.example`, f.server.url.replace('http:', 'https:')]) {
		const res = await api(f.server.url, 'POST', '/api/documents', {
			cookie: f.alice.cookie,
			body: { title: '跨站文档' },
			headers: { origin, 'sec-fetch-site': 'same-origin' }
		});
		expect(res.status, origin).toBe(403);
		expect(res.body.error.code).toBe('foreign_origin');
	}
	expect((await api(f.server.url, 'GET', '/api/documents', { cookie: f.alice.cookie })).body.documents.length).toBe(before);
});

test('without Origin, Sec-Fetch-Site: same-origin passes; the server origin passes', async () => {
	const s = await login(f.server.url, aliceAccount.username, aliceAccount.password);
	const created = await api(f.server.url, 'POST', '/api/documents', {
		cookie: s.cookie,
		body: { title: '同源文档' },
		headers: { origin: undefined, 'sec-fetch-site': 'same-origin' }
	});
	expect(created.status).toBe(201);
	expect((await formPost('/api/auth/logout', s.cookie, { 'sec-fetch-site': 'same-origin' })).status).toBe(204);
	expect((await api(f.server.url, 'GET', '/api/me', { cookie: s.cookie })).status).toBe(401);
});

test('reads need no Origin', async () => {
	const res = await fetch(`${f.server.url}/api/me`, { headers: { cookie: f.alice.cookie } });
	expect(res.status).toBe(200);
});

test('the sync upgrade without Origin, or with a foreign one, gets HTTP 403 and opens no socket', async () => {
	const docId = await createDocument(f.server.url, f.alice, '跨站同步');
	const connections = async () => (await api(f.server.url, 'GET', '/api/admin/stats', { cookie: f.admin.cookie })).body.connections as number;
	await waitFor(async () => (await connections()) === 0, 'the sockets of earlier tests to close');
	expect(await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie, origin: undefined })).toEqual({ status: 403 });
	expect(await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie, origin: 'http://evil.example' })).toEqual({ status: 403 });
	expect(await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie, origin: 'null', 'sec-fetch-site': 'same-origin' })).toEqual({ status: 403 });
	expect(await connections()).toBe(0);
	const same = await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie, origin: undefined, 'sec-fetch-site': 'same-origin' });
	expect('ws' in same).toBe(true);
	if ('ws' in same) same.ws.close();
	const ok = await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie });
	expect('ws' in ok).toBe(true);
	if ('ws' in ok) ok.ws.close();
});
