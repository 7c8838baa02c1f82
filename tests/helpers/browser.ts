import { type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page, chromium } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { type Session, login } from './api.js';
import { type Fixture, aliceAccount, bobAccount, useUsers } from './fixture.js';
import { TestServer, adminPassword, adminUsername } from './server.js';

/** Debian's Chromium, never a downloaded browser. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(): Promise<Browser> {
	return chromium.launch({
		executablePath: chromiumPath,
		args: [
			'--no-sandbox',
			'--disable-gpu',
			'--disable-quic',
			'--no-first-run',
			'--disable-background-networking',
			'--disable-component-update',
			'--disable-sync'
		]
	});
}

/** A separate browser context (own cookies, no shared BroadcastChannel) signed in through the UI; `options` e.g. set its time zone. */
export async function signedInPage(
	browser: Browser,
	baseUrl: string,
	username: string,
	password: string,
	options: BrowserContextOptions = {}
): Promise<{ context: BrowserContext; page: Page }> {
	const context = await browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'zh-CN', ...options });
	const page = await context.newPage();
	await page.goto(`${baseUrl}/login`);
	await page.fill('input[name=username]', username);
	await page.fill('input[name=password]', password);
	await page.click('button[type=submit]');
	await page.waitForURL(`${baseUrl}/`);
	return { context, page };
}

/** The editor's text without the caret labels that collaboration carets put into the DOM. */
export function editorText(page: Page): Promise<string> {
	return page.evaluate(() => {
		const root = document.querySelector('.ProseMirror');
		if (root === null) return '';
		const copy = root.cloneNode(true) as HTMLElement;
		for (const label of copy.querySelectorAll('.collaboration-carets__label')) label.remove();
		return copy.textContent ?? '';
	});
}

/** The texts of the elements `locator` matches, without the caret labels of other people inside them. */
export function textsWithoutCarets(locator: Locator): Promise<string[]> {
	return locator.evaluateAll((els) =>
		els.map((el) => {
			const copy = el.cloneNode(true) as HTMLElement;
			for (const label of copy.querySelectorAll('.collaboration-carets__label')) label.remove();
			return copy.textContent ?? '';
		})
	);
}

export async function openDocument(page: Page, baseUrl: string, docId: string): Promise<void> {
	await page.goto(`${baseUrl}/d/${docId}`);
	await page.waitForSelector('.ProseMirror');
	// Editors see "saved", watchers "following".
	await page.waitForSelector('.status[data-status="saved"], .status[data-status="following"]');
}

/** Per file: a server with alice and bob, one browser, and each of them signed in in a separate context. */
export function useTwoBrowsers(): { f: Fixture; pages: { alice: Page; bob: Page } } {
	const f = useUsers();
	const pages = {} as { alice: Page; bob: Page };
	let browser: Browser | null = null;
	beforeAll(async () => {
		browser = await launchBrowser();
		pages.alice = (await signedInPage(browser, f.server.url, aliceAccount.username, aliceAccount.password)).page;
		pages.bob = (await signedInPage(browser, f.server.url, bobAccount.username, bobAccount.password)).page;
	});
	afterAll(async () => {
		await browser?.close();
	});
	return { f, pages };
}

export interface BrowserFixture {
	server: TestServer;
	browser: Browser;
	admin: Session;
}

/**
 * Per file: a fresh server, one browser and the administrator's API session, ready before the tests
 * (and `setUp`, when given, run after them); stopped and removed after.
 */
export function useServerAndBrowser(setUp?: (f: BrowserFixture) => Promise<void>): BrowserFixture {
	const f = {} as BrowserFixture;
	beforeAll(async () => {
		f.server = await TestServer.start();
		f.browser = await launchBrowser();
		f.admin = await login(f.server.url, adminUsername, adminPassword);
		await setUp?.(f);
	});
	afterAll(async () => {
		await f.browser?.close();
		await f.server?.stop();
		f.server?.removeData();
	});
	return f;
}
