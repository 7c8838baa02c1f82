import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { api, ownConnection } from '../helpers/api.js';
import { createConference, joinAsGuest } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { approve, breakoutWithPlan, png, postReport, unitMember } from '../helpers/ledger.js';
import { hasLibreOffice } from '../helpers/pdf-layout.js';
import { deflatedFill, stored, zipOf } from '../helpers/zip-files.js';

const f = useUsers();
const inDays = (n: number) => new Date(Date.now() + 8 * 3_600_000 + n * 86_400_000).toISOString().slice(0, 10);
const lead = '甲省江州市人民政府';

/** A conference with two approved measures of 甲省江州市人民政府: one overdue, one due in 60 days. */
async function setUp(title: string) {
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const plan = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, [
		{ text: '完成T1项目K32—K47段剩余交地', responsibleUnit: lead, supportingUnits: '甲省沿江高速公路建设有限公司', deadline: '2025-08-31', criteria: '工作面移交率100%' },
		{ text: '建立交地与工作面移交周调度台账', responsibleUnit: lead, deadline: inDays(60), criteria: '台账建立并按周报送' }
	]);
	const [overdue, open] = await approve(f.server.url, f.admin, f.alice, plan.planId, plan.measureIds);
	const tag = Math.random().toString(36).slice(2, 7);
	const unit = await unitMember(f.server.url, f.admin, conferenceId, `jz-${tag}`, '李副市长', lead, 'participant', [plan.breakoutId]);
	const supervisor = await unitMember(f.server.url, f.admin, conferenceId, `dc-${tag}`, '督查组赵某', '会议主办方督查组', 'supervisor');
	const supervisor2 = await unitMember(f.server.url, f.admin, conferenceId, `dc2-${tag}`, '督查组钱某', '会议主办方督查组', 'supervisor');
	const ownSupervisor = await unitMember(f.server.url, f.admin, conferenceId, `os-${tag}`, '江州督查员', lead, 'supervisor');
	return { conferenceId, ...plan, overdue, open, unit, supervisor, supervisor2, ownSupervisor };
}

const item = (s: { cookie: string }, id: string) => api(f.server.url, 'GET', `/api/ledger/${id}`, { cookie: s.cookie });
const step = (s: { cookie: string }, id: string, action: string, reason = '') =>
	api(f.server.url, 'POST', `/api/ledger/${id}/transitions`, { cookie: s.cookie, body: { action, reason } });

test('approved measures are the ledger: numbered, not started, escalated by deadline; the thresholds are the organizer’s', async () => {
	const t = await setUp('台账编号');
	const list = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/ledger`, { cookie: t.unit.cookie });
	expect(list.status).toBe(200);
	expect(list.body.items.map((i: { number: string; resolutionNumber: string; status: string; escalation: string; responsible: boolean }) => [i.number, i.resolutionNumber, i.status, i.escalation, i.responsible])).toEqual([
		['ZG-JT-001', 'JY-01', 'not_started', 'red', true],
		['ZG-JT-002', 'JY-02', 'not_started', '', true]
	]);
	expect(list.body.items[0]).toMatchObject({ leadUnit: lead, supportingUnits: '甲省沿江高速公路建设有限公司', planDeadline: '2025-08-31', deadline: '2025-08-31', mayReview: false });
	// Blue once the deadline falls inside the window: the organizer widens it.
	expect((await api(f.server.url, 'PUT', `/api/conferences/${t.conferenceId}/ledger-settings`, { cookie: t.unit.cookie, body: { blueDays: 90, yellowDays: 7, lagPoints: 20 } })).status).toBe(403);
	const bad = await api(f.server.url, 'PUT', `/api/conferences/${t.conferenceId}/ledger-settings`, { cookie: f.admin.cookie, body: { blueDays: 5, yellowDays: 7, lagPoints: 20 } });
	expect(bad.status).toBe(400);
	expect((await api(f.server.url, 'PUT', `/api/conferences/${t.conferenceId}/ledger-settings`, { cookie: f.admin.cookie, body: { blueDays: 90, yellowDays: 7, lagPoints: 20 } })).status).toBe(204);
	const after = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/ledger`, { cookie: t.unit.cookie });
	expect(after.body.items.map((i: { escalation: string }) => i.escalation)).toEqual(['red', 'blue']);
	expect(after.body.settings).toEqual({ blueDays: 90, yellowDays: 7, lagPoints: 20 });
});

