import { expect, test } from 'vitest';
import { coalesced, inTurns } from '../../src/lib/state/coalesce.js';

/** A promise and its resolve, to hold a task open until the test lets it end. */
function gate() {
	let open = () => undefined as void;
	const closed = new Promise<void>((r) => (open = r));
	return { closed, open };
}

test('a coalesced task runs once at a time: a burst of calls while it runs makes one more run, which starts after the last call', async () => {
	const gates = [gate(), gate(), gate()];
	let runs = 0;
	let running = 0;
	let most = 0;
	const task = coalesced(async () => {
		const g = gates[runs++];
		running++;
		most = Math.max(most, running);
		await g.closed;
		running--;
	});
	const first = task();
	const burst = Array.from({ length: 10 }, () => task());
	expect(runs).toBe(1);
	gates[0].open();
	await new Promise((r) => setTimeout(r, 0));
	expect(runs).toBe(2);
	gates[1].open();
	await Promise.all([first, ...burst]);
	expect(runs).toBe(2);
	expect(most).toBe(1);
	// Once idle, a call runs again at once.
	const later = task();
	expect(runs).toBe(3);
	gates[2].open();
	await later;
});

test('a failing run does not stop the next one', async () => {
	let runs = 0;
	const task = coalesced(async () => {
		runs++;
		if (runs === 1) throw new Error('network');
	});
	await task();
	await task();
	expect(runs).toBe(2);
});

test('inTurns works through every item, never more than the limit at once, past failures', async () => {
	let running = 0;
	let most = 0;
	const done: number[] = [];
	await inTurns([1, 2, 3, 4, 5, 6, 7], 2, async (n) => {
		running++;
		most = Math.max(most, running);
		await new Promise((r) => setTimeout(r, n % 3));
		running--;
		if (n === 3) throw new Error('one conference failed');
		done.push(n);
	});
	expect(most).toBe(2);
	expect(done.sort()).toEqual([1, 2, 4, 5, 6, 7]);
	await inTurns([], 2, async () => undefined);
});
