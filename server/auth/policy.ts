import type { Role } from '../../src/lib/shared/roles.js';
import type { MemberRecord, UserRecord } from '../storage/types.js';

/**
 * Who may do what: the one place access is decided, for HTTP routes and sync connections alike.
 * Callers describe the scope and load the subject's membership of its conference; `can` itself is
 * pure, so the role table below is the whole story.
 */
export type Action =
	| 'instance.admin'
	| 'user.create'
	| 'user.list'
	| 'user.manage'
	| 'conference.create'
	| 'conference.read'
	| 'conference.manage'
	| 'breakout.manage'
	| 'document.create'
	| 'document.read'
	| 'document.write'
	| 'minutes.approve'
	| 'ledger.review'
	| 'reports.review'
	| 'cases.write';

export type Scope =
	| { kind: 'instance' }
	| { kind: 'workspace' }
	| { kind: 'conference'; conferenceId: string }
	| { kind: 'breakout'; conferenceId: string; breakoutId: string; closed: boolean };

export interface Subject {
	user: UserRecord;
	/** The subject's membership of the scope's conference, or null. */
	membership: MemberRecord | null;
	/** Breakouts where a moderator granted this member edit rights (live room, raised hand). */
	grants?: readonly string[];
}

/** What a role decides inside its conference. Adding a rule forces a decision for every role. */
export const rules = [
	'conference.read',
	'conference.manage',
	'conference-documents.read',
	'conference-documents.write',
	'own-breakout.manage',
	'own-breakout.read',
	'own-breakout.write',
	'open-breakout.read',
	'open-breakout.write',
	'closed-breakout.read',
	'closed-breakout.write',
	/** Decide on proposals for the consolidated minutes (moderators too, for their breakout, when the organizer allows: see `mayApprove`). */
	'minutes.approve',
	/** Review the ledger: return an item or close it out (销号), reopen it. Never for an item of one's own unit (see `Ledger`). */
	'ledger.review',
	/** Review project execution reports (项目执行报告): return one with reasons or accept it. Never a report of one's own unit (see `ProjectReports`). */
	'reports.review',
	/** Write the case library (案例库): create, edit and delete cases. Reading them is reading the conference. */
	'cases.write'
] as const;
export type Rule = (typeof rules)[number];

const all = (value: boolean) => Object.fromEntries(rules.map((r) => [r, value])) as Record<Rule, boolean>;
const allow = (...granted: Rule[]) => ({ ...all(false), ...Object.fromEntries(granted.map((r) => [r, true])) }) as Record<Rule, boolean>;

/** The role table (domain.md §5.3). "Own" breakouts are those the member belongs to. */
export const roleRules: Record<Role, Record<Rule, boolean>> = {
	organizer: all(true),
	moderator: allow('conference.read', 'conference-documents.read', 'own-breakout.manage', 'own-breakout.read', 'own-breakout.write', 'open-breakout.read'),
	participant: allow('conference.read', 'conference-documents.read', 'own-breakout.read', 'own-breakout.write', 'open-breakout.read'),
	expert: allow(
		'conference.read',
		'conference-documents.read',
		'conference-documents.write',
		'own-breakout.read',
		'open-breakout.read',
		'closed-breakout.read',
		'minutes.approve',
		'cases.write'
	),
	supervisor: allow('conference.read', 'conference-documents.read', 'own-breakout.read', 'open-breakout.read', 'closed-breakout.read', 'ledger.review', 'reports.review'),
	observer: allow('conference.read', 'conference-documents.read', 'own-breakout.read')
};

/**
 * What an account may do outside its conferences, by kind: a regular (password) account, or one
 * bound to one conference (`guestConferenceId`: an invited guest, an imported attendee), which sees
 * that conference only. Inside a conference both follow the role table alike.
 */
export const accountRules = [
	/** Workspace documents (outside any conference): list and read them, over HTTP and sync. */
	'workspace-documents.read',
	'workspace-documents.write',
	'workspace-documents.create',
	/** Belong to conferences other than the one the account is bound to (a regular account is bound to none). */
	'other-conferences.join'
] as const;
export type AccountRule = (typeof accountRules)[number];
export type AccountKind = 'regular' | 'bound';

const grantAccount = (...granted: AccountRule[]) => Object.fromEntries(accountRules.map((r) => [r, granted.includes(r)])) as Record<AccountRule, boolean>;

/** The account table; the access matrix test has a row per rule, so adding one forces a decision for both kinds. */
export const accountTable: Record<AccountKind, Record<AccountRule, boolean>> = {
	regular: grantAccount('workspace-documents.read', 'workspace-documents.write', 'workspace-documents.create', 'other-conferences.join'),
	bound: grantAccount()
};

/** Bound to one conference (`guestConferenceId`), or regular. */
export const accountKind = (user: UserRecord): AccountKind => (user.guestConferenceId === null ? 'regular' : 'bound');