test('the workflow: the unit reports with evidence and submits; a reviewer outside the unit returns and closes; the owner cannot close its own item; a closed item reopens', async () => {
	const t = await setUp('台账流程');
	// Only the responsible unit reports; alice is of 甲省交通运输厅.
	const stranger = await postReport(f.server.url, f.alice, t.open, { progress: '已召开调度会', percent: 10 });
	expect(stranger.status).toBe(403);
	expect(stranger.body.error.code).toBe('not_responsible_unit');
	// A file whose content is not what its name says is refused, and nothing is recorded.
	const fake = await postReport(f.server.url, t.unit, t.open, { progress: '已召开调度会', percent: 10 }, [{ name: '交地确认书.pdf', bytes: new TextEncoder().encode('<html><script>alert(1)</script></html>') }]);
	expect(fake.status).toBe(400);
	expect(fake.body.error.code).toBe('evidence_rejected');
	expect((await item(t.unit, t.open)).body).toMatchObject({ status: 'not_started', reports: [] });
	expect(await fs.readdir(path.join(f.server.dataDir, 'evidence')).catch(() => [])).toEqual([]);
	const badPercent = await postReport(f.server.url, t.unit, t.open, { progress: '已召开调度会', percent: 140 });
	expect(badPercent.status).toBe(400);

	// Submitting without evidence on file is refused.
	const first = await postReport(f.server.url, t.unit, t.open, { progress: '已召开调度会，明确专班', percent: 30, difficulties: '2户诉求未解决', nextSteps: '逐户协商' });
	expect(first.status).toBe(201);
	expect(first.body).toMatchObject({ status: 'in_progress', percent: 30 });
	const noEvidence = await step(t.unit, t.open, 'submit');
	expect(noEvidence.status).toBe(409);
	expect(noEvidence.body.error.code).toBe('evidence_required');

	const second = await postReport(f.server.url, t.unit, t.open, { progress: '台账已建立并按周报送', percent: 100 }, [{ name: '周调度台账（第1期）.png', bytes: png, type: 'image/png' }]);
	expect(second.status).toBe(201);
	const evidence = second.body.reports[0].evidence[0];
	expect(evidence).toMatchObject({ name: '周调度台账（第1期）.png', mime: 'image/png', size: png.byteLength });
	expect((await step(t.unit, t.open, 'submit')).body.status).toBe('pending_review');

	// Separation of duties: a reviewer of the responsible unit cannot review it; a participant is no reviewer.
	const own = await step(t.ownSupervisor, t.open, 'close');
	expect(own.status).toBe(403);
	expect(own.body.error.code).toBe('own_unit');
	expect((await step(t.unit, t.open, 'close')).status).toBe(403);
	// A return needs its reasons.
	expect((await step(t.supervisor, t.open, 'return')).status).toBe(400);
	const returned = await step(t.supervisor, t.open, 'return', '佐证材料未体现按周报送记录');
	expect(returned.body.status).toBe('in_progress');
	expect((await step(t.unit, t.open, 'submit')).body.status).toBe('pending_review');
	// Two reviewers at once: one closes, the other is told it changed.
	const both = await Promise.all([step(t.supervisor, t.open, 'close', '材料齐全'), step(t.supervisor2, t.open, 'close', '同意销号')]);
	expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
	const closed = await item(t.unit, t.open);
	expect(closed.body.status).toBe('closed');
	expect(closed.body.closedAt).not.toBeNull();
	// A closed item takes no reports until a reviewer reopens it.
	const late = await postReport(f.server.url, t.unit, t.open, { progress: '补充', percent: 100 });
	expect(late.status).toBe(409);
	expect(late.body.error.code).toBe('ledger_status');
	expect((await step(t.supervisor, t.open, 'reopen', '回头看发现台账断报')).body.status).toBe('in_progress');

	const history = (await item(t.unit, t.open)).body.events.map((e: { kind: string; toStatus: string }) => `${e.kind}:${e.toStatus}`);
	expect(history).toEqual(['report:in_progress', 'report:in_progress', 'submit:pending_review', 'return:in_progress', 'submit:pending_review', 'close:closed', 'reopen:in_progress']);
	const audit = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/audit`, { cookie: f.admin.cookie });
	const actions = (audit.body.entries as { action: string }[]).map((e) => e.action);
	for (const a of ['ledger.reported', 'ledger.submitted', 'ledger.returned', 'ledger.closed', 'ledger.reopened']) expect(actions).toContain(a);

	// The evidence is served to those who may see the item, as an attachment, and to nobody else.
	const file = await fetch(`${f.server.url}/api/evidence/${evidence.id}`, { headers: { ...ownConnection, cookie: t.supervisor.cookie } });
	expect(file.status).toBe(200);
	expect(file.headers.get('content-disposition')).toContain("filename*=UTF-8''%E5%91%A8");
	expect(file.headers.get('x-content-type-options')).toBe('nosniff');
	expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
	expect((await fetch(`${f.server.url}/api/evidence/${evidence.id}`, { headers: ownConnection })).status).toBe(401);
	expect((await fetch(`${f.server.url}/api/evidence/${evidence.id}`, { headers: { ...ownConnection, cookie: f.bob.cookie } })).status).toBe(404);
});

test('a guest who typed the responsible unit’s name when joining by invite link does not speak for it: no progress report, no submission', async () => {
	const t = await setUp('自报单位台账');
	const impostor = await joinAsGuest(f.server.url, f.admin, t.conferenceId, { displayName: '冒名者', unit: lead, role: 'participant', breakoutIds: [t.breakoutId] });
	const seen = await item(impostor, t.open);
	expect(seen.status).toBe(200);
	expect(seen.body.responsible).toBe(false);
	// And a reason made of invisible characters is no reason (the reviewer's 退回 needs one).
	expect((await postReport(f.server.url, t.unit, t.open, { progress: '台账已建立', percent: 100 }, [{ name: '佐证.png', bytes: png, type: 'image/png' }])).status).toBe(201);
	expect((await step(t.unit, t.open, 'submit')).status).toBe(200);
	const blank = await step(t.supervisor, t.open, 'return', '\u200b\u2060');
	expect(blank.status).toBe(400);
	expect(blank.body.error.code).toBe('validation_failed');
	const refused = await postReport(f.server.url, impostor, t.open, { progress: '冒名报送', percent: 100 }, [{ name: '佐证.png', bytes: png, type: 'image/png' }]);
	expect(refused.status).toBe(403);
	expect(refused.body.error.code).toBe('not_responsible_unit');
	expect((await item(t.unit, t.open)).body.reports).toHaveLength(1);
	expect((await item(t.unit, t.open)).body.status).toBe('pending_review');
});

test('many steps on one item at once: exactly one review decides it, and a report racing the submission never lands on an item under review', async () => {
	const t = await setUp('台账并发');
	const evidence = [{ name: '周调度台账.png', bytes: png, type: 'image/png' }];
	expect((await postReport(f.server.url, t.unit, t.open, { progress: '台账已建立', percent: 100 }, evidence)).status).toBe(201);
	// The submission and five reports at once: each report lands before the submission or is refused.
	const [submitted, ...reports] = await Promise.all([step(t.unit, t.open, 'submit'), ...Array.from({ length: 5 }, (_, i) => postReport(f.server.url, t.unit, t.open, { progress: `补充第${i + 1}期`, percent: 100 }))]);
	expect(submitted.status).toBe(200);
	for (const r of reports) expect([201, 409]).toContain(r.status);
	let history = (await item(t.unit, t.open)).body.events.map((e: { kind: string; toStatus: string }) => `${e.kind}:${e.toStatus}`);
	expect(history.slice(history.lastIndexOf('submit:pending_review') + 1)).toEqual([]);
	expect(history.filter((h: string) => h === 'report:in_progress')).toHaveLength(1 + reports.filter((r) => r.status === 201).length);
	// Eight reviews at once, closes and returns by two reviewers: one decides, seven are told it changed.
	const reviews = await Promise.all(Array.from({ length: 8 }, (_, i) => step(i % 2 ? t.supervisor : t.supervisor2, t.open, i % 4 < 2 ? 'close' : 'return', '并发审核')));
	expect(reviews.filter((r) => r.status === 200)).toHaveLength(1);
	for (const r of reviews.filter((x) => x.status !== 200)) expect(r.body.error.code).toBe('ledger_status');
	history = (await item(t.unit, t.open)).body.events.map((e: { kind: string; toStatus: string }) => `${e.kind}:${e.toStatus}`);
	expect(history.filter((h: string) => h === 'close:closed' || h === 'return:in_progress')).toHaveLength(1);
});

test('office evidence is checked by the zip’s real entries: a name elsewhere in the file, a look-alike entry or a zip bomb is refused; real XLSX, DOCX and OFD files pass', async () => {
	const t = await setUp('佐证格式');
	const JSZip = (await import('jszip')).default;
	const zip = async (files: Record<string, string>, comment?: string) => {
		const z = new JSZip();
		for (const [name, text] of Object.entries(files)) z.file(name, text);
		return new Uint8Array(await z.generateAsync({ type: 'uint8array', compression: 'DEFLATE', comment }));
	};
	const contentTypes = '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
	const refused = [
		{ name: '台账（look-alike）.xlsx', bytes: await zip({ '[Content_Types].xml': contentTypes, 'notxl/workbook.xml': '<workbook/>' }) },
		{ name: '台账（comment）.xlsx', bytes: await zip({ 'readme.txt': '说明' }, 'xl/workbook.xml word/document.xml OFD.xml') },
		{ name: '纪要（look-alike）.docx', bytes: await zip({ '[Content_Types].xml': contentTypes, 'notword/document.xml': '<w:document/>', 'xl/workbook.xml': '' }) },
		{ name: '签章（look-alike）.ofd', bytes: await zip({ 'Doc_0/notOFD.xml': '<ofd:OFD/>' }) },
		{
			name: '纪要（zip bomb）.docx',
			bytes: zipOf([stored('[Content_Types].xml', contentTypes), await deflatedFill('word/document.xml', '<w:document>', 64 * 1024 * 1024, '</w:document>')])
		}
	];
	for (const file of refused) {
		const res = await postReport(f.server.url, t.unit, t.open, { progress: '报送佐证', percent: 10 }, [file]);
		expect(res.status, file.name).toBe(400);
		expect(res.body.error.code, file.name).toBe('evidence_rejected');
	}
	expect((await item(t.unit, t.open)).body.reports).toEqual([]);

	const ExcelJS = (await import('exceljs')).default;
	const book = new ExcelJS.Workbook();
	book.addWorksheet('台账').addRow(['ZG-JT-001', '已交地']);
	const xlsx = new Uint8Array(await book.xlsx.writeBuffer());
	const docx = await zip({
		'[Content_Types].xml':
			'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
		'_rels/.rels':
			'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
		'word/document.xml': '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>交地确认书</w:t></w:r></w:p></w:body></w:document>'
	});
	const ofd = await zip({ 'OFD.xml': '<ofd:OFD xmlns:ofd="http://www.ofdspec.org/2016"/>', 'Doc_0/Document.xml': '<ofd:Document/>' });
	const good = await postReport(f.server.url, t.unit, t.open, { progress: '报送佐证', percent: 20 }, [
		{ name: '台账.xlsx', bytes: xlsx },
		{ name: '交地确认书.docx', bytes: docx },
		{ name: '签章.ofd', bytes: ofd }
	]);
	expect(good.status).toBe(201);
	expect(good.body.reports[0].evidence.map((e: { name: string }) => e.name).sort()).toEqual(['交地确认书.docx', '台账.xlsx', '签章.ofd'].sort());
});

test('an extension is asked for before the deadline only, one at a time, and decided by the organizer', async () => {
	const t = await setUp('申请延期');
	const late = await api(f.server.url, 'POST', `/api/ledger/${t.overdue}/extensions`, { cookie: t.unit.cookie, body: { deadline: '2025-10-31', reason: '2户诉讼未结' } });
	expect(late.status).toBe(409);
	expect(late.body.error.code).toBe('deadline_passed');
	const earlier = await api(f.server.url, 'POST', `/api/ledger/${t.open}/extensions`, { cookie: t.unit.cookie, body: { deadline: inDays(10), reason: '提前' } });
	expect(earlier.status).toBe(400);
	const asked = await api(f.server.url, 'POST', `/api/ledger/${t.open}/extensions`, { cookie: t.unit.cookie, body: { deadline: inDays(120), reason: '铁塔迁改需电力公司停电窗口' } });
	expect(asked.status).toBe(201);
	const ext = asked.body.extensions[0];
	expect(ext).toMatchObject({ status: 'pending', newDeadline: inDays(120), oldDeadline: inDays(60) });
	expect((await api(f.server.url, 'POST', `/api/ledger/${t.open}/extensions`, { cookie: t.unit.cookie, body: { deadline: inDays(150), reason: '再延' } })).status).toBe(409);
	expect((await api(f.server.url, 'POST', `/api/ledger-extensions/${ext.id}/decision`, { cookie: t.supervisor.cookie, body: { approve: true } })).status).toBe(403);
	expect((await api(f.server.url, 'POST', `/api/ledger-extensions/${ext.id}/decision`, { cookie: f.admin.cookie, body: { approve: false } })).status).toBe(400);
	const approved = await api(f.server.url, 'POST', `/api/ledger-extensions/${ext.id}/decision`, { cookie: f.admin.cookie, body: { approve: true } });
	expect(approved.status).toBe(200);
	expect(approved.body).toMatchObject({ deadline: inDays(120), planDeadline: inDays(60) });
	expect(approved.body.extensions[0].status).toBe('approved');
	expect((await api(f.server.url, 'POST', `/api/ledger-extensions/${ext.id}/decision`, { cookie: f.admin.cookie, body: { approve: true } })).status).toBe(409);
});

// Asynchronous on purpose: a test blocked in LibreOffice for seconds is a test process that answers
// nothing meanwhile (its sockets, its timers), on a busy machine long enough to fail the next request.
const run = promisify(execFile);

test('the exports: the ledger as XLSX (frozen Chinese headers, dates as dates, formulas defused) and the minutes as a GB/T 9704 DOCX that LibreOffice renders', async () => {
	const title = '2025年上半年/国家重点建设项目管理总结会';
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const details = { title, hosts: '国家发展改革委、住房和城乡建设部、财政部', startDate: '2025-07-17', endDate: '2025-07-18', venue: '北京' };
	expect((await api(f.server.url, 'PATCH', `/api/conferences/${conferenceId}`, { cookie: f.admin.cookie, body: details })).status).toBe(204);
	const hostile = '=HYPERLINK("http://evil.example","点击")';
	const plan = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, [
		{ text: '完成T1项目剩余交地<script>alert(1)</script>', responsibleUnit: lead, deadline: '2025-08-31', criteria: '交地确认书签署' },
		{ text: hostile, responsibleUnit: '@甲省交通运输厅', deadline: '2025-12-31', criteria: '+1' }
	]);
	const [first] = await approve(f.server.url, f.admin, f.alice, plan.planId, plan.measureIds);
	const unit = await unitMember(f.server.url, f.admin, conferenceId, 'export-unit', '李副市长', lead, 'participant', [plan.breakoutId]);
	await unitMember(f.server.url, f.admin, conferenceId, 'export-observer', '钱列席', '审计署有关司局', 'observer');
	// 请假: an organizer marks a member excused; a member cannot.
	const excused = await unitMember(f.server.url, f.admin, conferenceId, 'export-excused', '𠀾请假', '戊省水利厅', 'participant');
	const leave = (s: { cookie: string }, onLeave: boolean) => api(f.server.url, 'PUT', `/api/conferences/${conferenceId}/members/${excused.userId}/leave`, { cookie: s.cookie, body: { onLeave } });
	expect((await leave(unit, true)).status).toBe(403);
	expect((await leave(f.admin, true)).status).toBe(204);
	const members = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: unit.cookie })).body.members as { userId: string; onLeave: boolean }[];
	expect(members.find((m) => m.userId === excused.userId)?.onLeave).toBe(true);
	expect((await postReport(f.server.url, unit, first, { progress: '-已交地14.9 km', percent: 96, difficulties: '剩2户' }, [{ name: '交地确认书.png', bytes: png }])).status).toBe(201);

	const ExcelJS = (await import('exceljs')).default;
	const res = await fetch(`${f.server.url}/api/conferences/${conferenceId}/exports/ledger.xlsx`, { headers: { ...ownConnection, cookie: f.admin.cookie } });
	expect(res.status).toBe(200);
	const disposition = res.headers.get('content-disposition') ?? '';
	expect(disposition).toMatch(/^attachment; filename="[^"/\\]+"; filename\*=UTF-8''/);
	expect(decodeURIComponent(disposition.split("''")[1])).toBe('2025年上半年国家重点建设项目管理总结会决议清单与整改台账.xlsx');
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(await res.arrayBuffer());
	const [items, progress] = book.worksheets;
	expect(items.name).toBe('决议清单与整改台账');
	expect(items.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
	expect(items.getRow(1).values).toEqual(expect.arrayContaining(['决议编号', '台账编号', '决议事项', '牵头单位', '时间节点', '考核标准', '状态', '累计完成', '督办等级']));
	const row = (n: number) => items.getRow(n).values as unknown[];
	expect(row(2).slice(1, 4)).toEqual(['JY-01', 'ZG-JT-001', '完成T1项目剩余交地<script>alert(1)</script>']);
	expect(row(2)[9]).toBeInstanceOf(Date);
	expect((row(2)[9] as Date).toISOString().slice(0, 10)).toBe('2025-08-31');
	expect(row(2)[12]).toBe('推进中');
	expect(row(2)[13]).toBe(0.96);
	// Nothing a spreadsheet would run: every formula-like text starts with an apostrophe, and no cell is a formula.
	expect(row(3)[3]).toBe(`'${hostile}`);
	expect(row(3)[6]).toBe("'@甲省交通运输厅");
	expect(row(3)[11]).toBe("'+1");
	items.eachRow((r) => r.eachCell((c) => expect(c.type).not.toBe(ExcelJS.ValueType.Formula)));
	expect(progress.name).toBe('整改进展');
	expect(progress.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
	const p = progress.getRow(2).values as unknown[];
	expect(p[1]).toBe('ZG-JT-001');
	expect(p[3]).toBeInstanceOf(Date);
	expect(p[6]).toBe("'-已交地14.9 km");
	expect(p[10]).toBe('交地确认书.png');

	const docxRes = await fetch(`${f.server.url}/api/conferences/${conferenceId}/exports/minutes.docx`, { headers: { ...ownConnection, cookie: unit.cookie } });
	expect(docxRes.status).toBe(200);
	const bytes = Buffer.from(await docxRes.arrayBuffer());
	const JSZip = (await import('jszip')).default;
	const zip = await JSZip.loadAsync(bytes);
	const xml = await zip.file('word/document.xml')!.async('string');
	// Markup in the content stays text.
	expect(xml).toContain('完成T1项目剩余交地&lt;script&gt;alert(1)&lt;/script&gt;');
	expect(xml).not.toContain('<script>');
	expect(xml).toContain('（决议编号：JY-01；牵头单位：甲省江州市人民政府；完成时限：2025年8月31日前；考核标准：交地确认书签署）');
	expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
	expect(xml).toContain('w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"');
	expect(xml).toMatch(/<w:color w:val="FF0000"\/>.*会议纪要/);
	expect(xml).toContain('2025年7月18日');
	expect(xml).toContain('出席</w:t>');
	// The 版记 sits at the bottom of the 版心 of the last page.
	expect(xml).toMatch(/<w:framePr [^>]*w:vAnchor="margin"[^>]*w:yAlign="bottom"\/>.*印发/);
	expect(await zip.file('word/settings.xml')!.async('string')).toContain('<w:evenAndOddHeaders/>');
	const odd = await zip.file('word/footer1.xml')!.async('string');
	const even = await zip.file('word/footer2.xml')!.async('string');
	expect(odd).toContain('<w:jc w:val="right"/>');
	expect(even).toContain('<w:jc w:val="left"/>');
	expect(odd).toContain(' PAGE ');

	expect(await hasLibreOffice(), 'LibreOffice (soffice) is installed by scripts/ensure-tools.mjs').toBe(true);
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-docx-'));
	try {
		await fs.writeFile(path.join(dir, 'minutes.docx'), bytes);
		await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'minutes.docx')], { timeout: 120_000 });
		const pdf = path.join(dir, 'minutes.pdf');
		const info = (await run('pdfinfo', [pdf])).stdout;
		// A4 in points.
		expect(info).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
		const text = (await run('pdftotext', ['-layout', pdf, '-'], { maxBuffer: 16 * 1024 * 1024 })).stdout;
		expect(text).toContain('会议纪要');
		// 一、会议总体情况 has nothing in it yet: left out, and the next section takes its number.
		expect(text).not.toContain('会议总体情况');
		expect(text).toContain('一、分组研讨情况及整改共识');
		expect(text).toContain('（一）交通组');
		expect(text).toContain('<script>');
		const flat = text.replace(/\s+/g, '');
		expect(flat).toContain('2025年7月17日至18日，国家发展改革委、住房和城乡建设部、财政部在北京召开');
		expect(flat).toContain('国家发展改革委2025年7月18日印发');
		// Page numbers: "— N —", right on odd pages, left on even ones.
		expect(Number(/Pages:\s+(\d+)/.exec(info)?.[1])).toBeGreaterThanOrEqual(2);
		const pageLine = (n: number) => text.split('\n').find((l) => new RegExp(`^\\s*—\\s*${n}\\s*—\\s*$`).test(l)) ?? '';
		expect(pageLine(1).search(/\S/)).toBeGreaterThan(20);
		expect(pageLine(2).search(/\S/)).toBeLessThan(4);
		expect(text).toContain('出席：');
		expect(text).toMatch(/列席：审计署有关司局 钱列席/);
		// Rare characters (outside GB2312) survive into the PDF; the excused member is under 请假 only.
		expect(text).toMatch(/请假：戊省水利厅 𠀾请假/);
		expect(text.split('请假：')[0]).not.toContain('𠀾请假');
	} finally {
		await fs.rm(dir, { recursive: true, force: true });
	}
}, 180_000);

test('a conference with nothing approved yet exports the minutes as they would start: title and opening, no bare headings', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '尚无纪要');
	await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: f.admin.cookie, body: { name: '水利组', sector: '水利' } });
	const res = await fetch(`${f.server.url}/api/conferences/${conferenceId}/exports/minutes.docx`, { headers: { ...ownConnection, cookie: f.admin.cookie } });
	expect(res.status).toBe(200);
	const JSZip = (await import('jszip')).default;
	const xml = await (await JSZip.loadAsync(await res.arrayBuffer())).file('word/document.xml')!.async('string');
	expect(xml).toContain('尚无纪要纪要');
	expect(xml).toContain('召开尚无纪要。现将会议主要精神和议定事项纪要如下：');
	// Sections with nothing in them yet are not printed as bare headings.
	for (const heading of ['会议总体情况', '分组研讨情况及整改共识', '水利组', '下一步工作要求']) expect(xml).not.toContain(heading);
});
