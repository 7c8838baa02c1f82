import type { AuditAction } from '../../src/lib/shared/audit-actions.js';
import type { Agenda } from '../../src/lib/shared/agenda.js';
import type { Role } from '../../src/lib/shared/roles.js';
import type { DecisionNumbers } from '../../src/lib/shared/decision-numbers.js';
import type { LedgerStatus } from '../../src/lib/shared/ledger.js';
import type { HonorSettings, HonorTrack } from '../../src/lib/shared/honor-board.js';
import type { CaseFigures, CaseKind, CaseMeasure, CaseQuery, CaseSections } from '../../src/lib/shared/case-library.js';
import type { ReportStatus } from '../../src/lib/shared/project-report.js';
import type { DocumentKind } from '../../src/lib/shared/schemas.js';
import type { VersionKind } from '../../src/lib/shared/versions.js';
export type { VersionKind };

export { type AuditAction, auditActions } from '../../src/lib/shared/audit-actions.js';

/**
 * Storage interfaces. `collab/`, `auth/` and `domain/` depend on these only; `main.ts` picks the
 * implementation (SQLite today).
 */

export interface UserRecord {
	id: string;
	username: string;
	displayName: string;
	unit: string;
	color: string;
	passwordHash: string;
	isAdmin: boolean;
	createdAt: number;
	/** Guests joined through an invite link: bound to this conference, no password. */
	guestConferenceId: string | null;
	/** From the attendee list; '' when not given. */
	phone: string;
	email: string;
	/**
	 * The unit was typed by the person themselves (a guest joining through an invite link), not given
	 * by an administrator or an organizer's attendee list: it is shown, but it never makes them speak
	 * for that unit (report its projects or its ledger items).
	 */
	unitDeclared?: boolean;
}

export interface SessionRecord {
	id: string;
	userId: string;
	secretHash: Uint8Array;
	createdAt: number;
	/** Sliding expiry: moved forward on use. */
	expiresAt: number;
	/** Never moved: the session ends here whatever its use. */
	absoluteExpiresAt: number;
}

/**
 * What a document belongs to: the shared workspace (plain documents), a conference (e.g. the
 * consolidated minutes) or one breakout of a conference.
 */
export type DocumentParent =
	| { kind: 'workspace'; id: null }
	| { kind: 'conference'; id: string }
	| { kind: 'breakout'; id: string };

export interface DocumentRecord {
	id: string;
	/** notes, analysis (根因分析), plan (整改方案), minutes (会议纪要), or live: a conference's server-written live state. */
	kind: DocumentKind | 'live';
	title: string;
	ownerId: string;
	parent: DocumentParent;
	/** The project an analysis or plan is about (a project of its conference), or null. */
	projectId: string | null;
	createdAt: number;
	updatedAt: number;
}

export interface ConferenceDetails {
	title: string;
	/** YYYY-MM-DD, or '' when not decided yet. */
	startDate: string;
	endDate: string;
	venue: string;
	/** The organizing bodies (主办单位), as printed: 国家发展改革委、住房和城乡建设部、财政部. */
	hosts: string;
}

export interface ConferenceRecord extends ConferenceDetails {
	id: string;
	createdBy: string;
	createdAt: number;
	agenda: Agenda | null;
	/** A breakout's moderators may approve its proposals for the minutes (experts and organizers always may). */
	moderatorsApprove: boolean;
}

/** A block proposed for the consolidated minutes. */
export interface ProposalRecord {
	id: string;
	conferenceId: string;
	breakoutId: string;
	sourceDocId: string;
	blockId: string;
	/** withdrawn: approved, then taken out of the minutes (and off the resolution list) by an approver. */
	status: 'pending' | 'approved' | 'declined' | 'withdrawn';
	proposedBy: string;
	proposedAt: number;
	decidedBy: string | null;
	decidedAt: number | null;
	reason: string;
	/** JSON of the block as approved; '' before. */
	snapshot: string;
	/** An approved measure's numbers, given at approval and kept for good (withdrawn too); null otherwise. */
	numbers: DecisionNumbers | null;
}

