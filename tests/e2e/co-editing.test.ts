import { expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { editorText, openDocument, useTwoBrowsers } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';
import { bobAccount } from '../helpers/fixture.js';

const { f, pages } = useTwoBrowsers();

test('the document list starts empty and creating a document opens it', async () => {
	await pages.alice.goto(`${f.server.url}/`);
	await pages.alice.waitForSelector('.empty');
	await pages.alice.fill('input[name=title]', '交通组 T1 项目根因分析');
	await pages.alice.click('form.create button[type=submit]');
	await pages.alice.waitForURL(/\/d\/[a-z0-9]+$/);
	await pages.alice.waitForSelector('.status[data-status="saved"]');
	expect(await pages.alice.textContent('h1')).toBe('交通组 T1 项目根因分析');
});

test('two browsers see each other\'s typing and named carets; the status tells when it is saved', async () => {
	const docId = await createDocument(f.server.url, f.alice, '水利组 W2 整改方案');
	await openDocument(pages.alice, f.server.url, docId);
	await openDocument(pages.bob, f.server.url, docId);

	await pages.alice.click('.ProseMirror');
	await pages.alice.keyboard.type('坝基揭露断层破碎带');
	await waitFor(async () => (await editorText(pages.bob)) === '坝基揭露断层破碎带', 'Bob sees Alice');

	await pages.bob.click('.ProseMirror');
	await pages.bob.keyboard.press('End');
	await pages.bob.keyboard.type('，需重大设计变更𠮷');
	const full = '坝基揭露断层破碎带，需重大设计变更𠮷';
	await waitFor(async () => (await editorText(pages.alice)) === full, 'Alice sees Bob');

	// Bob's caret in Alice's editor carries his name and unit.
	await waitFor(async () => (await pages.alice.locator('.collaboration-carets__label').allTextContents()).some((t) => t.includes(bobAccount.displayName)), 'Bob\'s caret');
	const labels = await pages.alice.locator('.collaboration-carets__label').allTextContents();
	expect(labels).toContain(`${bobAccount.displayName} · ${bobAccount.unit}`);

	await pages.alice.waitForSelector('.status[data-status="saved"]');
	await pages.bob.waitForSelector('.status[data-status="saved"]');
	expect(await pages.bob.textContent('.status')).toBe('所有更改已保存');

	await pages.bob.reload();
	await pages.bob.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => (await editorText(pages.bob)) === full, 'text after reload');
});

test('rich text: headings, bold, lists, quotes and tables reach the other browser', async () => {
	const docId = await createDocument(f.server.url, f.alice, '格式测试');
	await openDocument(pages.alice, f.server.url, docId);
	await openDocument(pages.bob, f.server.url, docId);
	await pages.alice.click('.ProseMirror');
	await pages.alice.click('button:has-text("一级标题")');
	await pages.alice.keyboard.type('一、总体情况');
	await pages.alice.keyboard.press('Enter');
	await pages.alice.keyboard.press('Control+b');
	await pages.alice.keyboard.type('会议认为');
	await pages.alice.keyboard.press('Control+b');
	await pages.alice.keyboard.press('Enter');
	await pages.alice.click('button:has-text("项目符号列表")');
	await pages.alice.keyboard.type('征地拆迁滞后');
	await pages.alice.keyboard.press('Enter');
	await pages.alice.keyboard.press('Enter');
	await pages.alice.click('button:has-text("引用")');
	await pages.alice.keyboard.type('先开工后征拆');
	await waitFor(async () => (await pages.bob.locator('.ProseMirror blockquote').textContent())?.includes('先开工后征拆') ?? false, 'quote at Bob');
	await pages.alice.click('button:has-text("插入表格")');
	await waitFor(async () => (await pages.bob.locator('.ProseMirror table').count()) === 1, 'table at Bob');
	expect(await pages.bob.locator('.ProseMirror h1').textContent()).toBe('一、总体情况');
	expect(await pages.bob.locator('.ProseMirror strong').textContent()).toBe('会议认为');
	expect(await pages.bob.locator('.ProseMirror ul li').first().textContent()).toBe('征地拆迁滞后');
	expect(await pages.alice.locator('.ProseMirror blockquote').first().textContent()).toContain('先开工后征拆');
});

test('the interface switches to English and back', async () => {
	await pages.alice.goto(`${f.server.url}/`);
	await pages.alice.click('button.lang');
	await pages.alice.waitForSelector('text=New document');
	expect(await pages.alice.textContent('h1')).toBe('Documents');
	await pages.alice.click('button.lang');
	await pages.alice.waitForSelector('text=新建文档');
});
