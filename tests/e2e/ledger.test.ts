import fs from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { createConference } from '../helpers/conference.js';
import { approve, breakoutWithPlan, png, unitMember } from '../helpers/ledger.js';
import { adminPassword, adminUsername } from '../helpers/server.js';

let pages: { unit: Page; supervisor: Page; organizer: Page };
let conferenceId: string;
const deadline = new Date(Date.now() + 8 * 3_600_000 + 60 * 86_400_000).toISOString().slice(0, 10);

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	conferenceId = await createConference(server.url, admin, '台账测试会议');
	const author = await unitMember(server.url, admin, conferenceId, 'lg-author', '陈志远', '甲省交通运输厅', 'participant');
	const plan = await breakoutWithPlan(server.url, server.wsUrl, admin, conferenceId, author, [
		{ text: '建立交地与工作面移交周调度台账', responsibleUnit: '甲省江州市人民政府', deadline, criteria: '台账建立并按周报送' }
	]);
	await approve(server.url, admin, author, plan.planId, plan.measureIds);
	await unitMember(server.url, admin, conferenceId, 'lg-unit', '李卫东', '甲省江州市人民政府', 'participant', [plan.breakoutId]);
	await unitMember(server.url, admin, conferenceId, 'lg-supervisor', '刘振华', '国家发展改革委稽察办', 'supervisor');
	await unitMember(server.url, admin, conferenceId, 'lg-rare', '王𠀾', '甲省交通运输厅', 'observer');
	pages = {
		unit: (await signedInPage(browser, server.url, 'lg-unit', 'lg-unit-password')).page,
		supervisor: (await signedInPage(browser, server.url, 'lg-supervisor', 'lg-supervisor-password')).page,
		organizer: (await signedInPage(browser, server.url, adminUsername, adminPassword)).page
	};
});

const status = (page: Page) => page.textContent('[data-testid="ledger-status"]');

test('a unit posts progress with evidence and asks for close-out; the supervisor closes it out; the organizer downloads both exports', async () => {
	const { unit, supervisor, organizer } = pages;
	// The supervisor watches the ledger while the unit works.
	await supervisor.goto(`${f.server.url}/c/${conferenceId}/ledger`);
	await supervisor.waitForSelector('[data-testid="ledger"] tr[data-status="not_started"]');
	// Before the unit submits, the reviewer has nothing to do on the item: no empty 办理 card.
	await supervisor.click('[data-testid="ledger"] tbody a:has-text("ZG-JT-001")');
	await supervisor.waitForSelector('[data-testid="ledger-status"]');
	expect(await supervisor.locator('#actions-title').count()).toBe(0);
	await supervisor.goBack();
	await supervisor.waitForSelector('[data-testid="ledger"] tr[data-status="not_started"]');

	await unit.goto(`${f.server.url}/c/${conferenceId}`);
	await unit.click('a:has-text("整改台账")');
	await unit.click('[data-testid="ledger"] tbody a:has-text("ZG-JT-001")');
	expect(await status(unit)).toBe('未启动');
	await unit.fill('textarea >> nth=0', '台账已建立，按周报送3期');
	await unit.fill('input[type=number]', '100');
	await unit.setInputFiles('[data-testid="evidence-input"]', { name: '周调度台账.png', mimeType: 'image/png', buffer: Buffer.from(png) });
	await unit.click('button:has-text("提交进展")');
	await unit.waitForSelector('[data-testid="ledger-reports"] a:has-text("周调度台账.png")');
	expect(await status(unit)).toBe('推进中');
	await unit.click('button:has-text("申请销号")');
	await unit.waitForSelector('[data-testid="ledger-status"]:has-text("已完成待审核")');
	// The unit cannot review its own item.
	expect(await unit.locator('button:has-text("销号")').count()).toBe(0);

	// The supervisor's open ledger follows without a reload, then the supervisor closes the item out.
	await supervisor.waitForSelector('[data-testid="ledger"] tr[data-status="pending_review"]');
	await supervisor.click('[data-testid="ledger"] tbody a:has-text("ZG-JT-001")');
	await supervisor.waitForSelector('[data-testid="ledger-reports"] a:has-text("周调度台账.png")');
	await supervisor.fill('textarea', '佐证材料齐全，同意销号');
	await supervisor.click('button.primary:has-text("销号")');
	await supervisor.waitForSelector('[data-testid="ledger-status"]:has-text("已销号")');
	await unit.waitForSelector('[data-testid="ledger-status"]:has-text("已销号")');
	expect(await unit.textContent('.history')).toContain('佐证材料齐全，同意销号');

	// The organizer is told which names GB2312 fonts cannot show, then downloads the list and ledger, and the minutes.
	await organizer.goto(`${f.server.url}/c/${conferenceId}/members`);
	expect(await organizer.textContent('[data-testid="rare-chars"]')).toContain('王𠀾（甲省交通运输厅）');
	await organizer.goto(`${f.server.url}/c/${conferenceId}/ledger`);
	await organizer.waitForSelector('[data-testid="ledger"] tr[data-status="closed"]');
	expect(await organizer.textContent('[data-testid="ledger-summary"]')).toContain('已销号 1 项');
	// Filtering by status: nothing is still in progress.
	await organizer.selectOption('[data-testid="filter-status"]', 'in_progress');
	await organizer.waitForSelector('text=没有符合筛选条件的事项');
	await organizer.selectOption('[data-testid="filter-status"]', 'closed');
	await organizer.waitForSelector('[data-testid="ledger"] tbody tr');
	expect(await organizer.locator('[data-testid="ledger"] tbody tr').count()).toBe(1);
	const download = async (label: string) => {
		const [file] = await Promise.all([organizer.waitForEvent('download'), organizer.click(`a:has-text("${label}")`)]);
		return { name: file.suggestedFilename(), bytes: await fs.readFile((await file.path()) as string) };
	};
	const xlsx = await download('导出决议清单与台账');
	expect(xlsx.name).toBe('台账测试会议决议清单与整改台账.xlsx');
	const ExcelJS = (await import('exceljs')).default;
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(Uint8Array.from(xlsx.bytes).buffer);
	const row = book.worksheets[0].getRow(2).values as unknown[];
	expect(row).toContain('建立交地与工作面移交周调度台账');
	expect(row).toContain('已销号');
	expect(book.worksheets[1].getRow(2).values).toContain('台账已建立，按周报送3期');

	const docx = await download('导出纪要');
	expect(docx.name).toBe('台账测试会议纪要.docx');
	const JSZip = (await import('jszip')).default;
	const xml = await (await JSZip.loadAsync(docx.bytes)).file('word/document.xml')!.async('string');
	expect(xml).toContain('建立交地与工作面移交周调度台账（决议编号：JY-01；牵头单位：甲省江州市人民政府');

	// An export that cannot be fetched (here: the server went away) says why, in Chinese, and saves no file.
	let saved = false;
	organizer.on('download', () => (saved = true));
	await f.server.stop();
	await organizer.click('a:has-text("导出纪要")');
	await organizer.waitForSelector('[role="alert"]:has-text("无法连接服务器，请检查网络。")');
	expect(saved).toBe(false);
	f.server = await f.server.restart();
});
