import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { editorText, launchBrowser, openDocument, signedInPage } from '../helpers/browser.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { type Fixture, aliceAccount, startWithUsers } from '../helpers/fixture.js';
import type { TestServer } from '../helpers/server.js';

/**
 * What a person typed and the server never acknowledged survives the tab: the browser keeps its own
 * copy (IndexedDB), sends it when the document is opened again, and says so before the tab closes.
 * A connection that dies silently is noticed within seconds, and the reconnect can be hurried.
 */
let f: Fixture;
let server: TestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
	f = await startWithUsers();
	server = f.server;
	browser = await launchBrowser();
	context = (await signedInPage(browser, f.server.url, aliceAccount.username, aliceAccount.password)).context;
});

afterAll(async () => {
	await browser?.close();
	await server.stop();
	server.removeData();
});

const serverText = async (docId: string) => {
	const reader = await syncedClient(server.wsUrl, docId, f.bob.cookie);
	try {
		return reader.doc.getXmlFragment('default').toString();
	} finally {
		reader.destroy();
	}
};

/** Updates y-indexeddb has written for the document (its `updates` store), read inside the page. */
const storedUpdates = (page: import('playwright-core').Page, name: string) =>
	page.evaluate(
		(dbName) =>
			new Promise<number>((done) => {
				const open = indexedDB.open(dbName);
				open.onsuccess = () => {
					const db = open.result;
					if (!db.objectStoreNames.contains('updates')) return done(0);
					const count = db.transaction('updates').objectStore('updates').count();
					count.onsuccess = () => {
						done(count.result);
						db.close();
					};
				};
				open.onerror = () => done(-1);
			}),
		name
	);

test('typed offline, tab closed, server back, document opened again: nothing is lost, and closing the tab warned first', async () => {
	const docId = await createDocument(server.url, f.alice, '离线关闭标签页测试');
	const copy = `concord:${f.alice.userId}:${docId}`;
	const page = await context.newPage();
	await openDocument(page, server.url, docId);
	await page.click('.ProseMirror');
	await page.keyboard.type('在线输入；');
	await page.waitForSelector('.status[data-status="saved"]');

	await server.kill();
	await page.waitForSelector('.status[data-status="reconnecting"]');
	const before = await storedUpdates(page, copy);
	await page.keyboard.type('离线输入𠮷');
	await waitFor(async () => (await page.textContent('.status'))?.includes('未保存') ?? false, 'offline status');
	await waitFor(async () => (await storedUpdates(page, copy)) > before, 'the offline typing is in the browser copy');

	// Closing asks first, because the server has not acknowledged the typing.
	const asked = new Promise<string>((resolve) =>
		page.once('dialog', (d) => {
			resolve(d.type());
			void d.dismiss();
		})
	);
	await page.close({ runBeforeUnload: true });
	expect(await asked).toBe('beforeunload');
	expect(page.isClosed()).toBe(false);
	await page.close();

	server = await server.restart();
	const again = await context.newPage();
	await openDocument(again, server.url, docId);
	await again.waitForSelector('.status[data-status="saved"]', { timeout: 30_000 });
	expect(await editorText(again)).toBe('在线输入；离线输入𠮷');
	expect(await serverText(docId)).toContain('在线输入；离线输入𠮷');
	await again.close();
});

test('a connection that goes silent is noticed within seconds; 立即重连 does not wait for the countdown', async () => {
	const docId = await createDocument(server.url, f.alice, '静默断线测试');
	const page = await context.newPage();
	await openDocument(page, server.url, docId);
	await page.click('.ProseMirror');
	await page.keyboard.type('第一句。');
	await page.waitForSelector('.status[data-status="saved"]');

	// The process stops but its sockets stay open: nothing is closed, nothing arrives.
	server.pause();
	try {
		await page.keyboard.type('第二句。');
		await page.waitForSelector('.status[data-status="reconnecting"]', { timeout: 20_000 });
	} finally {
		server.resume();
	}
	await page.waitForSelector('.status[data-status="saved"]', { timeout: 30_000 });
	expect(await serverText(docId)).toContain('第一句。第二句。');

	// A refused connection backs off; 立即重连 tries at once: a new socket opens while the countdown
	// still has seconds to run (the server stays down, so no attempt of its own can succeed meanwhile).
	await server.kill();
	await page.keyboard.type('第三句。');
	const retry = page.locator('[data-testid="retry"]');
	await waitFor(async () => /([6-9]|\d\d) 秒后重连/.test((await retry.textContent().catch(() => '')) ?? ''), 'a countdown of six seconds or more', 40_000);
	const attempt = page.waitForEvent('websocket', { timeout: 4_000 });
	await retry.locator('button:has-text("立即重连")').click();
	await attempt;
	server = await server.restart();
	await page.waitForSelector('.status[data-status="saved"]', { timeout: 60_000 });
	expect(await serverText(docId)).toContain('第一句。第二句。第三句。');
	await page.close();
});
