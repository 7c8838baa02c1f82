import ExcelJS from 'exceljs';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { createConference, joinAsGuest } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { approve, breakoutWithPlan, unitMember } from '../helpers/ledger.js';
import { demoProjects, reportingConference, t1Figures } from '../helpers/reports.js';

const f = useUsers();

/** T2's half-year figures (domain.md §7.3): 54.0 %, +4.0 points — green; planned to start this year and started. */
const t2Figures = { ...t1Figures, totalInvestment: 320, annualPlan: 60, ytdDone: 32.4, cumulativeDone: 171.2, plannedStart: 1, started: 1, physicalPlanned: 55, physicalActual: 57, centralAllocated: 40, centralPaid: 34 };

const dashboard = (s: Session, conferenceId: string, round?: string) => api(f.server.url, 'GET', `/api/conferences/${conferenceId}/dashboard${round ? `?round=${round}` : ''}`, { cookie: s.cookie });

/** Saves, submits and (unless told) accepts a report: the unit fills it in, the reviewer decides. */
async function report(unit: Session, reviewer: Session, id: string, values: Record<string, unknown>, outcome: 'accept' | 'submit' = 'accept') {
	const saved = await api(f.server.url, 'PUT', `/api/project-reports/${id}`, { cookie: unit.cookie, body: { version: 0, values } });
	expect(saved.status, JSON.stringify(saved.body)).toBe(200);
	const submitted = await api(f.server.url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: unit.cookie, body: { action: 'submit', version: saved.body.version } });
	expect(submitted.status, JSON.stringify(submitted.body)).toBe(200);
	if (outcome === 'accept') expect((await api(f.server.url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: reviewer.cookie, body: { action: 'accept', version: submitted.body.version } })).status).toBe(200);
}

async function setUp(title: string) {
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const c = await reportingConference(f.server.url, f.admin, conferenceId);
	const open = (title: string, periodEnd: string) => api(f.server.url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title, periodEnd, deadline: '2099-12-31' } });
	const round = async (title: string, periodEnd: string) => {
		const id = (await open(title, periodEnd)).body.id as string;
		const reports = (await api(f.server.url, 'GET', `/api/report-rounds/${id}`, { cookie: f.admin.cookie })).body.reports as { id: string; project: { code: string } }[];
		return { id, of: (i: number) => reports.find((r) => r.project.code === demoProjects[i].code)!.id };
	};
	return { conferenceId, round, ...c };
}