/**
 * Whether `user` may be a member of `conferenceId`. A membership of an account bound elsewhere never
 * counts, however it came to be stored.
 */
export function mayBelong(user: UserRecord, conferenceId: string): boolean {
	return user.guestConferenceId === conferenceId || accountTable[accountKind(user)]['other-conferences.join'];
}

const workspaceRules: Partial<Record<Action, AccountRule>> = {
	'document.read': 'workspace-documents.read',
	'document.write': 'workspace-documents.write',
	'document.create': 'workspace-documents.create'
};

/** The rule that decides `action` in `scope` for a member, or null when no rule applies. */
function ruleFor(action: Action, scope: Scope, membership: MemberRecord): Rule | null {
	if (scope.kind === 'conference') {
		if (action === 'conference.read') return 'conference.read';
		if (action === 'conference.manage') return 'conference.manage';
		if (action === 'document.read') return 'conference-documents.read';
		if (action === 'document.write' || action === 'document.create') return 'conference-documents.write';
		if (action === 'minutes.approve') return 'minutes.approve';
		if (action === 'ledger.review') return 'ledger.review';
		if (action === 'reports.review') return 'reports.review';
		if (action === 'cases.write') return 'cases.write';
		return null;
	}
	if (scope.kind === 'breakout') {
		const relation = membership.breakoutIds.includes(scope.breakoutId) ? 'own-breakout' : scope.closed ? 'closed-breakout' : 'open-breakout';
		if (action === 'breakout.manage') return relation === 'own-breakout' ? 'own-breakout.manage' : 'conference.manage';
		if (action === 'document.read') return `${relation}.read`;
		if (action === 'document.write' || action === 'document.create') return `${relation}.write`;
		return null;
	}
	return null;
}

export function can(subject: Subject, action: Action, scope: Scope): boolean {
	const { user, membership } = subject;
	// Instance administrators create conferences and organizers, and may act everywhere.
	if (user.isAdmin) return true;
	switch (scope.kind) {
		case 'instance':
			return false;
		case 'workspace': {
			const rule = workspaceRules[action];
			return rule !== undefined && accountTable[accountKind(user)][rule];
		}
		case 'conference':
		case 'breakout': {
			if (membership === null || membership.conferenceId !== scope.conferenceId || !mayBelong(user, scope.conferenceId)) return false;
			const rule = ruleFor(action, scope, membership);
			if (rule !== null && roleRules[membership.role][rule]) return true;
			// A moderator's grant lets a member who may read a breakout's documents edit them too.
			return (
				action === 'document.write' &&
				scope.kind === 'breakout' &&
				(subject.grants?.includes(scope.breakoutId) ?? false) &&
				can({ user, membership }, 'document.read', scope)
			);
		}
	}
}

/** What a sync connection may do in `scope`. */
export function syncAccess(subject: Subject, scope: Scope): 'write' | 'read' | 'none' {
	if (can(subject, 'document.write', scope)) return 'write';
	if (can(subject, 'document.read', scope)) return 'read';
	return 'none';
}

/**
 * Who decides on a proposal from `breakout` for the minutes: experts and organizers; the breakout's
 * moderators as well when the organizer allows it (`moderatorsApprove`).
 */
export function mayApprove(subject: Subject, conference: { id: string; moderatorsApprove: boolean }, breakout: Scope & { kind: 'breakout' }): boolean {
	if (can(subject, 'minutes.approve', { kind: 'conference', conferenceId: conference.id })) return true;
	return conference.moderatorsApprove && subject.membership?.role === 'moderator' && can(subject, 'breakout.manage', breakout);
}

/**
 * Who may comment on a document of `scope`: whoever may read it, but for remote attendees
 * (observers), who watch and ask in the live room instead.
 */
export function mayComment(subject: Subject, scope: Scope): boolean {
	if (!can(subject, 'document.read', scope)) return false;
	return subject.user.isAdmin || subject.membership?.role !== 'observer';
}

/** Who moderates a document's comments (hides and shows them): those who run its breakout, or the conference's organizers; administrators for workspace documents. */
export function mayModerateComments(subject: Subject, scope: Scope): boolean {
	if (scope.kind === 'breakout') return can(subject, 'breakout.manage', scope);
	if (scope.kind === 'conference') return can(subject, 'conference.manage', scope);
	return subject.user.isAdmin;
}

/** Who accepts or rejects suggestions (建议修改): the expert panel (and organizers) for conference documents such as the minutes, those who run a breakout for its documents, administrators for workspace documents. */
export function mayDecideSuggestions(subject: Subject, scope: Scope): boolean {
	if (scope.kind === 'breakout') return can(subject, 'breakout.manage', scope);
	if (scope.kind === 'conference') return can(subject, 'minutes.approve', scope);
	return subject.user.isAdmin;
}
