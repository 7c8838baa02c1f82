import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import * as Y from 'yjs';
import { api } from './api.js';
import { launchBrowser, openDocument, signedInPage } from './browser.js';
import { syncedClient, waitFor } from './clients.js';
import { Ime, pageParagraphs, storedParagraphs } from './co-editing.js';
import { createBreakout, newMember, putMember } from './conference.js';
import { type Fixture, aliceAccount, bobAccount, startWithUsers } from './fixture.js';
import { Link } from './link.js';

/**
 * Co-editing arrangements beyond the matrix (co-editing-matrix.test.ts): three people of one breakout
 * (Alice, Bob, Carol) in Chromium, each page behind a Link the test can hold, Bob with an IME.
 */
export interface Arrangements {
	f: Fixture;
	breakoutId: string;
	alice: Page;
	bob: Page;
	carol: Page;
	aliceLink: Link;
	bobLink: Link;
	carolLink: Link;
	bobIme: Ime;
}

/** Per file: a server, a breakout with the three as participants, and their pages (filled in before the tests). */
export function useArrangements(): Arrangements {
	const a = {} as Arrangements;
	let browser: Browser | null = null;
	beforeAll(async () => {
		a.f = await startWithUsers();
		const conference = (await api(a.f.server.url, 'POST', '/api/conferences', { cookie: a.f.admin.cookie, body: { title: '协同编辑复核会' } })).body;
		a.breakoutId = await createBreakout(a.f.server.url, a.f.admin, conference.id, '交通组');
		const carol = await newMember(a.f.server.url, a.f.admin, 'carol', '赵敏', '某市交通局');
		for (const who of [a.f.alice, a.f.bob, carol]) await putMember(a.f.server.url, a.f.admin, conference.id, who.userId, { role: 'participant', breakoutIds: [a.breakoutId] });
		browser = await launchBrowser();
		a.alice = (await signedInPage(browser, a.f.server.url, aliceAccount.username, aliceAccount.password)).page;
		a.bob = (await signedInPage(browser, a.f.server.url, bobAccount.username, bobAccount.password)).page;
		a.carol = (await signedInPage(browser, a.f.server.url, 'carol', 'carol-password')).page;
		a.aliceLink = await Link.on(a.alice);
		a.bobLink = await Link.on(a.bob);
		a.carolLink = await Link.on(a.carol);
		a.bobIme = await Ime.on(a.bob);
	});
	afterAll(async () => {
		await browser?.close();
		await a.f?.server.stop();
		a.f?.server.removeData();
	});
	return a;
}

/** UTF-16 units of the first `chars` characters of `text` (𠮷 is two). */
export const units = (text: string, chars: number) => [...text].slice(0, chars).join('').length;

/** A top-level block of a seeded document: a paragraph of `text`, or another element. */
export type Seed = string | { node: string; text: string; attrs?: Record<string, unknown> };

/** A breakout document holding `blocks` (with block ids), stored, and open on `pages`. */
export async function documentWith(a: Arrangements, blocks: Seed[], pages: Page[]): Promise<string> {
	const doc = (await api(a.f.server.url, 'POST', '/api/documents', { cookie: a.f.alice.cookie, body: { title: '同段协作复核', kind: 'notes', breakoutId: a.breakoutId } })).body;
	const writer = await syncedClient(a.f.server.wsUrl, doc.id, a.f.alice.cookie);
	const texts = blocks.map((b) => (typeof b === 'string' ? b : b.text));
	writer.doc.transact(() => {
		writer.doc.getXmlFragment('default').insert(
			0,
			blocks.map((b, i) => {
				const seed = typeof b === 'string' ? { node: 'paragraph', text: b } : b;
				const el = new Y.XmlElement(seed.node);
				el.setAttribute('blockId', `seed-block-${i}`);
				for (const [k, v] of Object.entries(seed.attrs ?? {})) el.setAttribute(k, v as string);
				el.insert(0, [new Y.XmlText(seed.text)]);
				return el;
			})
		);
	});
	await waitFor(async () => JSON.stringify(await storedParagraphs(a.f.server, a.f.alice, doc.id)) === JSON.stringify(texts), 'the seed is stored');
	writer.destroy();
	await Promise.all(pages.map((p) => openDocument(p, a.f.server.url, doc.id)));
	for (const p of pages) await waitFor(async () => JSON.stringify(await pageParagraphs(p)) === JSON.stringify(texts), 'every page has the text');
	return doc.id;
}