test('stage one counts accepted reports only: 开工率, 竣工率, 年度投资完成率 against 序时 and 资金支付率 in total, by sector, by region and over rounds, each with its counts', async () => {
	const t = await setUp('总体评价');
	const empty = await dashboard(f.admin, t.conferenceId);
	expect(empty.status).toBe(200);
	expect(empty.body).toMatchObject({ round: null, rounds: [], total: null, thresholds: { amberBelow: -5, redBelow: -15, custom: false }, mayConfigure: true });
	expect(empty.body.projects).toHaveLength(3);

	const q1 = await t.round('一季度', '2025-03-31');
	await report(t.units[0], t.supervisor, q1.of(0), { ...t1Figures, ytdDone: 5.5 });
	const h1 = await t.round('上半年', '2025-06-30');
	await report(t.units[0], t.supervisor, h1.of(0), t1Figures);
	await report(t.units[1], t.supervisor, h1.of(1), t2Figures);
	// Submitted but not accepted: left out, and said so.
	await report(t.units[2], t.supervisor, h1.of(2), { ...t1Figures, annualPlan: 25, ytdDone: 24 }, 'submit');

	const d = (await dashboard(t.units[0], t.conferenceId)).body;
	expect(d.round).toMatchObject({ title: '上半年', periodEnd: '2025-06-30', timeElapsed: 50 });
	expect(d.pending).toBe(1);
	// (13.2 + 32.4) ÷ (42 + 60) = 44.7 %, 5.3 points behind 序时 50 %.
	expect(d.total).toMatchObject({ projects: 2, annualPlan: 102, ytdDone: 45.6, annualRate: 44.7, deviation: -5.3, plannedStart: 1, startedOfPlanned: 1, startRate: 100, plannedCompletion: 0, completionRate: null });
	expect(d.total).toMatchObject({ centralAllocated: 58, centralPaid: 46, paymentRate: 79.3, lamps: { red: 1, amber: 0, green: 1 } });
	expect(d.bySector.map((g: { label: string; projects: number }) => [g.label, g.projects])).toEqual([['交通', 2]]);
	expect(d.byRegion.map((g: { label: string; annualRate: number }) => [g.label, g.annualRate])).toEqual([
		['甲省', 31.4],
		['乙省', 54]
	]);
	// Over time: each round's accepted reports, oldest first.
	expect(d.series.map((s: { round: { title: string }; timeElapsed: number; total: { projects: number; annualRate: number } }) => [s.round.title, s.timeElapsed, s.total.projects, s.total.annualRate])).toEqual([
		['一季度', 25, 1, 13.1],
		['上半年', 50, 2, 44.7]
	]);
	// Lamps: red first; the unaccepted report has none.
	expect(d.projects.map((p: { code: string; lamp: string | null; report: { status: string } }) => [p.code, p.lamp, p.report.status])).toEqual([
		[demoProjects[0].code, 'red', 'accepted'],
		[demoProjects[1].code, 'green', 'accepted'],
		[demoProjects[2].code, null, 'submitted']
	]);
	// A round just opened (nothing accepted yet) does not take the venue screen: the latest with accepted reports stays.
	expect((await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '三季度', periodEnd: '2025-09-30', deadline: '2099-12-31' } })).status).toBe(201);
	expect((await dashboard(t.units[0], t.conferenceId)).body.round.title).toBe('上半年');
	// An earlier round on request; one of another conference, or none, is not found.
	expect((await dashboard(f.admin, t.conferenceId, q1.id)).body.total).toMatchObject({ projects: 1, annualRate: 13.1 });
	const other = await setUp('另一会议');
	const foreign = await other.round('他会轮次', '2025-06-30');
	expect((await dashboard(f.admin, t.conferenceId, foreign.id)).status).toBe(404);
	expect((await dashboard(f.admin, t.conferenceId, 'nosuchround1')).status).toBe(404);
	expect((await dashboard(f.bob, t.conferenceId)).status).toBe(404);
});

