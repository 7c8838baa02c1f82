import fs from 'node:fs/promises';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { createConference } from '../helpers/conference.js';
import { approve, breakoutWithPlan, unitMember } from '../helpers/ledger.js';
import { demoProjects, t1Figures } from '../helpers/reports.js';
import { adminPassword, adminUsername } from '../helpers/server.js';

let pages: { organizer: Page; phone: Page; author: Page; observer: Page };
let plan: string;
let people: { t1: Session; reviewer: Session };
let projectIds: string[];
let conferenceId: string;
let accept: () => Promise<void>;
let ledgerItem: string;

/** T1 accepted (red, with its plan's resolution on the ledger), T2 submitted and waiting for the reviewer. */
const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	const url = server.url;
	conferenceId = await createConference(url, admin, '总体评价测试会议');
	const author = await unitMember(url, admin, conferenceId, 'dash-author', '方案编写人', '华景交通规划设计研究院', 'participant');
	const { breakoutId, planId, measureIds } = await breakoutWithPlan(url, server.wsUrl, admin, conferenceId, author, [{ text: '建立交地周调度机制', responsibleUnit: '甲省江州市人民政府', deadline: '2099-09-30' }]);
	const projects: string[] = [];
	for (const p of demoProjects.slice(0, 2)) projects.push((await api(url, 'POST', `/api/conferences/${conferenceId}/projects`, { cookie: admin.cookie, body: { breakoutId, sector: '交通', ...p } })).body.id);
	await api(url, 'PUT', `/api/documents/${planId}/project`, { cookie: author.cookie, body: { projectId: projects[0] } });
	plan = planId;
	projectIds = projects;
	[ledgerItem] = await approve(url, admin, author, planId, measureIds);
	const units = [await unitMember(url, admin, conferenceId, 'dash-t1', '填报员甲', demoProjects[0].ownerUnit, 'participant', [breakoutId]), await unitMember(url, admin, conferenceId, 'dash-t2', '填报员乙', demoProjects[1].ownerUnit, 'participant', [breakoutId])];
	const reviewer = await unitMember(url, admin, conferenceId, 'dash-rv', '审核员', '国家发展改革委稽察办', 'supervisor');
	await unitMember(url, admin, conferenceId, 'dash-obs', '列席代表', '审计署固定资产投资审计司', 'observer', [breakoutId]);
	const round = (await api(url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, { cookie: admin.cookie, body: { title: '上半年项目执行报告', periodEnd: '2025-06-30', deadline: '2099-12-31' } })).body.id;
	const reports = (await api(url, 'GET', `/api/report-rounds/${round}`, { cookie: admin.cookie })).body.reports as { id: string; project: { code: string } }[];
	const submit = async (unit: Session, code: string, values: Record<string, unknown>) => {
		const id = reports.find((r) => r.project.code === code)!.id;
		const saved = await api(url, 'PUT', `/api/project-reports/${id}`, { cookie: unit.cookie, body: { version: 0, values } });
		const submitted = await api(url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: unit.cookie, body: { action: 'submit', version: saved.body.version } });
		return async () => {
			const res = await api(url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: reviewer.cookie, body: { action: 'accept', version: submitted.body.version } });
			if (res.status !== 200) throw new Error(`accept: ${res.status} ${JSON.stringify(res.body)}`);
		};
	};
	people = { t1: units[0], reviewer };
	await (await submit(units[0], demoProjects[0].code, t1Figures))();
	accept = await submit(units[1], demoProjects[1].code, { ...t1Figures, totalInvestment: 320, annualPlan: 60, ytdDone: 32.4, cumulativeDone: 171.2, centralAllocated: 40, centralPaid: 34 });
	pages = {
		organizer: (await signedInPage(browser, url, adminUsername, adminPassword, { viewport: { width: 1440, height: 900 } })).page,
		phone: (await signedInPage(browser, url, 'dash-t1', 'dash-t1-password', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).page,
		author: (await signedInPage(browser, url, 'dash-author', 'dash-author-password')).page,
		observer: (await signedInPage(browser, url, 'dash-obs', 'dash-obs-password')).page
	};
});

const text = async (page: Page, testid: string) => (await page.textContent(`[data-testid="${testid}"]`))?.trim();

