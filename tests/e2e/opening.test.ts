import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../helpers/api.js';
import { launchBrowser, openDocument, signedInPage } from '../helpers/browser.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { pageParagraphs, placeCaret, storedParagraphs } from '../helpers/co-editing.js';
import { type Fixture, aliceAccount, bobAccount, startWithUsers } from '../helpers/fixture.js';
import { Link } from '../helpers/link.js';

/** Opening a document never writes: not on a slow link, not while someone else is in it, not three times. */
let f: Fixture;
let browser: Browser;

beforeAll(async () => {
	f = await startWithUsers();
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await f?.server.stop();
	f?.server.removeData();
});

/** The document's state vector as the server has it: which clients ever wrote, and how much. */
async function storedStateVector(docId: string): Promise<Map<number, number>> {
	const reader = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const sv = Y.decodeStateVector(Y.encodeStateVector(reader.doc));
	reader.destroy();
	return sv;
}

test('while Alice edits, Bob opens the document three times on a slow link: nothing is added, not even an empty line', async () => {
	const docId = await createDocument(f.server.url, f.alice, '打开不写入');
	const alice = (await signedInPage(browser, f.server.url, aliceAccount.username, aliceAccount.password)).page;
	await openDocument(alice, f.server.url, docId);
	await placeCaret(alice, 0, 0);
	await alice.keyboard.type('第一段：交地滞后');
	await alice.keyboard.press('Enter');
	await alice.keyboard.type('第二段：资金缺口𠮷');
	await alice.waitForSelector('.status[data-status="saved"]');
	const before = await storedStateVector(docId);
	expect(await storedParagraphs(f.server, f.alice, docId)).toEqual(['第一段：交地滞后', '第二段：资金缺口𠮷']);

	const { page: bob } = await signedInPage(browser, f.server.url, bobAccount.username, bobAccount.password);
	const link = await Link.on(bob);
	// Everything the server sends Bob arrives 600 ms late: his editor exists well before the content.
	link.delayDown(600);
	for (let i = 0; i < 3; i++) {
		await bob.goto(`${f.server.url}/d/${docId}`);
		await bob.waitForSelector('.status[data-status="saved"]');
		await waitFor(async () => JSON.stringify(await pageParagraphs(bob)) === JSON.stringify(['第一段：交地滞后', '第二段：资金缺口𠮷']), 'Bob sees the two paragraphs');
	}
	expect(link.opened).toBeGreaterThanOrEqual(3);
	// A fresh load in Alice's browser too.
	await alice.reload();
	await alice.waitForSelector('.status[data-status="saved"]');
	expect(await pageParagraphs(alice)).toEqual(['第一段：交地滞后', '第二段：资金缺口𠮷']);
	expect(await storedParagraphs(f.server, f.alice, docId)).toEqual(['第一段：交地滞后', '第二段：资金缺口𠮷']);
	// Not one change was stored by any of the opens (no new client, no clock moved).
	expect(await storedStateVector(docId)).toEqual(before);
	await alice.context().close();
	await bob.context().close();
});

test('opening an empty document writes nothing either; the first keystroke writes the first line', async () => {
	const docId = await createDocument(f.server.url, f.alice, '空文档');
	const before = await storedStateVector(docId);
	const { page } = await signedInPage(browser, f.server.url, aliceAccount.username, aliceAccount.password);
	await openDocument(page, f.server.url, docId);
	await page.reload();
	await page.waitForSelector('.status[data-status="saved"]');
	expect(await storedStateVector(docId)).toEqual(before);
	await placeCaret(page, 0, 0);
	await page.keyboard.type('首行');
	await page.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => JSON.stringify(await storedParagraphs(f.server, f.alice, docId)) === JSON.stringify(['首行']), 'the first line is stored');
	await page.context().close();
});
