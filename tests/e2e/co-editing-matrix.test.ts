import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { api } from '../helpers/api.js';
import { launchBrowser, openDocument, signedInPage } from '../helpers/browser.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { Ime, pageParagraphs, placeCaret, storedParagraphs } from '../helpers/co-editing.js';
import { createBreakout, putMember } from '../helpers/conference.js';
import { type Fixture, aliceAccount, bobAccount, startWithUsers } from '../helpers/fixture.js';
import { Link } from '../helpers/link.js';

/**
 * Two people in one paragraph, in every arrangement: one person types, composes pinyin (at the start,
 * middle or end), deletes, pastes, splits the line (Enter) or joins it to the line above (Backspace at
 * its start), while the other types or composes elsewhere in the same paragraph — one after the other
 * on a live link, and crossing (both act before either hears of the other). Each case ends with both
 * editors and a fresh reader of the server holding the same text, the one an ordinary editor would
 * give; then each person types once more, which lands at their caret, and a reload shows the same.
 */

const first = '征地拆迁滞后，';
const line = '县级配套资金𠮷到位。';

/** A character of the expected text, with the id that lets both people's edits find their place. */
interface Ch {
	ch: string;
	id: number;
}
type Model = Ch[][];
/** A place between characters: after one, or before one (at a line's start). */
type Anchor = { after: number } | { before: number };

function modelOf(lines: string[]): Model {
	let id = 0;
	return lines.map((l) => [...l].map((ch) => ({ ch, id: ++id })));
}

function locate(m: Model, id: number): { p: number; i: number } {
	for (let p = 0; p < m.length; p++) {
		const i = m[p].findIndex((c) => c.id === id);
		if (i >= 0) return { p, i };
	}
	throw new Error(`no character ${id}`);
}

function anchorAt(m: Model, p: number, off: number): Anchor {
	return off === 0 ? { before: m[p][0].id } : { after: m[p][off - 1].id };
}

function place(m: Model, a: Anchor): { p: number; i: number } {
	if ('after' in a) {
		const at = locate(m, a.after);
		return { p: at.p, i: at.i + 1 };
	}
	return locate(m, a.before);
}

let nextId = 1000;

/** What one person does, on the text everyone had before (positions in characters). */
type Action =
	| { kind: 'type'; p: number; off: number; text: string }
	| { kind: 'compose'; p: number; off: number; pinyin: string; text: string }
	| { kind: 'delete'; p: number; off: number; length: number }
	| { kind: 'paste'; p: number; off: number; text: string }
	| { kind: 'split'; p: number; off: number }
	| { kind: 'join'; p: number };

/** The effect of an action on the expected text, and where its author's caret ends up. */
function effect(m0: Model, a: Action): (m: Model) => Anchor {
	switch (a.kind) {
		case 'type':
		case 'compose':
		case 'paste': {
			const at = anchorAt(m0, a.p, a.off);
			return (m) => {
				const { p, i } = place(m, at);
				const chars = [...a.text].map((ch) => ({ ch, id: nextId++ }));
				m[p].splice(i, 0, ...chars);
				return { after: chars[chars.length - 1].id };
			};
		}
		case 'delete': {
			const ids = m0[a.p].slice(a.off - a.length, a.off).map((c) => c.id);
			const before = anchorAt(m0, a.p, a.off - a.length);
			return (m) => {
				for (const id of ids) {
					const at = locate(m, id);
					m[at.p].splice(at.i, 1);
				}
				return 'after' in before ? before : { before: m0[a.p][a.off].id };
			};
		}
		case 'split': {
			const at = anchorAt(m0, a.p, a.off);
			return (m) => {
				const { p, i } = place(m, at);
				m.splice(p + 1, 0, m[p].splice(i));
				return { before: m[p + 1][0].id };
			};
		}
		case 'join': {
			const head = m0[a.p][0].id;
			const end = m0[a.p - 1][m0[a.p - 1].length - 1].id;
			return (m) => {
				const { p } = locate(m, head);
				const joined = m.splice(p, 1)[0];
				m[p - 1].push(...joined);
				// A caret sticks to the character on its left.
				return { after: end };
			};
		}
	}
}

