import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';

/**
 * `GET /api/conferences/<id>` tells the caller what it may do there, decided by the one policy, so the
 * workspace offers only the tabs and forms that will work. Every flag is checked against what the
 * server then actually allows.
 */
const f = useUsers();

type View = {
	mayManage: boolean;
	mayCreate: boolean;
	mayApprove: boolean;
	mayReview: boolean;
	breakouts: { id: string; mine: boolean; mayCreate: boolean; mayManage: boolean }[];
};

test('each role is told what it may do, and the server allows exactly that', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '权限视图会议');
	const own = await createBreakout(f.server.url, f.admin, conferenceId, '交通组');
	const other = await createBreakout(f.server.url, f.admin, conferenceId, '水利组');
	const people = {
		participant: await newMember(f.server.url, f.admin, 'cv-participant', '参会代表', '甲省交通运输厅'),
		moderator: await newMember(f.server.url, f.admin, 'cv-moderator', '召集人', '甲省交通运输厅'),
		expert: await newMember(f.server.url, f.admin, 'cv-expert', '专家', '专家组'),
		supervisor: await newMember(f.server.url, f.admin, 'cv-supervisor', '督查', '稽察办'),
		observer: await newMember(f.server.url, f.admin, 'cv-observer', '列席', '审计署')
	};
	for (const [role, s] of Object.entries(people)) {
		await putMember(f.server.url, f.admin, conferenceId, s.userId, { role: role as 'participant', breakoutIds: [own] });
	}
	const view = async (cookie: string) => (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}`, { cookie })).body as View;
	const flags = (v: View) => ({
		manage: v.mayManage,
		create: v.mayCreate,
		approve: v.mayApprove,
		review: v.mayReview,
		own: v.breakouts.find((b) => b.id === own),
		other: v.breakouts.find((b) => b.id === other)
	});
	const b = (id: string, mine: boolean, mayCreate: boolean, mayManage: boolean) => ({ id, mine, mayCreate, mayManage });

	expect(flags(await view(f.admin.cookie))).toMatchObject({ manage: true, create: true, approve: true, review: true, own: { mayCreate: true, mayManage: true } });
	expect(flags(await view(people.participant.cookie))).toMatchObject({ manage: false, create: false, approve: false, review: false, own: b(own, true, true, false), other: b(other, false, false, false) });
	expect(flags(await view(people.moderator.cookie))).toMatchObject({ manage: false, approve: false, own: b(own, true, true, true), other: b(other, false, false, false) });
	expect(flags(await view(people.expert.cookie))).toMatchObject({ manage: false, create: true, approve: true, review: false, own: b(own, true, false, false) });
	expect(flags(await view(people.supervisor.cookie))).toMatchObject({ manage: false, create: false, approve: false, review: true, own: b(own, true, false, false) });
	expect(flags(await view(people.observer.cookie))).toMatchObject({ manage: false, create: false, approve: false, review: false, own: b(own, true, false, false), other: b(other, false, false, false) });

	// What the flags promise is what the server does.
	const create = (cookie: string, target: Record<string, string>) => api(f.server.url, 'POST', '/api/documents', { cookie, body: { title: '试建文档', ...target } });
	expect((await create(people.participant.cookie, { breakoutId: own })).status).toBe(201);
	expect((await create(people.participant.cookie, { breakoutId: other })).status).toBe(403);
	expect((await create(people.observer.cookie, { breakoutId: own })).status).toBe(403);
	expect((await create(people.expert.cookie, { conferenceId })).status).toBe(201);
	expect((await create(people.supervisor.cookie, { conferenceId })).status).toBe(403);

	// Once the organizer lets moderators approve, the moderator is told so.
	expect((await api(f.server.url, 'PUT', `/api/conferences/${conferenceId}/promotion-settings`, { cookie: f.admin.cookie, body: { moderatorsApprove: true } })).status).toBe(204);
	expect((await view(people.moderator.cookie)).mayApprove).toBe(true);
	expect((await view(people.participant.cookie)).mayApprove).toBe(false);
});

test('refusals carry codes a browser can explain: a taken username, an unknown account, an existing member, the last organizer', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '错误代码会议');
	const unknown = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie, body: { username: 'nobody-here', role: 'participant' } });
	expect([unknown.status, unknown.body.error.code]).toEqual([400, 'unknown_account']);
	// Adding someone who is already a member is refused, and their membership is untouched.
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '交通组');
	await putMember(f.server.url, f.admin, conferenceId, f.alice.userId, { role: 'moderator', unitType: '行业主管', breakoutIds: [breakoutId] });
	const again = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie, body: { username: 'alice', role: 'participant' } });
	expect([again.status, again.body.error.code]).toEqual([409, 'already_member']);
	const alice = ((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members as { userId: string }[]).find((x) => x.userId === f.alice.userId);
	expect(alice).toMatchObject({ role: 'moderator', unitType: '行业主管', breakoutIds: [breakoutId] });
	const members = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members as { userId: string; role: string }[];
	const last = await api(f.server.url, 'DELETE', `/api/conferences/${conferenceId}/members/${members.find((m) => m.role === 'organizer')!.userId}`, { cookie: f.admin.cookie });
	expect([last.status, last.body.error.code]).toEqual([409, 'last_organizer']);
	const body = { username: 'alice', password: 'alice-pass-2', displayName: '重名', unit: '某单位' };
	const taken = await api(f.server.url, 'POST', '/api/users', { cookie: f.admin.cookie, body });
	expect([taken.status, taken.body.error.code]).toEqual([409, 'username_taken']);
});

test('two organizers taking each other out at once leave one organizer: member changes of a conference are decided one after the other', async () => {
	for (let round = 0; round < 3; round++) {
		const conferenceId = await createConference(f.server.url, f.admin, `双组织者会议${round}`);
		await putMember(f.server.url, f.admin, conferenceId, f.alice.userId, { role: 'organizer', unitType: '', breakoutIds: [] });
		await putMember(f.server.url, f.admin, conferenceId, f.bob.userId, { role: 'organizer', unitType: '', breakoutIds: [] });
		const members = async () => (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members as { userId: string; role: string }[];
		const adminId = (await members()).find((m) => m.userId !== f.alice.userId && m.userId !== f.bob.userId)!.userId;
		expect((await api(f.server.url, 'DELETE', `/api/conferences/${conferenceId}/members/${adminId}`, { cookie: f.admin.cookie })).status).toBeLessThan(300);
		// Alice removes Bob while Bob demotes Alice.
		const [removal, demotion] = await Promise.all([
			api(f.server.url, 'DELETE', `/api/conferences/${conferenceId}/members/${f.bob.userId}`, { cookie: f.alice.cookie }),
			api(f.server.url, 'PUT', `/api/conferences/${conferenceId}/members/${f.alice.userId}`, { cookie: f.bob.cookie, body: { role: 'participant', unitType: '', breakoutIds: [] } })
		]);
		expect([removal.status, demotion.status].filter((s) => s < 300), `round ${round}`).toHaveLength(1);
		for (const r of [removal, demotion].filter((x) => x.status >= 300)) expect(['last_organizer', 'forbidden', 'not_found']).toContain(r.body.error.code);
		expect((await members()).filter((m) => m.role === 'organizer')).toHaveLength(1);
	}
});
