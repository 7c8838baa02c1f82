import { m } from '$lib/paraglide/messages';
import type { Escalation, LedgerStatus } from '$lib/shared/ledger';

/** Typed maps: a status, escalation or event kind without a label fails the type check. */
const statuses: Record<LedgerStatus, () => string> = {
	not_started: m.ledger_status_not_started,
	in_progress: m.ledger_status_in_progress,
	pending_review: m.ledger_status_pending_review,
	closed: m.ledger_status_closed
};
const escalations: Record<Exclude<Escalation, ''>, () => string> = { blue: m.ledger_esc_blue, yellow: m.ledger_esc_yellow, red: m.ledger_esc_red };
const events: Record<string, () => string> = {
	report: m.ledger_event_report,
	submit: m.ledger_event_submit,
	return: m.ledger_event_return,
	close: m.ledger_event_close,
	reopen: m.ledger_event_reopen,
	extension_requested: m.ledger_event_extension_requested,
	extension_approved: m.ledger_event_extension_approved,
	extension_declined: m.ledger_event_extension_declined
};

export const statusLabel = (s: LedgerStatus) => statuses[s]();
export const escalationLabel = (e: Escalation) => (e === '' ? '' : escalations[e]());
export const eventLabel = (kind: string) => events[kind]?.() ?? kind;

/** "剩 12 天" / "逾期 3 天" / '' without a deadline. */
export const daysLabel = (daysLeft: number | null) =>
	daysLeft === null ? '' : daysLeft < 0 ? m.ledger_days_over({ n: -daysLeft }) : m.ledger_days_left({ n: daysLeft });

/** The message for a failed ledger call, by its stable error code. */
export function ledgerErrorText(code: string, detail: string): string {
	switch (code) {
		case 'not_responsible_unit':
			return m.ledger_error_not_responsible_unit();
		case 'own_unit':
			return m.ledger_error_own_unit();
		case 'evidence_required':
			return m.ledger_error_evidence_required();
		case 'evidence_rejected':
			return m.ledger_error_evidence_rejected({ detail });
		case 'deadline_passed':
			return m.ledger_error_deadline_passed();
		case 'ledger_status':
			return m.ledger_error_ledger_status();
		case 'payload_too_large':
			return m.ledger_error_payload_too_large();
		default:
			return detail || m.error_generic();
	}
}
