import { expect, test } from 'vitest';
import { api, createUser, login } from '../helpers/api.js';
import { rawSocket } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { aliceAccount, useUsers } from '../helpers/fixture.js';

const f = useUsers();

test('organizers browse, filter and export their conference\'s audit log; others cannot', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '审计测试会议');
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '交通组');
	const organizer = await newMember(f.server.url, f.admin, 'org01', '主办方联络员');
	const me = async (s: { cookie: string }) => (await api(f.server.url, 'GET', '/api/me', { cookie: s.cookie })).body.id as string;
	await putMember(f.server.url, f.admin, conferenceId, await me(organizer), { role: 'organizer' });
	await putMember(f.server.url, organizer, conferenceId, await me(f.alice), { role: 'participant', breakoutIds: [breakoutId] });
	await putMember(f.server.url, organizer, conferenceId, await me(f.alice), { role: 'observer', breakoutIds: [breakoutId] });
	// A name a spreadsheet would run as a formula.
	await createUser(f.server.url, f.admin, { username: 'formula', password: 'formula-pass', displayName: '=HYPERLINK("x")', unit: '𠮷田县' });
	await putMember(f.server.url, organizer, conferenceId, await me(await login(f.server.url, 'formula', 'formula-pass')), { role: 'participant' });
	expect((await api(f.server.url, 'PATCH', `/api/conferences/${conferenceId}/breakouts/${breakoutId}`, { cookie: organizer.cookie, body: { closed: true } })).status).toBe(200);
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: organizer.cookie, body: { title: '交通组文档', breakoutId } })).body.id;
	expect(await rawSocket(f.server.wsUrl, docId, { cookie: f.bob.cookie })).toEqual({ status: 404 });

	const log = await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit`, { cookie: organizer.cookie });
	expect(log.status).toBe(200);
	const actions = log.body.entries.map((e: { action: string }) => e.action);
	expect(actions).toEqual(expect.arrayContaining(['conference.created', 'breakout.created', 'member.added', 'member.changed', 'breakout.closed', 'sync.denied']));
	const changed = log.body.entries.find((e: { action: string }) => e.action === 'member.changed');
	expect(changed).toMatchObject({ target: `${aliceAccount.displayName}（alice）`, detail: '参会单位代表 → 远程列席；交通组', actorName: '主办方联络员（org01）' });
	const denied = log.body.entries.find((e: { action: string }) => e.action === 'sync.denied');
	expect(denied.actorName).toContain('bob');

	const filtered = await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit?action=member.added`, { cookie: organizer.cookie });
	expect(new Set(filtered.body.entries.map((e: { action: string }) => e.action))).toEqual(new Set(['member.added']));
	expect((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit?action=nonsense`, { cookie: organizer.cookie })).status).toBe(400);

	const csv = await fetch(`${f.server.url}/api/conferences/${conferenceId}/audit.csv`, { headers: { cookie: organizer.cookie } });
	expect(csv.headers.get('content-type')).toContain('text/csv');
	const bytes = new Uint8Array(await csv.arrayBuffer());
	expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
	const text = new TextDecoder().decode(bytes);
	// (TextDecoder consumes the byte-order mark checked above.)
	expect(text.split('\r\n')[0]).toBe('"时间","操作人","操作","对象","详情","地址"');
	expect(text).toContain(`"'=HYPERLINK(""x"")（formula）"`);
	expect(text).toContain('"member.changed"');

	// A participant may not read it; a member of nothing here does not learn it exists.
	const participant = await newMember(f.server.url, f.admin, 'part01', '参会代表');
	await putMember(f.server.url, organizer, conferenceId, await me(participant), { role: 'participant' });
	expect((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit`, { cookie: participant.cookie })).status).toBe(403);
	expect((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit.csv`, { cookie: f.bob.cookie })).status).toBe(404);
});

test('sign-ins and failed sign-ins are in the administrators\' log', async () => {
	await api(f.server.url, 'POST', '/api/auth/login', { body: { username: 'alice', password: 'wrong-password' } });
	const log = await api(f.server.url, 'GET', '/api/admin/audit?limit=50', { cookie: f.admin.cookie });
	const failed = log.body.entries.find((e: { action: string }) => e.action === 'auth.login_failed');
	expect(failed).toMatchObject({ actorName: 'alice', conferenceId: null });
	expect(failed.address).toMatch(/127\.0\.0\.1/);
	expect(log.body.entries.some((e: { action: string; actorName: string }) => e.action === 'auth.login' && e.actorName.includes('bob'))).toBe(true);
	expect((await api(f.server.url, 'GET', '/api/admin/audit', { cookie: f.alice.cookie })).status).toBe(403);
});

test('the log names people, invites and roles as people read them: no ids, no English role ids, a guest by its unit', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '审计措辞会议');
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '水利组');
	const created = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/invites`, { cookie: f.admin.cookie, body: { role: 'observer', breakoutIds: [breakoutId], maxUses: 5 } });
	const token = String(created.body.path).replace('/join/', '');
	expect((await api(f.server.url, 'POST', `/api/invites/${token}/accept`, { body: { displayName: '列席代表', unit: '戊省审计厅' } })).status).toBe(200);
	expect((await api(f.server.url, 'DELETE', `/api/conferences/${conferenceId}/invites/${created.body.id}`, { cookie: f.admin.cookie })).status).toBe(204);
	const entries = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string; actorName: string; target: string; detail: string }[];
	const of = (action: string) => entries.find((e) => e.action === action)!;
	expect(of('invite.created').target).toMatch(/^邀请链接（远程列席，\d{4}-\d{2}-\d{2} \d{2}:\d{2}止）$/);
	expect(of('invite.created').detail).toBe('限5人；水利组');
	expect(of('invite.used')).toMatchObject({ actorName: '列席代表（戊省审计厅）', target: of('invite.created').target });
	expect(of('invite.revoked').target).toBe(of('invite.created').target);
	const text = JSON.stringify(entries);
	expect(text).not.toContain(created.body.id);
	expect(text).not.toMatch(/observer|guest-/);
});
