import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { createConference } from '../helpers/conference.js';
import { png } from '../helpers/ledger.js';
import { demoProjects, reportingConference, t1Figures } from '../helpers/reports.js';
import { adminPassword, adminUsername } from '../helpers/server.js';
import { figureDefs } from '../../src/lib/shared/project-report.js';

let pages: { unit: Page; supervisor: Page; organizer: Page; phone: Page };
let conferenceId: string;
let roundId: string;

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	conferenceId = await createConference(server.url, admin, '执行报告测试会议');
	const c = await reportingConference(server.url, admin, conferenceId);
	const deadline = new Date(Date.now() + 8 * 3_600_000 + 10 * 86_400_000).toISOString().slice(0, 10);
	roundId = (await api(server.url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, { cookie: admin.cookie, body: { title: '上半年项目执行报告', periodEnd: '2025-06-30', deadline } })).body.id;
	const password = (u: string) => `${u}-password`;
	pages = {
		unit: (await signedInPage(browser, server.url, c.usernames.units[0], password(c.usernames.units[0]))).page,
		supervisor: (await signedInPage(browser, server.url, c.usernames.supervisor, password(c.usernames.supervisor))).page,
		organizer: (await signedInPage(browser, server.url, adminUsername, adminPassword)).page,
		phone: (await signedInPage(browser, server.url, c.usernames.units[1], password(c.usernames.units[1]), { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).page
	};
});

const status = async (page: Page) => (await page.textContent('[data-testid="report-status"]'))?.trim();
const fill = async (page: Page, values: Record<string, string | number>) => {
	for (const [key, value] of Object.entries(values)) {
		// 是/否 figures are chosen, the others typed.
		if (figureDefs.find((d) => d.key === key)?.kind === 'flag') await page.selectOption(`#fig-${key}`, String(value));
		else await page.fill(`#fig-${key}`, String(value));
	}
};