export interface ProposalStore {
	/** The live (pending or approved) proposal of the block, created from `candidate` if there is none: one per block, however many ask at once. */
	proposeOnce(candidate: ProposalRecord): Promise<ProposalRecord>;
	get(id: string): Promise<ProposalRecord | null>;
	/** Newest first. */
	list(conferenceId: string): Promise<ProposalRecord[]>;
	/**
	 * Settles a pending proposal; false when it was no longer pending (someone else decided first). An
	 * approval with `ledgerSeries` (an approved measure) is numbered in the same atomic step: the
	 * conference's next resolution number and the series' next ledger number, above every number ever
	 * given (withdrawn ones included), so two approvals at once never share one.
	 */
	decide(id: string, d: { status: 'approved' | 'declined'; by: string; at: number; reason: string; snapshot: string; ledgerSeries?: string }): Promise<boolean>;
	/** A new snapshot for an approved proposal (the source changed and an approver updated the minutes); false when it is no longer approved (withdrawn meanwhile). */
	resnapshot(id: string, snapshot: string, by: string, at: number): Promise<boolean>;
	/** Takes an approved proposal back (with the reason); false when it was not approved. */
	withdraw(id: string, by: string, at: number, reason: string): Promise<boolean>;
	listByStatus(status: ProposalRecord['status']): Promise<ProposalRecord[]>;
}

/** The tracking state of a ledger item (one per resolution, keyed by its proposal). */
export interface LedgerState {
	proposalId: string;
	conferenceId: string;
	status: LedgerStatus;
	/** An approved extension's deadline; '' = the plan's. */
	deadline: string;
	/** 累计完成 % of the latest report. */
	percent: number;
	updatedAt: number;
	closedAt: number | null;
}

export interface LedgerReportRecord {
	id: string;
	proposalId: string;
	progress: string;
	percent: number;
	difficulties: string;
	nextSteps: string;
	byUser: string;
	at: number;
}

/** A 佐证材料 file; the bytes live under DATA_DIR/evidence/<id>. */
export interface EvidenceRecord {
	id: string;
	proposalId: string;
	reportId: string;
	name: string;
	mime: string;
	size: number;
	sha256: string;
}

export interface LedgerEventRecord {
	id: string;
	proposalId: string;
	/** report, a transition (submit, return, close, reopen) or extension_requested / _approved / _declined. */
	kind: string;
	fromStatus: LedgerStatus;
	toStatus: LedgerStatus;
	reason: string;
	byUser: string;
	at: number;
}

export interface ExtensionRecord {
	id: string;
	proposalId: string;
	oldDeadline: string;
	newDeadline: string;
	reason: string;
	status: 'pending' | 'approved' | 'declined';
	requestedBy: string;
	requestedAt: number;
	decidedBy: string | null;
	decidedAt: number | null;
	decisionReason: string;
}

/**
 * The rectification ledger's state. Every change is conditional on the status it starts from and
 * writes its event in the same transaction, so two reviewers at once make one step.
 */
export interface LedgerStore {
	states(conferenceId: string): Promise<LedgerState[]>;
	state(proposalId: string): Promise<LedgerState | null>;
	/** Moves the item from one of `from` to `to`; false (nothing written) when it was in none of them. */
	transition(conferenceId: string, from: readonly LedgerStatus[], event: LedgerEventRecord): Promise<boolean>;
	/** Adds a progress report with its evidence; not_started becomes in_progress. False when the item no longer takes reports. */
	report(conferenceId: string, report: LedgerReportRecord, evidence: readonly EvidenceRecord[], event: LedgerEventRecord): Promise<boolean>;
	/** Newest first. */
	reports(proposalId: string): Promise<LedgerReportRecord[]>;
	reportsOf(conferenceId: string): Promise<LedgerReportRecord[]>;
	evidence(id: string): Promise<EvidenceRecord | null>;
	evidenceOf(proposalId: string): Promise<EvidenceRecord[]>;
	evidenceOfConference(conferenceId: string): Promise<EvidenceRecord[]>;
	/** Oldest first. */
	events(proposalId: string): Promise<LedgerEventRecord[]>;
	/** False when the item already has an open request. */
	requestExtension(conferenceId: string, e: ExtensionRecord, event: LedgerEventRecord): Promise<boolean>;
	/** Settles an open request (an approval moves the item's deadline); null when it was not open. */
	decideExtension(
		conferenceId: string,
		id: string,
		d: { status: 'approved' | 'declined'; by: string; at: number; reason: string },
		event: Omit<LedgerEventRecord, 'fromStatus' | 'toStatus'>
	): Promise<ExtensionRecord | null>;
	extension(id: string): Promise<ExtensionRecord | null>;
	/** Newest first. */
	extensions(proposalId: string): Promise<ExtensionRecord[]>;
	settings(conferenceId: string): Promise<string | null>;
	setSettings(conferenceId: string, json: string): Promise<void>;
}