/** Does `a` on `page`; an open composition of the other person goes on meanwhile. */
async function perform(page: Page, ime: Ime, a: Action): Promise<void> {
	const units = (p: number, off: number) => [...(p === 0 ? first : line)].slice(0, off).join('').length;
	switch (a.kind) {
		case 'type':
			await placeCaret(page, a.p, units(a.p, a.off));
			await page.keyboard.type(a.text);
			return;
		case 'compose':
			await placeCaret(page, a.p, units(a.p, a.off));
			await ime.spell(a.pinyin);
			await ime.commit(a.text);
			return;
		case 'delete':
			await placeCaret(page, a.p, units(a.p, a.off));
			for (let i = 0; i < a.length; i++) await page.keyboard.press('Backspace');
			return;
		case 'paste':
			await placeCaret(page, a.p, units(a.p, a.off));
			await page.evaluate((text) => {
				const data = new DataTransfer();
				data.setData('text/plain', text);
				document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
			}, a.text);
			return;
		case 'split':
			await placeCaret(page, a.p, units(a.p, a.off));
			await page.keyboard.press('Enter');
			return;
		case 'join':
			await placeCaret(page, a.p, 0);
			await page.keyboard.press('Backspace');
	}
}

const texts = (m: Model) => m.map((l) => l.map((c) => c.ch).join(''));

let f: Fixture;
let browser: Browser;
let breakoutId: string;
const people = {} as { alice: Page; bob: Page; bobLink: Link; aliceIme: Ime; bobIme: Ime };

beforeAll(async () => {
	f = await startWithUsers();
	const conference = (await api(f.server.url, 'POST', '/api/conferences', { cookie: f.admin.cookie, body: { title: '协同编辑测试会' } })).body;
	breakoutId = await createBreakout(f.server.url, f.admin, conference.id, '交通组');
	for (const who of [f.alice, f.bob]) await putMember(f.server.url, f.admin, conference.id, who.userId, { role: 'participant', breakoutIds: [breakoutId] });
	browser = await launchBrowser();
	people.alice = (await signedInPage(browser, f.server.url, aliceAccount.username, aliceAccount.password)).page;
	people.bob = (await signedInPage(browser, f.server.url, bobAccount.username, bobAccount.password)).page;
	people.bobLink = await Link.on(people.bob);
	people.aliceIme = await Ime.on(people.alice);
	people.bobIme = await Ime.on(people.bob);
});

afterAll(async () => {
	await browser?.close();
	await f?.server.stop();
	f?.server.removeData();
});

/** A breakout document holding `lines` as paragraphs with block ids, open in both browsers. */
async function documentWith(lines: string[]): Promise<string> {
	const doc = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: '同段协作', kind: 'notes', breakoutId } })).body;
	const writer = await syncedClient(f.server.wsUrl, doc.id, f.alice.cookie);
	writer.doc.transact(() => {
		writer.doc.getXmlFragment('default').insert(
			0,
			lines.map((l, i) => {
				const p = new Y.XmlElement('paragraph');
				p.setAttribute('blockId', `seed-line-${i}`);
				p.insert(0, [new Y.XmlText(l)]);
				return p;
			})
		);
	});
	await waitFor(async () => JSON.stringify(await storedParagraphs(f.server, f.alice, doc.id)) === JSON.stringify(lines), 'the seed is stored');
	writer.destroy();
	await Promise.all([openDocument(people.alice, f.server.url, doc.id), openDocument(people.bob, f.server.url, doc.id)]);
	await waitFor(async () => JSON.stringify(await pageParagraphs(people.bob)) === JSON.stringify(lines), 'Bob has the text');
	return doc.id;
}

/** Both editors and a fresh reader show `expected`; nothing of the pinyin is left anywhere. */
async function agree(docId: string, expected: string[]): Promise<void> {
	let seen: unknown = null;
	await waitFor(async () => {
		seen = { alice: await pageParagraphs(people.alice), bob: await pageParagraphs(people.bob) };
		const s = seen as { alice: string[]; bob: string[] };
		return JSON.stringify(s.alice) === JSON.stringify(expected) && JSON.stringify(s.bob) === JSON.stringify(expected);
	}, 'both editors to agree', 15_000).catch((err) => {
		throw new Error(`${(err as Error).message}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(seen)}`);
	});
	await people.alice.waitForSelector('.status[data-status="saved"]');
	await people.bob.waitForSelector('.status[data-status="saved"]');
	const stored = await storedParagraphs(f.server, f.alice, docId);
	expect(stored).toEqual(expected);
	expect(stored.join('')).not.toMatch(/[a-z]/);
}

type Second = 'types' | 'composes';
type Mode = 'live' | 'crossing';