test('a unit fills in and submits its report; the supervisor returns it with a reason; the unit corrects and resubmits; the supervisor accepts; the organizer’s round page follows live', async () => {
	const { unit, supervisor, organizer } = pages;
	await organizer.goto(`${f.server.url}/c/${conferenceId}/reports/${roundId}`);
	await organizer.waitForSelector('[data-testid="round-reports"] tr[data-status="draft"]');

	// The unit finds its report from the conference's tab.
	await unit.goto(`${f.server.url}/c/${conferenceId}`);
	// 我的待办 reminds the unit of the report and its deadline.
	await unit.waitForSelector('[data-testid="my-work"] a[data-work="fill-reports"]:has-text("待我填报：1 份项目执行报告")');
	await unit.click('nav a:has-text("执行报告")');
	await unit.click(`a:has-text("上半年项目执行报告")`);
	await unit.click(`[data-testid="round-reports"] a:has-text("${demoProjects[0].name}")`);
	expect(await status(unit)).toBe('填报中');

	// A bad value is marked at once, in Chinese, and blocks the save.
	await unit.fill('#fig-physicalActual', '120');
	await unit.waitForSelector('[data-testid="problem-physicalActual"]:has-text("不能超过 100%")');
	const { problems, ...numbers } = t1Figures;
	await fill(unit, numbers);
	expect(await unit.locator('[data-testid="problem-physicalActual"]').count()).toBe(0);
	// Ctrl+S saves; the computed indicators follow the saved figures.
	await unit.keyboard.press('Control+s');
	await unit.waitForSelector('.derived strong:has-text("31.4%")');
	await unit.waitForSelector('.derived strong:has-text("−18.6 个百分点")');
	// Submitting without 主要问题 is refused in the page: the required figure is marked.
	await unit.click('button:has-text("提交报送")');
	await unit.click('.bar button.primary:has-text("提交报送")');
	await unit.waitForSelector('[data-testid="problem-problems"]:has-text("必填")');
	await unit.fill('#fig-problems', problems);
	await unit.setInputFiles('input[aria-label="一、进度完成率 佐证材料"]', { name: '形象进度照片.png', mimeType: 'image/png', buffer: Buffer.from(png) });
	await unit.click('fieldset:has-text("一、进度完成率") button:has-text("上传")');
	await unit.waitForSelector('fieldset:has-text("一、进度完成率") a:has-text("形象进度照片.png")');
	await unit.click('button:has-text("提交报送")');
	await unit.click('.bar button.primary:has-text("提交报送")');
	await unit.waitForSelector('[data-testid="report-status"]:has-text("已报送")');
	expect(await unit.locator('#fig-annualPlan').getAttribute('readonly')).not.toBeNull();
	// Provenance: who entered the figure, in which submission, backed by which evidence.
	await unit.click('[data-testid="provenance-annualPlan"] summary');
	const provenance = await unit.textContent('[data-testid="provenance-annualPlan"] p');
	expect(provenance).toContain('填报员1');
	expect(provenance).toContain('第 1 次报送');
	expect(provenance).toContain('形象进度照片.png');

	// The organizer's open round page shows the submission without a reload.
	await organizer.waitForSelector('[data-testid="round-reports"] tr[data-status="submitted"]');

	// The supervisor is told it waits for review, and returns it with a reason.
	await supervisor.goto(`${f.server.url}/c/${conferenceId}`);
	await supervisor.waitForSelector('[data-testid="my-work"] a[data-work="review-reports"]:has-text("待我审核：1 份项目执行报告")');
	await supervisor.goto(`${f.server.url}/c/${conferenceId}/reports/${roundId}`);
	await supervisor.click(`[data-testid="round-reports"] a:has-text("${demoProjects[0].name}")`);
	await supervisor.waitForSelector('[data-testid="report-status"]:has-text("已报送")');
	expect(await supervisor.locator('button:has-text("退回")').isDisabled()).toBe(true);
	await supervisor.fill('.review textarea', '开累完成投资与财务报表不一致，请核实');
	await supervisor.click('.review button:has-text("退回")');
	await supervisor.waitForSelector('[data-testid="report-status"]:has-text("已退回")');

	// The unit's page follows: the reason is shown; the unit corrects one figure and submits again.
	await unit.waitForSelector('[data-testid="report-banner"]:has-text("开累完成投资与财务报表不一致")');
	await unit.fill('#fig-cumulativeDone', '61.6');
	await unit.click('button:has-text("提交报送")');
	await unit.click('.bar button.primary:has-text("提交报送")');
	await unit.waitForSelector('[data-testid="report-status"]:has-text("已报送")');

	// The supervisor accepts, after confirming.
	await supervisor.waitForSelector('.review button.primary:has-text("审核通过")');
	await supervisor.click('.review button.primary:has-text("审核通过")');
	await supervisor.click('.review button.primary:has-text("审核通过")');
	await supervisor.waitForSelector('[data-testid="report-status"]:has-text("审核通过")');
	await unit.waitForSelector('[data-testid="report-banner"]:has-text("审核通过：交通运输部规划司审核员")');
	await organizer.waitForSelector('[data-testid="round-reports"] tr[data-status="accepted"]');
	expect(await organizer.textContent('[data-testid="round-reports"] tr[data-status="accepted"]')).toContain('红灯');
	const history = await unit.textContent('[data-testid="report-history"]');
	expect(history?.match(/报送：/g)).toHaveLength(2);
	expect(history).toContain('退回：交通运输部规划司审核员');
});

test('on a phone (390 px) the rounds, the round and the report form fit the width; the accepted report of another unit is readable, not editable', async () => {
	const { phone } = pages;
	await phone.goto(`${f.server.url}/c/${conferenceId}/reports`);
	await phone.waitForSelector('[data-testid="report-rounds"] li');
	const width = () => phone.evaluate(() => document.scrollingElement!.scrollWidth);
	expect(await width()).toBeLessThanOrEqual(390);
	await phone.click('a:has-text("上半年项目执行报告")');
	await phone.waitForSelector('[data-testid="round-reports"]');
	expect(await width()).toBeLessThanOrEqual(390);
	// Its own report (乙省城际铁路) to fill in, and T1's once accepted by the first test, read-only.
	await phone.click(`[data-testid="round-reports"] a:has-text("${demoProjects[1].name}")`);
	await phone.waitForSelector('#fig-annualPlan');
	expect(await width()).toBeLessThanOrEqual(390);
	expect(await phone.locator('#fig-annualPlan').getAttribute('readonly')).toBeNull();
	await phone.goBack();
	await phone.click(`[data-testid="round-reports"] a:has-text("${demoProjects[0].name}")`);
	await phone.waitForSelector('[data-testid="report-status"]:has-text("审核通过")');
	expect(await phone.locator('#fig-annualPlan').getAttribute('readonly')).not.toBeNull();
	expect(await phone.locator('button:has-text("提交报送")').count()).toBe(0);
	expect(await width()).toBeLessThanOrEqual(390);
});
