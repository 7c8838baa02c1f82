import { ApiError } from '$lib/api/client';
import { m } from '$lib/paraglide/messages';
import { ErrorCode } from '$lib/shared/error-codes';

type Code = (typeof ErrorCode)[keyof typeof ErrorCode];

/**
 * The one map from the server's stable error codes to what a person reads, in the UI's language.
 * Typed by the code list, so a new code without a text fails the type check. The server's own
 * message (English, for logs and scripts) is never shown.
 */
const texts: Record<Code, () => string> = {
	bad_request: m.error_bad_request,
	validation_failed: m.error_validation_failed,
	unauthenticated: m.error_unauthenticated,
	invalid_credentials: m.error_invalid_credentials,
	too_many_attempts: m.error_too_many_attempts,
	forbidden: m.error_forbidden,
	foreign_origin: m.error_foreign_origin,
	not_found: m.error_not_found,
	conflict: m.error_conflict,
	invite_unusable: m.error_invite_unusable,
	signin_link_unusable: m.error_signin_link_unusable,
	import_rejected: m.error_import_rejected,
	payload_too_large: m.error_payload_too_large,
	storage_failed: m.error_storage_failed,
	ledger_status: m.error_ledger_status,
	evidence_required: m.error_evidence_required,
	evidence_rejected: m.error_evidence_rejected,
	deadline_passed: m.error_deadline_passed,
	not_responsible_unit: m.error_not_responsible_unit,
	own_unit: m.error_own_unit,
	report_status: m.error_report_status,
	report_incomplete: m.error_report_incomplete,
	username_taken: m.error_username_taken,
	unknown_account: m.error_unknown_account,
	already_member: m.error_already_member,
	last_organizer: m.error_last_organizer,
	already_decided: m.error_already_decided,
	export_too_large: m.error_export_too_large,
	case_source_invalid: m.error_case_source_invalid,
	restore_refused: m.error_restore_refused,
	mention_refused: m.error_mention_refused,
	comment_limit: m.error_comment_limit,
	suggestion_stale: m.error_suggestion_stale,
	version_limit: m.error_version_limit,
	relay_unavailable: m.error_relay_unavailable,
	internal_error: m.error_internal_error
};

const known = (code: string): code is Code => Object.hasOwn(texts, code);

/** What to tell the person about a failed call: by error code, never the server's wording. */
export function errorText(err: unknown): string {
	if (!(err instanceof ApiError)) return m.error_generic();
	if (err.status === 0) return m.error_network();
	return known(err.code) ? texts[err.code]() : m.error_generic();
}
