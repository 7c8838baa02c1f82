import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { openDocument } from '../helpers/browser.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { pageParagraphs, placeCaret, storedParagraphs } from '../helpers/co-editing.js';
import { agree, documentWith, selectRange, units, useArrangements } from '../helpers/arrangements.js';

/**
 * Review of issue 12 (outside attack): co-editing arrangements the matrix (co-editing-matrix.test.ts)
 * does not have, that fail today. Each case states the text an ordinary editor would give: every
 * editor and a fresh reader of the server end with it, nothing lost, nothing doubled, no Latin
 * letters; a reload shows the same.
 */
const a = useArrangements();
const first = '征地拆迁滞后，';
const line = '县级配套资金𠮷到位。';

test('Alice selects from the middle of one line into the middle of the next and deletes, while Bob types later in the second line (crossing): Bob’s text is kept', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 6));
	a.bobLink.hold();
	await a.bob.keyboard.type('乙方');
	await selectRange(a.alice, [0, units(first, 4)], [1, units(line, 2)]);
	await a.alice.keyboard.press('Backspace');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	a.bobLink.release();
	await agree(a, docId, [a.alice, a.bob], ['征地拆迁配套资金乙方𠮷到位。']);
});

test('Alice selects across the line break and deletes after Bob’s text reached her (live): Bob’s next keystroke lands at his caret', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 6));
	await a.bob.keyboard.type('乙方');
	await waitFor(async () => (await pageParagraphs(a.alice))[1] === '县级配套资金乙方𠮷到位。', 'Alice has Bob’s text');
	await selectRange(a.alice, [0, units(first, 4)], [1, units(line, 2)]);
	await a.alice.keyboard.press('Backspace');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => (await pageParagraphs(a.bob)).length === 1, 'Bob has the deletion');
	await a.bob.keyboard.type('丙');
	await agree(a, docId, [a.alice, a.bob], ['征地拆迁配套资金乙方丙𠮷到位。']);
});

test('Alice, offline, joins the line Bob types in; Bob’s text reached the server before her join: Bob’s text is kept', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 6));
	a.aliceLink.hold();
	await a.bob.keyboard.type('乙方');
	await a.bob.waitForSelector('.status[data-status="saved"]');
	// Alice has not heard of Bob's text when she presses Backspace at the start of his line.
	await placeCaret(a.alice, 1, 0);
	await a.alice.keyboard.press('Backspace');
	a.aliceLink.release();
	await agree(a, docId, [a.alice, a.bob], [`${first}县级配套资金乙方𠮷到位。`]);
});

test('Ctrl+Z after someone else joined my line to the one above undoes my typing (README: undo undoes only your own changes)', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.alice, 1, units(line, 10));
	await a.alice.keyboard.type('甲方');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	await waitFor(async () => (await pageParagraphs(a.bob))[1] === `${line}甲方`, 'Bob has Alice’s text');
	await placeCaret(a.bob, 1, 0);
	await a.bob.keyboard.press('Backspace');
	await waitFor(async () => (await pageParagraphs(a.alice)).length === 1, 'Alice has the join');
	await a.alice.keyboard.press('Control+z');
	await agree(a, docId, [a.alice, a.bob], [`${first}${line}`]);
});

test('a composition left open past the 30 s guard leaves no pinyin in the document, and Alice’s text is kept', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 4));
	await a.bobIme.spell('yifa');
	await placeCaret(a.alice, 1, units(line, 8));
	await a.alice.keyboard.type('甲方');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	// Bob thinks for a while; the guard ends his composition so that Alice's change can reach him.
	await waitFor(async () => (await pageParagraphs(a.bob))[1]?.includes('甲方') ?? false, 'Alice’s text reaches Bob after the guard', 45_000);
	await agree(a, docId, [a.alice, a.bob], [first, '县级配套资金𠮷到甲方位。']);
	// Bob's editor is whole again: he types, and composes, as before.
	await placeCaret(a.bob, 1, 0);
	await a.bob.keyboard.type('乙');
	await a.bobIme.spell('fang');
	await a.bobIme.commit('方');
	await agree(a, docId, [a.alice, a.bob], [first, '乙方县级配套资金𠮷到甲方位。']);
}, 90_000);

test('opening a document that ends with a heading writes nothing (not even a trailing empty paragraph)', async () => {
	const heading = { node: 'heading', text: '二、整改措施', attrs: { level: 2 } };
	const docId = await documentWith(a, [first, heading], []);
	const reader = await syncedClient(a.f.server.wsUrl, docId, a.f.alice.cookie);
	const before = Y.encodeStateVector(reader.doc);
	reader.destroy();
	// Two editors open it at about the same moment, as at the start of a session.
	await Promise.all([openDocument(a.alice, a.f.server.url, docId), openDocument(a.bob, a.f.server.url, docId)]);
	await waitFor(async () => (await pageParagraphs(a.bob))[1] === '二、整改措施', 'Bob sees the heading');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	await a.bob.waitForSelector('.status[data-status="saved"]');
	expect(await storedParagraphs(a.f.server, a.f.alice, docId)).toEqual([first, '二、整改措施']);
	const after = await syncedClient(a.f.server.wsUrl, docId, a.f.alice.cookie);
	const sv = Y.encodeStateVector(after.doc);
	after.destroy();
	expect(Buffer.from(sv).equals(Buffer.from(before)), 'no client wrote anything').toBe(true);
});
