import type { BlockSnapshot } from '../../src/lib/shared/blocks.js';
import { ledgerNumber, resolutionNumber } from '../../src/lib/shared/decision-numbers.js';
import type { BreakoutRecord, ConferenceStore, ProposalRecord, ProposalStore } from '../storage/types.js';

/** A resolution (会议决议清单 item): an approved measure, as the minutes hold it. */
export interface Resolution {
	/** JY-01 …: across the conference, given at approval and never changed (一事一号). */
	number: string;
	/** ZG-JT-001 …: the ledger's number, per sector series, given at approval likewise. */
	ledgerNumber: string;
	proposal: ProposalRecord;
	breakout: BreakoutRecord;
	title: string;
	leadUnit: string;
	supportingUnits: string;
	deadline: string;
	type: string;
	criteria: string;
}

/**
 * The conference's resolutions, read from the approved snapshots: the same the minutes items show,
 * so the list and the minutes cannot disagree (the source block is the source of truth; an approver's
 * update carries a change into both). In the order of their stored numbers: a withdrawn item leaves
 * a gap, nobody else's number moves.
 */
export async function resolutionsOf(conferenceId: string, proposals: ProposalStore, conferences: ConferenceStore): Promise<Resolution[]> {
	const breakouts = new Map((await conferences.listBreakouts(conferenceId)).map((b) => [b.id, b]));
	const measures = (await proposals.list(conferenceId))
		.flatMap((p) => {
			const breakout = breakouts.get(p.breakoutId);
			return p.status === 'approved' && p.numbers !== null && breakout !== undefined ? [{ p, numbers: p.numbers, breakout }] : [];
		})
		.sort((a, b) => a.numbers.resolution - b.numbers.resolution);
	return measures.map(({ p, numbers, breakout }) => {
		const snap = JSON.parse(p.snapshot) as BlockSnapshot;
		const f = snap.fields ?? { responsibleUnit: '', supportingUnits: '', deadline: '', type: '', criteria: '' };
		return {
			number: resolutionNumber(numbers.resolution),
			ledgerNumber: ledgerNumber(numbers.ledgerSeries, numbers.ledger),
			proposal: p,
			breakout,
			title: snap.text,
			leadUnit: f.responsibleUnit,
			supportingUnits: f.supportingUnits ?? '',
			deadline: f.deadline,
			type: f.type,
			criteria: f.criteria
		};
	});
}