test('the plenary dashboard follows an accepted report live, shows each lamp’s rule, leads from a red lamp to its ledger row, and exports the figures and the charts', async () => {
	const { organizer } = pages;
	await organizer.goto(`${f.server.url}/c/${conferenceId}`);
	await organizer.click('[data-testid="conference-tabs"] a:has-text("总体评价")');
	await organizer.waitForURL(`${f.server.url}/c/${conferenceId}/dashboard`);
	expect(await organizer.title()).toContain('总体评价');
	await organizer.waitForSelector('[data-testid="kpi-annual"]:has-text("31.4%")');
	expect(await text(organizer, 'dash-basis')).toContain('计入已审定报告 1 份，待审定 1 份不计入');
	expect(await text(organizer, 'lamp-counts')).toContain('红灯 1');
	expect(await text(organizer, 'lamp-counts')).toContain('低于 −15 为红灯');
	// Charts are drawn (a canvas each) and their figures given as tables.
	await organizer.waitForSelector('[data-testid="chart-sector"] canvas');
	expect(await organizer.textContent('[data-testid="table-sector"] tbody tr:first-child')).toContain('交通');

	// The reviewer accepts T2 elsewhere: the page follows without a reload.
	await accept();
	await organizer.waitForSelector('[data-testid="kpi-annual"]:has-text("44.7%")');
	expect(await text(organizer, 'dash-basis')).toContain('计入已审定报告 2 份，待审定 0 份不计入');
	expect(await text(organizer, 'lamp-counts')).toContain('绿灯 1');

	// Exports: the figures as XLSX, a chart as a PNG.
	const download = async (click: () => Promise<void>) => {
		const [file] = await Promise.all([organizer.waitForEvent('download'), click()]);
		return { name: file.suggestedFilename(), bytes: await fs.readFile((await file.path()) as string) };
	};
	const xlsx = await download(() => organizer.click('a:has-text("导出数据（XLSX）")'));
	expect(xlsx.name).toBe('总体评价测试会议第一阶段总体情况.xlsx');
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(Uint8Array.from(xlsx.bytes).buffer);
	const row = book.getWorksheet('分行业')!.getRow(2);
	expect([1, 2, 3, 4, 5, 6, 15, 16].map((i) => row.getCell(i).value)).toEqual(['交通', 2, 102, 45.6, 44.7, -5.3, 79.3, 1]);
	const image = await download(() => organizer.click('[data-testid="chart-sector"] button:has-text("保存图片")'));
	expect(image.name).toBe('上半年项目执行报告-分行业指标.png');
	expect([...image.bytes.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
	expect(image.bytes.length).toBeGreaterThan(5000);

	// An organizer's lamp rule: typed with the minus an input method gives; every lamp follows at once.
	await organizer.fill('[data-testid="lamp-rule-form"] input[name="amberBelow"]', '－10');
	await organizer.fill('[data-testid="lamp-rule-form"] input[name="redBelow"]', '−5');
	await organizer.click('[data-testid="lamp-rule-form"] button[type="submit"]');
	await organizer.waitForSelector('[data-testid="lamp-rule-form"] [role="status"]:has-text("红灯界限须低于黄灯界限")');
	await organizer.fill('[data-testid="lamp-rule-form"] input[name="redBelow"]', '−30');
	await organizer.click('[data-testid="lamp-rule-form"] button[type="submit"]');
	await organizer.waitForSelector('[data-testid="lamp-rule-form"] [role="status"]:has-text("灯号规则已保存")');
	await organizer.waitForSelector('[data-testid="lamp-counts"]:has-text("黄灯 1")');
	expect(await text(organizer, 'lamp-counts')).toContain('低于 −30 为红灯');
	await organizer.fill('[data-testid="lamp-rule-form"] input[name="amberBelow"]', '-5');
	await organizer.fill('[data-testid="lamp-rule-form"] input[name="redBelow"]', '-15');
	await organizer.click('[data-testid="lamp-rule-form"] button[type="submit"]');
	await organizer.waitForSelector('[data-testid="lamp-counts"]:has-text("红灯 1")');

	// From the red lamp to its ledger row.
	await organizer.selectOption('[data-testid="lamp-filter"]', 'red');
	expect(await organizer.locator('[data-testid="dash-projects"] li').count()).toBe(1);
	const red = organizer.locator('[data-testid="dash-projects"] li[data-lamp="red"]');
	expect(await red.textContent()).toContain(demoProjects[0].name);
	expect(await red.locator('[data-testid="link-document"]').textContent()).toContain('整改方案');
	await red.locator('[data-testid="link-ledger"]').click();
	await organizer.waitForURL(`${f.server.url}/c/${conferenceId}/ledger/${ledgerItem}`);
	await organizer.waitForSelector('text=建立交地周调度机制');
	await organizer.waitForSelector('text=ZG-JT-001');
});

test('on a phone the dashboard fits the screen: no sideways scrolling, tables inside their frames', async () => {
	const { phone } = pages;
	await phone.goto(`${f.server.url}/c/${conferenceId}/dashboard`);
	await phone.waitForSelector('[data-testid="chart-sector"] canvas');
	await phone.waitForSelector('[data-testid="dash-projects"] li');
	expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
	// The member sees no lamp rule form (organizers only).
	expect(await phone.locator('[data-testid="lamp-rule-form"]').count()).toBe(0);
	const canvas = await phone.locator('[data-testid="chart-sector"] canvas').boundingBox();
	expect(canvas!.width).toBeLessThanOrEqual(390);
	expect(canvas!.width).toBeGreaterThan(250);
});

test('the plan’s writer links it to another project of the breakout from the document page; a reader sees the project named', async () => {
	const { author, observer } = pages;
	await author.goto(`${f.server.url}/d/${plan}`);
	const select = author.locator('[data-testid="doc-project"] select');
	await select.waitFor();
	expect(await select.inputValue()).toBe(projectIds[0]);
	await select.selectOption(projectIds[1]);
	await expect.poll(async () => (await api(f.server.url, 'GET', `/api/documents/${plan}`, { cookie: f.admin.cookie })).body.projectId).toBe(projectIds[1]);
	// An observer reads the plan: the project is named, nothing to change.
	await observer.goto(`${f.server.url}/d/${plan}`);
	await observer.waitForSelector(`[data-testid="doc-project"]:has-text("关联项目：${demoProjects[1].name}")`);
	expect(await observer.locator('[data-testid="doc-project"] select').count()).toBe(0);
	await select.selectOption(projectIds[0]);
	await expect.poll(async () => (await api(f.server.url, 'GET', `/api/documents/${plan}`, { cookie: f.admin.cookie })).body.projectId).toBe(projectIds[0]);
});

test('the organizer excuses a project for force majeure and publishes the 红黑榜 into the minutes, where every member finds it frozen', async () => {
	const { organizer, observer } = pages;
	await organizer.goto(`${f.server.url}/c/${conferenceId}/dashboard`);
	const live = organizer.locator('[data-testid="honor-live"]');
	await live.locator('[data-list="black"] li').first().waitFor();
	expect(await live.locator('[data-list="black"] li').first().textContent()).toContain(demoProjects[0].name);
	expect(await live.locator('[data-list="black"] li').first().textContent()).toContain('较序时 −18.6 个百分点');
	expect(await organizer.textContent('[data-testid="honor-rule"]')).toContain('取得分前 3 名');

	// Excusing T1 with its reason takes it off 黑榜 and lists it apart.
	await organizer.click('[data-testid="honor-settings"] summary');
	await organizer.selectOption('[data-testid="honor-settings"] select[name="excuseProject"]', projectIds[0]);
	await organizer.click('[data-testid="honor-settings"] button:has-text("加入免责")');
	await organizer.waitForSelector('[data-testid="honor-status"]:has-text("请选择项目并填写免责理由")');
	await organizer.selectOption('[data-testid="honor-settings"] select[name="excuseProject"]', projectIds[0]);
	await organizer.fill('[data-testid="honor-settings"] input[name="excuseReason"]', '特大洪水停工两个月（有气象部门证明）');
	await organizer.click('[data-testid="honor-settings"] button:has-text("加入免责")');
	await organizer.click('[data-testid="honor-settings"] button[type="submit"]');
	await organizer.waitForSelector('[data-testid="honor-status"]:has-text("红黑榜规则已保存")');
	await organizer.waitForSelector('[data-testid="honor-live"] [data-testid="honor-excused"]:has-text("特大洪水停工两个月")');
	expect(await live.locator('[data-list="black"] li').count()).toBe(0);

	// Published (after confirming): the minutes tab carries it for every member.
	await organizer.click('[data-testid="honor-panel"] button:has-text("发布到纪要")');
	await organizer.click('dialog[open] button[data-confirm]');
	await organizer.waitForSelector('[data-testid="honor-status"]:has-text("已发布到会议纪要")');
	await observer.goto(`${f.server.url}/c/${conferenceId}/minutes`);
	await observer.waitForSelector('[data-testid="published-honor"]:has-text("附：上半年项目执行报告红黑榜")');
	expect(await observer.textContent('[data-testid="published-honor"]')).toContain('因不可抗力免于列入黑榜');
	expect(await observer.locator('[data-testid="published-honor"] button').count()).toBe(0);
});

test('the organizer makes next year’s conference: the open ledger item comes over with its history, and the overview compares the two years', async () => {
	const { organizer } = pages;
	await organizer.goto(`${f.server.url}/c/${conferenceId}`);
	await organizer.click('[data-testid="next-year"] summary');
	expect(await organizer.inputValue('[data-testid="next-year"] input[name="title"]')).toBe('总体评价测试会议');
	await organizer.fill('[data-testid="next-year"] input[name="title"]', '总体评价测试会议（下一年度）');
	await organizer.click('[data-testid="next-year"] button[type="submit"]');
	await organizer.waitForURL((u) => /\/c\/[a-z0-9]+$/u.test(u.pathname) && !u.pathname.endsWith(conferenceId));
	const next = new URL(organizer.url()).pathname.split('/').at(-1)!;
	await organizer.waitForSelector('h1:has-text("总体评价测试会议（下一年度）")');

	// 整改台账: the measure approved last year, marked 上年转入, opens with its history.
	await organizer.click('[data-testid="conference-tabs"] a:has-text("整改台账")');
	await organizer.waitForSelector('[data-testid="carried"]:has-text("上年转入")');
	expect(await organizer.getAttribute('[data-testid="carried"]', 'title')).toBe('转自：总体评价测试会议');
	await organizer.click(`a[href="/c/${next}/ledger/${ledgerItem}"]`);
	await organizer.waitForSelector('text=建立交地周调度机制');

	// This year's half-year round, T1 accepted again: the overview sets it beside last year's.
	const round = (await api(f.server.url, 'POST', `/api/conferences/${next}/report-rounds`, { cookie: f.admin.cookie, body: { title: '下一年度上半年', periodEnd: '2026-06-30', deadline: '2099-12-31' } })).body.id;
	const report = (await api(f.server.url, 'GET', `/api/report-rounds/${round}`, { cookie: f.admin.cookie })).body.reports.find((r: { project: { code: string } }) => r.project.code === demoProjects[0].code).id;
	const saved = await api(f.server.url, 'PUT', `/api/project-reports/${report}`, { cookie: people.t1.cookie, body: { version: 0, values: { ...t1Figures, ytdDone: 21 } } });
	const submitted = await api(f.server.url, 'POST', `/api/project-reports/${report}/transitions`, { cookie: people.t1.cookie, body: { action: 'submit', version: saved.body.version } });
	expect((await api(f.server.url, 'POST', `/api/project-reports/${report}/transitions`, { cookie: people.reviewer.cookie, body: { action: 'accept', version: submitted.body.version } })).status).toBe(200);
	await organizer.goto(`${f.server.url}/c/${next}/dashboard`);
	const table = organizer.locator('[data-testid="table-previous"]');
	await table.waitFor();
	expect(await table.locator('caption').textContent()).toContain('与上年比较：总体评价测试会议');
	// This year T1 alone: 21 ÷ 42 = 50.0 %; last year the same projects (by 项目代码), T1 and T2 accepted: 44.7 %.
	const annual = await table.locator('tbody tr').first().textContent();
	expect(annual).toContain('50.0%');
	expect(annual).toContain('44.7%');
	expect(annual).toContain('+5.3 个百分点');
});
