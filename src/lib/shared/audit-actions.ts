/** What the audit log records. Stable ids: exports, filters and their labels depend on them. */
export const auditActions = [
	'auth.login',
	'auth.login_failed',
	'auth.logout',
	'password.changed',
	'password.reset',
	'sessions.revoked',
	'conference.created',
	'conference.updated',
	'agenda.updated',
	'project.created',
	'project.deleted',
	'breakout.created',
	'breakout.closed',
	'breakout.opened',
	'member.added',
	'member.changed',
	'member.removed',
	'invite.created',
	'invite.used',
	'invite.revoked',
	'attendees.imported',
	'signin_link.created',
	'signin_link.used',
	'sync.denied'
] as const;
export type AuditAction = (typeof auditActions)[number];
