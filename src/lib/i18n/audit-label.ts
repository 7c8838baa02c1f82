import { m } from '$lib/paraglide/messages';
import type { AuditAction } from '$lib/shared/audit-actions';

/** Every audit action has a label: adding an action without one fails the type check. */
const labels: Record<AuditAction, () => string> = {
	'auth.login': m.audit_action_auth_login,
	'auth.login_failed': m.audit_action_auth_login_failed,
	'auth.logout': m.audit_action_auth_logout,
	'password.changed': m.audit_action_password_changed,
	'password.reset': m.audit_action_password_reset,
	'sessions.revoked': m.audit_action_sessions_revoked,
	'conference.created': m.audit_action_conference_created,
	'conference.updated': m.audit_action_conference_updated,
	'agenda.updated': m.audit_action_agenda_updated,
	'project.created': m.audit_action_project_created,
	'project.deleted': m.audit_action_project_deleted,
	'breakout.created': m.audit_action_breakout_created,
	'breakout.closed': m.audit_action_breakout_closed,
	'breakout.opened': m.audit_action_breakout_opened,
	'member.added': m.audit_action_member_added,
	'member.changed': m.audit_action_member_changed,
	'member.removed': m.audit_action_member_removed,
	'invite.created': m.audit_action_invite_created,
	'invite.used': m.audit_action_invite_used,
	'invite.revoked': m.audit_action_invite_revoked,
	'attendees.imported': m.audit_action_attendees_imported,
	'signin_link.created': m.audit_action_signin_link_created,
	'signin_link.used': m.audit_action_signin_link_used,
	'minutes.proposed': m.audit_action_minutes_proposed,
	'minutes.approved': m.audit_action_minutes_approved,
	'minutes.declined': m.audit_action_minutes_declined,
	'minutes.updated': m.audit_action_minutes_updated,
	'minutes.withdrawn': m.audit_action_minutes_withdrawn,
	'ledger.reported': m.audit_action_ledger_reported,
	'reports.round_opened': m.audit_action_reports_round_opened,
	'reports.evidence_added': m.audit_action_reports_evidence_added,
	'reports.imported': m.audit_action_reports_imported,
	'reports.submitted': m.audit_action_reports_submitted,
	'reports.returned': m.audit_action_reports_returned,
	'reports.accepted': m.audit_action_reports_accepted,
	'cases.created': m.audit_action_cases_created,
	'cases.updated': m.audit_action_cases_updated,
	'cases.deleted': m.audit_action_cases_deleted,
	'ledger.submitted': m.audit_action_ledger_submitted,
	'ledger.returned': m.audit_action_ledger_returned,
	'ledger.closed': m.audit_action_ledger_closed,
	'ledger.reopened': m.audit_action_ledger_reopened,
	'ledger.extension_requested': m.audit_action_ledger_extension_requested,
	'ledger.extension_approved': m.audit_action_ledger_extension_approved,
	'ledger.extension_declined': m.audit_action_ledger_extension_declined,
	'ledger.settings_updated': m.audit_action_ledger_settings_updated,
	'export.downloaded': m.audit_action_export_downloaded,
	'edit.granted': m.audit_action_edit_granted,
	'edit.revoked': m.audit_action_edit_revoked,
	'sync.denied': m.audit_action_sync_denied,
	'document.full': m.audit_action_document_full
};

/** The localized name of an audit action; an unknown id (from a newer server) is shown as it is. */
export function auditLabel(action: string): string {
	return (labels as Record<string, (() => string) | undefined>)[action]?.() ?? action;
}