test('a member sees the figures of the breakouts they may read, aggregates included; a guest of one conference nothing of another', async () => {
	const t = await setUp('分组可见');
	const h1 = await t.round('上半年', '2025-06-30');
	await report(t.units[0], t.supervisor, h1.of(0), t1Figures);
	// A closed breakout of its own, with a project reported and accepted there.
	const closed = (await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/breakouts`, { cookie: f.admin.cookie, body: { name: '闭门组', sector: '能源' } })).body.id as string;
	await api(f.server.url, 'PATCH', `/api/conferences/${t.conferenceId}/breakouts/${closed}`, { cookie: f.admin.cookie, body: { closed: true } });
	const secret = await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/projects`, { cookie: f.admin.cookie, body: { breakoutId: closed, name: '闭门项目', code: '2024-000000-00-00-000999', sector: '能源', region: '丁省', ownerUnit: '闭门单位' } });
	expect(secret.status).toBe(201);
	const owner = await unitMember(f.server.url, f.admin, t.conferenceId, `closed-${Date.now()}`, '闭门填报员', '闭门单位', 'participant', [closed]);
	const q = await t.round('闭门轮次', '2025-06-30');
	const closedReport = (await api(f.server.url, 'GET', `/api/report-rounds/${q.id}`, { cookie: f.admin.cookie })).body.reports.find((r: { project: { name: string } }) => r.project.name === '闭门项目').id;
	await report(owner, t.supervisor, closedReport, { ...t1Figures, annualPlan: 10, ytdDone: 9 });

	const organizerView = (await dashboard(f.admin, t.conferenceId, q.id)).body;
	expect(organizerView.bySector.map((g: { label: string }) => g.label)).toEqual(['能源']);
	// The 交通组 member sees neither the closed breakout's project nor its figures in any total.
	const memberView = (await dashboard(t.units[0], t.conferenceId, q.id)).body;
	expect(memberView.projects.map((p: { name: string }) => p.name)).not.toContain('闭门项目');
	expect(memberView.total.projects).toBe(0);
	expect(memberView.bySector).toEqual([]);
	expect(memberView.mayConfigure).toBe(false);

	const elsewhere = await createConference(f.server.url, f.admin, '他会');
	const guest = await joinAsGuest(f.server.url, f.admin, elsewhere, { displayName: '他会来宾', unit: '某市发展改革委', role: 'observer' });
	expect((await dashboard(guest, t.conferenceId)).status).toBe(404);
	expect((await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/dashboard.xlsx`, { cookie: guest.cookie })).status).toBe(404);
});

test('organizers set the lamp rule: every lamp (dashboard, round, report) follows it; bad rules are refused and change nothing', async () => {
	const t = await setUp('灯号规则');
	const h1 = await t.round('上半年', '2025-06-30');
	await report(t.units[0], t.supervisor, h1.of(0), t1Figures);
	const put = (s: Session, body: unknown) => api(f.server.url, 'PUT', `/api/conferences/${t.conferenceId}/lamp-thresholds`, { cookie: s.cookie, body });

	expect((await put(t.supervisor, { amberBelow: -10, redBelow: -30 })).status).toBe(403);
	expect((await put(t.units[0], { amberBelow: -10, redBelow: -30 })).status).toBe(403);
	for (const bad of [{ amberBelow: -99.99999999999, redBelow: -100 }, { amberBelow: -15, redBelow: -5 }, { amberBelow: -5, redBelow: -5 }, { amberBelow: -5.25, redBelow: -15 }, { amberBelow: -5, redBelow: -1000 }, { amberBelow: '-5', redBelow: -15 }, { amberBelow: -5 }, { amberBelow: Number.NaN, redBelow: -15 }]) {
		const res = await put(f.admin, bad);
		expect(res.status, JSON.stringify(bad)).toBe(400);
		expect(res.body.error.code).toBe('validation_failed');
	}
	expect((await dashboard(f.admin, t.conferenceId)).body.thresholds).toEqual({ amberBelow: -5, redBelow: -15, custom: false });

	// 银川's rule (domain.md §4.2): amber 10–30 points behind, red beyond: T1 at −18.6 turns amber everywhere.
	const set = await put(f.admin, { amberBelow: -10, redBelow: -30 });
	expect(set.status).toBe(200);
	expect(set.body).toEqual({ amberBelow: -10, redBelow: -30, custom: true });
	const d = (await dashboard(t.units[0], t.conferenceId)).body;
	expect(d.thresholds).toEqual({ amberBelow: -10, redBelow: -30, custom: true });
	expect(d.projects[0]).toMatchObject({ code: demoProjects[0].code, lamp: 'amber' });
	expect(d.total.lamps).toEqual({ red: 0, amber: 1, green: 0 });
	expect((await api(f.server.url, 'GET', `/api/report-rounds/${h1.id}`, { cookie: f.admin.cookie })).body.reports.find((r: { id: string }) => r.id === h1.of(0)).lamp).toBe('amber');
	expect((await api(f.server.url, 'GET', `/api/project-reports/${h1.of(0)}`, { cookie: f.admin.cookie })).body).toMatchObject({ lamp: 'amber', thresholds: { amberBelow: -10, redBelow: -30 } });
	// A tenth of a point is kept exactly.
	expect((await put(f.admin, { amberBelow: -7.3, redBelow: -18.6 })).body).toEqual({ amberBelow: -7.3, redBelow: -18.6, custom: true });
	expect((await dashboard(f.admin, t.conferenceId)).body.projects[0].lamp).toBe('amber');
	const audit = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string }[];
	expect(audit.filter((e) => e.action === 'reports.lamp_rule_changed')).toHaveLength(2);
});

test('project fields and names that reach the dashboard, the 红黑榜 and the minutes hold no control characters or bidi overrides', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '项目字段');
	const breakoutId = (await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: f.admin.cookie, body: { name: '交通组', sector: '交通' } })).body.id as string;
	for (const field of [{ name: '名\u0000称' }, { name: '\u202e程工路公' }, { region: '\u0001区' }, { code: '2024\u0007' }, { ownerUnit: '单位\u2066' }, { name: '   ' }]) {
		const res = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/projects`, { cookie: f.admin.cookie, body: { breakoutId, name: '某项目', code: '2024-000000-00-00-000001', sector: '交通', region: '甲省', ownerUnit: '某单位', ...field } });
		expect(res.status, JSON.stringify(field)).toBe(400);
		expect(res.body.error.code).toBe('validation_failed');
	}
	expect((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/projects`, { cookie: f.admin.cookie })).body.projects).toEqual([]);
});

test('a red lamp leads to the analysis and plan linked to its project, their resolutions and ledger rows; links are checked against the breakout', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '灯号去向');
	const author = await unitMember(f.server.url, f.admin, conferenceId, `author-${Date.now()}`, '方案编写人', '华景交通规划设计研究院', 'participant');
	const { breakoutId, planId, measureIds } = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, author, [
		{ text: '建立交地周调度机制', responsibleUnit: '甲省江州市人民政府', deadline: '2099-09-30' }
	]);
	const project = (await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/projects`, { cookie: f.admin.cookie, body: { breakoutId, sector: '交通', ...demoProjects[0] } })).body.id as string;
	const otherBreakout = (await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: f.admin.cookie, body: { name: '水利组', sector: '水利' } })).body.id as string;
	const stranger = (await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/projects`, { cookie: f.admin.cookie, body: { breakoutId: otherBreakout, sector: '水利', name: '他组项目', code: '2024-000000-00-00-000888', region: '戊省', ownerUnit: '他组单位' } })).body.id as string;

	// An analysis about the project, created with it; a project of another breakout, or for notes, is refused.
	const analysis = await api(f.server.url, 'POST', '/api/documents', { cookie: author.cookie, body: { title: 'T1 根因分析', kind: 'analysis', breakoutId, projectId: project } });
	expect(analysis.status).toBe(201);
	expect(analysis.body.projectId).toBe(project);
	for (const body of [
		{ title: '错组', kind: 'analysis', breakoutId, projectId: stranger },
		{ title: '笔记', kind: 'notes', breakoutId, projectId: project },
		{ title: '无此项目', kind: 'analysis', breakoutId, projectId: 'nosuchproject' }
	]) {
		const res = await api(f.server.url, 'POST', '/api/documents', { cookie: author.cookie, body });
		expect(res.status, body.title).toBe(400);
		expect(res.body.error.code).toBe('validation_failed');
	}
	// The plan is linked afterwards by one who may write it; an observer may not; a bad link changes nothing.
	const observer = await unitMember(f.server.url, f.admin, conferenceId, `obs-${Date.now()}`, '列席', '审计署', 'observer', [breakoutId]);
	const link = (s: Session, projectId: string | null) => api(f.server.url, 'PUT', `/api/documents/${planId}/project`, { cookie: s.cookie, body: { projectId } });
	expect((await link(observer, project)).status).toBe(403);
	expect((await link(author, stranger)).status).toBe(400);
	expect((await api(f.server.url, 'GET', `/api/documents/${planId}`, { cookie: author.cookie })).body.projectId).toBeNull();
	expect((await link(author, project)).body.projectId).toBe(project);
	const linked = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit?action=document.project_linked`, { cookie: f.admin.cookie })).body.entries as { target: string; detail: string }[];
	expect(linked.map((e) => [e.target, e.detail])).toEqual([['T1 整改方案', `${demoProjects[0].name}（${demoProjects[0].code}）`]]);
	const [proposal] = await approve(f.server.url, f.admin, author, planId, measureIds);

	const unit = await unitMember(f.server.url, f.admin, conferenceId, `t1-${Date.now()}`, '填报员', demoProjects[0].ownerUnit, 'participant', [breakoutId]);
	const reviewer = await unitMember(f.server.url, f.admin, conferenceId, `rv-${Date.now()}`, '审核员', '国家发展改革委稽察办', 'supervisor');
	const round = (await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '上半年', periodEnd: '2025-06-30', deadline: '2099-12-31' } })).body.id;
	const reportId = (await api(f.server.url, 'GET', `/api/report-rounds/${round}`, { cookie: f.admin.cookie })).body.reports[0].id;
	await report(unit, reviewer, reportId, t1Figures);

	const row = (await dashboard(observer, conferenceId)).body.projects.find((p: { id: string }) => p.id === project);
	expect(row).toMatchObject({ lamp: 'red', breakout: { id: breakoutId, name: '交通组' }, report: { id: reportId, status: 'accepted' } });
	expect(row.documents.map((d: { id: string; kind: string }) => [d.id, d.kind])).toEqual([
		[planId, 'plan'],
		[analysis.body.id, 'analysis']
	]);
	expect(row.resolutions).toEqual([{ proposalId: proposal, number: 'JY-01', ledgerNumber: 'ZG-JT-001', title: '建立交地周调度机制', status: 'not_started', percent: 0, deadline: '2099-09-30' }]);
	// Unlinking takes the plan and its resolution off the lamp.
	expect((await link(author, null)).body.projectId).toBeNull();
	const after = (await dashboard(observer, conferenceId)).body.projects.find((p: { id: string }) => p.id === project);
	expect(after.documents.map((d: { id: string }) => d.id)).toEqual([analysis.body.id]);
	expect(after.resolutions).toEqual([]);
});

