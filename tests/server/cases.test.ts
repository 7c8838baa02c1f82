import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import { beforeAll, expect, test } from 'vitest';
import { type Session, api, ownConnection } from '../helpers/api.js';
import { caseSources, emptySections } from '../helpers/cases.js';
import { createConference, joinAsGuest } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { postReport, unitMember } from '../helpers/ledger.js';
import { hasLibreOffice } from '../helpers/pdf-layout.js';

const f = useUsers();
const run = promisify(execFile);

type Sources = Awaited<ReturnType<typeof caseSources>>;
let conferenceId: string;
let s: Sources;
let expert: Session;
let observer: Session;
/** A second conference with its own sources, and a guest who belongs to it only. */
let otherId: string;
let other: Sources;
let otherGuest: Session;

beforeAll(async () => {
	conferenceId = await createConference(f.server.url, f.admin, '案例库测试会议');
	s = await caseSources(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice);
	expert = await unitMember(f.server.url, f.admin, conferenceId, 'case-expert', '孙教授', '专家组', 'expert');
	observer = await unitMember(f.server.url, f.admin, conferenceId, 'case-observer', '钱处长', '审计署', 'observer', [s.breakoutId]);
	otherId = await createConference(f.server.url, f.admin, '另一次会议');
	other = await caseSources(f.server.url, f.server.wsUrl, f.admin, otherId, f.bob);
	otherGuest = await joinAsGuest(f.server.url, f.admin, otherId, { displayName: '外会嘉宾', unit: '某单位', role: 'observer' });
});

const base = () => `/api/conferences/${conferenceId}/cases`;
const create = (who: Session, body: Record<string, unknown>, conf = conferenceId) => api(f.server.url, 'POST', `/api/conferences/${conf}/cases`, { cookie: who.cookie, body });
const list = async (who: Session, conf = conferenceId) => (await api(f.server.url, 'GET', `/api/conferences/${conf}/cases`, { cookie: who.cookie })).body.cases as { id: string; title: string }[];
const draft = (who: Session, body: Record<string, unknown>) => api(f.server.url, 'POST', `${base()}/draft`, { cookie: who.cookie, body });