/** A reporting round (项目执行报告的一期) of a conference. */
export interface ReportRoundRecord {
	id: string;
	conferenceId: string;
	title: string;
	/** YYYY-MM-DD, the end of the period reported on. */
	periodEnd: string;
	/** YYYY-MM-DD, the last day (Beijing time) to submit. */
	deadline: string;
	createdBy: string;
	createdAt: number;
}

/** One figure of a report with where it came from: who entered it, when, and in which submission it was first sent. */
export interface ReportFigure {
	value: number | string | null;
	by: string;
	at: number;
	/** The submission (1, 2 …) that first sent this value; null while it is only in the draft. */
	submission: number | null;
}

export interface ProjectReportRecord {
	id: string;
	roundId: string;
	conferenceId: string;
	projectId: string;
	unit: string;
	status: ReportStatus;
	figures: Record<string, ReportFigure>;
	version: number;
	submissions: number;
	updatedAt: number;
	/** Who accepted or last returned it, and when. */
	decidedBy: string | null;
	decidedAt: number | null;
}

export interface ReportEvidenceRecord {
	id: string;
	reportId: string;
	section: string;
	name: string;
	mime: string;
	size: number;
	sha256: string;
	byUser: string;
	at: number;
}

export interface ReportEventRecord {
	id: string;
	reportId: string;
	/** submit, return, accept. */
	kind: string;
	fromStatus: ReportStatus;
	toStatus: ReportStatus;
	reason: string;
	byUser: string;
	at: number;
}

/** Reporting rounds and their reports. Every change is conditional on the state it starts from, so concurrent requests make one change. */
export interface ReportStore {
	/** The round and its reports (all draft), in one transaction. */
	createRound(round: ReportRoundRecord, reports: readonly ProjectReportRecord[]): Promise<void>;
	rounds(conferenceId: string): Promise<ReportRoundRecord[]>;
	round(id: string): Promise<ReportRoundRecord | null>;
	reports(roundId: string): Promise<ProjectReportRecord[]>;
	report(id: string): Promise<ProjectReportRecord | null>;
	/** Stores new figures if the report is still at `version` and open for editing (draft, returned); false otherwise. */
	saveFigures(id: string, version: number, figures: Record<string, ReportFigure>, at: number): Promise<boolean>;
	/** Several reports' figures at once (an imported workbook): all of them, or — when any moved on from its version or is locked — none. */
	saveMany(saves: readonly { id: string; version: number; figures: Record<string, ReportFigure> }[], at: number): Promise<boolean>;
	/**
	 * Moves the report from one of `from` to `event.toStatus` if it is still at `version`, with its
	 * event (numbered after the report's earlier ones); a submission also stores `figures` and counts
	 * itself, a decision records who decided. False when someone changed it first.
	 */
	transition(id: string, version: number, from: readonly ReportStatus[], event: ReportEventRecord, figures?: Record<string, ReportFigure>): Promise<boolean>;
	/** Whether any round has a report of the project (it may then not be deleted). */
	projectHasReports(projectId: string): Promise<boolean>;
	/** Records evidence on a report open for editing, as a new version; false when it is not open (nothing recorded). */
	addEvidence(evidence: readonly ReportEvidenceRecord[]): Promise<boolean>;
	evidenceOf(reportId: string): Promise<ReportEvidenceRecord[]>;
	evidence(id: string): Promise<ReportEvidenceRecord | null>;
	/** Oldest first. */
	events(reportId: string): Promise<ReportEventRecord[]>;
	/** The conference's lamp rule, or null for the default. */
	lampThresholds(conferenceId: string): Promise<LampThresholdsRecord | null>;
	setLampThresholds(record: LampThresholdsRecord): Promise<void>;
	/** The conference's 红黑榜 rule and excusals as stored (JSON), or null for the default. */
	honorSettings(conferenceId: string): Promise<string | null>;
	setHonorSettings(conferenceId: string, settings: string, by: string, at: number): Promise<void>;
	/** Stores the board unless one with the same `contentHash` is (then that one is returned, nothing stored); null when stored. */
	publishHonorBoard(board: HonorBoardRecord, contentHash: string): Promise<HonorBoardRecord | null>;
	/** Published boards, newest first. */
	honorBoards(conferenceId: string): Promise<HonorBoardRecord[]>;
}

