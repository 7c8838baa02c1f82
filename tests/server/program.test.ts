import { expect, test } from 'vitest';
import { type Agenda, type Countdown, liveDocId } from '../../src/lib/shared/agenda.js';
import { type Session, api } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { createBreakout, newMember, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { probeSync } from '../helpers/probe.js';

const f = useUsers();

async function newConference(body: object = {}) {
	const res = await api(f.server.url, 'POST', '/api/conferences', {
		cookie: f.admin.cookie,
		body: { title: '2025年上半年国家重点建设项目管理总结会', startDate: '2025-07-17', venue: '北京', hosts: '国家发展改革委、住房和城乡建设部、财政部', ...body }
	});
	expect(res.status).toBe(201);
	return res.body as { id: string; startDate: string; endDate: string };
}

const agendaOf = async (id: string, s: Session = f.admin) => (await api(f.server.url, 'GET', `/api/conferences/${id}/agenda`, { cookie: s.cookie })).body;

/** A member's browser-like follower of the conference's live document. */
function follow(conferenceId: string, s: Session) {
	const client = connectClient(f.server.wsUrl, liveDocId(conferenceId), s.cookie);
	return { client, live: client.doc.getMap<unknown>('live') };
}

test('a new conference has its dates and the three-stage agenda over two days, without warnings', async () => {
	const conf = await newConference();
	expect(conf).toMatchObject({ startDate: '2025-07-17', endDate: '2025-07-18' });
	const { agenda, warnings } = await agendaOf(conf.id);
	expect(agenda.stages.map((s: { title: string }) => s.title)).toEqual(['第一阶段 宏观回顾与总体评价', '第二阶段 分组专题研讨', '第三阶段 政策反馈与决策输出']);
	expect(warnings).toEqual([]);
});

test('agenda changes reach a follower through the live document; warnings are reported; a bad agenda changes nothing', async () => {
	const conf = await newConference();
	const { client, live } = follow(conf.id, f.admin);
	try {
		await waitFor(() => client.provider.synced && live.get('agenda') !== undefined, 'the follower has the agenda');
		const agenda = structuredClone((await agendaOf(conf.id)).agenda) as Agenda;
		agenda.stages[0].items = agenda.stages[0].items.filter((i) => i.kind !== 'break');
		agenda.stages[2].items.push({ id: 'day3', kind: 'session', title: '现场观摩', date: '2025-07-19', start: '09:00', end: '11:00' });
		const put = await api(f.server.url, 'PUT', `/api/conferences/${conf.id}/agenda`, { cookie: f.admin.cookie, body: agenda });
		expect(put.status).toBe(200);
		expect(put.body.warnings.map((w: { code: string }) => w.code)).toEqual(['longer_than_two_days', 'half_day_without_break', 'half_day_without_break']);
		await waitFor(() => JSON.stringify(live.get('agenda')) === JSON.stringify(agenda), 'the follower sees the new agenda');

		const broken = structuredClone(agenda);
		broken.stages[0].items[0].end = '07:00';
		expect((await api(f.server.url, 'PUT', `/api/conferences/${conf.id}/agenda`, { cookie: f.admin.cookie, body: broken })).status).toBe(400);
		expect((await agendaOf(conf.id)).agenda).toEqual(agenda);
	} finally {
		client.destroy();
	}
});

test('the live document is read-only for everyone, organizers included, and invisible to other conferences', async () => {
	const conf = await newConference();
	await putMember(f.server.url, f.admin, conf.id, f.alice.userId, { role: 'organizer' });
	await agendaOf(conf.id);
	expect(await probeSync(f.server.wsUrl, liveDocId(conf.id), f.alice.cookie)).toBe('read');
	expect(await probeSync(f.server.wsUrl, liveDocId(conf.id), f.bob.cookie)).toBe('none');
	expect((await api(f.server.url, 'GET', `/api/conferences/${conf.id}/agenda`, { cookie: f.bob.cookie })).status).toBe(404);
	expect((await api(f.server.url, 'GET', `/api/documents/${liveDocId(conf.id)}`, { cookie: f.alice.cookie })).status).toBe(404);
});

test('countdowns: the moderator runs the breakout one, organizers the plenary one; followers see each change', async () => {
	const conf = await newConference();
	const breakoutId = await createBreakout(f.server.url, f.admin, conf.id, '交通组');
	const moderator = await newMember(f.server.url, f.admin, 'cd-moderator', '赵召集人', '甲省交通运输厅');
	const participant = await newMember(f.server.url, f.admin, 'cd-participant', '钱代表', '华景设计院');
	await putMember(f.server.url, f.admin, conf.id, moderator.userId, { role: 'moderator', breakoutIds: [breakoutId] });
	await putMember(f.server.url, f.admin, conf.id, participant.userId, { role: 'participant', breakoutIds: [breakoutId] });
	const countdown = (s: Session, body: object) => api(f.server.url, 'POST', `/api/conferences/${conf.id}/countdown`, { cookie: s.cookie, body });

	const { client, live } = follow(conf.id, participant);
	try {
		await waitFor(() => client.provider.synced, 'the follower is synced');
		const started = await countdown(moderator, { scope: breakoutId, action: 'start', minutes: 10, label: '自由讨论' });
		expect(started.status).toBe(200);
		expect(started.body.countdown).toMatchObject({ label: '自由讨论', running: true, durationMs: 600_000 });
		const key = `countdown:${breakoutId}`;
		await waitFor(() => (live.get(key) as Countdown | undefined)?.running === true, 'the follower sees it running');

		const paused = await countdown(moderator, { scope: breakoutId, action: 'pause' });
		expect(paused.body.countdown).toMatchObject({ running: false, endsAt: null });
		await waitFor(() => (live.get(key) as Countdown | undefined)?.running === false, 'the follower sees it paused');
		const extended = await countdown(moderator, { scope: breakoutId, action: 'extend', minutes: 5 });
		expect(extended.body.countdown.remainingMs).toBe(paused.body.countdown.remainingMs + 300_000);

		expect((await countdown(participant, { scope: breakoutId, action: 'stop' })).status).toBe(403);
		expect((await countdown(moderator, { scope: 'plenary', action: 'start', minutes: 5 })).status).toBe(403);
		expect((await countdown(moderator, { scope: breakoutId, action: 'start' })).status).toBe(400);
		expect((await countdown(f.admin, { scope: 'plenary', action: 'start', minutes: 30, label: '总体情况通报' })).status).toBe(200);
		await waitFor(() => live.get('countdown:plenary') !== undefined, 'the follower sees the plenary countdown');

		expect((await countdown(moderator, { scope: breakoutId, action: 'stop' })).body.countdown).toBeNull();
		await waitFor(() => !live.has(key), 'the follower sees it stopped');
	} finally {
		client.destroy();
	}
});

test('organizers mark the session under way; an unknown item is refused', async () => {
	const conf = await newConference();
	const { agenda } = await agendaOf(conf.id);
	const itemId = agenda.stages[1].items[0].id;
	const { client, live } = follow(conf.id, f.admin);
	try {
		expect((await api(f.server.url, 'PUT', `/api/conferences/${conf.id}/now`, { cookie: f.admin.cookie, body: { itemId } })).status).toBe(204);
		await waitFor(() => (live.get('current') as { itemId: string } | undefined)?.itemId === itemId, 'the follower sees the current session');
		expect((await api(f.server.url, 'PUT', `/api/conferences/${conf.id}/now`, { cookie: f.admin.cookie, body: { itemId: 'nonesuch' } })).status).toBe(400);
	} finally {
		client.destroy();
	}
});

test('details and projects: organizers edit, moderators add projects to their breakout, a closed breakout hides its projects', async () => {
	const conf = await newConference();
	const transport = await createBreakout(f.server.url, f.admin, conf.id, '交通组');
	const water = await createBreakout(f.server.url, f.admin, conf.id, '水利组');
	const moderator = await newMember(f.server.url, f.admin, 'pj-moderator', '孙召集人', '乙省水利厅');
	await putMember(f.server.url, f.admin, conf.id, moderator.userId, { role: 'moderator', breakoutIds: [water] });
	await putMember(f.server.url, f.admin, conf.id, f.alice.userId, { role: 'participant', breakoutIds: [transport] });

	const patch = await api(f.server.url, 'PATCH', `/api/conferences/${conf.id}`, {
		cookie: f.admin.cookie,
		body: { title: '2025年上半年国家重点建设项目管理总结会', startDate: '2025-07-17', endDate: '2025-07-18', venue: '北京·国家会议中心', hosts: '国家发展改革委' }
	});
	expect(patch.status).toBe(204);
	expect((await api(f.server.url, 'GET', `/api/conferences/${conf.id}`, { cookie: f.alice.cookie })).body).toMatchObject({ venue: '北京·国家会议中心' });
	const backwards = { title: 'x', startDate: '2025-07-18', endDate: '2025-07-17' };
	expect((await api(f.server.url, 'PATCH', `/api/conferences/${conf.id}`, { cookie: f.admin.cookie, body: backwards })).status).toBe(400);
	expect((await api(f.server.url, 'PATCH', `/api/conferences/${conf.id}`, { cookie: f.alice.cookie, body: { title: '改名' } })).status).toBe(403);

	const project = { breakoutId: water, name: '戊省青石峡水库工程', code: '2021-000000-76-01-000002', sector: '水利', region: '戊省', ownerUnit: '戊省青石峡水库建设管理局' };
	const added = await api(f.server.url, 'POST', `/api/conferences/${conf.id}/projects`, { cookie: moderator.cookie, body: project });
	expect(added.status).toBe(201);
	expect((await api(f.server.url, 'POST', `/api/conferences/${conf.id}/projects`, { cookie: moderator.cookie, body: { ...project, breakoutId: transport } })).status).toBe(403);
	expect((await api(f.server.url, 'POST', `/api/conferences/${conf.id}/projects`, { cookie: f.alice.cookie, body: { ...project, breakoutId: transport } })).status).toBe(403);
	expect((await api(f.server.url, 'POST', `/api/conferences/${conf.id}/projects`, { cookie: f.bob.cookie, body: project })).status).toBe(404);

	const listFor = async (s: Session) => (await api(f.server.url, 'GET', `/api/conferences/${conf.id}/projects`, { cookie: s.cookie })).body.projects.map((p: { name: string }) => p.name);
	expect(await listFor(f.alice)).toEqual(['戊省青石峡水库工程']);
	expect((await api(f.server.url, 'PATCH', `/api/conferences/${conf.id}/breakouts/${water}`, { cookie: f.admin.cookie, body: { closed: true } })).status).toBe(200);
	expect(await listFor(f.alice)).toEqual([]);
	expect(await listFor(moderator)).toEqual(['戊省青石峡水库工程']);
	expect((await api(f.server.url, 'DELETE', `/api/conferences/${conf.id}/projects/${added.body.id}`, { cookie: moderator.cookie })).status).toBe(204);
	expect(await listFor(moderator)).toEqual([]);
});

test('a server-written change is stored once acknowledged: SIGKILL right after the answer keeps it', async () => {
	const conf = await newConference();
	const answered = await api(f.server.url, 'POST', `/api/conferences/${conf.id}/countdown`, {
		cookie: f.admin.cookie,
		body: { scope: 'plenary', action: 'start', minutes: 15, label: '红黑榜发布' }
	});
	expect(answered.status).toBe(200);
	await f.server.kill();
	// The fixture stops whichever server it holds at the end.
	f.server = await f.server.restart();
	const client = connectClient(f.server.wsUrl, liveDocId(conf.id), f.admin.cookie);
	try {
		await waitFor(() => client.provider.synced, 'the follower is synced after the restart');
		expect(client.doc.getMap<unknown>('live').get('countdown:plenary')).toMatchObject({ label: '红黑榜发布', running: true });
	} finally {
		client.destroy();
	}
});
