import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { pathToFileURL } from 'node:url';
import { addDays, conferenceDayShiftMs } from '../../scripts/demo/data.js';
import { seedDemo } from '../../scripts/demo/seed.js';
import { beijingDate } from '../../src/lib/shared/beijing-time.js';
import { parseAuthor } from '../../src/lib/shared/blocks.js';
import { roles } from '../../src/lib/shared/roles.js';
import { api, login } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { probeSync } from '../helpers/probe.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

test('the demo seeds the conference of domain.md §7: four breakouts, twelve projects, three analyses with authored causes and plans with measures, the case library, every role, an invite link', async () => {
	// As `npm run demo` runs it: the server on the conference's day until the panel has decided, then today.
	const clock = pathToFileURL('scripts/demo/clock.mjs').href;
	const server = await TestServer.start({ env: { NODE_OPTIONS: `--import=${clock}`, CONCORD_DEMO_CLOCK_SHIFT_MS: String(conferenceDayShiftMs(Date.now())) } });
	try {
		const result = await seedDemo(server.url, server.wsUrl, { username: adminUsername, password: adminPassword }, () => {}, { present: () => server.proc.kill('SIGUSR2') });
		const admin = await login(server.url, adminUsername, adminPassword);
		const conf = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}`, { cookie: admin.cookie })).body;
		expect(conf.breakouts.map((b: { name: string }) => b.name)).toEqual(['交通组', '水利组', '能源组', '市政组']);
		expect((await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/projects`, { cookie: admin.cookie })).body.projects).toHaveLength(12);
		const members = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/members`, { cookie: admin.cookie })).body.members;
		expect(new Set(members.map((m: { role: string }) => m.role))).toEqual(new Set(roles));
		expect((await api(server.url, 'GET', `/api/invites/${result.invitePath.replace('/join/', '')}`)).body.role).toBe('observer');
		// The story is today's: the conference met a month ago.
		const today = beijingDate(Date.now());
		expect(conf).toMatchObject({ startDate: addDays(today, -30), endDate: addDays(today, -29) });

		const docs = (await api(server.url, 'GET', '/api/documents', { cookie: admin.cookie })).body.documents as { id: string; kind: string; title: string }[];
		expect(docs.filter((d) => d.kind === 'analysis')).toHaveLength(3);
		expect(docs.filter((d) => d.kind === 'plan')).toHaveLength(4);
		// Every breakout has documents.
		const inConference = (await api(server.url, 'GET', `/api/documents?conferenceId=${result.conferenceId}`, { cookie: admin.cookie })).body.documents as { parentKind: string; parentId: string }[];
		for (const b of conf.breakouts as { id: string }[]) expect(inConference.some((d) => d.parentKind === 'breakout' && d.parentId === b.id)).toBe(true);

		// Each cause of T1 carries the unit that raised it, stamped by the server; the key cause has its 5-why chain.
		const t1 = docs.find((d) => d.title.startsWith('T1') && d.kind === 'analysis')!;
		const reader = connectClient(server.wsUrl, t1.id, admin.cookie);
		try {
			await waitFor(() => reader.provider.synced, 'synced');
			const causes: Y.XmlElement[] = [];
			const walk = (p: Y.XmlElement | Y.XmlFragment) => {
				for (const c of p.toArray()) if (c instanceof Y.XmlElement) (c.nodeName === 'cause' ? causes.push(c) : walk(c));
			};
			walk(reader.doc.getXmlFragment('default'));
			expect(causes).toHaveLength(6);
			const units = causes.map((c) => parseAuthor(c.getAttribute('author'))?.unit);
			expect(units).toContain('信达工程监理咨询公司');
			expect(units).toContain('华景交通规划设计研究院');
			const key = causes.find((c) => (c.getAttribute('key') as unknown) === true)!;
			expect(key.toString()).toContain('为什么未按期交地');
		} finally {
			reader.destroy();
		}

		// The measures are in the minutes and on the resolution list.
		const resolutions = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/resolutions`, { cookie: admin.cookie })).body.resolutions;
		expect(resolutions).toHaveLength(9);
		expect(resolutions[0]).toMatchObject({ number: 'JY-01', leadUnit: '甲省江州市人民政府', deadline: addDays(today, 10) });
		// The minutes read as minutes: the overall assessment and the requirements are written, so no section is empty.
		const JSZip = (await import('jszip')).default;
		const minutes = await fetch(`${server.url}/api/conferences/${result.conferenceId}/exports/minutes.docx`, { headers: { cookie: admin.cookie } });
		const xml = await (await JSZip.loadAsync(await minutes.arrayBuffer())).file('word/document.xml')!.async('string');
		for (const text of ['一、会议总体情况', '会议认为，上半年国家重点建设项目总体推进平稳', '二、分组研讨情况及整改共识', '三、下一步工作要求', '会议要求，各责任单位', '附：上半年项目执行报告（示例数据）红黑榜', '西北风光基地外送±800千伏特高压直流输电工程']) expect(xml).toContain(text);
		// The expert panel has a proposal waiting (能源组's plan).
		const expert = result.accounts.find((a) => a.role === 'expert')!;
		const expertSession = await login(server.url, expert.username, expert.password);
		const proposals = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/proposals`, { cookie: expertSession.cookie })).body.proposals as { status: string; mayDecide: boolean; breakoutName: string }[];
		expect(proposals.filter((p) => p.status === 'pending' && p.mayDecide).map((p) => p.breakoutName)).toEqual(['能源组']);
		// The ledger shows its life after the conference: reported, awaiting review, closed out.
		const ledger = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/ledger`, { cookie: admin.cookie })).body.items as { number: string; status: string; percent: number; escalation: string; behind: number }[];
		// A realistic mix: overdue (red), due within a week (yellow), within a fortnight (blue), on track, and lagging
		// (yellow: ZG-SL-003 has nothing done at half its time, counted from the panel's decision on the conference's day).
		expect(Object.fromEntries(ledger.map((i) => [i.number, i.escalation]))).toMatchObject({ 'ZG-JT-002': 'red', 'ZG-SZ-002': 'red', 'ZG-SL-002': 'yellow', 'ZG-JT-001': 'blue', 'ZG-JT-004': '', 'ZG-SL-003': 'yellow' });
		// 29 of its 59 days gone, nothing done: 49 points behind; ZG-JT-004 (29 of 149 days) is on track at 19.
		expect(Object.fromEntries(ledger.map((i) => [i.number, i.behind]))).toMatchObject({ 'ZG-SL-003': 49, 'ZG-JT-004': 19, 'ZG-SL-001': 0 });
		const decided = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/proposals`, { cookie: admin.cookie })).body.proposals as { status: string; decidedAt: string | null }[];
		const days = new Set(decided.filter((p) => p.status === 'approved').map((p) => beijingDate(Date.parse(p.decidedAt!))));
		expect([...days]).toEqual([addDays(today, -29)]);
		const status = Object.fromEntries(ledger.map((i) => [i.number, `${i.status} ${i.percent}`]));
		expect(status).toMatchObject({ 'ZG-JT-001': 'in_progress 96', 'ZG-JT-003': 'pending_review 100', 'ZG-SL-001': 'closed 100', 'ZG-SZ-001': 'pending_review 100', 'ZG-JT-002': 'not_started 0' });

		// Two reporting rounds before the meeting: the first quarter's, all accepted; the half-year's with a report never
		// submitted (overdue), one returned and not resubmitted (overdue), one returned once and accepted, the rest accepted.
		const rounds = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/report-rounds`, { cookie: admin.cookie })).body.rounds;
		expect(rounds.map((r: { title: string }) => r.title)).toEqual(['上半年项目执行报告（示例数据）', '一季度项目执行报告（示例数据）']);
		expect(rounds[0]).toMatchObject({ total: 12, counts: { draft: 1, submitted: 0, returned: 1, accepted: 10 }, overdue: 2 });
		expect(rounds[1]).toMatchObject({ total: 12, counts: { accepted: 12 }, overdue: 0 });
		const round = (await api(server.url, 'GET', `/api/report-rounds/${rounds[0].id}`, { cookie: admin.cookie })).body;
		const t1Report = round.reports.find((r: { project: { code: string } }) => r.project.code.endsWith('（T1）'));
		expect(t1Report).toMatchObject({ status: 'accepted', lamp: 'red', derived: { annualRate: 31.4, deviation: -18.6, spi: 0.73 } });
		const w2Report = round.reports.find((r: { project: { code: string } }) => r.project.code.endsWith('（W2）'));
		const w2 = (await api(server.url, 'GET', `/api/project-reports/${w2Report.id}`, { cookie: admin.cookie })).body;
		expect(w2.events.map((e: { kind: string }) => e.kind)).toEqual(['submit', 'return', 'submit', 'accept']);

		// Stage one: the accepted half-year reports' figures (§7.3: 红 T1 W2 M3, 黄 E2 E3, 绿 the rest), each red lamp
		// leading to its breakout's analysis, plan and ledger rows.
		const dashboard = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/dashboard`, { cookie: admin.cookie })).body;
		expect(dashboard.round.title).toBe('上半年项目执行报告（示例数据）');
		expect(dashboard.total).toMatchObject({ projects: 10, annualPlan: 298, ytdDone: 145.4, annualRate: 48.8, deviation: -1.2, lamps: { red: 3, amber: 2, green: 5 } });
		expect(dashboard.series.map((x: { total: { projects: number } }) => x.total.projects)).toEqual([12, 10]);
		const red = dashboard.projects.filter((p: { lamp: string }) => p.lamp === 'red').map((p: { code: string }) => p.code.slice(-4));
		expect(red).toEqual(['（W2）', '（T1）', '（M3）']);
		const t1Row = dashboard.projects.find((p: { code: string }) => p.code.endsWith('（T1）'));
		expect(t1Row.documents.map((d: { kind: string }) => d.kind)).toEqual(['analysis', 'plan']);
		expect(t1Row.resolutions.map((r: { ledgerNumber: string }) => r.ledgerNumber)).toContain('ZG-JT-001');
		// 红黑榜 (§7.9), computed by the demo rule and published into the minutes.
		const honor = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/honor-board`, { cookie: admin.cookie })).body;
		expect(honor.published).toHaveLength(1);
		const [board] = honor.published[0].tracks;
		expect(board.red.map((e: { code: string }) => e.code.slice(-4))).toEqual(['（E1）', '（W1）', '（M1）']);
		expect(board.black.map((e: { code: string }) => e.code.slice(-4))).toEqual(['（W2）', '（T1）', '（M3）']);
		expect(board.alsoRed.map((e: { code: string }) => e.code.slice(-4))).toEqual(['（T2）']);

		// The case library (domain.md §7.10): E1 and W1 good practices told in their own words, T1's lesson drawn from its analysis, measure and accepted report.
		const cases = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/cases`, { cookie: admin.cookie })).body.cases as { id: string; kind: string; title: string }[];
		expect(cases.map((c) => [c.kind, c.title]).reverse()).toEqual([
			['good', 'EPC总承包 + 数字化周调度'],
			['good', '移民安置先行、工程建设跟进'],
			['lesson', '先开工后征拆：沿江高速扩容工程延误4.5个月']
		]);
		const lesson = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/cases/${cases[0].id}`, { cookie: admin.cookie })).body;
		expect(lesson).toMatchObject({ sector: '交通', source: { id: t1.id }, measure: { number: 'JY-01', ledgerNumber: 'ZG-JT-001', status: 'in_progress', percent: 96 }, figures: { before: { roundTitle: '一季度项目执行报告（示例数据）', derived: { annualRate: 13.2, deviation: -11.8 } }, after: { roundTitle: '上半年项目执行报告（示例数据）', derived: { annualRate: 31.4, deviation: -18.6 } } } });
		expect(lesson.sections.practice).toContain('（关键原因）');
		expect(lesson.sections.clauses).toContain('征拆条件具备');
		const good = (await api(server.url, 'GET', `/api/conferences/${result.conferenceId}/cases/${cases[2].id}`, { cookie: admin.cookie })).body;
		expect(good).toMatchObject({ sector: '能源', source: null, measure: null, project: { name: '西北风光基地外送±800千伏特高压直流输电工程' } });
		expect((await api(server.url, 'GET', `/api/cases?q=${encodeURIComponent('征拆')}`, { cookie: admin.cookie })).body.cases.map((c: { id: string }) => c.id)).toContain(cases[0].id);
		const compilation = await fetch(`${server.url}/api/conferences/${result.conferenceId}/cases/export.docx`, { headers: { cookie: admin.cookie } });
		const casesXml = await (await JSZip.loadAsync(await compilation.arrayBuffer())).file('word/document.xml')!.async('string');
		for (const text of ['一、优秀实践', '（一）EPC总承包 + 数字化周调度', '（二）移民安置先行、工程建设跟进', '二、失败教训', '（一）先开工后征拆']) expect(casesXml).toContain(text);

		// The printed sign-ins work, with the access of their role.
		const observer = result.accounts.find((a) => a.role === 'observer')!;
		const session = await login(server.url, observer.username, observer.password);
		expect(await probeSync(server.wsUrl, t1.id, session.cookie)).toBe('read');
	} finally {
		await server.stop();
		server.removeData();
	}
});
