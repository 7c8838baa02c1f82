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

const count = (text: string, part: string) => text.split(part).length - 1;

test('a pinyin composition while someone else types in the same paragraph: no duplicated, dropped or split characters', async () => {
	const docId = await createDocument(f.server.url, f.alice, '输入法测试');
	await openDocument(alice, f.server.url, docId);
	await openDocument(bob, f.server.url, docId);

	await alice.click('.ProseMirror');
	await alice.keyboard.type('问题：');
	await waitFor(async () => (await editorText(bob)) === '问题：', 'Bob has the paragraph');

	const cdp = await alice.context().newCDPSession(alice);
	// Alice composes "zhengdi" letter by letter at the end of the paragraph…
	let typed = '';
	for (const letter of 'zhengdi') {
		typed += letter;
		await cdp.send('Input.imeSetComposition', { text: typed, selectionStart: typed.length, selectionEnd: typed.length });
		if (typed === 'zhe') {
			// …while Bob types at the start of the same paragraph.
			await bob.click('.ProseMirror');
			await bob.keyboard.press('Home');
			await bob.keyboard.type('【交通组】');
		}
	}
	// Give Bob's change time to reach Alice while her composition is still open.
	await waitFor(async () => (await editorText(bob)).startsWith('【交通组】'), 'Bob typed');
	await new Promise((r) => setTimeout(r, 300));
	await cdp.send('Input.insertText', { text: '征地拆迁𠮷' });

	const expected = '【交通组】问题：征地拆迁𠮷';
	await waitFor(async () => (await editorText(alice)) === expected && (await editorText(bob)) === expected, 'both converge', 15_000);
	const text = await editorText(alice);
	expect(count(text, '征地拆迁𠮷')).toBe(1);
	expect(text).not.toMatch(/[a-z]/);

	// And the server has exactly that.
	await alice.waitForSelector('.status[data-status="saved"]');
	await bob.reload();
	await bob.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => (await editorText(bob)) === expected, 'stored');
});
