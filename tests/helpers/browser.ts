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
	watchErrors(page);
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

/**
 * Puts the caret `offset` characters into the paragraph with `blockId` ('end': at its end) and, with
 * `select`, selects that many characters before it, by a click and the keyboard as a person does;
 * then checks the editor took exactly that (a click can land on someone's caret label on a busy
 * machine), trying again if not.
 */
export async function caretInParagraph(page: Page, blockId: string, offset: number | 'end', select = 0): Promise<void> {
	/** The editor's selection, and whether it is the one asked for (runs in the page). */
	const where = ({ blockId, offset, select }: { blockId: string; offset: number | 'end'; select: number }) => {
		type Pos = { parent: { attrs: Record<string, unknown>; textContent: string }; start(): number; end(): number };
		const root = document.querySelector('.ProseMirror') as (HTMLElement & { editor?: { state: { selection: { from: number; to: number; $from: Pos } } } }) | null;
		const sel = root?.editor?.state.selection;
		if (sel === undefined) return { took: false, seen: 'no editor' };
		const caret = offset === 'end' ? sel.$from.end() : sel.$from.start() + offset;
		const took = sel.$from.parent.attrs.blockId === blockId && sel.to === caret && sel.from === caret - select;
		return { took, seen: `${sel.from}-${sel.to} in ${String(sel.$from.parent.attrs.blockId)} from ${sel.$from.start()} “${sel.$from.parent.textContent}”` };
	};
	const args = { blockId, offset, select };
	const seen: string[] = [];
	for (let attempt = 0; attempt < 4; attempt++) {
		await page.click(`.ProseMirror [data-block-id="${blockId}"]`);
		await page.keyboard.press(offset === 'end' ? 'End' : 'Home');
		if (offset !== 'end') for (let i = 0; i < offset; i++) await page.keyboard.press('ArrowRight');
		for (let i = 0; i < select; i++) await page.keyboard.press('Shift+ArrowLeft');
		// The editor takes the browser's selection on `selectionchange`, a moment after the last key.
		const deadline = Date.now() + 3000;
		let state = await page.evaluate(where, args);
		while (!state.took && Date.now() < deadline) {
			await page.waitForTimeout(50);
			state = await page.evaluate(where, args);
		}
		if (state.took) return;
		seen.push(state.seen);
	}
	throw new Error(`could not put the caret in ${blockId}: the editor had ${seen.join('; ')}`);
}

const uncaught = new WeakMap<Page, string[]>();

/** Records the page's uncaught errors (an effect loop, a failed render): see `uncaughtErrors`. */
export function watchErrors(page: Page): void {
	const list: string[] = [];
	uncaught.set(page, list);
	page.on('pageerror', (err) => list.push(String(err)));
}

/** The uncaught errors a watched page has had so far. */
export const uncaughtErrors = (page: Page): string[] => uncaught.get(page) ?? [];
