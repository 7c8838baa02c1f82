import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { caseSources } from '../helpers/cases.js';
import { createConference } from '../helpers/conference.js';
import { createUser, login } from '../helpers/api.js';
import { aliceAccount } from '../helpers/fixture.js';
import { unitMember } from '../helpers/ledger.js';

let conferenceId: string;
let expert: Page;
let phone: Page;

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	conferenceId = await createConference(server.url, admin, '案例库测试会议');
	await createUser(server.url, admin, aliceAccount);
	const alice = await login(server.url, aliceAccount.username, aliceAccount.password);
	await caseSources(server.url, server.wsUrl, admin, conferenceId, alice);
	await unitMember(server.url, admin, conferenceId, 'e2e-expert', '孙教授', '专家组', 'expert');
	await unitMember(server.url, admin, conferenceId, 'e2e-observer', '钱处长', '审计署', 'observer');
	expert = (await signedInPage(browser, server.url, 'e2e-expert', 'e2e-expert-password')).page;
	phone = (await signedInPage(browser, server.url, 'e2e-observer', 'e2e-observer-password', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).page;
});

test('an expert makes a case from the T1 analysis, its measure and the project, finds it by search, here and across conferences, and exports the 案例汇编', async () => {
	await expert.goto(`${f.server.url}/c/${conferenceId}`);
	await expert.click('[data-testid="conference-tabs"] a:has-text("案例库")');
	await expert.waitForSelector('[data-testid="cases-empty"]:has-text("可从一份根因分析开始新建案例")');
	await expert.click('[data-testid="case-new"]');

	// The analysis chosen: its linked measure and the project its problem names come with it.
	await expert.waitForSelector('[data-testid="case-analysis"] option:has-text("T1 沿江高速扩容工程进度滞后根因分析")', { state: 'attached' });
	const analysisId = await expert.locator('[data-testid="case-analysis"] option:has-text("T1 沿江高速")').getAttribute('value');
	await expert.selectOption('[data-testid="case-analysis"]', analysisId!);
	expect(await expert.locator('[data-testid="case-measure"] option:checked').textContent()).toContain('JY-01 成立市级征拆专班');
	expect(await expert.locator('[data-testid="case-project"] option:checked').textContent()).toBe('甲省沿江高速公路扩容工程');
	await expert.click('[data-testid="case-draft"]');
	await expert.waitForSelector('[data-testid="case-message"]:has-text("已生成初稿")');
	expect(await expert.inputValue('[data-testid="case-section-practice"]')).toContain('环：征地拆迁滞后：涉及3个乡镇127户。（关键原因）');
	expect(await expert.inputValue('[data-testid="case-section-lessons"]')).toContain('根因：缺少省级统筹的征拆责任与资金前置落实机制');
	await expert.waitForSelector('[data-testid="case-figures"] td:has-text("31.4%")');
	await expert.fill('[data-testid="case-title"]', '先开工后征拆');
	await expert.fill('[data-testid="case-section-clauses"]', '建议把“征拆条件具备”列为开工条件。');
	await expert.click('[data-testid="case-save"]');

	// The case page: the sections, the source, the measure with its numbers and outcome, the figures before and after.
	await expert.waitForSelector('[data-testid="case-heading"]:has-text("先开工后征拆")');
	await expert.waitForSelector('[data-testid="case-source"] a:has-text("T1 沿江高速扩容工程进度滞后根因分析")');
	await expert.waitForSelector('[data-testid="case-measure"]:has-text("决议编号 JY-01 · 台账编号 ZG-JT-001")');
	await expert.waitForSelector('[data-testid="case-measure"]:has-text("未启动，累计完成 0%")');
	await expert.waitForSelector('[data-testid="case-text-clauses"]:has-text("建议把“征拆条件具备”列为开工条件。")');
	await expert.waitForSelector('[data-testid="case-figures"] th:has-text("前期")');
	await expert.waitForSelector('[data-testid="case-figures"] td:has-text("72.6%")');
	const caseUrl = expert.url();

	// Found by search in the conference's library; another kind shows none.
	await expert.click('a:has-text("返回案例库")');
	await expert.fill('[data-testid="case-search"]', '征拆专班');
	await expert.click('[data-testid="case-filters"] button:has-text("检索")');
	await expert.waitForSelector('[data-testid="case-row"] a:has-text("先开工后征拆")');
	await expert.selectOption('[data-testid="case-kind"]', 'good');
	await expert.waitForSelector('[data-testid="cases-empty"]:has-text("没有符合条件的案例。")');
	await expert.selectOption('[data-testid="case-kind"]', '');
	await expert.waitForSelector('[data-testid="case-row"]');

	// The 案例汇编 of the cases listed.
	const [file] = await Promise.all([expert.waitForEvent('download'), expert.click('a:has-text("导出所列案例")')]);
	expect(file.suggestedFilename()).toBe('案例库测试会议案例汇编.docx');
	const JSZip = (await import('jszip')).default;
	const xml = await (await JSZip.loadAsync(await fs.readFile((await file.path()) as string))).file('word/document.xml')!.async('string');
	expect(xml).toContain('（一）先开工后征拆');
	expect(xml).toContain('案例汇编');

	// Across conferences, from the home page.
	await expert.goto(`${f.server.url}/`);
	await expert.click('[data-testid="home-cases"]');
	await expert.fill('[data-testid="case-search"]', '先开工');
	await expert.press('[data-testid="case-search"]', 'Enter');
	await expert.waitForSelector('[data-testid="case-row"]:has-text("案例库测试会议")');
	await expert.click('[data-testid="case-row"] a:has-text("先开工后征拆")');
	await expert.waitForURL(caseUrl);

	// An observer reads it on a phone: nothing scrolls sideways, no edit offered, the source named only to those who may read it.
	await phone.goto(caseUrl);
	await phone.waitForSelector('[data-testid="case-heading"]:has-text("先开工后征拆")');
	await phone.waitForLoadState('networkidle');
	expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	expect(await phone.locator('[data-testid="case-edit"]').count()).toBe(0);
	await phone.waitForSelector('[data-testid="case-source"]:has-text("您无权查看该分析")');
	const small = await phone.evaluate(() =>
		[...document.querySelectorAll('main a, main button')]
			.filter((el) => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 40)
			.map((el) => (el.textContent ?? '').trim().slice(0, 20))
	);
	expect(small, 'touch targets under 40 px').toEqual([]);
});