/** An open ledger item carried into a later conference, under one of its breakouts. */
export interface CarriedItem {
	conferenceId: string;
	proposalId: string;
	breakoutId: string;
	carriedAt: number;
}

/** A version of a document: its whole state at a moment, and why it was kept. */
export interface VersionRecord {
	id: string;
	docId: string;
	kind: VersionKind;
	name: string;
	contentHash: string;
	bytes: number;
	createdBy: string | null;
	createdAt: number;
}

export interface VersionStore {
	/**
	 * Stores a version; with `dedupeKey`, only once per document and key (the version already stored
	 * is returned, and `created` is false).
	 */
	add(v: VersionRecord, state: Uint8Array, dedupeKey: string | null): Promise<{ version: VersionRecord; created: boolean }>;
	/** A document's versions, newest first, without their states. */
	list(docId: string): Promise<VersionRecord[]>;
	get(id: string): Promise<{ version: VersionRecord; state: Uint8Array } | null>;
	/** Deletes the document's automatic versions beyond the newest `keep`; returns how many went. */
	prune(docId: string, keep: number): Promise<number>;
}

/** A comment thread on a document: a block and, within it, a text range as Yjs relative positions (base64). */
export interface ThreadRecord {
	id: string;
	docId: string;
	blockId: string | null;
	anchorStart: string | null;
	anchorEnd: string | null;
	quote: string;
	createdBy: string;
	createdAt: number;
	resolvedBy: string | null;
	resolvedAt: number | null;
	/** A suggestion (建议修改): the text proposed for the range, or to insert at the start when there is no end. */
	suggestion: SuggestionRecord | null;
}

export interface SuggestionRecord {
	text: string;
	/** The measure field (of `blockId`) it changes, or null for text. */
	field: string | null;
	decision: 'accepted' | 'rejected' | null;
	decidedBy: string | null;
	decidedAt: number | null;
}

export interface CommentRecord {
	id: string;
	threadId: string;
	authorId: string;
	body: string;
	createdAt: number;
	hiddenBy: string | null;
	hiddenAt: number | null;
}

/** How many threads and comments a document, and comments a thread, may hold. */
export interface CommentCaps {
	threads: number;
	comments: number;
	perThread: number;
}

/** A member mentioned in a comment, for their conference's bell until read. */
export interface MentionRecord {
	commentId: string;
	userId: string;
	conferenceId: string;
	readAt: number | null;
}

/** An unread mention with what the bell shows of it. */
export interface UnreadMention {
	commentId: string;
	threadId: string;
	docId: string;
	authorId: string;
	body: string;
	createdAt: number;
}

