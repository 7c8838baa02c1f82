import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Session, api, login } from '../helpers/api.js';
import { editorText, launchBrowser, signedInPage } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';
import { createBreakout, createConference } from '../helpers/conference.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
let admin: Session;

beforeAll(async () => {
	server = await TestServer.start();
	browser = await launchBrowser();
	admin = await login(server.url, adminUsername, adminPassword);
});

afterAll(async () => {
	await browser?.close();
	await server.stop();
	server.removeData();
});

test('the organizer makes an invite link; a remote attendee joins with name and unit and follows the live document read-only', async () => {
	const conferenceId = await createConference(server.url, admin, '2025年上半年国家重点建设项目管理总结会');
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '交通组根因分析', breakoutId } })).body.id;

	const organizer = (await signedInPage(browser, server.url, adminUsername, adminPassword)).page;
	await organizer.goto(`${server.url}/c/${conferenceId}`);
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
	await attendee.waitForURL(`${server.url}/c/${conferenceId}`);
	await attendee.click('text=交通组根因分析');
	await attendee.waitForSelector('[data-testid="read-only"]');

	await organizer.goto(`${server.url}/d/${docId}`);
	await organizer.waitForSelector('.status[data-status="saved"]');
	await organizer.click('.ProseMirror');
	await organizer.keyboard.type('先开工后征拆');
	await waitFor(async () => (await editorText(attendee)) === '先开工后征拆', 'the attendee sees live typing');
	expect(await attendee.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
	await context.close();
});