/**
 * Alice does `a` while Bob, at (p, off), types or composes. Live: Bob's caret is set first and he acts
 * after Alice's change reached him (composing: his composition is open throughout). Crossing: neither
 * hears of the other until both have acted.
 */
async function play(a: Action, bobAt: { p: number; off: number }, second: Second, mode: Mode): Promise<void> {
	nextId = 1000;
	const docId = await documentWith([first, line]);
	const m0 = modelOf([first, line]);
	const bobText = second === 'types' ? '乙方' : '乙方单位';
	const bobAction: Action =
		second === 'types' ? { kind: 'type', ...bobAt, text: bobText } : { kind: 'compose', ...bobAt, pinyin: 'yifang', text: bobText };
	const expected = modelOf([first, line]);
	const aliceCaret = effect(m0, a)(expected);
	const bobCaret = effect(m0, bobAction)(expected);

	const bob = people.bob;
	const units = [...line].slice(0, bobAt.off).join('').length;
	const bobP = bobAt.p;
	await placeCaret(bob, bobP, bobP === 0 ? [...first].slice(0, bobAt.off).join('').length : units);
	if (mode === 'crossing') people.bobLink.hold();
	if (second === 'composes') await people.bobIme.spell('yifa');
	await perform(people.alice, people.aliceIme, a);
	await people.alice.waitForSelector('.status[data-status="saved"]');
	if (second === 'composes') {
		await people.bobIme.compose('yifang');
		await people.bobIme.commit(bobText);
	} else {
		if (mode === 'live') await waitFor(async () => JSON.stringify(await pageParagraphs(people.alice)) === JSON.stringify(await pageParagraphs(bob)), 'Bob has Alice\'s change');
		await bob.keyboard.type(bobText);
	}
	if (mode === 'crossing') people.bobLink.release();
	await agree(docId, texts(expected));

	// Each person's caret is where their own edit left it: the next keystroke lands there.
	const insertAt = (m: Model, at: Anchor, ch: string) => {
		const { p, i } = place(m, at);
		m[p].splice(i, 0, { ch, id: nextId++ });
	};
	await people.alice.keyboard.type('甲');
	insertAt(expected, aliceCaret, '甲');
	await agree(docId, texts(expected));
	await bob.keyboard.type('丙');
	insertAt(expected, bobCaret, '丙');
	await agree(docId, texts(expected));
	// And a fresh load of the page shows the same.
	await bob.reload();
	await bob.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => JSON.stringify(await pageParagraphs(bob)) === JSON.stringify(texts(expected)), 'the reloaded page shows it');
}

// Bob in the second line at its start, middle or end; Alice before or after him in the same line.
const arrangements: Array<{ name: string; bob: number; alice: number }> = [
	{ name: 'Bob at the start, Alice after him', bob: 0, alice: 7 },
	{ name: 'Bob in the middle, Alice before him', bob: 4, alice: 2 },
	{ name: 'Bob in the middle, Alice after him', bob: 4, alice: 8 },
	{ name: 'Bob at the end, Alice before him', bob: 10, alice: 3 }
];

const actions: Array<{ name: string; at: (off: number) => Action }> = [
	{ name: 'types', at: (off) => ({ kind: 'type', p: 1, off, text: '加快𠮷' }) },
	{ name: 'composes', at: (off) => ({ kind: 'compose', p: 1, off, pinyin: 'jiakuai', text: '加快' }) },
	{ name: 'deletes two characters', at: (off) => ({ kind: 'delete', p: 1, off, length: 2 }) },
	{ name: 'pastes', at: (off) => ({ kind: 'paste', p: 1, off, text: '（已核实）' }) },
	{ name: 'splits the line (Enter)', at: (off) => ({ kind: 'split', p: 1, off }) }
];

const variants: Array<{ second: Second; mode: Mode }> = [
	{ second: 'types', mode: 'live' },
	{ second: 'types', mode: 'crossing' },
	{ second: 'composes', mode: 'live' }
];

for (const v of variants) {
	describe(`Bob ${v.second} (${v.mode})`, () => {
		for (const action of actions) {
			for (const arr of arrangements) {
				test(`Alice ${action.name}; ${arr.name}`, async () => {
					await play(action.at(arr.alice), { p: 1, off: arr.bob }, v.second, v.mode);
				});
			}
		}
		for (const bob of [0, 4, 10]) {
			test(`Alice joins the line to the one above (Backspace at its start); Bob in that line at ${bob}`, async () => {
				await play({ kind: 'join', p: 1 }, { p: 1, off: bob }, v.second, v.mode);
			});
		}
	});
}