export interface CommentStore {
	/**
	 * A thread with its first comment (a suggestion may have none) and that comment's mentions, in one
	 * transaction that holds the document's row while it counts: nothing is stored (and the limit hit
	 * is returned) when the document has `limits.threads` threads or `limits.comments` comments already.
	 */
	addThread(thread: ThreadRecord, first: CommentRecord | null, mentions: readonly MentionRecord[], limits: CommentCaps): Promise<'threads' | 'comments' | null>;
	/** A reply and its mentions, counted and stored like `addThread` (`limits.perThread` for its thread). */
	addComment(docId: string, comment: CommentRecord, mentions: readonly MentionRecord[], limits: CommentCaps): Promise<'comments' | 'perThread' | null>;
	/** One thread of a document with its comments (oldest first) and their mentions. */
	threadWith(docId: string, threadId: string): Promise<{ thread: ThreadRecord; comments: CommentRecord[]; mentions: MentionRecord[] } | null>;
	/** A document's threads, oldest first, with their comments (oldest first) and mentions. */
	listThreads(docId: string): Promise<{ threads: ThreadRecord[]; comments: CommentRecord[]; mentions: MentionRecord[] }>;
	getComment(id: string): Promise<CommentRecord | null>;
	setResolved(threadId: string, by: string | null, at: number | null): Promise<void>;
	setHidden(commentId: string, by: string | null, at: number | null): Promise<void>;
	/** Records the decision on a pending suggestion; false when it was no longer pending (someone decided first). */
	decide(threadId: string, decision: 'accepted' | 'rejected', by: string, at: number): Promise<boolean>;
	/** Takes a decision back (an accepted suggestion that could not be applied). */
	undecide(threadId: string): Promise<void>;
	/** The caller's unread mentions in a conference, newest first (hidden comments, and comments of a thread whose first comment is hidden, left out). */
	unreadMentions(userId: string, conferenceId: string): Promise<UnreadMention[]>;
	markMentionsRead(userId: string, conferenceId: string, at: number): Promise<void>;
}

/** Which conference follows which (后续跟踪), and the ledger items each carries over. */
export interface SuccessionStore {
	/** The successor and what it carries, in one transaction. */
	link(successorId: string, predecessorId: string, by: string, at: number, carried: readonly CarriedItem[]): Promise<void>;
	predecessorOf(conferenceId: string): Promise<string | null>;
	successorOf(conferenceId: string): Promise<string | null>;
	carriedInto(conferenceId: string): Promise<CarriedItem[]>;
	/** The conferences an item is carried into. */
	carriersOf(proposalId: string): Promise<CarriedItem[]>;
}

/** A 红黑榜 as published: frozen with the rule, the lamp rule and the round it was computed from. */
export interface HonorBoardRecord {
	id: string;
	conferenceId: string;
	roundId: string;
	roundTitle: string;
	periodEnd: string;
	settings: HonorSettings;
	thresholds: { amberBelow: number; redBelow: number };
	tracks: HonorTrack[];
	publishedBy: string;
	publishedAt: number;
}

/** Points against 序时 below which a project's lamp is amber, and below which it is red (amberBelow > redBelow). */
export interface LampThresholdsRecord {
	conferenceId: string;
	amberBelow: number;
	redBelow: number;
	updatedBy: string;
	updatedAt: number;
}

/** A case of the case library (案例库). */
export interface CaseRecord {
	id: string;
	conferenceId: string;
	kind: CaseKind;
	title: string;
	projectId: string | null;
	sector: string;
	sourceDocId: string | null;
	proposalId: string | null;
	sections: CaseSections;
	measure: CaseMeasure | null;
	figures: CaseFigures;
	createdBy: string;
	createdAt: number;
	updatedBy: string;
	updatedAt: number;
	version: number;
}

/** The case library. An edit is conditional on the version it was based on, so of two at once one wins. */
export interface CaseStore {
	create(record: CaseRecord): Promise<void>;
	get(id: string): Promise<CaseRecord | null>;
	/** The cases of the conferences named that match the query (text in the title or a section, sector, kind), newest first, at most `limit`. */
	search(conferenceIds: readonly string[], query: Omit<CaseQuery, 'conference'>, limit: number): Promise<CaseRecord[]>;
	/** Stores the new text if the case is still at `version`; false otherwise (nothing written). */
	update(id: string, version: number, change: Pick<CaseRecord, 'kind' | 'title' | 'sector' | 'sections' | 'updatedBy' | 'updatedAt'>): Promise<boolean>;
	/** False when there was no such case. */
	delete(id: string): Promise<boolean>;
}

