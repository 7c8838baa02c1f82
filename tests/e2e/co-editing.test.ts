import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { editorText, launchBrowser, openDocument, signedInPage } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';
import { type Fixture, aliceAccount, bobAccount, startWithUsers } from '../helpers/fixture.js';

let f: Fixture;
let browser: Browser;
let alice: Page;
let bob: Page;

beforeAll(async () => {
	f = await startWithUsers();
	browser = await launchBrowser();
	alice = (await signedInPage(browser, f.server.url, aliceAccount.username, aliceAccount.password)).page;
	bob = (await signedInPage(browser, f.server.url, bobAccount.username, bobAccount.password)).page;
});

afterAll(async () => {
	await browser?.close();
	await f.server.stop();
	f.server.removeData();
});

test('the document list starts empty and creating a document opens it', async () => {
	await alice.goto(`${f.server.url}/`);
	await alice.waitForSelector('.empty');
	await alice.fill('input[name=title]', '交通组 T1 项目根因分析');
	await alice.click('form.create button[type=submit]');
	await alice.waitForURL(/\/d\/[a-z0-9]+$/);
	await alice.waitForSelector('.status[data-status="saved"]');
	expect(await alice.textContent('h1')).toBe('交通组 T1 项目根因分析');
});

test('two browsers see each other\'s typing and named carets; the status tells when it is saved', async () => {
	const docId = await createDocument(f.server.url, f.alice, '水利组 W2 整改方案');
	await openDocument(alice, f.server.url, docId);
	await openDocument(bob, f.server.url, docId);

	await alice.click('.ProseMirror');
	await alice.keyboard.type('坝基揭露断层破碎带');
	await waitFor(async () => (await editorText(bob)) === '坝基揭露断层破碎带', 'Bob sees Alice');

	await bob.click('.ProseMirror');
	await bob.keyboard.press('End');
	await bob.keyboard.type('，需重大设计变更𠮷');
	const full = '坝基揭露断层破碎带，需重大设计变更𠮷';
	await waitFor(async () => (await editorText(alice)) === full, 'Alice sees Bob');

	// Bob's caret in Alice's editor carries his name and unit.
	await waitFor(async () => (await alice.locator('.collaboration-carets__label').allTextContents()).some((t) => t.includes(bobAccount.displayName)), 'Bob\'s caret');
	const labels = await alice.locator('.collaboration-carets__label').allTextContents();
	expect(labels).toContain(`${bobAccount.displayName} · ${bobAccount.unit}`);

	await alice.waitForSelector('.status[data-status="saved"]');
	await bob.waitForSelector('.status[data-status="saved"]');
	expect(await bob.textContent('.status')).toBe('所有更改已保存');

	await bob.reload();
	await bob.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => (await editorText(bob)) === full, 'text after reload');
});

test('rich text: headings, bold, lists, quotes and tables reach the other browser', async () => {
	const docId = await createDocument(f.server.url, f.alice, '格式测试');
	await openDocument(alice, f.server.url, docId);
	await openDocument(bob, f.server.url, docId);
	await alice.click('.ProseMirror');
	await alice.click('button:has-text("一级标题")');
	await alice.keyboard.type('一、总体情况');
	await alice.keyboard.press('Enter');
	await alice.keyboard.press('Control+b');
	await alice.keyboard.type('会议认为');
	await alice.keyboard.press('Control+b');
	await alice.keyboard.press('Enter');
	await alice.click('button:has-text("项目符号列表")');
	await alice.keyboard.type('征地拆迁滞后');
	await alice.keyboard.press('Enter');
	await alice.keyboard.press('Enter');
	await alice.click('button:has-text("引用")');
	await alice.keyboard.type('先开工后征拆');
	await alice.click('button:has-text("插入表格")');
	await waitFor(async () => (await bob.locator('.ProseMirror table').count()) === 1, 'table at Bob');
	expect(await bob.locator('.ProseMirror h1').textContent()).toBe('一、总体情况');
	expect(await bob.locator('.ProseMirror strong').textContent()).toBe('会议认为');
	expect(await bob.locator('.ProseMirror ul li').first().textContent()).toBe('征地拆迁滞后');
	expect(await bob.locator('.ProseMirror blockquote').textContent()).toContain('先开工后征拆');
});

test('the interface switches to English and back', async () => {
	await alice.goto(`${f.server.url}/`);
	await alice.click('button.lang');
	await alice.waitForSelector('text=New document');
	expect(await alice.textContent('h1')).toBe('Documents');
	await alice.click('button.lang');
	await alice.waitForSelector('text=新建文档');
});
