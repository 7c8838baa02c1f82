import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { breakoutWithPlan, unitMember } from '../helpers/ledger.js';
import { adminPassword, adminUsername } from '../helpers/server.js';

let conferenceId: string;
let planId: string;
let measureIds: string[];
let author: { cookie: string; userId: string };
const title = '能源专题研讨会';
const f = useServerAndBrowser(async ({ server, admin }) => {
	conferenceId = await createConference(server.url, admin, title);
	author = await unitMember(server.url, admin, conferenceId, 'ws-author', '陈志远', '甲省交通运输厅', 'participant');
	const plan = await breakoutWithPlan(server.url, server.wsUrl, admin, conferenceId, author, [
		{ text: '成立市级征拆专班', responsibleUnit: '甲省江州市人民政府', deadline: '2099-09-30' }
	]);
	planId = plan.planId;
	measureIds = plan.measureIds;
	await unitMember(server.url, admin, conferenceId, 'ws-observer', '远程代表', '丁省能源局', 'observer', [plan.breakoutId]);
	await unitMember(server.url, admin, conferenceId, 'ws-expert', '孙教授', '专家组', 'expert');
});

const tabs = (page: Page) => page.locator('[data-testid="conference-tabs"] a').allTextContents();
const phone = { viewport: { width: 390, height: 844 } };

test('each role sees the tabs it may use; every tab has its own address and title; an observer is offered no form it cannot use', async () => {
	const organizer = (await signedInPage(f.browser, f.server.url, adminUsername, adminPassword)).page;
	await organizer.goto(`${f.server.url}/c/${conferenceId}`);
	await organizer.waitForSelector('[data-testid="conference-tabs"]');
	expect(await tabs(organizer)).toEqual(['概览', '议程', '总体评价', '分组', '纪要与决议', '执行报告', '整改台账', '案例库', '成员与邀请', '审计']);

	const observer = (await signedInPage(f.browser, f.server.url, 'ws-observer', 'ws-observer-password')).page;
	await observer.goto(`${f.server.url}/c/${conferenceId}/breakouts`);
	await observer.waitForSelector('[data-breakout] a:has-text("T1 整改方案")');
	expect(await tabs(observer)).toEqual(['概览', '议程', '总体评价', '分组', '纪要与决议', '执行报告', '整改台账', '案例库', '成员']);
	expect(await observer.title()).toBe(`分组 · ${title}`);
	expect(await observer.locator('[aria-current="page"]').textContent()).toBe('分组');
	// Nothing here to create, add or invite for an observer.
	expect(await observer.locator('button:has-text("新建文档"), button:has-text("新建分组")').count()).toBe(0);
	await observer.goto(`${f.server.url}/c/${conferenceId}/members`);
	await observer.waitForSelector('table.members td:has-text("远程代表")');
	expect(await observer.locator('button:has-text("生成邀请链接"), button:has-text("添加成员"), button:has-text("移除")').count()).toBe(0);
	// The audit log, opened by its address, is refused in Chinese, not with the server's English.
	await observer.goto(`${f.server.url}/c/${conferenceId}/audit`);
	await observer.waitForSelector('main [role=alert]:has-text("您没有执行此操作的权限。")');
	expect(await observer.textContent('main')).not.toContain('You may not');
	expect(await observer.locator('select, a:has-text("导出")').count()).toBe(0);
	// Account administration is not theirs either: no form, a reason.
	await observer.goto(`${f.server.url}/admin/accounts`);
	await observer.waitForSelector('[data-testid="not-admin"]:has-text("您没有执行此操作的权限。")');
	expect(await observer.locator('form').count()).toBe(0);
	// An address that leads nowhere says so in Chinese.
	await observer.goto(`${f.server.url}/c/${conferenceId}/no-such-tab`);
	await observer.waitForSelector('h1:has-text("内容不存在，或已被删除。")');
	expect(await observer.textContent('body')).not.toContain('Not Found');
	// A document that does not exist says so, and does not pretend to connect.
	await observer.goto(`${f.server.url}/d/nosuchdocument`);
	await observer.waitForSelector('main [role=alert]');
	expect(await observer.locator('.status').count()).toBe(0);

	await organizer.goto(`${f.server.url}/c/${conferenceId}/audit`);
	await organizer.waitForSelector('table.audit tbody tr');
	expect(await organizer.title()).toBe(`审计 · ${title}`);
});

