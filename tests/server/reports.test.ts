import { expect, test } from 'vitest';
import { type Session, api, ownConnection } from '../helpers/api.js';
import { withOrigin } from '../helpers/origin.js';
import { createConference, joinAsGuest } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { png } from '../helpers/ledger.js';
import { demoProjects, postEvidence, reportingConference, t1Figures } from '../helpers/reports.js';

const f = useUsers();
const beijingToday = () => new Date(Date.now() + 8 * 3_600_000).toISOString().slice(0, 10);
const inDays = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);

async function setUp(title: string, deadline = inDays(10)) {
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const c = await reportingConference(f.server.url, f.admin, conferenceId);
	const opened = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '2025年上半年项目执行报告', periodEnd: '2025-06-30', deadline } });
	expect(opened.status).toBe(201);
	const round = await api(f.server.url, 'GET', `/api/report-rounds/${opened.body.id}`, { cookie: f.admin.cookie });
	const byCode = (code: string) => round.body.reports.find((r: { project: { code: string } }) => r.project.code === code).id as string;
	return { conferenceId, roundId: opened.body.id as string, t1: byCode(demoProjects[0].code), t2: byCode(demoProjects[1].code), ...c };
}

const get = (s: Session, id: string) => api(f.server.url, 'GET', `/api/project-reports/${id}`, { cookie: s.cookie });
const save = (s: Session, id: string, version: number, values: Record<string, unknown>) => api(f.server.url, 'PUT', `/api/project-reports/${id}`, { cookie: s.cookie, body: { version, values } });
const step = (s: Session, id: string, action: string, version: number, reason = '') => api(f.server.url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: s.cookie, body: { action, version, reason } });
const figure = (body: { figures: { key: string }[] }, key: string) => body.figures.find((x) => x.key === key) as unknown as { value: unknown; by: { name: string } | null; submission: number | null; evidence: string[] };

test('an organizer opens a round: every project goes to its 建设单位; only organizers open one, with dates in order', async () => {
	const t = await setUp('报告期');
	const unit = t.units[0];
	expect((await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: t.supervisor.cookie, body: { title: '越权', periodEnd: '2025-06-30', deadline: '2025-07-10' } })).status).toBe(403);
	const backwards = await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '倒序', periodEnd: '2025-06-30', deadline: '2025-06-01' } });
	expect(backwards.status).toBe(400);
	expect(backwards.body.error.code).toBe('validation_failed');
	for (const [periodEnd, deadline] of [['2025-02-30', '2025-03-10'], ['2025-13-01', '2026-01-10'], ['2025-06-30', '2025-07-32']]) {
		expect((await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '无效日期', periodEnd, deadline } })).status).toBe(400);
	}
	const foreign = await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '外来项目', periodEnd: '2025-06-30', deadline: '2025-07-10', assignments: [{ projectId: 'nosuchproject', unit: '某单位' }] } });
	expect(foreign.status).toBe(400);
	const empty = await createConference(f.server.url, f.admin, '无项目');
	expect((await api(f.server.url, 'POST', `/api/conferences/${empty}/report-rounds`, { cookie: f.admin.cookie, body: { title: '空', periodEnd: '2025-06-30', deadline: '2025-07-10' } })).status).toBe(400);

	const list = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: unit.cookie });
	expect(list.status).toBe(200);
	expect(list.body.rounds).toHaveLength(1);
	expect(list.body.rounds[0]).toMatchObject({ title: '2025年上半年项目执行报告', total: 3, counts: { draft: 3, submitted: 0, returned: 0, accepted: 0 }, overdue: 0, mine: 1, mineOpen: 1 });
	expect(list.body.mayManage).toBe(false);
	// The unit sees its own report only; the reviewer every one.
	const asUnit = await api(f.server.url, 'GET', `/api/report-rounds/${t.roundId}`, { cookie: unit.cookie });
	expect(asUnit.body.reports.map((r: { unit: string; mine: boolean; mayEdit: boolean }) => [r.unit, r.mine, r.mayEdit])).toEqual([[demoProjects[0].ownerUnit, true, true]]);
	expect(asUnit.body.round.timeElapsed).toBe(50);
	expect((await api(f.server.url, 'GET', `/api/report-rounds/${t.roundId}`, { cookie: t.supervisor.cookie })).body.reports).toHaveLength(3);
	expect((await get(t.units[1], t.t1)).status).toBe(404);
	expect((await get(f.bob, t.t1)).status).toBe(404);
});

