import { measureTypeLabel } from '$lib/i18n/unit-label';
import { m } from '$lib/paraglide/messages';
import { measureTypes } from '$lib/shared/blocks';

/** The texts of the block bars, in the page's language. */
export function blockLabels(): Record<string, string> {
	return {
		project: m.block_project(),
		symptom: m.block_symptom(),
		responsibleUnit: m.block_responsible_unit(),
		supportingUnits: m.block_supporting_units(),
		deadline: m.block_deadline(),
		type: m.block_type(),
		criteria: m.block_criteria(),
		causes: m.block_causes(),
		noCauses: m.block_no_causes(),
		addCause: m.block_add_cause(),
		addWhy: m.block_add_why(),
		markKey: m.block_mark_key(),
		unmarkKey: m.block_unmark_key(),
		invalid: m.block_invalid(),
		unknownUnit: m.block_unknown_unit(),
		propose: m.block_propose(),
		proposing: m.block_proposing(),
		proposalPending: m.block_proposal_pending(),
		keyCause: m.block_key_cause(),
		promoted: m.block_promoted(),
		source: m.block_source(),
		proposedBy: m.block_proposed_by(),
		approvedBy: m.block_approved_by(),
		sourceChanged: m.proposals_changed(),
		sourceDeleted: m.proposals_source_deleted(),
		resolutionNumber: m.minutes_resolution_number(),
		updateMinutes: m.proposals_update(),
		// The choices of a select field, by value: `option:<value>`.
		...Object.fromEntries(measureTypes.map((t) => [`option:${t}`, measureTypeLabel(t)]))
	};
}