test('every tab fits a phone: no sideways scrolling, the header folds into a menu, members become cards', async () => {
	const { page } = await signedInPage(f.browser, f.server.url, adminUsername, adminPassword, phone);
	let targets = 0;
	for (const tab of ['', '/agenda', '/breakouts', '/minutes', '/ledger', '/cases', '/members', '/audit']) {
		await page.goto(`${f.server.url}/c/${conferenceId}${tab}`);
		await page.waitForSelector('[data-testid="conference-tabs"] [aria-current="page"]');
		await page.waitForLoadState('networkidle');
		expect(await page.evaluate(() => document.documentElement.scrollWidth), `${tab || '概览'} at 390 px`).toBeLessThanOrEqual(390);
		// Targets a thumb can hit: disclosures, links in table cells, and check boxes.
		const { seen, small } = await page.evaluate(() => {
			const shown = [...document.querySelectorAll('summary, td > a, input[type=checkbox], input[type=radio]')].filter((el) => (el as HTMLElement).offsetParent !== null);
			const tooSmall = shown.filter((el) => {
				const box = el.getBoundingClientRect();
				return el.tagName === 'INPUT' ? box.height < 20 || box.width < 20 : box.height < 40;
			});
			return { seen: shown.length, small: tooSmall.map((el) => `${el.tagName.toLowerCase()} ${(el.textContent ?? '').trim().slice(0, 20)}`) };
		});
		targets += seen;
		expect(small, `${tab || '概览'}: small touch targets`).toEqual([]);
	}
	expect(targets, 'the tabs have disclosures, table links and check boxes to measure').toBeGreaterThan(5);
	// The members table is a list of cards: one member's fields stacked, each labelled.
	await page.goto(`${f.server.url}/c/${conferenceId}/members`);
	const card = page.locator('table.members tr[data-member]').first();
	const box = await card.boundingBox();
	expect(box?.width ?? 999).toBeLessThanOrEqual(390);
	expect(await card.locator('td[data-label="单位"]').isVisible()).toBe(true);
	// The header: brand and a menu button; the menu opens with the links and sign-out.
	expect(await page.locator('button:has-text("退出登录")').isVisible()).toBe(false);
	await page.click('[data-testid="menu-toggle"]');
	await page.waitForSelector('button:has-text("退出登录")', { state: 'visible' });
	const signOut = await page.locator('button:has-text("退出登录")').boundingBox();
	expect(signOut?.height ?? 0).toBeGreaterThanOrEqual(40);
});