export interface ProjectRecord {
	id: string;
	conferenceId: string;
	breakoutId: string;
	name: string;
	/** 项目代码 from the national investment project platform. */
	code: string;
	sector: string;
	region: string;
	ownerUnit: string;
	createdAt: number;
}

export interface BreakoutRecord {
	id: string;
	conferenceId: string;
	name: string;
	/** 交通 水利 能源 市政 … ('' for a breakout by region). */
	sector: string;
	region: string;
	/** Closed breakouts are hidden from members of other breakouts. */
	closed: boolean;
	createdAt: number;
}

export interface MemberRecord {
	conferenceId: string;
	userId: string;
	role: Role;
	unitType: string;
	breakoutIds: string[];
	addedAt: number;
	/** 请假: excused from the meeting (set apart from the membership: saving a membership keeps it). */
	onLeave?: boolean;
}

export interface ConferenceStore {
	create(conference: ConferenceRecord): Promise<void>;
	get(id: string): Promise<ConferenceRecord | null>;
	/** Conferences `userId` is a member of, newest first. */
	listForUser(userId: string): Promise<ConferenceRecord[]>;
	listAll(): Promise<ConferenceRecord[]>;
	updateDetails(id: string, details: ConferenceDetails): Promise<void>;
	setModeratorsApprove(id: string, allowed: boolean): Promise<void>;
	setAgenda(id: string, agenda: Agenda): Promise<void>;
	createProject(project: ProjectRecord): Promise<void>;
	getProject(id: string): Promise<ProjectRecord | null>;
	/** Oldest first. */
	listProjects(conferenceId: string): Promise<ProjectRecord[]>;
	deleteProject(id: string): Promise<void>;
	createBreakout(breakout: BreakoutRecord): Promise<void>;
	getBreakout(id: string): Promise<BreakoutRecord | null>;
	listBreakouts(conferenceId: string): Promise<BreakoutRecord[]>;
	setBreakoutClosed(id: string, closed: boolean): Promise<void>;
	/**
	 * Inserts or replaces the membership, breakouts included, in one transaction; false (nothing
	 * written) when it would take the conference's last organizer away. Member changes of one
	 * conference are serialized, so two organizers demoting each other at once leave one.
	 */
	putMember(member: MemberRecord): Promise<boolean>;
	getMember(conferenceId: string, userId: string): Promise<MemberRecord | null>;
	listMembers(conferenceId: string): Promise<MemberRecord[]>;
	/** 'last_organizer' (nothing removed) when they are the conference's last organizer; serialized as putMember. */
	removeMember(conferenceId: string, userId: string): Promise<'removed' | 'not_member' | 'last_organizer'>;
	/** Marks a member as excused (请假) or present; false when they are no member. */
	setOnLeave(conferenceId: string, userId: string, onLeave: boolean): Promise<boolean>;
}


export interface AuditEntry {
	id: number;
	at: number;
	actorId: string | null;
	actorName: string;
	/** The conference the event belongs to; null for instance-wide events such as sign-ins. */
	conferenceId: string | null;
	action: AuditAction;
	/** What was acted on: a user, a document, a breakout (display text). */
	target: string;
	detail: string;
	address: string;
}

export interface AuditFilter {
	conferenceId?: string;
	action?: AuditAction;
	actorId?: string;
	/** Entries with a smaller id (paging backwards). */
	beforeId?: number;
	limit: number;
}

/** Append-only: there is no way to change or delete an entry. */
export interface AuditLog {
	append(entry: Omit<AuditEntry, 'id'>): Promise<void>;
	/** Newest first. */
	list(filter: AuditFilter): Promise<AuditEntry[]>;
}

export interface InviteRecord {
	id: string;
	conferenceId: string;
	secretHash: Uint8Array;
	role: Role;
	breakoutIds: string[];
	expiresAt: number;
	maxUses: number;
	uses: number;
	revoked: boolean;
	createdBy: string;
	createdAt: number;
}

