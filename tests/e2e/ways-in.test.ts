import { expect, test } from 'vitest';
import { api, createDocument } from '../helpers/api.js';
import { editorText, signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, joinAsGuest } from '../helpers/conference.js';
import { adminPassword, adminUsername } from '../helpers/server.js';
import { xlsxBomb } from '../helpers/zip-files.js';

const f = useServerAndBrowser();

test('the organizer makes an invite link; a remote attendee joins with name and unit and follows the live document read-only', async () => {
	const { server, browser, admin } = f;
	const conferenceId = await createConference(server.url, admin, '2025年上半年国家重点建设项目管理总结会');
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '交通组根因分析', breakoutId } })).body.id;

	const organizer = (await signedInPage(browser, server.url, adminUsername, adminPassword)).page;
	await organizer.goto(`${server.url}/c/${conferenceId}/members`);
	await organizer.selectOption('select[name=invite-role]', 'observer');
	await organizer.check(`input[type=checkbox][value="${breakoutId}"] >> nth=-1`);
	await organizer.click('button:has-text("生成邀请链接")');
	const link = (await organizer.textContent('[data-testid="invite-link"]')) ?? '';
	expect(link).toMatch(/\/join\/[a-z0-9]+-[a-z0-9]+$/);

	const context = await browser.newContext({ viewport: { width: 1200, height: 800 } });
	const attendee = await context.newPage();
	await attendee.goto(link);
	await attendee.waitForSelector('text=身份：远程列席');
	await attendee.fill('input[name=displayName]', '县政府代表');
	await attendee.fill('input[name=unit]', '甲省江州市人民政府');
	await attendee.click('button[type=submit]');
	// The attendee lands in the breakout's live document, told what they can do there.
	await attendee.waitForURL(`${server.url}/d/${docId}?welcome=1`);
	await attendee.waitForSelector('[data-testid="read-only"]');
	await attendee.waitForSelector('[data-testid="welcome"]:has-text("您正在旁听本组研讨")');

	await organizer.goto(`${server.url}/d/${docId}`);
	await organizer.waitForSelector('.status[data-status="saved"]');
	await organizer.click('.ProseMirror');
	await organizer.keyboard.type('先开工后征拆');
	await waitFor(async () => (await editorText(attendee)) === '先开工后征拆', 'the attendee sees live typing');
	expect(await attendee.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
	await context.close();
});

test('the organizer imports the attendee list: a bad row is refused and named, the corrected list imports, and a person signs in once with their link', async () => {
	const { server, browser, admin } = f;
	const conferenceId = await createConference(server.url, admin, '水利专题研讨会');
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '水利组');
	const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '水利组整改方案', breakoutId } })).body.id;
	const organizer = (await signedInPage(browser, server.url, adminUsername, adminPassword)).page;
	await organizer.goto(`${server.url}/c/${conferenceId}/members`);

	const header = '姓名,单位,单位类型,角色,分组,手机\n';
	const good = '陈工,丙省水利水电勘测设计研究院,设计,参会单位代表,水利组,13700001234\n';
	const choose = (name: string, text: string) =>
		organizer.setInputFiles('input[name=attendee-file]', { name, mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${header}${text}`) });

	// A zip bomb is refused at once, and the page says why in Chinese.
	const bomb = Buffer.from(await xlsxBomb(450_000_000, 4));
	await organizer.setInputFiles('input[name=attendee-file]', { name: '名单.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: bomb });
	await organizer.waitForSelector('[data-testid="import-file-problem"]:has-text("疑似压缩炸弹")');

	await choose('名单.csv', `${good}刘局长,丁市水务局,地方政府,嘉宾,水利组,\n`);
	await organizer.waitForSelector('[data-testid="import-summary"]:has-text("其中 1 行有误")');
	expect(await organizer.textContent('tr[data-row="3"]')).toContain('未知的角色“嘉宾”');
	expect(await organizer.isDisabled('button:has-text("导入 2 人")')).toBe(true);

	await choose('名单-修正.csv', `${good}刘局长,丁市水务局,地方政府,远程列席,水利组,\n`);
	await organizer.waitForSelector('[data-testid="import-summary"]:has-text("均可导入")');
	await organizer.click('button:has-text("导入 2 人")');
	await organizer.waitForSelector('[data-testid="import-done"]');
	const links = await organizer.locator('[data-testid="signin-link"]').allTextContents();
	expect(links).toHaveLength(2);
	await organizer.waitForSelector('table.members >> text=丙省水利水电勘测设计研究院（设计）');

	const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'zh-CN' });
	const person = await context.newPage();
	await person.goto(links[0]);
	await person.waitForSelector('text=陈工（丙省水利水电勘测设计研究院）');
	await person.click('button:has-text("进入会议")');
	await person.waitForURL(`${server.url}/d/${docId}?welcome=1`);
	await person.waitForSelector('[data-testid="welcome"]:has-text("您可以直接在下方编辑")');
	await person.waitForSelector('.status[data-status="saved"]');
	expect(await person.locator('.ProseMirror').getAttribute('contenteditable')).toBe('true');
	await context.close();

	// The link is used up: opening it again, anywhere, signs nobody in.
	const again = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
	await again.goto(links[0]);
	await again.waitForSelector('text=此登录链接已使用或已过期');
});

test('an invited guest, on a phone, sees its conference on the home page and no workspace (neither its documents nor 新建文档), and no password form', async () => {
	const { server, browser, admin } = f;
	await createDocument(server.url, admin, '管理员的工作区文档');
	const conferenceId = await createConference(server.url, admin, '市政专题研讨会');
	const guest = await joinAsGuest(server.url, admin, conferenceId, { displayName: '列席代表', unit: '乙市住建局', role: 'observer' });
	const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN' });
	const [name, value] = guest.cookie.split('=');
	await context.addCookies([{ name, value, url: server.url }]);
	const page = await context.newPage();
	await page.goto(`${server.url}/`);
	await page.waitForSelector('h1:has-text("我的会议")');
	await page.waitForLoadState('networkidle');
	// Its conference, and the case library (which searches that conference only).
	expect(await page.locator('main a').allTextContents()).toEqual(['案例库', '市政专题研讨会']);
	expect(await page.locator('button:has-text("新建文档"), input[name=title]').count()).toBe(0);
	expect(await page.locator('text=管理员的工作区文档').count()).toBe(0);
	expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await page.click('main a:has-text("市政专题研讨会")');
	await page.waitForURL(`${server.url}/c/${conferenceId}`);
	// It has no password to change: its account page says how to come back instead.
	await page.goto(`${server.url}/account`);
	await page.waitForSelector('[data-testid="no-password"]:has-text("向主办方索取新的登录链接")');
	expect(await page.locator('input[type=password]').count()).toBe(0);
	await context.close();
});