test('removing a member asks first: 取消 keeps them, 确定 removes them', async () => {
	const { page } = await signedInPage(f.browser, f.server.url, adminUsername, adminPassword);
	await page.goto(`${f.server.url}/c/${conferenceId}/members`);
	const row = page.locator('tr[data-member]:has-text("孙教授")');
	await row.locator('button:has-text("移除")').click();
	const dialog = page.locator('dialog[open]');
	await dialog.waitFor();
	expect(await dialog.textContent()).toContain('确定将 孙教授 移出本会议吗？');
	await dialog.locator('button:has-text("取消")').click();
	await dialog.waitFor({ state: 'detached' }).catch(() => undefined);
	expect(await page.locator('dialog[open]').count()).toBe(0);
	const members = async () => (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members as { displayName: string }[];
	expect((await members()).some((x) => x.displayName === '孙教授')).toBe(true);

	// Esc closes it too, without removing anyone.
	await row.locator('button:has-text("移除")').click();
	await page.keyboard.press('Escape');
	expect(await page.locator('dialog[open]').count()).toBe(0);
	expect((await members()).some((x) => x.displayName === '孙教授')).toBe(true);

	// A fresh expert for the removal, so the other tests keep theirs.
	await unitMember(f.server.url, f.admin, conferenceId, 'ws-leaving', '钱顾问', '咨询公司', 'expert');
	await page.reload();
	await page.locator('tr[data-member]:has-text("钱顾问") button:has-text("移除")').click();
	await page.locator('dialog[open] button[data-confirm]').click();
	await page.waitForSelector('tr[data-member]:has-text("钱顾问")', { state: 'detached' });
	expect((await members()).some((x) => x.displayName === '钱顾问')).toBe(false);
});

test("a refused step says why in the UI's language, from the error code, never in the server's words", async () => {
	const { page } = await signedInPage(f.browser, f.server.url, adminUsername, adminPassword);
	await page.goto(`${f.server.url}/c/${conferenceId}/members`);
	await page.fill('input[name=member-username]', 'no-such-person');
	await page.click('form button:has-text("添加成员")');
	const alert = page.locator('form [role=alert]:has-text("没有这个用户名的账号")');
	await alert.waitFor();
	expect(await page.textContent('main')).not.toContain('no account');

	await page.click('button.lang');
	await page.fill('input[name=member-username]', 'no-such-person');
	await page.click('form button:has-text("Add member")');
	await page.waitForSelector('form [role=alert]:has-text("No account has that username")');
	expect(await page.textContent('main')).not.toContain('username: no account');
	await page.click('button.lang');
});

test('my work and the bell are live: the expert sees a new proposal to decide without reloading, and it goes once decided', async () => {
	const { page } = await signedInPage(f.browser, f.server.url, 'ws-expert', 'ws-expert-password');
	await page.goto(`${f.server.url}/c/${conferenceId}`);
	await page.waitForSelector('[data-testid="my-work"]:has-text("目前没有需要您处理的事项")');

	const proposed = await api(f.server.url, 'POST', `/api/documents/${planId}/proposals`, { cookie: author.cookie, body: { blockIds: measureIds } });
	expect(proposed.status).toBe(201);
	const decide = page.locator('[data-work="decide"]');
	await decide.waitFor();
	expect(await decide.textContent()).toBe('待我审定：1 项提议');
	// The home page shows the same, per conference, counted without an event stream per conference.
	const home = await page.context().newPage();
	await home.addInitScript(() => {
		const counted = window as unknown as { streams: number };
		counted.streams = 0;
		const Original = window.EventSource;
		window.EventSource = class extends Original {
			constructor(...args: ConstructorParameters<typeof EventSource>) {
				super(...args);
				counted.streams++;
			}
		};
	});
	await home.goto(`${f.server.url}/`);
	const card = home.locator(`[data-testid="home-conference"]:has(a[href="/c/${conferenceId}"])`);
	await card.locator('[data-work="decide"]:has-text("待我审定：1 项提议")').waitFor();
	expect(await home.evaluate(() => (window as unknown as { streams: number }).streams)).toBe(0);
	await home.close();
	// The bell counts it too; opening the list reads it.
	expect(await page.textContent('[data-testid="bell"] [data-testid="unread"]')).toBe('1');
	await page.click('[data-testid="bell"]');
	await page.waitForSelector('[role=region] a:has-text("纳入纪要的提议有更新")');
	expect(await page.locator('[data-testid="bell"] [data-testid="unread"]').count()).toBe(0);
	await page.keyboard.press('Escape');
	expect(await page.locator('[role=region]:has-text("纳入纪要的提议有更新")').count()).toBe(0);
	await decide.click();
	await page.waitForURL(`${f.server.url}/c/${conferenceId}/minutes`);
	// The approver is warned that the 责任主体 is not a unit of this conference.
	await page.waitForSelector('[data-proposal] [data-testid="unknown-unit"]:has-text("甲省江州市人民政府")');
	expect(await page.textContent('[data-testid="proposal-filter"] [data-state="pending"]')).toBe('待审定 1');
	await page.click('[data-proposal] button:has-text("同意纳入")');
	await page.waitForSelector('[data-proposal] .tag:has-text("已纳入纪要")');
	// Filtering by status, with counts.
	await page.click('[data-testid="proposal-filter"] [data-state="pending"]');
	await page.waitForSelector('text=没有这一状态的提议。');
	expect(await page.textContent('[data-testid="proposal-filter"] [data-state="approved"]')).toBe('已纳入纪要 1');
	await page.click('[data-testid="proposal-filter"] [data-state="approved"]');
	expect(await page.locator('[data-proposal]').count()).toBe(1);
	await page.click('[data-testid="conference-tabs"] a:has-text("概览")');
	await page.waitForSelector('[data-testid="my-work"]:has-text("目前没有需要您处理的事项")');
	await waitFor(async () => (await page.locator('[data-work="decide"]').count()) === 0, 'the decided proposal leaves my work');
});

test('a double click makes one: one invite, one breakout; deleting a project asks first; adding an existing member changes nothing', async () => {
	const { page } = await signedInPage(f.browser, f.server.url, adminUsername, adminPassword);
	const count = async (path: string, key: string) => ((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}${path}`, { cookie: f.admin.cookie })).body[key] as unknown[]).length;

	await page.goto(`${f.server.url}/c/${conferenceId}/members`);
	const invites = await count('/invites', 'invites');
	await page.dblclick('button:has-text("生成邀请链接")');
	await page.waitForSelector('[data-testid="invite-link"]');
	await page.waitForLoadState('networkidle');
	expect(await count('/invites', 'invites')).toBe(invites + 1);
	// Invites never make organizers.
	expect(await page.locator('select[name=invite-role] option[value="organizer"]').count()).toBe(0);

	// The observer is a member already: adding them again is refused, their breakouts kept.
	await page.fill('input[name=member-username]', 'ws-observer');
	await page.click('form button:has-text("添加成员")');
	await page.waitForSelector('form [role=alert]:has-text("此人已是本会议成员")');
	const observer = ((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members as { displayName: string; role: string; breakoutIds: string[] }[]).find((x) => x.displayName === '远程代表');
	expect(observer).toMatchObject({ role: 'observer' });
	expect(observer?.breakoutIds).toHaveLength(1);

	await page.goto(`${f.server.url}/c/${conferenceId}/breakouts`);
	const breakouts = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}`, { cookie: f.admin.cookie })).body.breakouts.length;
	await page.fill('input[aria-label="分组名称，例如：交通组"]', '双击组');
	await page.dblclick('button:has-text("新建分组")');
	await page.waitForSelector('[data-breakout] h3:has-text("双击组")');
	await page.waitForLoadState('networkidle');
	expect((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}`, { cookie: f.admin.cookie })).body.breakouts.length).toBe(breakouts + 1);

	const card = page.locator('[data-breakout]:has(h3:has-text("双击组"))');
	await card.locator('input[name=project-name]').fill('双击项目');
	await card.locator('button:has-text("添加项目")').dblclick();
	await card.locator('li:has-text("双击项目")').waitFor();
	await page.waitForLoadState('networkidle');
	expect(await count('/projects', 'projects')).toBe(1);
	await card.locator('li:has-text("双击项目") button:has-text("删除")').click();
	await page.locator('dialog[open] button:has-text("取消")').click();
	expect(await count('/projects', 'projects')).toBe(1);
	await card.locator('li:has-text("双击项目") button:has-text("删除")').click();
	await page.locator('dialog[open] button[data-confirm]').click();
	await card.locator('li:has-text("双击项目")').waitFor({ state: 'detached' });
	expect(await count('/projects', 'projects')).toBe(0);
});

test('the home page counts the work of many conferences two at a time, never all at once, and every card gets its count', async () => {
	for (let i = 0; i < 8; i++) await createConference(f.server.url, f.admin, `首页计数测试会议${i + 1}`);
	const { page } = await signedInPage(f.browser, f.server.url, adminUsername, adminPassword);
	// Requests that count one conference: the conference itself, its proposals, ledger and hands.
	const counting = /\/api\/conferences\/[^/]+(\/(proposals|ledger|breakouts\/[^/]+\/hands))?(\?.*)?$/u;
	let inFlight = 0;
	let most = 0;
	const settled = (url: string) => {
		if (counting.test(new URL(url).pathname + new URL(url).search)) inFlight--;
	};
	page.on('request', (r) => {
		if (!counting.test(new URL(r.url()).pathname + new URL(r.url()).search)) return;
		inFlight++;
		most = Math.max(most, inFlight);
	});
	page.on('requestfinished', (r) => settled(r.url()));
	page.on('requestfailed', (r) => settled(r.url()));
	await page.goto(`${f.server.url}/`);
	const cards = page.locator('[data-testid="home-conference"]');
	await waitFor(async () => (await cards.count()) >= 9, 'every conference is listed');
	await waitFor(async () => (await page.locator('[data-testid="home-conference"] .work-list, [data-testid="home-conference"] .nothing').count()) === (await cards.count()), 'every card is counted', 30_000);
	// Two conferences at a time, each with at most its conference, proposals, ledger and one breakout's hands.
	expect(most).toBeGreaterThan(0);
	expect(most).toBeLessThanOrEqual(2 * 3);
	await page.context().close();
});
