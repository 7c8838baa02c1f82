import type { BlockSnapshot } from '../../src/lib/shared/blocks.js';
import { ledgerNumber } from '../../src/lib/shared/ledger.js';
import type { BreakoutRecord, ConferenceStore, ProposalRecord, ProposalStore } from '../storage/types.js';

/** A resolution (会议决议清单 item): an approved measure, as the minutes hold it. */
export interface Resolution {
	/** JY-01 …: across the conference, in the order the measures were proposed. */
	number: string;
	/** ZG-JT-001 …: the ledger's number, per sector (一事一号). */
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
 * update carries a change into both). Numbered over the whole conference in the order the measures
 * were proposed (then approved), so everyone sees the same numbers whatever they may read.
 */
export async function resolutionsOf(conferenceId: string, proposals: ProposalStore, conferences: ConferenceStore): Promise<Resolution[]> {
	const breakouts = new Map((await conferences.listBreakouts(conferenceId)).map((b) => [b.id, b]));
	const measures = (await proposals.list(conferenceId))
		.filter((p) => p.status === 'approved' && breakouts.has(p.breakoutId) && (JSON.parse(p.snapshot || '{}') as BlockSnapshot).kind === 'measure')
		.sort((a, b) => a.proposedAt - b.proposedAt || (a.decidedAt ?? 0) - (b.decidedAt ?? 0) || a.id.localeCompare(b.id));
	const perSector = new Map<string, number>();
	return measures.map((p, i) => {
		const breakout = breakouts.get(p.breakoutId) as BreakoutRecord;
		const snap = JSON.parse(p.snapshot) as BlockSnapshot;
		const f = snap.fields ?? { responsibleUnit: '', supportingUnits: '', deadline: '', type: '', criteria: '' };
		const n = (perSector.get(breakout.sector) ?? 0) + 1;
		perSector.set(breakout.sector, n);
		return {
			number: `JY-${String(i + 1).padStart(2, '0')}`,
			ledgerNumber: ledgerNumber(breakout.sector, n),
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