export interface InviteStore {
	create(invite: InviteRecord): Promise<void>;
	get(id: string): Promise<InviteRecord | null>;
	list(conferenceId: string): Promise<InviteRecord[]>;
	revoke(id: string): Promise<void>;
	/** Counts one use if the invite is still usable at `now`; false when it is not (atomic). */
	use(id: string, now: number): Promise<boolean>;
}

/** A one-time sign-in link for an account bound to a conference (imported attendees, guests). */
export interface SignInLinkRecord {
	id: string;
	userId: string;
	conferenceId: string;
	secretHash: Uint8Array;
	expiresAt: number;
	usedAt: number | null;
	createdBy: string;
	createdAt: number;
}

export interface ImportedPerson {
	user: UserRecord;
	member: MemberRecord;
	link: SignInLinkRecord;
}

export interface AttendeeStore {
	/** Creates every account, membership and sign-in link in one transaction: all of them or none. */
	importPeople(people: readonly ImportedPerson[]): Promise<void>;
	/** Stores a new sign-in link, voiding the user's unused ones. */
	replaceLink(link: SignInLinkRecord): Promise<void>;
	getLink(id: string): Promise<SignInLinkRecord | null>;
	/** Marks the link used if it is unused and unexpired at `now`; false otherwise (atomic). */
	redeemLink(id: string, now: number): Promise<boolean>;
}

/** A question of the live room. `scope` is 'plenary' or a breakout id. */
export interface QuestionRecord {
	id: string;
	conferenceId: string;
	scope: string;
	askerId: string;
	text: string;
	/** Seen by the asker and the moderators only. */
	private: boolean;
	hidden: boolean;
	pinned: boolean;
	answer: string;
	answeredBy: string | null;
	createdAt: number;
}

export interface EditGrant {
	conferenceId: string;
	breakoutId: string;
	userId: string;
	grantedBy: string;
	expiresAt: number;
}

/** Q&A, raised hands and edit grants of the live room. */
export interface LiveRoomStore {
	ask(q: QuestionRecord): Promise<void>;
	getQuestion(id: string): Promise<QuestionRecord | null>;
	/** Oldest first, each with its number of votes and whether `userId` voted. */
	listQuestions(conferenceId: string, scope: string, userId: string): Promise<(QuestionRecord & { votes: number; votedByMe: boolean })[]>;
	/** Counts `userId`'s vote once; false when it was already counted. */
	vote(questionId: string, userId: string): Promise<boolean>;
	moderate(id: string, change: Partial<Pick<QuestionRecord, 'hidden' | 'pinned' | 'answer' | 'answeredBy'>>): Promise<void>;
	raiseHand(conferenceId: string, breakoutId: string, userId: string, at: number): Promise<void>;
	lowerHand(breakoutId: string, userId: string): Promise<void>;
	/** Oldest first. */
	listHands(breakoutId: string): Promise<{ userId: string; raisedAt: number }[]>;
	grant(g: EditGrant): Promise<void>;
	revokeGrant(breakoutId: string, userId: string): Promise<boolean>;
	listGrants(breakoutId: string, now: number): Promise<EditGrant[]>;
	/** The breakouts of `conferenceId` where `userId` may edit by grant at `now`. */
	grantedBreakouts(conferenceId: string, userId: string, now: number): Promise<string[]>;
}

export interface UserStore {
	create(user: UserRecord): Promise<void>;
	findById(id: string): Promise<UserRecord | null>;
	/** Case-insensitive. */
	findByUsername(username: string): Promise<UserRecord | null>;
	count(): Promise<number>;
	/** Oldest first. */
	list(): Promise<UserRecord[]>;
	setPasswordHash(id: string, passwordHash: string): Promise<void>;
}

export interface SessionStore {
	insert(session: SessionRecord): Promise<void>;
	find(id: string): Promise<SessionRecord | null>;
	setExpiry(id: string, expiresAt: number): Promise<void>;
	delete(id: string): Promise<void>;
	/** Deletes every session of `userId` except `keepId` (when given). */
	deleteForUser(userId: string, keepId?: string): Promise<void>;
	deleteExpired(now: number): Promise<number>;
}

