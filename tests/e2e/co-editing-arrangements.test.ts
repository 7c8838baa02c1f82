import { test } from 'vitest';
import { placeCaret } from '../helpers/co-editing.js';
import { agree, documentWith, pastePlain, units, useArrangements } from '../helpers/arrangements.js';

/**
 * Co-editing arrangements beyond the matrix (co-editing-matrix.test.ts) that hold (review of issue
 * 12): a paste of several lines, Enter at a line's very start or end, three people, and a split that
 * reaches the server after the other's typing. Each ends with every editor, a fresh reader and a
 * reload holding the text an ordinary editor would give.
 */
const a = useArrangements();
const first = '征地拆迁滞后，';
const line = '县级配套资金𠮷到位。';

test('Alice pastes two lines into the middle of a line while Bob types later in it (crossing)', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 6));
	a.bobLink.hold();
	await a.bob.keyboard.type('乙方');
	await placeCaret(a.alice, 1, units(line, 2));
	await pastePlain(a.alice, '（一）\n（二）');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	a.bobLink.release();
	await agree(a, docId, [a.alice, a.bob], [first, '县级（一）', '（二）配套资金乙方𠮷到位。']);
});

test('Alice presses Enter at the very start of a line while Bob types in its middle (crossing); both type on at their carets', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 4));
	a.bobLink.hold();
	await a.bob.keyboard.type('乙方');
	await placeCaret(a.alice, 1, 0);
	await a.alice.keyboard.press('Enter');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	a.bobLink.release();
	await agree(a, docId, [a.alice, a.bob], [first, '', '县级配套乙方资金𠮷到位。'], false);
	await a.alice.keyboard.type('甲');
	await a.bob.keyboard.type('丙');
	await agree(a, docId, [a.alice, a.bob], [first, '', '甲县级配套乙方丙资金𠮷到位。']);
});

test('Alice presses Enter at the very end of a line and types while Bob types at its end (crossing)', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 10));
	a.bobLink.hold();
	await a.bob.keyboard.type('乙方');
	await placeCaret(a.alice, 1, units(line, 10));
	await a.alice.keyboard.press('Enter');
	await a.alice.keyboard.type('甲');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	a.bobLink.release();
	await agree(a, docId, [a.alice, a.bob], [first, `${line}乙方`, '甲']);
});

test('three people in one line: Alice splits it while Bob and Carol type after the split point (all crossing)', async () => {
	const pages = [a.alice, a.bob, a.carol];
	const docId = await documentWith(a, [first, line], pages);
	await placeCaret(a.bob, 1, units(line, 6));
	await placeCaret(a.carol, 1, units(line, 8));
	a.bobLink.hold();
	a.carolLink.hold();
	await a.bob.keyboard.type('乙方');
	await a.carol.keyboard.type('丙方');
	await placeCaret(a.alice, 1, units(line, 4));
	await a.alice.keyboard.press('Enter');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	a.bobLink.release();
	a.carolLink.release();
	await agree(a, docId, pages, [first, '县级配套', '资金乙方𠮷到丙方位。']);
});

test('Alice, offline, splits the line Bob types in; Bob’s text reached the server before her Enter', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 6));
	a.aliceLink.hold();
	await a.bob.keyboard.type('乙方');
	await a.bob.waitForSelector('.status[data-status="saved"]');
	await placeCaret(a.alice, 1, units(line, 4));
	await a.alice.keyboard.press('Enter');
	a.aliceLink.release();
	await agree(a, docId, [a.alice, a.bob], [first, '县级配套', '资金乙方𠮷到位。']);
});

test('a composition open while the server restarts: the chosen characters are stored once, no pinyin, Alice’s text kept', async () => {
	const docId = await documentWith(a, [first, line], [a.alice, a.bob]);
	await placeCaret(a.bob, 1, units(line, 4));
	await a.bobIme.spell('yifa');
	a.f.server = await a.f.server.stop().then(() => a.f.server.restart());
	await a.alice.waitForSelector('.status[data-status="saved"]', { timeout: 30_000 });
	await placeCaret(a.alice, 1, units(line, 8));
	await a.alice.keyboard.type('甲方');
	await a.alice.waitForSelector('.status[data-status="saved"]');
	await a.bobIme.compose('yifang');
	await a.bobIme.commit('乙方');
	await agree(a, docId, [a.alice, a.bob], [first, '县级配套乙方资金𠮷到甲方位。']);
});
