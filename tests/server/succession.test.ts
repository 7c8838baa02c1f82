import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { createConference, joinAsGuest, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { approve, breakoutWithPlan, png, postReport, unitMember } from '../helpers/ledger.js';
import { demoProjects, t1Figures } from '../helpers/reports.js';

const f = useUsers();

/** Last year's conference: 交通组 with T1, a plan of two measures (one closed out), a guest, a report round with T1 accepted. */
async function lastYear() {
	const url = f.server.url;
	const conferenceId = await createConference(url, f.admin, '2025年上半年总结会');
	const author = await unitMember(url, f.admin, conferenceId, `au-${Date.now()}`, '设计院', '华景交通规划设计研究院', 'participant');
	const plan = await breakoutWithPlan(url, f.server.wsUrl, f.admin, conferenceId, author, [
		{ text: '建立交地周调度机制', responsibleUnit: '甲省江州市人民政府', deadline: '2099-09-30' },
		{ text: '完成桥梁桩基施工', responsibleUnit: '中衡路桥工程集团', deadline: '2099-06-30' }
	]);
	const [open, closed] = await approve(url, f.admin, author, plan.planId, plan.measureIds);
	const city = await unitMember(url, f.admin, conferenceId, `city-${Date.now()}`, '江州市', '甲省江州市人民政府', 'participant', [plan.breakoutId]);
	const builder = await unitMember(url, f.admin, conferenceId, `zh-${Date.now()}`, '中衡路桥', '中衡路桥工程集团', 'participant', [plan.breakoutId]);
	const reviewer = await unitMember(url, f.admin, conferenceId, `rv-${Date.now()}`, '稽察办', '国家发展改革委稽察办', 'supervisor');
	expect((await postReport(url, city, open, { progress: '周调度已建立，交地完成六成', percent: 60 })).status).toBe(201);
	expect((await postReport(url, builder, closed, { progress: '桩基全部完成', percent: 100 }, [{ name: '桩基验收.png', bytes: png, type: 'image/png' }])).status).toBe(201);
	expect((await api(url, 'POST', `/api/ledger/${closed}/transitions`, { cookie: builder.cookie, body: { action: 'submit', reason: '' } })).status).toBe(200);
	expect((await api(url, 'POST', `/api/ledger/${closed}/transitions`, { cookie: reviewer.cookie, body: { action: 'close', reason: '现场核实' } })).status).toBe(200);
	const guest = await joinAsGuest(url, f.admin, conferenceId, { displayName: '远程代表', unit: '某县发展改革局', role: 'observer' });
	const project = (await api(url, 'POST', `/api/conferences/${conferenceId}/projects`, { cookie: f.admin.cookie, body: { breakoutId: plan.breakoutId, sector: '交通', ...demoProjects[0] } })).body.id as string;
	const unit = await unitMember(url, f.admin, conferenceId, `t1-${Date.now()}`, '填报员', demoProjects[0].ownerUnit, 'participant', [plan.breakoutId]);
	const round = (await api(url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '2025年上半年', periodEnd: '2025-06-30', deadline: '2099-12-31' } })).body.id;
	const reportId = (await api(url, 'GET', `/api/report-rounds/${round}`, { cookie: f.admin.cookie })).body.reports[0].id;
	const saved = await api(url, 'PUT', `/api/project-reports/${reportId}`, { cookie: unit.cookie, body: { version: 0, values: t1Figures } });
	const submitted = await api(url, 'POST', `/api/project-reports/${reportId}/transitions`, { cookie: unit.cookie, body: { action: 'submit', version: saved.body.version } });
	await api(url, 'POST', `/api/project-reports/${reportId}/transitions`, { cookie: reviewer.cookie, body: { action: 'accept', version: submitted.body.version } });
	await api(url, 'PUT', `/api/conferences/${conferenceId}/lamp-thresholds`, { cookie: f.admin.cookie, body: { amberBelow: -10, redBelow: -30 } });
	return { conferenceId, plan, open, closed, city, reviewer, guest, project, unit, author };
}

const successor = (s: Session, id: string, body: unknown) => api(f.server.url, 'POST', `/api/conferences/${id}/successor`, { cookie: s.cookie, body });

