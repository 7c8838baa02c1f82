import { expect } from 'vitest';
import type { Storage } from '../../server/storage/types.js';

/** A conference with one approved measure (its ledger item), made through the stores. */
export async function approvedItem(s: Storage): Promise<string> {
	await s.users.create({ id: 'u1', username: 'org', displayName: '主办方', unit: '', color: '#000', passwordHash: 'x', isAdmin: true, createdAt: 1, guestConferenceId: null, phone: '', email: '' });
	await s.conferences.create({ id: 'c1', title: '总结会', createdBy: 'u1', createdAt: 1, startDate: '', endDate: '', venue: '', hosts: '', agenda: null, moderatorsApprove: false });
	await s.conferences.createBreakout({ id: 'b1', conferenceId: 'c1', name: '交通组', sector: '交通', region: '', closed: false, createdAt: 1 });
	await s.proposals.proposeOnce({
		id: 'p1',
		conferenceId: 'c1',
		breakoutId: 'b1',
		sourceDocId: 'plan1',
		blockId: 'block-1',
		status: 'pending',
		proposedBy: 'u1',
		proposedAt: 10,
		decidedBy: null,
		decidedAt: null,
		reason: '',
		snapshot: '',
		numbers: null
	});
	const snapshot = JSON.stringify({ kind: 'measure', text: '建立周调度台账', fields: { responsibleUnit: '甲省交通运输厅', deadline: '2025-09-30', type: '限期整改', criteria: '' } });
	expect(await s.proposals.decide('p1', { status: 'approved', by: 'u1', at: 20, reason: '', snapshot, ledgerSeries: 'JT' })).toBe(true);
	return 'p1';
}
