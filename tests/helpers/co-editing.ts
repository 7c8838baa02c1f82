import type { CDPSession, Page } from 'playwright-core';
import * as Y from 'yjs';
import type { Session } from './api.js';
import { syncedClient, waitFor } from './clients.js';
import type { TestServer } from './server.js';

/** The text of every top-level block of the page's editor, without the caret labels of other people. */
export function pageParagraphs(page: Page): Promise<string[]> {
	return page.evaluate(() => {
		const root = document.querySelector('.ProseMirror');
		if (root === null) return [];
		return [...root.children].map((el) => {
			const copy = el.cloneNode(true) as HTMLElement;
			for (const label of copy.querySelectorAll('.collaboration-carets__label')) label.remove();
			return copy.textContent ?? '';
		});
	});
}

/** The text of every top-level block of the document as the server stores it, read by a fresh client. */
export async function storedParagraphs(server: TestServer, session: Session, docId: string): Promise<string[]> {
	const reader = await syncedClient(server.wsUrl, docId, session.cookie);
	try {
		return topLevelTexts(reader.doc);
	} finally {
		reader.destroy();
	}
}

/** The text of each top-level element of the editor's fragment. */
export function topLevelTexts(doc: Y.Doc): string[] {
	const text = (node: Y.XmlElement | Y.XmlText): string =>
		node instanceof Y.XmlText ? node.toDelta().map((d: { insert: unknown }) => (typeof d.insert === 'string' ? d.insert : '')).join('') : node.toArray().map((c) => text(c as Y.XmlElement | Y.XmlText)).join('');
	return doc
		.getXmlFragment('default')
		.toArray()
		.map((n) => text(n as Y.XmlElement | Y.XmlText));
}

/**
 * Puts the caret of `page` into top-level block `index` at `offset` (UTF-16 units of its text), the way
 * a click would: through the DOM selection, which the editor reads; returns once the editor has it.
 */
export async function placeCaret(page: Page, index: number, offset: number): Promise<void> {
	// A selection set while the editor redraws (a remote change arriving) can be lost: set it again then,
	// as a person would click again.
	for (let attempt = 1; ; attempt++) {
		try {
			return await setCaret(page, index, offset);
		} catch (err) {
			if (attempt === 5) throw err;
		}
	}
}

async function setCaret(page: Page, index: number, offset: number): Promise<void> {
	const target = await page.evaluate(
		([i, off]) => {
			const root = document.querySelector('.ProseMirror') as HTMLElement & { editor: { view: { posAtDOM(n: Node, o: number): number } } };
			root.focus();
			const block = root.children[i];
			const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
				acceptNode: (n) => (n.parentElement?.closest('.collaboration-carets__caret') ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT)
			});
			let left = off;
			let at: { node: Node; offset: number } = { node: block, offset: 0 };
			for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
				const len = node.textContent?.length ?? 0;
				at = { node, offset: Math.min(left, len) };
				if (left <= len) break;
				left -= len;
			}
			const range = document.createRange();
			range.setStart(at.node, at.offset);
			range.collapse(true);
			const sel = window.getSelection()!;
			sel.removeAllRanges();
			sel.addRange(range);
			return root.editor.view.posAtDOM(at.node, at.offset);
		},
		[index, offset] as const
	);
	// The editor takes the DOM selection on `selectionchange`.
	await page.waitForFunction((pos) => {
		const root = document.querySelector('.ProseMirror') as (HTMLElement & { editor: { state: { selection: { from: number; to: number } } } }) | null;
		const sel = root?.editor.state.selection;
		return sel !== undefined && sel.from === pos && sel.to === pos;
	}, target, { timeout: 5000 });
}

/** An IME on `page`: composes pinyin letter by letter and commits Chinese text, as Chromium's IME events do. */
export class Ime {
	private constructor(private readonly cdp: CDPSession) {}

	static async on(page: Page): Promise<Ime> {
		return new Ime(await page.context().newCDPSession(page));
	}

	/** Sets the composition text (unfinished pinyin), caret at its end. */
	async compose(text: string): Promise<void> {
		await this.cdp.send('Input.imeSetComposition', { text, selectionStart: text.length, selectionEnd: text.length });
	}

	/** Types `pinyin` letter by letter into an open composition, calling `between` after letter `at`. */
	async spell(pinyin: string, between?: { at: number; run: () => Promise<void> }): Promise<void> {
		for (let i = 1; i <= pinyin.length; i++) {
			await this.compose(pinyin.slice(0, i));
			if (between?.at === i) await between.run();
		}
	}

	/** Commits the composition with `text` (the candidate chosen). */
	async commit(text: string): Promise<void> {
		await this.cdp.send('Input.insertText', { text });
	}
}

/** Waits until both pages show `expected` and the server stores it; returns what the server has. */
export async function converged(pages: Page[], server: TestServer, session: Session, docId: string, expected: string[]): Promise<void> {
	let last: string[][] = [];
	try {
		await waitFor(async () => {
			last = await Promise.all(pages.map(pageParagraphs));
			return last.every((p) => JSON.stringify(p) === JSON.stringify(expected));
		}, 'both editors show the expected text', 15_000);
	} catch (err) {
		throw new Error(`${(err as Error).message}: expected ${JSON.stringify(expected)}, pages have ${JSON.stringify(last)}`);
	}
	for (const page of pages) await page.waitForSelector('.status[data-status="saved"]');
	let stored: string[] = [];
	try {
		await waitFor(async () => {
			stored = await storedParagraphs(server, session, docId);
			return JSON.stringify(stored) === JSON.stringify(expected);
		}, 'the server to store the expected text');
	} catch (err) {
		throw new Error(`${(err as Error).message}: expected ${JSON.stringify(expected)}, the server has ${JSON.stringify(stored)}`);
	}
}
