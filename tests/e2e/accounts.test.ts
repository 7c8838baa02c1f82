import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { launchBrowser, signedInPage } from '../helpers/browser.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
	server = await TestServer.start();
	browser = await launchBrowser();
});

afterAll(async () => {
	await browser?.close();
	await server.stop();
	server.removeData();
});

test('the administrator creates an account in the browser and its owner signs in', async () => {
	const { page } = await signedInPage(browser, server.url, adminUsername, adminPassword);
	await page.click('a[href="/admin/accounts"]');
	await page.fill('input[name=displayName]', '𠮷田县人民政府代表');
	await page.fill('input[name=unit]', '甲省江州市人民政府');
	await page.fill('input[name=username]', 'county01');
	await page.fill('input[name=password]', 'county-pass-1');
	await page.click('form button[type=submit]');
	await page.waitForSelector('text=已创建账号：𠮷田县人民政府代表');
	// The list is fetched again after the creation: wait for it rather than read it at once.
	await page.waitForSelector('table.accounts >> text=county01');

	await page.fill('input[name=displayName]', '重复');
	await page.fill('input[name=username]', 'county01');
	await page.fill('input[name=password]', 'county-pass-1');
	await page.click('form button[type=submit]');
	await page.waitForSelector('text=该用户名已被使用。');

	const other = await signedInPage(browser, server.url, 'county01', 'county-pass-1');
	expect(await other.page.textContent('.who')).toBe('𠮷田县人民政府代表 · 甲省江州市人民政府');
	expect(await other.page.locator('a[href="/admin/accounts"]').count()).toBe(0);
});

test('a wrong password is explained on the sign-in page', async () => {
	const context = await browser.newContext();
	const page = await context.newPage();
	await page.goto(`${server.url}/d/whatever`);
	await page.waitForURL(/\/login\?next=%2Fd%2Fwhatever/);
	await page.fill('input[name=username]', adminUsername);
	await page.fill('input[name=password]', 'not-the-password');
	await page.click('button[type=submit]');
	await page.waitForSelector('text=用户名或密码错误。');
	await context.close();
});

test('a user changes their password on 我的账号 and signs in with the new one', async () => {
	const { page, context } = await signedInPage(browser, server.url, 'county01', 'county-pass-1');
	await page.click('a.who');
	await page.fill('input[name=currentPassword]', 'wrong-password');
	await page.fill('input[name=newPassword]', 'county-pass-2');
	await page.click('form button[type=submit]');
	await page.waitForSelector('text=当前密码不正确。');
	await page.fill('input[name=currentPassword]', 'county-pass-1');
	await page.fill('input[name=newPassword]', 'county-pass-2');
	await page.click('form button[type=submit]');
	await page.waitForSelector('text=密码已修改');
	await context.close();
	const again = await signedInPage(browser, server.url, 'county01', 'county-pass-2');
	expect(await again.page.textContent('.who')).toContain('𠮷田县人民政府代表');
});
