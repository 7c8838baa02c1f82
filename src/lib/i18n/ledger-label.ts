import { ApiError } from '$lib/api/client';
import { m } from '$lib/paraglide/messages';
import { errorText } from './error-text';
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

/**
 * The message for a failed ledger call: the evidence refused names its file, a too-large upload
 * gives the limit, everything else is the shared text for its code.
 */
export function ledgerErrorText(err: unknown): string {
	if (err instanceof ApiError && err.code === 'evidence_rejected') return m.ledger_error_evidence_rejected({ detail: err.message.split(': ')[0] });
	if (err instanceof ApiError && err.code === 'payload_too_large') return m.ledger_error_payload_too_large();
	return errorText(err);
}
