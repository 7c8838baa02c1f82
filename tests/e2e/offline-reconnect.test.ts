import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { editorText, launchBrowser, openDocument, signedInPage } from '../helpers/browser.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { type Fixture, aliceAccount, startWithUsers } from '../helpers/fixture.js';
import type { TestServer } from '../helpers/server.js';

let f: Fixture;
let server: TestServer;
let browser: Browser;
let alice: Page;

beforeAll(async () => {
	f = await startWithUsers();
	server = f.server;
	browser = await launchBrowser();
	alice = (await signedInPage(browser, f.server.url, aliceAccount.username, aliceAccount.password)).page;
});

afterAll(async () => {
	await browser?.close();
	await server.stop();
	server.removeData();
});

test('server stopped while typing: the browser reconnects by itself and nothing typed is lost', async () => {
	const docId = await createDocument(f.server.url, f.alice, '断线重连测试');
	await openDocument(alice, f.server.url, docId);
	await alice.click('.ProseMirror');
	await alice.keyboard.type('在线输入；');
	await alice.waitForSelector('.status[data-status="saved"]');

	await server.kill();
	await alice.waitForSelector('.status[data-status="reconnecting"]');
	await alice.keyboard.type('离线输入𠮷');
	// Offline edits are not reported as saved.
	await waitFor(async () => (await alice.textContent('.status'))?.includes('未保存') ?? false, 'offline status');

	server = await server.restart();
	await alice.waitForSelector('.status[data-status="saved"]', { timeout: 30_000 });
	expect(await editorText(alice)).toBe('在线输入；离线输入𠮷');

	const reader = connectClient(server.wsUrl, docId, f.bob.cookie);
	try {
		await waitFor(() => reader.provider.synced, 'reader synced');
		const fragment = reader.doc.getXmlFragment('default').toString();
		expect(fragment).toContain('在线输入；离线输入𠮷');
	} finally {
		reader.destroy();
	}
});

test('a signed-out session is sent to the sign-in page instead of retrying forever', async () => {
	const docId = await createDocument(server.url, f.alice, '会话失效测试');
	await openDocument(alice, server.url, docId);
	await alice.evaluate(() => fetch('/api/auth/logout', { method: 'POST' }));
	await alice.waitForURL(/\/login\?next=/);
});