export interface DocumentStore {
	create(doc: DocumentRecord): Promise<void>;
	get(id: string): Promise<DocumentRecord | null>;
	/** Newest first. */
	list(limit: number): Promise<DocumentRecord[]>;
	/** The documents of a conference or a breakout, oldest first. */
	listIn(parent: DocumentParent): Promise<DocumentRecord[]>;
	touch(ids: string[], at: number): Promise<void>;
	/** Links the document to a project, or unlinks it (null). */
	setProject(id: string, projectId: string | null): Promise<void>;
	/** The accounts bound to the document's Yjs client ids (who wrote under each): the history's attribution. */
	writers(id: string): Promise<ClientClaim[]>;
}

/** The stored state of one document: a snapshot (or none) plus the updates logged after it. */
export interface StoredDocState {
	snapshot: Uint8Array | null;
	updates: Uint8Array[];
	/** Highest sequence number covered by the snapshot or the updates; 0 when empty. */
	lastSeq: number;
	/** Which account writes under each Yjs client id of the document (see `UpdateEntry.claims`). */
	claims: ClientClaim[];
}

/** One update of a document's log with its sequence number. */
export interface LoggedUpdate {
	seq: number;
	data: Uint8Array;
}

/** A Yjs client id of one document, bound to the account that first wrote under it. */
export interface ClientClaim {
	clientId: number;
	userId: string;
}

export interface UpdateEntry {
	docId: string;
	data: Uint8Array;
	/** Client ids this update is the first to write under: stored in the same transaction as the update. */
	claims?: readonly ClientClaim[];
}

/**
 * The append-only update log with snapshot compaction. `append` commits a whole batch in one
 * transaction (the group commit) and resolves only once it is durable.
 */
export interface UpdateLog {
	load(docId: string): Promise<StoredDocState>;
	/**
	 * Commits the batch in one transaction and returns each entry's sequence number, in order: a
	 * document's numbers run 1, 2, 3 … without gaps, in the order its appends commit, whichever
	 * process appends (so that a reader holding every number up to n holds every update up to n).
	 */
	append(batch: readonly UpdateEntry[]): Promise<number[]>;
	/**
	 * The updates numbered after `afterSeq`, in order (catching up without reloading the document);
	 * null when a snapshot took some of them.
	 */
	since(docId: string, afterSeq: number): Promise<LoggedUpdate[] | null>;
	/**
	 * Atomically stores `snapshot` as covering every update numbered up to `upToSeq` and deletes those
	 * updates. The snapshot must contain all of them; it may contain more (Yjs updates are idempotent).
	 * A snapshot already stored that covers more stays (two instances compacting at once).
	 */
	compact(docId: string, snapshot: Uint8Array, upToSeq: number): Promise<void>;
	/** Stores client ids taken before anything was written under them (seen in presence first); the first owner stays. */
	claim(docId: string, claims: readonly ClientClaim[]): Promise<void>;
}

/** Named leases: work that one process of several does at a time. */
export interface LeaseStore {
	/** Takes (or renews) `name` for `holder` until `until`, unless another holder has it after `now`; true when held. */
	take(name: string, holder: string, now: number, until: number): Promise<boolean>;
	/** Gives `name` up, if `holder` has it. */
	release(name: string, holder: string): Promise<void>;
	/** Gives every lease up: at start on SQLite, where this is the only process, what is held is a crashed run's. */
	releaseAll(): Promise<void>;
}

export interface Storage {
	users: UserStore;
	leases: LeaseStore;
	conferences: ConferenceStore;
	audit: AuditLog;
	invites: InviteStore;
	attendees: AttendeeStore;
	liveRoom: LiveRoomStore;
	proposals: ProposalStore;
	ledger: LedgerStore;
	reports: ReportStore;
	cases: CaseStore;
	successions: SuccessionStore;
	versions: VersionStore;
	comments: CommentStore;
	sessions: SessionStore;
	documents: DocumentStore;
	updates: UpdateLog;
	close(): Promise<void>;
}
