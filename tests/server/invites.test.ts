import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { createBreakout, createConference } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { probeSync } from '../helpers/probe.js';
import { withOrigin } from '../helpers/origin.js';

const f = useUsers();

async function invite(conferenceId: string, body: object) {
	const res = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/invites`, { cookie: f.admin.cookie, body });
	expect(res.status).toBe(201);
	return res.body as { id: string; path: string };
}

const tokenOf = (path: string) => path.replace('/join/', '');

test('an invite link signs a remote attendee in as a guest with its role and breakouts', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '邀请测试会议');
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '市政组');
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.admin.cookie, body: { title: '市政组整改方案', breakoutId } })).body.id;
	const inv = await invite(conferenceId, { role: 'observer', breakoutIds: [breakoutId], maxUses: 2 });
	const token = tokenOf(inv.path);

	const info = await api(f.server.url, 'GET', `/api/invites/${token}`);
	expect(info.body).toEqual({ conferenceId, conferenceTitle: '邀请测试会议', role: 'observer' });

	const res = await fetch(`${f.server.url}/api/invites/${token}/accept`, {
		method: 'POST',
		headers: withOrigin(f.server.url, { 'content-type': 'application/json' }),
		body: JSON.stringify({ displayName: '𠮷田县代表', unit: '𠮷田县人民政府' })
	});
	expect(res.status).toBe(200);
	const cookie = (res.headers.get('set-cookie') ?? '').split(';')[0];
	const me = await api(f.server.url, 'GET', '/api/me', { cookie });
	expect(me.body).toMatchObject({ displayName: '𠮷田县代表', unit: '𠮷田县人民政府', isAdmin: false });
	expect(me.body.username).toMatch(/^guest-/);
	expect(await probeSync(f.server.wsUrl, docId, cookie)).toBe('read');

	const members = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members;
	expect(members.find((m: { userId: string }) => m.userId === me.body.id)).toMatchObject({ role: 'observer', breakoutIds: [breakoutId] });
	const log = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit?action=invite.used`, { cookie: f.admin.cookie })).body.entries;
	expect(log).toHaveLength(1);
});

test('used up, expired by revocation, forged or malformed invites are refused and create nobody', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '名额测试');
	const inv = await invite(conferenceId, { role: 'participant', maxUses: 1 });
	const token = tokenOf(inv.path);
	const accept = (t: string) => api(f.server.url, 'POST', `/api/invites/${t}/accept`, { body: { displayName: '张三', unit: '某单位' } });
	expect((await accept(token)).status).toBe(200);
	const second = await accept(token);
	expect(second.status).toBe(410);
	expect(second.body.error.code).toBe('invite_unusable');

	const other = await invite(conferenceId, { role: 'observer' });
	expect((await api(f.server.url, 'DELETE', `/api/conferences/${conferenceId}/invites/${other.id}`, { cookie: f.admin.cookie })).status).toBe(204);
	expect((await api(f.server.url, 'GET', `/api/invites/${tokenOf(other.path)}`)).status).toBe(410);
	expect((await accept(tokenOf(other.path))).status).toBe(410);

	expect((await accept(`${other.id}-forgedsecret`)).status).toBe(404);
	expect((await accept('nonsense')).status).toBe(404);
	expect((await api(f.server.url, 'POST', `/api/invites/${token}/accept`, { body: { displayName: '', unit: '' } })).status).toBe(400);
	const members = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members;
	expect(members).toHaveLength(2); // the organizer and the one accepted guest

	const list = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/invites`, { cookie: f.admin.cookie })).body.invites;
	expect(list.every((i: { path?: string }) => i.path === undefined)).toBe(true);
	expect((await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/invites`, { cookie: f.alice.cookie, body: { role: 'observer' } })).status).toBe(404);
});

test('two people taking the last seat at once: exactly one gets in', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '并发名额');
	const token = tokenOf((await invite(conferenceId, { role: 'observer', maxUses: 1 })).path);
	const results = await Promise.all(
		[1, 2, 3].map((i) => api(f.server.url, 'POST', `/api/invites/${token}/accept`, { body: { displayName: `代表${i}`, unit: '县政府' } }))
	);
	expect(results.map((r) => r.status).sort()).toEqual([200, 410, 410]);
});