test('the unit fills in, attaches evidence and submits; the report is locked; a reviewer outside the unit returns it with a reason and accepts the corrected one; every figure keeps its provenance', async () => {
	const t = await setUp('填报审核');
	const unit = t.units[0];
	let r = await get(unit, t.t1);
	expect(r.body).toMatchObject({ status: 'draft', version: 0, mayEdit: true, mayReview: false });

	// Another unit may not write T1's figures; nothing changes.
	const stranger = await save(t.units[1], t.t1, 0, { annualPlan: 1 });
	expect(stranger.status).toBe(404);
	const reviewerWrites = await save(t.supervisor, t.t1, 0, { annualPlan: 1 });
	expect(reviewerWrites.status).toBe(403);
	expect(reviewerWrites.body.error.code).toBe('not_responsible_unit');

	// Bad figures are refused, one by one, and leave the draft as it was.
	for (const values of [{ annualPlan: -1 }, { physicalActual: 120 }, { accidents: 1.5 }, { ytdDone: 1.23456 }, { annualPlan: '四十二' }, { nosuch: 1 }, { centralAllocated: 10, centralPaid: 12 }, { problems: '问'.repeat(2001) }]) {
		const bad = await save(unit, t.t1, 0, values);
		expect(bad.status, JSON.stringify(values)).toBe(400);
		expect(bad.body.error.code).toBe('validation_failed');
	}
	expect((await get(unit, t.t1)).body.version).toBe(0);

	const { problems, suggestions, ...figures } = t1Figures;
	let saved = await save(unit, t.t1, 0, figures);
	expect(saved.status).toBe(200);
	expect(saved.body.version).toBe(1);
	// A save based on an older version is refused (someone saved in between).
	const stale = await save(unit, t.t1, 0, { annualPlan: 40 });
	expect(stale.status).toBe(409);
	expect(stale.body.error.code).toBe('conflict');

	// Not complete yet: 主要问题 is required.
	const incomplete = await step(unit, t.t1, 'submit', 1);
	expect(incomplete.status).toBe(409);
	expect(incomplete.body.error.code).toBe('report_incomplete');
	saved = await save(unit, t.t1, 1, { problems, suggestions });
	expect(saved.status).toBe(200);

	const evidence = await postEvidence(f.server.url, unit, t.t1, 'progress', [{ name: '形象进度照片.png', bytes: png, type: 'image/png' }]);
	expect(evidence.status).toBe(201);
	const fake = await postEvidence(f.server.url, unit, t.t1, 'progress', [{ name: '进度.pdf', bytes: new TextEncoder().encode('<html>not a pdf</html>') }]);
	expect(fake.status).toBe(400);
	expect(fake.body.error.code).toBe('evidence_rejected');
	expect((await postEvidence(f.server.url, unit, t.t1, 'nosuchsection', [{ name: 'a.png', bytes: png }])).status).toBe(400);
	r = await get(unit, t.t1);
	expect(r.body.evidence).toHaveLength(1);
	expect(figure(r.body, 'physicalActual').evidence).toEqual([r.body.evidence[0].id]);
	expect(figure(r.body, 'accidents').evidence).toEqual([]);
	expect(r.body.derived).toMatchObject({ annualRate: 31.4, deviation: -18.6, cumulativeRate: 33, spi: 0.73, paymentRate: 66.7, hazardFixRate: 91.2 });
	expect(r.body.lamp).toBe('red');

	const submitted = await step(unit, t.t1, 'submit', r.body.version);
	expect(submitted.status).toBe(200);
	expect(submitted.body).toMatchObject({ status: 'submitted', submissions: 1, mayEdit: false });
	expect(figure(submitted.body, 'annualPlan')).toMatchObject({ value: 42, submission: 1, by: { name: '填报员1' } });
	// Locked: no figure, no evidence, no second submission.
	const locked = await save(unit, t.t1, submitted.body.version, { annualPlan: 40 });
	expect(locked.status).toBe(409);
	expect(locked.body.error.code).toBe('report_status');
	expect((await postEvidence(f.server.url, unit, t.t1, 'progress', [{ name: 'b.png', bytes: png }])).status).toBe(409);
	expect((await step(unit, t.t1, 'submit', submitted.body.version)).status).toBe(409);

	// Review: not by the unit's own supervisor, not by a participant, not without a reason.
	const own = await step(t.ownSupervisor, t.t1, 'accept', submitted.body.version);
	expect(own.status).toBe(403);
	expect(own.body.error.code).toBe('own_unit');
	expect((await step(t.units[1], t.t1, 'accept', submitted.body.version)).status).toBe(404);
	expect((await step(t.supervisor, t.t1, 'return', submitted.body.version)).status).toBe(400);
	const returned = await step(t.supervisor, t.t1, 'return', submitted.body.version, '开累完成投资与财务报表不一致，请核实');
	expect(returned.status).toBe(200);
	expect(returned.body.status).toBe('returned');

	// The unit corrects one figure and submits again: that figure comes from the second submission, the others from the first.
	const fixed = await save(unit, t.t1, returned.body.version, { cumulativeDone: 61.6 });
	expect(fixed.status).toBe(200);
	expect(figure(fixed.body, 'cumulativeDone').submission).toBeNull();
	const again = await step(unit, t.t1, 'submit', fixed.body.version);
	expect(again.body.submissions).toBe(2);
	expect(figure(again.body, 'cumulativeDone').submission).toBe(2);
	expect(figure(again.body, 'annualPlan').submission).toBe(1);
	const accepted = await step(t.supervisor, t.t1, 'accept', again.body.version);
	expect(accepted.status).toBe(200);
	expect(accepted.body).toMatchObject({ status: 'accepted', accepted: { by: { name: '交通运输部规划司审核员' } } });
	expect(accepted.body.events.map((e: { kind: string; toStatus: string }) => `${e.kind}:${e.toStatus}`)).toEqual(['submit:submitted', 'return:returned', 'submit:submitted', 'accept:accepted']);
	expect(accepted.body.events[1].reason).toBe('开累完成投资与财务报表不一致，请核实');
	// Accepted: final, and now every member of the breakout sees it.
	expect((await step(t.supervisor, t.t1, 'return', accepted.body.version, '再次退回')).status).toBe(409);
	expect((await get(t.units[1], t.t1)).status).toBe(200);
	const file = await fetch(`${f.server.url}/api/report-evidence/${accepted.body.evidence[0].id}`, { headers: { ...ownConnection, cookie: t.supervisor.cookie } });
	expect(file.status).toBe(200);
	expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
	expect((await fetch(`${f.server.url}/api/report-evidence/${accepted.body.evidence[0].id}`, { headers: { ...ownConnection, cookie: f.bob.cookie } })).status).toBe(404);

	const audit = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/audit`, { cookie: f.admin.cookie });
	const actions = (audit.body.entries as { action: string }[]).map((e) => e.action);
	for (const a of ['reports.round_opened', 'reports.evidence_added', 'reports.submitted', 'reports.returned', 'reports.accepted']) expect(actions).toContain(a);
	const rounds = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie });
	expect(rounds.body.rounds[0].counts).toEqual({ draft: 2, submitted: 0, returned: 0, accepted: 1 });
});

test('at once: two saves of one version, a save racing the submission, eight reviews — one of each wins and the rest are told', async () => {
	const t = await setUp('并发填报');
	const unit = t.units[0];
	const twoSaves = await Promise.all([save(unit, t.t1, 0, { annualPlan: 42 }), save(unit, t.t1, 0, { annualPlan: 43 })]);
	expect(twoSaves.map((s) => s.status).sort()).toEqual([200, 409]);
	const base = (await get(unit, t.t1)).body.version;
	expect((await save(unit, t.t1, base, t1Figures)).status).toBe(200);
	// A submission from a tab that has not seen the latest save is refused: it would send figures nobody checked.
	const seen = (await get(unit, t.t1)).body.version;
	expect((await save(unit, t.t1, seen, { designChanges: 0.4 })).status).toBe(200);
	const blind = await step(unit, t.t1, 'submit', seen);
	expect(blind.status).toBe(409);
	expect(blind.body.error.code).toBe('conflict');
	const v = seen + 1;
	const [submit, late] = await Promise.all([step(unit, t.t1, 'submit', v), save(unit, t.t1, v, { annualPlan: 50 })]);
	expect([submit.status, late.status].sort()).toEqual([200, 409]);
	let r = (await get(unit, t.t1)).body;
	if (submit.status !== 200) r = (await step(unit, t.t1, 'submit', r.version)).body;
	expect(r.status).toBe('submitted');
	// Whatever won, the submitted figures are what the unit last saw saved.
	expect(figure(r, 'annualPlan').value).toBe(submit.status === 200 ? 42 : 50);
	const reviews = await Promise.all(Array.from({ length: 8 }, (_, i) => step(t.supervisor, t.t1, i % 2 ? 'accept' : 'return', r.version, '并发审核')));
	expect(reviews.filter((x) => x.status === 200)).toHaveLength(1);
	for (const x of reviews.filter((y) => y.status !== 200)) expect(['conflict', 'report_status']).toContain(x.body.error.code);
	expect((await get(unit, t.t1)).body.events).toHaveLength(2);
});

test('a report not submitted by its deadline (Beijing time) is flagged overdue; a submitted one is not', async () => {
	const t = await setUp('逾期', beijingToday());
	expect((await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie })).body.rounds[0].overdue).toBe(0);
	const late = await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '一季度', periodEnd: '2025-03-31', deadline: '2025-04-10' } });
	const round = await api(f.server.url, 'GET', `/api/report-rounds/${late.body.id}`, { cookie: f.admin.cookie });
	expect(round.body.round.timeElapsed).toBe(25);
	expect(round.body.reports.map((r: { overdue: boolean }) => r.overdue)).toEqual([true, true, true]);
	const t1 = round.body.reports.find((r: { unit: string }) => r.unit === demoProjects[0].ownerUnit).id;
	expect((await save(t.units[0], t1, 0, t1Figures)).status).toBe(200);
	expect((await step(t.units[0], t1, 'submit', 1)).status).toBe(200);
	const list = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie });
	expect(list.body.rounds.find((x: { id: string }) => x.id === late.body.id).overdue).toBe(2);
});

test('figures from the XLSX template: the unit’s open reports come filled in; a checked upload shows each bad cell by row and column; with any problem nothing is saved; a clean one saves every report at once', async () => {
	const t = await setUp('模板导入');
	const unit = t.units[0];
	const ExcelJS = (await import('exceljs')).default;
	// A round where the unit reports two projects.
	const opened = await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, {
		cookie: f.admin.cookie,
		body: { title: '三季度', periodEnd: '2025-09-30', deadline: inDays(5), assignments: t.projects.slice(0, 2).map((projectId) => ({ projectId, unit: demoProjects[0].ownerUnit })) }
	});
	const roundId = opened.body.id as string;
	const reports = (await api(f.server.url, 'GET', `/api/report-rounds/${roundId}`, { cookie: unit.cookie })).body.reports as { id: string; project: { code: string } }[];
	expect(reports).toHaveLength(2);
	expect((await save(unit, reports[0].id, 0, { environmentStatus: '=HYPERLINK("http://x")' })).status).toBe(200);

	const template = await fetch(`${f.server.url}/api/report-rounds/${roundId}/template.xlsx`, { headers: { ...ownConnection, cookie: unit.cookie } });
	expect(template.status).toBe(200);
	expect(template.headers.get('content-disposition')).toContain('.xlsx');
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(await template.arrayBuffer());
	const sheet = book.worksheets[0];
	const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
	expect(header.slice(0, 4)).toEqual(['报告编号（请勿修改）', '项目代码', '项目名称', '填报单位']);
	expect(header).toContain('年度计划投资（亿元）');
	expect(sheet.rowCount).toBe(3);
	const col = (h: string) => header.indexOf(h) + 1;
	const rowOf = (id: string) => [2, 3].find((r) => sheet.getRow(r).getCell(1).value === id)!;
	// Text that a spreadsheet would run as a formula is defused in the template.
	expect(String(sheet.getRow(rowOf(reports[0].id)).getCell(col('环评/水保/排污许可情况')).value)).not.toMatch(/^=/);

	const upload = async (check: boolean) => {
		const bytes = await book.xlsx.writeBuffer();
		return fetch(`${f.server.url}/api/report-rounds/${roundId}/import?check=${check ? 1 : 0}`, {
			method: 'POST',
			headers: withOrigin(f.server.url, { ...ownConnection, cookie: unit.cookie, 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' }),
			body: new Uint8Array(bytes as ArrayBuffer)
		}).then(async (r) => ({ status: r.status, body: await r.json() }));
	};
	const first = sheet.getRow(rowOf(reports[0].id));
	const second = sheet.getRow(rowOf(reports[1].id));
	first.getCell(col('年度计划投资（亿元）')).value = '42.0';
	first.getCell(col('本年累计完成投资（亿元）')).value = 13.2;
	first.getCell(col('实际形象进度（%）')).value = '38%';
	second.getCell(col('年度计划投资（亿元）')).value = '６０';
	second.getCell(col('生产安全事故（起）')).value = '1.5';
	second.getCell(col('中央资金已下达（亿元）')).value = 10;
	second.getCell(col('中央资金已支付（亿元）')).value = 12;
	const checked = await upload(true);
	expect(checked.status).toBe(200);
	expect(checked.body.rejectedRows).toBe(1);
	const bad = checked.body.rows.find((r: { reportId: string }) => r.reportId === reports[1].id);
	expect(bad.problems).toEqual(expect.arrayContaining([{ column: '生产安全事故（起）', reason: 'not_whole' }, { column: '中央资金已支付（亿元）', reason: 'paid_over_allocated' }]));
	const refused = await upload(false);
	expect(refused.status).toBe(400);
	expect(refused.body.error.code).toBe('import_rejected');
	expect((await get(unit, reports[0].id)).body.version).toBe(1);

	second.getCell(col('生产安全事故（起）')).value = 1;
	second.getCell(col('中央资金已支付（亿元）')).value = 8;
	const imported = await upload(false);
	expect(imported.status).toBe(200);
	expect(imported.body.saved).toBe(2);
	const a = (await get(unit, reports[0].id)).body;
	expect(figure(a, 'annualPlan')).toMatchObject({ value: 42, by: { name: '填报员1' }, submission: null });
	expect(figure(a, 'physicalActual').value).toBe(38);
	expect(figure((await get(unit, reports[1].id)).body, 'annualPlan').value).toBe(60);

	// Rows that are not the caller's unit's to fill in are refused by row; a file that is not a workbook as a whole.
	const asOther = await fetch(`${f.server.url}/api/report-rounds/${roundId}/import?check=1`, {
		method: 'POST',
		headers: withOrigin(f.server.url, { ...ownConnection, cookie: t.units[1].cookie }),
		body: new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer)
	}).then((r) => r.json());
	expect(asOther.rows.map((r: { problems: { reason: string }[] }) => r.problems[0]?.reason)).toEqual(['not_yours', 'not_yours']);
	const notXlsx = await fetch(`${f.server.url}/api/report-rounds/${roundId}/import`, {
		method: 'POST',
		headers: withOrigin(f.server.url, { ...ownConnection, cookie: unit.cookie }),
		body: new TextEncoder().encode('项目代码,年度计划投资\n1,2')
	});
	expect(notXlsx.status).toBe(400);
	expect((await notXlsx.json()).error.code).toBe('import_rejected');
});

test('a guest who typed a reporting unit’s name when joining by invite link does not speak for it: no report of its projects, no ledger report', async () => {
	const t = await setUp('自报单位');
	const impostor = await joinAsGuest(f.server.url, f.admin, t.conferenceId, { displayName: '冒名者', unit: demoProjects[0].ownerUnit, role: 'participant', breakoutIds: [t.breakoutId] });
	const round = await api(f.server.url, 'GET', `/api/report-rounds/${t.roundId}`, { cookie: impostor.cookie });
	expect(round.status).toBe(200);
	expect(round.body.reports).toEqual([]);
	expect((await get(impostor, t.t1)).status).toBe(404);
	expect((await save(impostor, t.t1, 0, { annualPlan: 1 })).status).toBe(404);
	// The unit's real member (given the unit by the administrator) still does.
	expect((await save(t.units[0], t.t1, 0, { annualPlan: 42 })).status).toBe(200);
	const me = await api(f.server.url, 'GET', '/api/me', { cookie: impostor.cookie });
	expect(me.body.unit).toBe(demoProjects[0].ownerUnit);
});

test('what an attack found, each refused or kept as it was: tiny or grouped-wrong numbers, control characters, blank reasons, a stale page after evidence, a reviewer of a typed own unit, a project with reports deleted, an untouched template', async () => {
	const t = await setUp('攻击回归');
	const unit = t.units[0];
	for (const values of [{ annualPlan: 5e-324 }, { annualPlan: 1.00000000001 }, { problems: 'a\u0000b' }, { problems: '\ud800' }, { environmentStatus: '\ufffe' }]) {
		expect((await save(unit, t.t1, 0, values)).status, JSON.stringify(values)).toBe(400);
	}
	// A save that changes nothing writes nothing: the version stays, so nobody else's page goes stale.
	expect((await api(f.server.url, 'PUT', `/api/project-reports/${t.t1}`, { cookie: unit.cookie, body: '{"version":0,"values":{"__proto__":{"x":1}}}' })).status).not.toBe(500);
	expect((await get(unit, t.t1)).body.version).toBe(0);
	const text = { problems: '-K32段征地拆迁滞后', environmentStatus: '=1+1', suggestions: '@张三 建议' };
	expect((await save(unit, t.t1, 0, { ...t1Figures, ...text })).status).toBe(200);
	expect((await save(unit, t.t1, 1, { annualPlan: 42 })).status).toBe(200);
	expect((await get(unit, t.t1)).body.version).toBe(1);

	// The untouched template imports back without changing a figure; its percentage columns are text cells.
	const ExcelJS = (await import('exceljs')).default;
	const bytes = new Uint8Array(await (await fetch(`${f.server.url}/api/report-rounds/${t.roundId}/template.xlsx`, { headers: { ...ownConnection, cookie: unit.cookie } })).arrayBuffer());
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(bytes.buffer);
	const header = (book.worksheets[0].getRow(1).values as unknown[]).slice(1).map(String);
	expect(book.worksheets[0].getColumn(header.indexOf('实际形象进度（%）') + 1).numFmt).toBe('@');
	const back = await fetch(`${f.server.url}/api/report-rounds/${t.roundId}/import`, { method: 'POST', headers: withOrigin(f.server.url, { ...ownConnection, cookie: unit.cookie }), body: bytes });
	expect(back.status).toBe(200);
	expect((await back.json()).saved).toBe(0);
	const kept = (await get(unit, t.t1)).body;
	expect(kept.version).toBe(1);
	for (const [k, v] of Object.entries(text)) expect(figure(kept, k).value).toBe(v);
	// "13,2" is not thirteen point two, nor one hundred thirty-two.
	const sheet = book.worksheets[0];
	sheet.getRow(2).getCell(header.indexOf('年度计划投资（亿元）') + 1).value = '13,2';
	const wrong = await fetch(`${f.server.url}/api/report-rounds/${t.roundId}/import?check=1`, { method: 'POST', headers: withOrigin(f.server.url, { ...ownConnection, cookie: unit.cookie }), body: new Uint8Array((await book.xlsx.writeBuffer()) as ArrayBuffer) });
	expect((await wrong.json()).rows[0].problems).toEqual([{ column: '年度计划投资（亿元）', reason: 'not_a_number' }]);

	// Evidence makes a new version: a page that has not seen it cannot submit.
	expect((await postEvidence(f.server.url, t.units[0], t.t1, 'progress', [{ name: '同事上传.png', bytes: png, type: 'image/png' }])).status).toBe(201);
	const stale = await step(unit, t.t1, 'submit', 1);
	expect(stale.status).toBe(409);
	expect(stale.body.error.code).toBe('conflict');
	const submitted = await step(unit, t.t1, 'submit', 2);
	expect(submitted.status).toBe(200);

	// A guest supervisor who typed the reporting unit's name is of that unit when it comes to reviewing it.
	const guest = await joinAsGuest(f.server.url, f.admin, t.conferenceId, { displayName: '自称沿江公司', unit: demoProjects[0].ownerUnit, role: 'supervisor' });
	const own = await step(guest, t.t1, 'accept', submitted.body.version);
	expect(own.status).toBe(403);
	expect(own.body.error.code).toBe('own_unit');
	// A reason of invisible characters is no reason.
	expect((await step(t.supervisor, t.t1, 'return', submitted.body.version, '\u200b\u2060')).status).toBe(400);
	expect((await get(unit, t.t1)).body.status).toBe('submitted');

	// A project with reports stays.
	const del = await api(f.server.url, 'DELETE', `/api/conferences/${t.conferenceId}/projects/${t.projects[0]}`, { cookie: f.admin.cookie });
	expect(del.status).toBe(409);
	expect((await get(unit, t.t1)).body.project.name).toBe(demoProjects[0].name);
});