test("next year's conference takes over breakouts, members, projects and rules; open ledger items carry over with their history and go on being reported on from it", async () => {
	const y = await lastYear();
	// Only its organizers; nothing is made otherwise.
	expect((await successor(y.city, y.conferenceId, { title: '2026年上半年总结会' })).status).toBe(403);
	expect((await successor(f.bob, y.conferenceId, { title: '2026年上半年总结会' })).status).toBe(404);
	for (const bad of [{ title: '' }, { title: '   ' }, { title: '会', startDate: '2026-02-30' }, { title: '会', startDate: '2026-07-18', endDate: '2026-07-17' }]) {
		expect((await successor(f.admin, y.conferenceId, bad)).status, JSON.stringify(bad)).toBe(400);
	}
	const before = (await api(f.server.url, 'GET', '/api/conferences', { cookie: f.admin.cookie })).body.conferences.length;
	expect(before).toBeGreaterThan(0);

	// Three at once (two tabs, two organizers): one next-year conference; the others are told it exists.
	const three = await Promise.all([1, 2, 3].map(() => successor(f.admin, y.conferenceId, { title: '2026年上半年总结会', startDate: '2026-07-16', endDate: '2026-07-17' })));
	expect(three.map((r) => r.status).sort()).toEqual([201, 409, 409]);
	expect(three.filter((r) => r.status === 409).every((r) => r.body.error.code === 'conflict')).toBe(true);
	const made = three.find((r) => r.status === 201)!;
	expect((await api(f.server.url, 'GET', '/api/conferences', { cookie: f.admin.cookie })).body.conferences.length).toBe(before + 1);
	expect((await successor(f.admin, y.conferenceId, { title: '又一个' })).status).toBe(409);
	expect(made.body).toMatchObject({ title: '2026年上半年总结会', breakouts: 1, projects: 1, carried: 1 });
	const next = made.body.id as string;
	const view = (await api(f.server.url, 'GET', `/api/conferences/${next}`, { cookie: y.city.cookie })).body;
	expect(view.breakouts.map((b: { name: string; sector: string }) => [b.name, b.sector])).toEqual([['交通组', '交通']]);
	const newBreakout = view.breakouts[0].id as string;
	// The same project (项目代码), under the new breakout; members with their roles and breakouts; not the guest.
	const projects = (await api(f.server.url, 'GET', `/api/conferences/${next}/projects`, { cookie: f.admin.cookie })).body.projects;
	expect(projects.map((p: { code: string; breakoutId: string }) => [p.code, p.breakoutId])).toEqual([[demoProjects[0].code, newBreakout]]);
	const members = (await api(f.server.url, 'GET', `/api/conferences/${next}/members`, { cookie: f.admin.cookie })).body.members as { userId: string; role: string; breakoutIds: string[] }[];
	expect(members.find((m) => m.userId === y.city.userId)).toMatchObject({ role: 'participant', breakoutIds: [newBreakout] });
	expect(members.find((m) => m.userId === y.reviewer.userId)).toMatchObject({ role: 'supervisor' });
	expect(members.some((m) => m.userId === y.guest.userId)).toBe(false);
	expect((await api(f.server.url, 'GET', `/api/conferences/${next}`, { cookie: y.guest.cookie })).status).toBe(404);
	// The lamp rule came over.
	expect((await api(f.server.url, 'GET', `/api/conferences/${next}/dashboard`, { cookie: f.admin.cookie })).body.thresholds).toEqual({ amberBelow: -10, redBelow: -30, custom: true });

	// The ledger: the open item, 上年转入, with its number, status and progress; the closed one stays behind.
	const ledger = (await api(f.server.url, 'GET', `/api/conferences/${next}/ledger`, { cookie: y.city.cookie })).body.items as { id: string; number: string; status: string; percent: number; breakoutId: string; carriedFrom: { conferenceId: string; title: string } | null }[];
	expect(ledger.map((i) => [i.id, i.number, i.status, i.percent, i.breakoutId])).toEqual([[y.open, 'ZG-JT-001', 'in_progress', 60, newBreakout]]);
	expect(ledger[0].carriedFrom).toEqual({ conferenceId: y.conferenceId, title: '2025年上半年总结会' });

	// A member added to next year's conference only reaches the item through it, and reports on it; both ledgers show it.
	const newcomer = await unitMember(f.server.url, f.admin, next, `new-${Date.now()}`, '新任联络员', '甲省江州市人民政府', 'participant', [newBreakout]);
	expect((await api(f.server.url, 'GET', `/api/conferences/${y.conferenceId}`, { cookie: newcomer.cookie })).status).toBe(404);
	const detail = await api(f.server.url, 'GET', `/api/ledger/${y.open}`, { cookie: newcomer.cookie });
	expect(detail.status).toBe(200);
	expect(detail.body.reports.map((r: { progress: string }) => r.progress)).toEqual(['周调度已建立，交地完成六成']);
	expect((await postReport(f.server.url, newcomer, y.open, { progress: '交地全部完成', percent: 100 })).status).toBe(201);
	for (const conf of [y.conferenceId, next]) {
		const item = (await api(f.server.url, 'GET', `/api/conferences/${conf}/ledger`, { cookie: f.admin.cookie })).body.items.find((i: { id: string }) => i.id === y.open);
		expect(item, conf).toMatchObject({ percent: 100 });
	}
	// A member of another breakout of next year's conference does not reach it.
	const otherBreakout = (await api(f.server.url, 'POST', `/api/conferences/${next}/breakouts`, { cookie: f.admin.cookie, body: { name: '水利组', sector: '水利' } })).body.id as string;
	const stranger = await unitMember(f.server.url, f.admin, next, `str-${Date.now()}`, '他组', '戊省水利厅', 'participant', [otherBreakout]);
	await api(f.server.url, 'PATCH', `/api/conferences/${next}/breakouts/${newBreakout}`, { cookie: f.admin.cookie, body: { closed: true } });
	expect((await api(f.server.url, 'GET', `/api/ledger/${y.open}`, { cookie: stranger.cookie })).status).toBe(404);
	await api(f.server.url, 'PATCH', `/api/conferences/${next}/breakouts/${newBreakout}`, { cookie: f.admin.cookie, body: { closed: false } });

	// The dashboard compares the two years: last year's rounds over the same projects.
	const d = (await api(f.server.url, 'GET', `/api/conferences/${next}/dashboard`, { cookie: y.city.cookie })).body;
	expect(d.previous).toMatchObject({ conferenceId: y.conferenceId, title: '2025年上半年总结会' });
	expect(d.previous.series.map((s: { round: { title: string }; total: { projects: number; annualRate: number } }) => [s.round.title, s.total.projects, s.total.annualRate])).toEqual([['2025年上半年', 1, 31.4]]);
	const audit = (await api(f.server.url, 'GET', `/api/conferences/${next}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string; detail: string }[];
	expect(audit.find((e) => e.action === 'conference.created')?.detail).toBe('延续自2025年上半年总结会：转入整改事项1项');
});

test('the year after next carries on: an item still open is carried again, under that year’s breakout', async () => {
	const y = await lastYear();
	const second = (await successor(f.admin, y.conferenceId, { title: '2026年总结会' })).body.id as string;
	const third = await successor(f.admin, second, { title: '2027年总结会' });
	expect(third.status).toBe(201);
	expect(third.body.carried).toBe(1);
	const breakout = (await api(f.server.url, 'GET', `/api/conferences/${third.body.id}`, { cookie: f.admin.cookie })).body.breakouts[0].id;
	const items = (await api(f.server.url, 'GET', `/api/conferences/${third.body.id}/ledger`, { cookie: y.city.cookie })).body.items;
	expect(items.map((i: { id: string; breakoutId: string }) => [i.id, i.breakoutId])).toEqual([[y.open, breakout]]);
	// Its members reach the item through the newest conference too.
	await putMember(f.server.url, f.admin, third.body.id, y.author.userId, { role: 'observer', breakoutIds: [breakout] });
	expect((await api(f.server.url, 'GET', `/api/ledger/${y.open}`, { cookie: y.author.cookie })).status).toBe(200);
});