test('the figures export as XLSX: by sector with the total, by region, each lamp with its rule and ledger rows, the rounds, and how each indicator is computed', async () => {
	const t = await setUp('导出');
	const h1 = await t.round('上半年', '2025-06-30');
	await report(t.units[0], t.supervisor, h1.of(0), t1Figures);
	await report(t.units[1], t.supervisor, h1.of(1), t2Figures);
	const res = await fetch(`${f.server.url}/api/conferences/${t.conferenceId}/dashboard.xlsx`, { headers: { cookie: t.units[0].cookie } });
	expect(res.status).toBe(200);
	expect(res.headers.get('content-type')).toContain('spreadsheetml');
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(await res.arrayBuffer());
	expect(book.worksheets.map((w) => w.name)).toEqual(['分行业', '分地区', '项目灯号', '各轮次', '说明']);
	const rows = (name: string) => {
		const out: unknown[][] = [];
		book.getWorksheet(name)!.eachRow((r) => out.push((r.values as unknown[]).slice(1)));
		return out;
	};
	const sector = rows('分行业');
	expect(sector[0].slice(0, 5)).toEqual(['行业', '已审定项目数', '年度计划投资（亿元）', '本年累计完成投资（亿元）', '年度投资完成率（%）＝完成÷计划']);
	expect(sector.slice(1).map((r) => r.slice(0, 6))).toEqual([
		['交通', 2, 102, 45.6, 44.7, -5.3],
		['合计', 2, 102, 45.6, 44.7, -5.3]
	]);
	const lamps = rows('项目灯号');
	expect(lamps[1].slice(0, 2)).toEqual([demoProjects[0].code, demoProjects[0].name]);
	expect(lamps[1][11]).toBe('红灯');
	expect(lamps[1][12]).toBe('较序时进度 ≥ −5 个百分点为绿灯；−15 至 −5 为黄灯；低于 −15 为红灯');
	expect(lamps[3][5]).toBe('填报中');
	expect(rows('说明').flat().join('\n')).toContain('开工率＝计划新开工且已开工的项目数÷本年计划新开工项目数');
});
