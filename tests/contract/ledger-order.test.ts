import { expect, test } from 'vitest';
import type { LedgerEventRecord } from '../../server/storage/types.js';
import { eachBackend } from '../helpers/backends.js';
import { approvedItem } from '../helpers/ledger-item.js';

let n = 0;
const event = (kind: string, at: number): LedgerEventRecord => ({ id: `e${++n}`, proposalId: 'p1', kind, fromStatus: 'not_started', toStatus: 'in_progress', reason: '', byUser: 'u1', at });
const report = (at: number) => ({ id: `r${++n}`, proposalId: 'p1', progress: '已建立台账', percent: 50, difficulties: '', nextSteps: '', byUser: 'u1', at });

/** Each step starts where the one before it left the item, and none is timed before the one it follows. */
function expectReplayable(events: LedgerEventRecord[]) {
	for (let i = 1; i < events.length; i++) {
		expect(events[i].fromStatus, `${events[i - 1].kind} → ${events[i].kind}`).toBe(events[i - 1].toStatus);
		expect(events[i].at).toBeGreaterThanOrEqual(events[i - 1].at);
	}
}

eachBackend((b) => {
	test('a step is listed after the step it followed, even when its request read the clock first', async () => {
		const id = await approvedItem(b.storage);
		expect(await b.storage.ledger.report('c1', report(200), [], event('report', 200))).toBe(true);
		// A submission whose request began at 100 and took effect after the report (it waited for it).
		expect(await b.storage.ledger.transition('c1', ['in_progress'], { ...event('submit', 100), toStatus: 'pending_review' })).toBe(true);
		const events = await b.storage.ledger.events(id);
		expect(events.map((e) => e.kind)).toEqual(['report', 'submit']);
		expectReplayable(events);
		// A report on the item now under review is refused and leaves no trace.
		expect(await b.storage.ledger.report('c1', report(150), [], event('report', 150))).toBe(false);
		expect(await b.storage.ledger.events(id)).toHaveLength(2);
	});

	test('two instances stepping one item at once: its history replays step by step, and an extension decided while another is asked for does not deadlock', async () => {
		const id = await approvedItem(b.storage);
		// SQLite has one instance per data directory (its lock refuses a second): there, one store's concurrent requests.
		const other = b.name === 'PostgreSQL' ? await b.another() : b.storage;
		const stores = [b.storage, other];
		const results = await Promise.all([
			...Array.from({ length: 12 }, (_, i) => stores[i % 2].ledger.report('c1', report(1000 - i), [], event('report', 1000 - i))),
			stores[1].ledger.transition('c1', ['in_progress'], { ...event('submit', 990), toStatus: 'pending_review' }),
			stores[0].ledger.transition('c1', ['pending_review'], { ...event('return', 980), fromStatus: 'pending_review', toStatus: 'in_progress' }),
			// A step that moves nothing (an extension asked for) is still numbered in its turn.
			stores[1].ledger.requestExtension(
				'c1',
				{ id: 'x', proposalId: id, oldDeadline: '', newDeadline: '2026-01-31', reason: '征地滞后', status: 'pending', requestedBy: 'u1', requestedAt: 995, decidedBy: null, decidedAt: null, decisionReason: '' },
				event('extension_requested', 995)
			)
		]);
		expect(results[results.length - 1]).toBe(true);
		expect(await b.storage.ledger.decideExtension('c1', 'x', { status: 'declined', by: 'u1', at: 999, reason: '' }, { id: 'dx', proposalId: id, kind: 'extension_declined', reason: '', byUser: 'u1', at: 999 })).not.toBeNull();
		expect(results.slice(0, 12)).toContain(true);
		const events = await b.storage.ledger.events(id);
		expect(events).toHaveLength(results.filter(Boolean).length + 1);
		expectReplayable(events);

		// Asking for an extension and deciding the open one at the same moment, many times over.
		for (let round = 0; round < 6; round++) {
			const ext = { id: `x${round}`, proposalId: id, oldDeadline: '', newDeadline: '2026-03-31', reason: '汛期停工', status: 'pending' as const, requestedBy: 'u1', requestedAt: 2000 + round, decidedBy: null, decidedAt: null, decisionReason: '' };
			expect(await b.storage.ledger.requestExtension('c1', ext, { ...event('extension_requested', 2000 + round) })).toBe(true);
			const next = { ...ext, id: `y${round}` };
			const [decided, asked] = await Promise.all([
				stores[round % 2].ledger.decideExtension('c1', ext.id, { status: 'declined', by: 'u1', at: 2100 + round, reason: '理由不足' }, { id: `d${round}`, proposalId: id, kind: 'extension_declined', reason: '', byUser: 'u1', at: 2100 + round }),
				stores[(round + 1) % 2].ledger.requestExtension('c1', next, { ...event('extension_requested', 2050 + round) })
			]);
			expect(decided?.status).toBe('declined');
			// The second request lands only if the first was decided before it; if it landed, decide it too.
			if (asked) await b.storage.ledger.decideExtension('c1', next.id, { status: 'declined', by: 'u1', at: 2200 + round, reason: '' }, { id: `z${round}`, proposalId: id, kind: 'extension_declined', reason: '', byUser: 'u1', at: 2200 + round });
		}
		expectReplayable(await b.storage.ledger.events(id));
	});
});