/**
 * Every page and a fresh reader show `expected` and no Latin letters are stored; at the end of a case
 * (`reload`), a reload of the last page shows it too.
 */
export async function agree(a: Arrangements, docId: string, pages: Page[], expected: string[], reload = true): Promise<void> {
	let seen: string[][] = [];
	await waitFor(async () => {
		seen = await Promise.all(pages.map(pageParagraphs));
		return seen.every((s) => JSON.stringify(s) === JSON.stringify(expected));
	}, 'every editor to show the expected text', 15_000).catch(async (err) => {
		const stored = await storedParagraphs(a.f.server, a.f.alice, docId);
		throw new Error(`${(err as Error).message}: expected ${JSON.stringify(expected)}, pages show ${JSON.stringify(seen)}, the server has ${JSON.stringify(stored)}`);
	});
	for (const p of pages) await p.waitForSelector('.status[data-status="saved"]');
	const stored = await storedParagraphs(a.f.server, a.f.alice, docId);
	expect(stored).toEqual(expected);
	expect(stored.join('')).not.toMatch(/[a-z]/i);
	if (!reload) return;
	const last = pages[pages.length - 1];
	await last.reload();
	await last.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => JSON.stringify(await pageParagraphs(last)) === JSON.stringify(expected), 'the reloaded page shows it');
}

/** Selects from (block, UTF-16 offset) to (block, offset) as a drag of the mouse would; returns once the editor has it. */
export async function selectRange(page: Page, from: [number, number], to: [number, number]): Promise<void> {
	const [x, y] = await page.evaluate(
		([fp, fo, tp, to_]) => {
			const root = document.querySelector('.ProseMirror') as HTMLElement & { editor: { view: { posAtDOM(n: Node, o: number): number } } };
			root.focus();
			const at = (i: number, off: number) => {
				const walker = document.createTreeWalker(root.children[i], NodeFilter.SHOW_TEXT, {
					acceptNode: (n) => (n.parentElement?.closest('.collaboration-carets__caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT)
				});
				let left = off;
				let found: { node: Node; offset: number } = { node: root.children[i], offset: 0 };
				for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
					const len = node.textContent?.length ?? 0;
					found = { node, offset: Math.min(left, len) };
					if (left <= len) break;
					left -= len;
				}
				return found;
			};
			const s = at(fp, fo);
			const e = at(tp, to_);
			window.getSelection()!.setBaseAndExtent(s.node, s.offset, e.node, e.offset);
			return [root.editor.view.posAtDOM(s.node, s.offset), root.editor.view.posAtDOM(e.node, e.offset)];
		},
		[from[0], from[1], to[0], to[1]] as const
	);
	await page.waitForFunction(
		([p, q]) => {
			const root = document.querySelector('.ProseMirror') as (HTMLElement & { editor: { state: { selection: { from: number; to: number } } } }) | null;
			const sel = root?.editor.state.selection;
			return sel !== undefined && sel.from === Math.min(p, q) && sel.to === Math.max(p, q);
		},
		[x, y] as const,
		{ timeout: 5000 }
	);
}

/** Pastes plain `text` (lines separated by \n) at the caret, as Ctrl+V of copied text does. */
export async function pastePlain(page: Page, text: string): Promise<void> {
	await page.evaluate((t) => {
		const data = new DataTransfer();
		data.setData('text/plain', t);
		document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
	}, text);
}