test('an expert makes a case from the analysis, its approved measure and the project: sections prefilled from them, the measure and the figures frozen when it is made', async () => {
	const sources = await api(f.server.url, 'GET', `${base()}/sources`, { cookie: expert.cookie });
	expect(sources.status).toBe(200);
	const analysis = sources.body.analyses.find((a: { id: string }) => a.id === s.analysisId);
	expect(analysis.measures).toEqual([expect.objectContaining({ proposalId: s.proposalId, number: 'JY-01', ledgerNumber: 'ZG-JT-001', linked: true, status: 'not_started' })]);
	expect(sources.body.projects.map((p: { id: string }) => p.id)).toContain(s.projectId);

	const d = await draft(expert, { kind: 'lesson', sourceDocId: s.analysisId, proposalId: s.proposalId, projectId: s.projectId });
	expect(d.status).toBe(200);
	expect(d.body.sector).toBe('交通');
	expect(d.body.sections.background).toContain('甲省沿江高速公路扩容工程（项目代码：2023-330000-48-01-000101）');
	expect(d.body.sections.background).toContain('年度投资完成率31.4%，低于序时18.6个百分点');
	expect(d.body.sections.practice).toContain('问题：K32+000—K47+500段进度滞后约4.5个月。');
	expect(d.body.sections.practice).toContain('环：征地拆迁滞后：涉及3个乡镇127户。（关键原因）');
	expect(d.body.sections.practice).toContain('整改措施：成立市级征拆专班，30日内完成剩余交地（决议编号：JY-01；牵头单位：甲省江州市人民政府；完成时限：2099年8月31日前）');
	expect(d.body.sections.lessons).toBe('根因：缺少省级统筹的征拆责任与资金前置落实机制。');
	expect(d.body.sections.outcome).toContain('整改台账ZG-JT-001（决议编号JY-01）');
	// Before: the earliest accepted report (30 June); after: the latest (30 September), with the derived indicators.
	expect(d.body.figures.before).toMatchObject({ roundTitle: '上半年项目执行报告', periodEnd: '2025-06-30', values: { ytdDone: 13.2 }, derived: { annualRate: 31.4, deviation: -18.6, spi: 0.73 } });
	expect(d.body.figures.after).toMatchObject({ roundTitle: '三季度项目执行报告', periodEnd: '2025-09-30', values: { ytdDone: 30.5 }, derived: { annualRate: 72.6, spi: 0.97, paymentRate: 90 } });
	// A draft stores nothing.
	expect(await list(expert)).toEqual([]);

	const sections = { ...d.body.sections, clauses: '建议在《国家重点建设项目管理办法》修订中，把“征拆条件具备”作为开工条件。' };
	const made = await create(expert, { kind: 'lesson', title: '先开工后征拆', sourceDocId: s.analysisId, proposalId: s.proposalId, projectId: s.projectId, sector: '', sections });
	expect(made.status).toBe(201);
	expect(made.body).toMatchObject({ kind: 'lesson', title: '先开工后征拆', sector: '交通', version: 0, mayWrite: true, source: { id: s.analysisId, title: 'T1 沿江高速扩容工程进度滞后根因分析' }, project: { id: s.projectId } });
	expect(made.body.sections.clauses).toBe(sections.clauses);
	expect(made.body.measure).toMatchObject({ number: 'JY-01', ledgerNumber: 'ZG-JT-001', status: 'not_started', percent: 0, closedOn: null });
	expect(made.body.figures.after.derived.annualRate).toBe(72.6);

	// The ledger moves on: the case keeps what it was made with; a new draft sees the progress.
	const lead = await unitMember(f.server.url, f.admin, conferenceId, 'case-lead', '李卫东', '甲省江州市人民政府', 'participant', [s.breakoutId]);
	expect((await postReport(f.server.url, lead, s.proposalId, { progress: '已交地14.9 km', percent: 96 })).status).toBe(201);
	const again = await api(f.server.url, 'GET', `${base()}/${made.body.id}`, { cookie: observer.cookie });
	expect(again.status).toBe(200);
	expect(again.body.measure).toMatchObject({ status: 'not_started', percent: 0 });
	expect((await draft(expert, { kind: 'lesson', proposalId: s.proposalId })).body.measure).toMatchObject({ status: 'in_progress', percent: 96 });
	const audit = await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit?action=cases.created`, { cookie: f.admin.cookie });
	expect(audit.body.entries[0]).toMatchObject({ target: '先开工后征拆', detail: '失败教训' });
});

test('an edit names the version it was based on: a stale one is refused (409 conflict) and changes nothing', async () => {
	const made = await create(expert, { kind: 'good', title: '交地周调度', sections: { ...emptySections, background: '原文' } });
	const url = `${base()}/${made.body.id}`;
	const first = await api(f.server.url, 'PUT', url, { cookie: expert.cookie, body: { version: 0, kind: 'good', title: '交地周调度机制', sector: '交通', sections: { ...emptySections, background: '第一次修改' } } });
	expect(first.status).toBe(200);
	expect(first.body).toMatchObject({ version: 1, title: '交地周调度机制', sector: '交通' });
	const stale = await api(f.server.url, 'PUT', url, { cookie: f.admin.cookie, body: { version: 0, kind: 'lesson', title: '旧页面的修改', sector: '', sections: emptySections } });
	expect(stale.status).toBe(409);
	expect(stale.body.error.code).toBe('conflict');
	const now = await api(f.server.url, 'GET', url, { cookie: expert.cookie });
	expect(now.body).toMatchObject({ version: 1, kind: 'good', title: '交地周调度机制', sections: { background: '第一次修改' } });
	// Deleted by an organizer: gone for everyone.
	expect((await api(f.server.url, 'DELETE', url, { cookie: observer.cookie })).status).toBe(403);
	expect((await api(f.server.url, 'DELETE', url, { cookie: f.admin.cookie })).status).toBe(204);
	expect((await api(f.server.url, 'GET', url, { cookie: expert.cookie })).status).toBe(404);
});

test('observers, guests and supervisors read cases but never write them; a guest of another conference neither reads nor finds them', async () => {
	const made = await create(f.admin, { kind: 'good', title: '移民安置先行', sections: { ...emptySections, practice: '先建安置点再开工' } });
	expect(made.status).toBe(201);
	const url = `${base()}/${made.body.id}`;
	const guest = await joinAsGuest(f.server.url, f.admin, conferenceId, { displayName: '远程嘉宾', unit: '某设计院', role: 'observer' });
	const supervisor = s.supervisor;
	for (const who of [observer, guest, supervisor]) {
		expect((await api(f.server.url, 'GET', url, { cookie: who.cookie })).status).toBe(200);
		expect((await api(f.server.url, 'GET', `${base()}`, { cookie: who.cookie })).body.mayWrite).toBe(false);
		const refused = await create(who, { kind: 'good', title: '越权案例', sections: emptySections });
		expect(refused.status).toBe(403);
		expect(refused.body.error.code).toBe('forbidden');
		expect((await api(f.server.url, 'PUT', url, { cookie: who.cookie, body: { version: 0, kind: 'good', title: '越权修改', sector: '', sections: emptySections } })).status).toBe(403);
		expect((await api(f.server.url, 'GET', `${base()}/sources`, { cookie: who.cookie })).status).toBe(403);
	}
	expect((await api(f.server.url, 'GET', url, { cookie: guest.cookie })).body.title).toBe('移民安置先行');

	// The other conference's guest: 404 for the list, the case, the export; the search never shows this conference's cases.
	expect((await api(f.server.url, 'GET', base(), { cookie: otherGuest.cookie })).status).toBe(404);
	expect((await api(f.server.url, 'GET', url, { cookie: otherGuest.cookie })).status).toBe(404);
	expect((await fetch(`${f.server.url}${base()}/export.docx`, { headers: { ...ownConnection, cookie: otherGuest.cookie } })).status).toBe(404);
	expect((await api(f.server.url, 'GET', `/api/cases?conference=${conferenceId}`, { cookie: otherGuest.cookie })).status).toBe(404);
	const theirs = await create(f.admin, { kind: 'good', title: '移民安置先行（另一会议）', sections: { ...emptySections, practice: '先建安置点再开工' } }, otherId);
	expect(theirs.status).toBe(201);
	const found = await api(f.server.url, 'GET', `/api/cases?q=${encodeURIComponent('安置')}`, { cookie: otherGuest.cookie });
	expect(found.status).toBe(200);
	expect(found.body.cases.map((c: { id: string }) => c.id)).toEqual([theirs.body.id]);
	expect(found.body.conferences.map((c: { id: string }) => c.id)).toEqual([otherId]);
	// The same guest cannot reach the case through its own conference's address either.
	expect((await api(f.server.url, 'GET', `/api/conferences/${otherId}/cases/${made.body.id}`, { cookie: otherGuest.cookie })).status).toBe(404);

	// Someone in both conferences finds both, filtered by kind and sector, the text searched in every section.
	const both = await api(f.server.url, 'GET', `/api/cases?q=${encodeURIComponent('安置点')}`, { cookie: f.admin.cookie });
	expect(new Set(both.body.cases.map((c: { id: string }) => c.id))).toEqual(new Set([made.body.id, theirs.body.id]));
	expect(both.body.cases.find((c: { id: string }) => c.id === theirs.body.id).conference).toEqual({ id: otherId, title: '另一次会议' });
	expect((await api(f.server.url, 'GET', `/api/cases?q=${encodeURIComponent('安置点')}&kind=lesson`, { cookie: f.admin.cookie })).body.cases).toEqual([]);
	expect((await api(f.server.url, 'GET', `/api/cases?sector=${encodeURIComponent('水利')}`, { cookie: f.admin.cookie })).body.cases).toEqual([]);
	// Wildcards are text: 安_点 finds no 安置点.
	expect((await api(f.server.url, 'GET', `/api/cases?q=${encodeURIComponent('安_点')}`, { cookie: f.admin.cookie })).body.cases).toEqual([]);
	expect((await api(f.server.url, 'GET', `/api/cases?q=${encodeURIComponent('安%点')}`, { cookie: f.admin.cookie })).body.cases).toEqual([]);
});

test('hostile input is refused with a clear code and stores nothing: overlong, control characters, blank titles, sources of another conference', async () => {
	const before = (await list(f.admin)).length;
	const ok = { kind: 'good', title: '合法标题', sections: emptySections };
	const invalid: Record<string, unknown>[] = [
		{ ...ok, title: '长'.repeat(101) },
		{ ...ok, title: '\u200b\u3000' },
		{ ...ok, title: '响铃\u0007' },
		{ ...ok, sections: { ...emptySections, background: '长'.repeat(5001) } },
		{ ...ok, sections: { ...emptySections, lessons: '换页\u000c符' } },
		{ ...ok, sections: { ...emptySections, clauses: '孤立代理\ud800' } },
		{ ...ok, sections: { background: '缺少其他章节' } },
		{ ...ok, kind: 'neutral' },
		{ ...ok, sector: '长'.repeat(41) },
		{ ...ok, sourceDocId: '../etc/passwd' }
	];
	for (const body of invalid) {
		const res = await create(expert, body);
		expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
		expect(res.body.error.code).toBe('validation_failed');
	}
	const foreign: Record<string, unknown>[] = [
		{ ...ok, sourceDocId: 'nosuchdocument' },
		{ ...ok, sourceDocId: other.analysisId },
		{ ...ok, sourceDocId: s.planId },
		{ ...ok, proposalId: other.proposalId },
		{ ...ok, proposalId: 'nosuchproposal' },
		{ ...ok, projectId: other.projectId }
	];
	for (const body of foreign) {
		const res = await create(expert, body);
		expect(res.status, JSON.stringify(body)).toBe(400);
		expect(res.body.error.code).toBe('case_source_invalid');
		expect((await draft(expert, body)).body.error.code).toBe('case_source_invalid');
	}
	expect((await list(f.admin)).length).toBe(before);
	// A case of this conference is not reached through another's address, nor edited there.
	const made = await create(expert, ok);
	expect((await api(f.server.url, 'GET', `/api/conferences/${otherId}/cases/${made.body.id}`, { cookie: f.admin.cookie })).status).toBe(404);
	expect((await api(f.server.url, 'PUT', `/api/conferences/${otherId}/cases/${made.body.id}`, { cookie: f.admin.cookie, body: { version: 0, kind: 'good', title: '跨会修改', sector: '', sections: emptySections } })).status).toBe(404);
	expect((await api(f.server.url, 'GET', `${base()}/${made.body.id}`, { cookie: f.admin.cookie })).body.title).toBe('合法标题');
	await api(f.server.url, 'DELETE', `${base()}/${made.body.id}`, { cookie: f.admin.cookie });
});

test('the 案例汇编 DOCX: every case in order — good practices, then lessons — in the official layout of the minutes, with the figures as a table; rendered by LibreOffice', async () => {
	const conf = await createConference(f.server.url, f.admin, '2025年上半年国家重点建设项目管理总结会');
	await api(f.server.url, 'PATCH', `/api/conferences/${conf}`, { cookie: f.admin.cookie, body: { title: '2025年上半年国家重点建设项目管理总结会', startDate: '2025-07-17', endDate: '2025-07-18', venue: '北京', hosts: '国家发展改革委、住房和城乡建设部、财政部' } });
	const src = await caseSources(f.server.url, f.server.wsUrl, f.admin, conf, f.alice);
	const d = await api(f.server.url, 'POST', `/api/conferences/${conf}/cases/draft`, { cookie: f.admin.cookie, body: { kind: 'lesson', sourceDocId: src.analysisId, proposalId: src.proposalId, projectId: src.projectId } });
	const made = [
		await create(f.admin, { kind: 'lesson', title: '先开工后征拆<script>', sourceDocId: src.analysisId, proposalId: src.proposalId, projectId: src.projectId, sections: d.body.sections }, conf),
		await create(f.admin, { kind: 'good', title: 'EPC总承包+数字化周调度', sections: { ...emptySections, background: '特高压工程', practice: '每周调度一次' } }, conf),
		await create(f.admin, { kind: 'good', title: '移民安置先行、工程建设跟进', sections: { ...emptySections, background: '引调水工程' } }, conf)
	].map((r) => r.body.id as string);

	// An observer of the breakout: the source analysis is named to those who may read it.
	const member = await unitMember(f.server.url, f.admin, conf, 'docx-observer', '钱处长', '审计署', 'observer', [src.breakoutId]);
	const fetchDocx = (query = '', who = member) => fetch(`${f.server.url}/api/conferences/${conf}/cases/export.docx${query}`, { headers: { ...ownConnection, cookie: who.cookie } });
	// An observer of another conference gets nothing; a member of this one gets the file.
	expect((await fetchDocx('', observer)).status).toBe(404);
	const res = await fetchDocx();
	expect(res.status).toBe(200);
	expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('案例汇编.docx'));
	const bytes = Buffer.from(await res.arrayBuffer());
	const zip = await JSZip.loadAsync(bytes);
	const xml = await zip.file('word/document.xml')!.async('string');
	const order = (text: string) => xml.indexOf(text);
	// Good practices first, each kind in the order the cases were made; then the lessons.
	expect(order('一、优秀实践')).toBeGreaterThan(0);
	expect(order('（一）EPC总承包+数字化周调度')).toBeGreaterThan(order('一、优秀实践'));
	expect(order('（二）移民安置先行、工程建设跟进')).toBeGreaterThan(order('（一）EPC总承包+数字化周调度'));
	expect(order('二、失败教训')).toBeGreaterThan(order('（二）移民安置先行、工程建设跟进'));
	expect(order('（一）先开工后征拆&lt;script&gt;')).toBeGreaterThan(order('二、失败教训'));
	expect(xml).not.toContain('<script>');
	// The sections as 1. 2. …, titled for a lesson; the figures as a table under 损失.
	for (const text of ['1.背景', '2.问题', '3.损失', '4.经验启示', '项目：甲省沿江高速公路扩容工程（2023-330000-48-01-000101）', '来源：T1 沿江高速扩容工程进度滞后根因分析', '年度投资完成率（%）', '前期：上半年项目执行报告（截至2025年6月30日）', '后期：三季度项目执行报告（截至2025年9月30日）', '−18.6', '72.6']) {
		expect(xml, text).toContain(text);
	}
	expect(order('<w:tbl>')).toBeGreaterThan(order('3.损失'));
	// The official layout, as the minutes have it: A4, the 版心 margins, the red mark, 2号 小标宋 title, 黑体/楷体 headings, 3号 仿宋 body, the 版记.
	expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
	expect(xml).toContain('w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"');
	expect(xml).toMatch(/<w:color w:val="FF0000"\/><w:sz w:val="72"\/>.*案例汇编/);
	// The title in balanced lines (the second ends with 案例汇编), 2号 小标宋.
	expect(xml).toMatch(/w:eastAsia="方正小标宋简体" w:cs="方正小标宋简体"\/><w:sz w:val="44"\/><w:szCs w:val="44"\/><\/w:rPr><w:t xml:space="preserve">项目管理总结会案例汇编/);
	expect(xml).toMatch(/w:eastAsia="黑体"[^<]*\/><\/w:rPr><w:t xml:space="preserve">一、优秀实践/);
	expect(xml).toMatch(/w:eastAsia="楷体_GB2312"[^<]*\/><\/w:rPr><w:t xml:space="preserve">（一）EPC/);
	expect(xml).toMatch(/<w:framePr [^>]*w:vAnchor="margin"[^>]*w:yAlign="bottom"\/>.*国家发展改革委\t?/);
	const styles = await zip.file('word/styles.xml')!.async('string');
	expect(styles).toContain('w:eastAsia="仿宋_GB2312"');
	expect(styles).toContain('<w:sz w:val="32"/>');
	expect(await zip.file('word/fontTable.xml')!.async('string')).toContain('<w:altName w:val="仿宋"/>');
	expect(await zip.file('word/settings.xml')!.async('string')).toContain('<w:evenAndOddHeaders/>');

	// ?ids= prints those cases only, in that order within their kind; a case of another conference is not found.
	const chosen = await fetchDocx(`?ids=${made[2]},${made[1]}`);
	const chosenXml = await (await JSZip.loadAsync(Buffer.from(await chosen.arrayBuffer()))).file('word/document.xml')!.async('string');
	expect(chosenXml.indexOf('（一）移民安置先行')).toBeGreaterThan(0);
	expect(chosenXml.indexOf('（二）EPC总承包')).toBeGreaterThan(chosenXml.indexOf('（一）移民安置先行'));
	expect(chosenXml).not.toContain('先开工后征拆');
	const foreignCase = (await list(f.admin))[0].id;
	expect((await fetchDocx(`?ids=${foreignCase}`)).status).toBe(404);
	expect((await fetchDocx('?ids=bad%20id')).status).toBe(400);

	expect(await hasLibreOffice(), 'LibreOffice (soffice) is installed by scripts/ensure-tools.mjs').toBe(true);
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-cases-'));
	try {
		await fs.writeFile(path.join(dir, 'cases.docx'), bytes);
		await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, path.join(dir, 'cases.docx')], { timeout: 120_000 });
		const pdf = path.join(dir, 'cases.pdf');
		expect((await run('pdfinfo', [pdf])).stdout).toMatch(/Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)/);
		const text = (await run('pdftotext', ['-layout', pdf, '-'], { maxBuffer: 16 * 1024 * 1024 })).stdout;
		const flat = text.replace(/\s+/g, '');
		for (const t of ['案例汇编', '一、优秀实践', '（一）EPC总承包+数字化周调度', '二、失败教训', '（一）先开工后征拆<script>', '根因：缺少省级统筹的征拆责任与资金前置落实机制', '国家发展改革委']) expect(flat, t).toContain(t.replace(/\s+/g, ''));
	} finally {
		await fs.rm(dir, { recursive: true, force: true });
	}
});
