import type { Agenda, AgendaWarning, Countdown } from '$lib/shared/agenda';
import type { ErrorBody } from '$lib/shared/error-codes';
import type { LedgerSettings, LedgerStatus, LedgerTransition } from '$lib/shared/ledger';
import type { HonorSettings, HonorTrack } from '$lib/shared/honor-board';
import type { KpiSet, LampThresholds } from '$lib/shared/kpi';
import type { DerivedIndicators, FigureValue, Lamp, ReportStatus, ReportTransition } from '$lib/shared/project-report';
import type { Role } from '$lib/shared/roles';
import type { Version } from '$lib/shared/versions';
import type { Comment, CommentAnchor, CommentThread, Mention, SuggestionAnchor, ThreadsResponse } from '$lib/shared/comments';
import type {
	AttendeePreview,
	Breakout,
	CauseInfo,
	Conference,
	ConferenceView,
	ConferenceDetailsInput,
	HandsInfo,
	Question,
	CreateDocumentRequest,
	DocumentMeta,
	Invite,
	InviteInfo,
	LedgerDetail,
	LedgerItemView,
	LoginRequest,
	Member,
	NewUserRequest,
	Project,
	Proposal,
	Resolution,
	SignInLink,
	SignInLinkInfo,
	User
} from '$lib/shared/schemas';

/** A reporting round as listed (GET /api/conferences/<id>/report-rounds). */
export interface ReportRoundSummary {
	id: string;
	title: string;
	periodEnd: string;
	deadline: string;
	createdAt: string;
	total: number;
	counts: Record<ReportStatus, number>;
	overdue: number;
	mine: number;
	mineOpen: number;
	toReview: number;
}

export interface ReportPerson {
	name: string;
	unit: string;
}

/** One report as a round lists it. */
export interface ReportRow {
	id: string;
	roundId: string;
	project: { id: string; name: string; code: string; sector: string; region: string; breakoutId: string } | null;
	unit: string;
	status: ReportStatus;
	overdue: boolean;
	version: number;
	submissions: number;
	updatedAt: string;
	decidedAt: string | null;
	derived: DerivedIndicators;
	lamp: Lamp | null;
	mine: boolean;
	mayEdit: boolean;
	mayReview: boolean;
}

export interface ReportRoundInfo {
	id: string;
	title: string;
	periodEnd: string;
	deadline: string;
	timeElapsed: number;
}

/** The conference's lamp rule; `custom` once an organizer set it. */
export type LampRule = LampThresholds & { custom: boolean };

/** A round as the dashboard names it. */
export interface DashboardRound {
	id: string;
	title: string;
	periodEnd: string;
	deadline: string;
	createdAt: string;
}

/** A project on the stage-one dashboard: its lamp, and where the conference took it up. */
export interface DashboardProject {
	id: string;
	code: string;
	name: string;
	sector: string;
	region: string;
	breakout: { id: string; name: string } | null;
	report: { id: string; status: ReportStatus } | null;
	derived: DerivedIndicators | null;
	lamp: Lamp | null;
	documents: { id: string; title: string; kind: string }[];
	resolutions: { proposalId: string; number: string; ledgerNumber: string; title: string; status: LedgerStatus; percent: number; deadline: string }[];
}

/** One round's totals and by sector. */
export interface DashboardPoint {
	round: DashboardRound;
	timeElapsed: number;
	total: KpiSet;
	bySector: (KpiSet & { label: string })[];
}

/** GET /api/conferences/<id>/dashboard. */
export interface DashboardData {
	round: (DashboardRound & { timeElapsed: number }) | null;
	rounds: DashboardRound[];
	thresholds: LampRule;
	pending: number;
	total: KpiSet | null;
	bySector: (KpiSet & { label: string })[];
	byRegion: (KpiSet & { label: string })[];
	series: DashboardPoint[];
	/** Last year's conference (the one this follows) over the same projects: the two years compared. */
	previous: { conferenceId: string; title: string; series: DashboardPoint[] } | null;
	projects: DashboardProject[];
	mayConfigure: boolean;
}

/** A 红黑榜 as published into the minutes (frozen). */
export interface PublishedHonorBoard {
	id: string;
	roundId: string;
	roundTitle: string;
	periodEnd: string;
	settings: HonorSettings;
	thresholds: LampThresholds;
	tracks: HonorTrack[];
	publishedAt: string;
	publishedBy: ReportPerson | null;
}

/** GET /api/conferences/<id>/honor-board. */
export interface HonorBoardData {
	round: DashboardRound | null;
	accepted: number;
	tracks: HonorTrack[];
	settings: HonorSettings & { custom: boolean };
	thresholds: LampThresholds;
	/** The latest in full; earlier ones as who published what, when. */
	published: [PublishedHonorBoard, ...Pick<PublishedHonorBoard, 'id' | 'roundId' | 'roundTitle' | 'periodEnd' | 'publishedAt' | 'publishedBy'>[]] | [];
	mayConfigure: boolean;
}

/** One report with its figures' provenance, evidence and history. */
export interface ReportDetail extends ReportRow {
	round: ReportRoundInfo;
	thresholds: LampRule;
	figures: { key: string; value: FigureValue; by: ReportPerson | null; at: string | null; submission: number | null; evidence: string[] }[];
	accepted: { by: ReportPerson | null; at: string | null } | null;
	evidence: { id: string; section: string; name: string; size: number; mime: string; at: string; by: ReportPerson | null }[];
	events: { kind: string; fromStatus: ReportStatus; toStatus: ReportStatus; reason: string; at: string; by: ReportPerson | null }[];
}

/** What checking or importing a filled-in template found. */
export interface ReportImportResult {
	fileProblem: string | null;
	rows: { row: number; reportId: string; problems: { column: string; reason: string }[] }[];
	rejectedRows: number;
	saved: number;
}

export interface AuditEntry {
	id: number;
	at: string;
	actorName: string;
	action: string;
	target: string;
	detail: string;
	address: string;
}

/** A failed API call: the HTTP status and the stable error code from the server's error envelope. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		readonly code: string,
		message: string
	) {
		super(message);
	}
}

/** "?a=1&b=2" of the given values ('' when none is). */
function query(values: Record<string, string | undefined>): string {
	const q = new URLSearchParams(Object.entries(values).filter((e): e is [string, string] => e[1] !== undefined)).toString();
	return q ? `?${q}` : '';
}

/** A JSON body, a file sent as it is (with its own type), or form data; an `ApiError` with the server's code when refused. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
	let res: Response;
	const headers: Record<string, string> = {};
	// Form data brings its own multipart type (with the boundary).
	const raw = body instanceof Blob || body instanceof FormData;
	if (body instanceof Blob) headers['content-type'] = body.type || 'application/octet-stream';
	else if (body !== undefined && !raw) headers['content-type'] = 'application/json';
	try {
		res = await fetch(path, {
			method,
			headers,
			body: body === undefined || raw ? (body as BodyInit | undefined) : JSON.stringify(body),
			credentials: 'same-origin'
		});
	} catch {
		throw new ApiError(0, 'network_error', 'network error');
	}
	if (res.status === 204) return undefined as T;
	const data: unknown = await res.json().catch(() => null);
	if (!res.ok) {
		const err = (data as ErrorBody | null)?.error;
		throw new ApiError(res.status, err?.code ?? 'internal_error', err?.message ?? res.statusText);
	}
	return data as T;
}

/** The file name a download's `Content-Disposition` gives (its UTF-8 form first), or `fallback`. */
function dispositionName(header: string | null, fallback: string): string {
	const utf8 = header?.match(/filename\*=UTF-8''([^;]+)/iu)?.[1];
	if (utf8) {
		try {
			return decodeURIComponent(utf8);
		} catch {
			// A malformed name falls back to the plain one.
		}
	}
	return header?.match(/filename="([^"]*)"/iu)?.[1] || fallback;
}

/** A file the server builds (an export): its bytes and name, or an `ApiError` with the server's code. */
export async function downloadFile(path: string, fallbackName: string): Promise<{ blob: Blob; name: string }> {
	let res: Response;
	try {
		res = await fetch(path, { credentials: 'same-origin' });
	} catch {
		throw new ApiError(0, 'network_error', 'network error');
	}
	if (!res.ok) {
		const err = ((await res.json().catch(() => null)) as ErrorBody | null)?.error;
		throw new ApiError(res.status, err?.code ?? 'internal_error', err?.message ?? res.statusText);
	}
	return { blob: await res.blob(), name: dispositionName(res.headers.get('content-disposition'), fallbackName) };
}

export type { HandsInfo, Question };

/** Typed client for `/api`. */
export const api = {
	login: (body: LoginRequest) => request<User>('POST', '/api/auth/login', body),
	logout: () => request<void>('POST', '/api/auth/logout'),
	me: () => request<User>('GET', '/api/me'),
	/** The 500 most recently changed documents the caller may read, or all of one conference's. */
	listDocuments: (conferenceId?: string) =>
		request<{ documents: DocumentMeta[] }>('GET', conferenceId === undefined ? '/api/documents' : `/api/documents?conferenceId=${encodeURIComponent(conferenceId)}`),
	createDocument: (body: CreateDocumentRequest) => request<DocumentMeta>('POST', '/api/documents', body),
	changePassword: (currentPassword: string, newPassword: string) => request<void>('POST', '/api/me/password', { currentPassword, newPassword }),
	resetPassword: (userId: string, newPassword: string) => request<void>('POST', `/api/users/${encodeURIComponent(userId)}/password`, { newPassword }),
	revokeSessions: (userId: string) => request<void>('POST', `/api/users/${encodeURIComponent(userId)}/sessions/revoke`),
	listUsers: () => request<{ users: User[] }>('GET', '/api/users'),
	createUser: (body: NewUserRequest) => request<User>('POST', '/api/users', body),
	listConferences: () => request<{ conferences: Conference[] }>('GET', '/api/conferences'),
	createConference: (body: ConferenceDetailsInput & { organizerId?: string }) => request<Conference>('POST', '/api/conferences', body),
	getConference: (id: string) => request<ConferenceView>('GET', `/api/conferences/${encodeURIComponent(id)}`),
	listMembers: (id: string) => request<{ members: Member[] }>('GET', `/api/conferences/${encodeURIComponent(id)}/members`),
	addMember: (id: string, body: { username: string; role: Role; unitType?: string; breakoutIds?: string[] }) =>
		request<Member>('POST', `/api/conferences/${encodeURIComponent(id)}/members`, body),
	setOnLeave: (id: string, userId: string, onLeave: boolean) =>
		request<void>('PUT', `/api/conferences/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}/leave`, { onLeave }),
	removeMember: (id: string, userId: string) =>
		request<void>('DELETE', `/api/conferences/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}`),
	audit: (id: string, action: string) =>
		request<{ entries: AuditEntry[] }>('GET', `/api/conferences/${encodeURIComponent(id)}/audit${action ? `?action=${encodeURIComponent(action)}` : ''}`),
	inviteInfo: (token: string) => request<InviteInfo>('GET', `/api/invites/${encodeURIComponent(token)}`),
	acceptInvite: (token: string, body: { displayName: string; unit: string }) => request<User>('POST', `/api/invites/${encodeURIComponent(token)}/accept`, body),
	listInvites: (id: string) => request<{ invites: Invite[] }>('GET', `/api/conferences/${encodeURIComponent(id)}/invites`),
	createInvite: (id: string, body: { role: Role; breakoutIds: string[]; expiresInHours: number; maxUses: number }) =>
		request<Invite>('POST', `/api/conferences/${encodeURIComponent(id)}/invites`, body),
	revokeInvite: (id: string, inviteId: string) => request<void>('DELETE', `/api/conferences/${encodeURIComponent(id)}/invites/${encodeURIComponent(inviteId)}`),
	createBreakout: (id: string, body: { name: string; sector?: string; region?: string }) =>
		request<Breakout>('POST', `/api/conferences/${encodeURIComponent(id)}/breakouts`, body),
	updateConference: (id: string, body: ConferenceDetailsInput) => request<void>('PATCH', `/api/conferences/${encodeURIComponent(id)}`, body),
	getAgenda: (id: string) => request<{ agenda: Agenda; warnings: AgendaWarning[] }>('GET', `/api/conferences/${encodeURIComponent(id)}/agenda`),
	putAgenda: (id: string, agenda: Agenda) => request<{ agenda: Agenda; warnings: AgendaWarning[] }>('PUT', `/api/conferences/${encodeURIComponent(id)}/agenda`, agenda),
	setNow: (id: string, itemId: string | null) => request<void>('PUT', `/api/conferences/${encodeURIComponent(id)}/now`, { itemId }),
	countdown: (id: string, body: { scope: string; action: 'start' | 'pause' | 'resume' | 'extend' | 'stop'; minutes?: number; label?: string }) =>
		request<{ countdown: Countdown | null }>('POST', `/api/conferences/${encodeURIComponent(id)}/countdown`, body),
	listProjects: (id: string) => request<{ projects: Project[] }>('GET', `/api/conferences/${encodeURIComponent(id)}/projects`),
	createProject: (id: string, body: Omit<Project, 'id'>) => request<Project>('POST', `/api/conferences/${encodeURIComponent(id)}/projects`, body),
	deleteProject: (id: string, projectId: string) => request<void>('DELETE', `/api/conferences/${encodeURIComponent(id)}/projects/${encodeURIComponent(projectId)}`),
	questions: (id: string, scope: string) =>
		request<{ questions: Question[]; moderator: boolean }>('GET', `/api/conferences/${encodeURIComponent(id)}/questions?scope=${encodeURIComponent(scope)}`),
	ask: (id: string, body: { scope: string; text: string; private: boolean }) => request<{ id: string }>('POST', `/api/conferences/${encodeURIComponent(id)}/questions`, body),
	vote: (id: string, questionId: string) => request<void>('POST', `/api/conferences/${encodeURIComponent(id)}/questions/${encodeURIComponent(questionId)}/vote`),
	moderateQuestion: (id: string, questionId: string, body: { hidden?: boolean; pinned?: boolean; answer?: string }) =>
		request<void>('PATCH', `/api/conferences/${encodeURIComponent(id)}/questions/${encodeURIComponent(questionId)}`, body),
	hands: (id: string, breakoutId: string) => request<HandsInfo>('GET', `/api/conferences/${encodeURIComponent(id)}/breakouts/${encodeURIComponent(breakoutId)}/hands`),
	raiseHand: (id: string, breakoutId: string) => request<void>('POST', `/api/conferences/${encodeURIComponent(id)}/breakouts/${encodeURIComponent(breakoutId)}/hand`),
	lowerHand: (id: string, breakoutId: string) => request<void>('DELETE', `/api/conferences/${encodeURIComponent(id)}/breakouts/${encodeURIComponent(breakoutId)}/hand`),
	grant: (id: string, breakoutId: string, userId: string) =>
		request<void>('PUT', `/api/conferences/${encodeURIComponent(id)}/breakouts/${encodeURIComponent(breakoutId)}/grants/${encodeURIComponent(userId)}`),
	revokeGrant: (id: string, breakoutId: string, userId: string) =>
		request<void>('DELETE', `/api/conferences/${encodeURIComponent(id)}/breakouts/${encodeURIComponent(breakoutId)}/grants/${encodeURIComponent(userId)}`),
	presence: (id: string) =>
		request<{ documents: { documentId: string; editors: { id: string; name: string; unit: string; unitType: string }[]; watching: number }[] }>(
			'GET',
			`/api/conferences/${encodeURIComponent(id)}/presence`
		),
	propose: (docId: string, blockIds: string[]) => request<{ proposals: Proposal[] }>('POST', `/api/documents/${encodeURIComponent(docId)}/proposals`, { blockIds }),
	proposals: (id: string, filter: { status?: Proposal['status']; sourceDocId?: string } = {}) =>
		request<{ proposals: Proposal[] }>('GET', `/api/conferences/${encodeURIComponent(id)}/proposals${query(filter)}`),
	approve: (proposalId: string) => request<Proposal>('POST', `/api/proposals/${encodeURIComponent(proposalId)}/approve`),
	ledger: (id: string) =>
		request<{ items: LedgerItemView[]; today: string; settings: LedgerSettings; mayConfigure: boolean }>('GET', `/api/conferences/${encodeURIComponent(id)}/ledger`),
	ledgerItem: (itemId: string) => request<LedgerDetail>('GET', `/api/ledger/${encodeURIComponent(itemId)}`),
	reportProgress: (itemId: string, form: FormData) => request<LedgerDetail>('POST', `/api/ledger/${encodeURIComponent(itemId)}/reports`, form),
	ledgerStep: (itemId: string, action: LedgerTransition, reason: string) =>
		request<LedgerDetail>('POST', `/api/ledger/${encodeURIComponent(itemId)}/transitions`, { action, reason }),
	askExtension: (itemId: string, deadline: string, reason: string) =>
		request<LedgerDetail>('POST', `/api/ledger/${encodeURIComponent(itemId)}/extensions`, { deadline, reason }),
	decideExtension: (extensionId: string, approve: boolean, reason: string) =>
		request<LedgerDetail>('POST', `/api/ledger-extensions/${encodeURIComponent(extensionId)}/decision`, { approve, reason }),
	ledgerSettings: (id: string, settings: LedgerSettings) => request<void>('PUT', `/api/conferences/${encodeURIComponent(id)}/ledger-settings`, settings),
	withdraw: (proposalId: string, reason: string) => request<Proposal>('POST', `/api/proposals/${encodeURIComponent(proposalId)}/withdraw`, { reason }),
	resolutions: (id: string) => request<{ resolutions: Resolution[] }>('GET', `/api/conferences/${encodeURIComponent(id)}/resolutions`),
	approveUpdate: (proposalId: string) => request<Proposal>('POST', `/api/proposals/${encodeURIComponent(proposalId)}/update`),
	decline: (proposalId: string, reason: string) => request<void>('POST', `/api/proposals/${encodeURIComponent(proposalId)}/decline`, { reason }),
	setPromotionSettings: (id: string, moderatorsApprove: boolean) =>
		request<void>('PUT', `/api/conferences/${encodeURIComponent(id)}/promotion-settings`, { moderatorsApprove }),
	serverTime: () => request<{ now: number }>('GET', '/api/time'),
	previewAttendees: (id: string, file: Blob) => request<AttendeePreview>('POST', `/api/conferences/${encodeURIComponent(id)}/attendees/preview`, file),
	importAttendees: (id: string, file: Blob, linkHours: number) =>
		request<{ links: SignInLink[] }>('POST', `/api/conferences/${encodeURIComponent(id)}/attendees/import?linkHours=${linkHours}`, file),
	issueSignInLink: (id: string, userId: string) =>
		request<SignInLink>('POST', `/api/conferences/${encodeURIComponent(id)}/members/${encodeURIComponent(userId)}/signin-link`),
	signInLinkInfo: (token: string) => request<SignInLinkInfo>('GET', `/api/signin-links/${encodeURIComponent(token)}`),
	redeemSignInLink: (token: string) => request<User & { conferenceId: string }>('POST', `/api/signin-links/${encodeURIComponent(token)}/redeem`),
	documentCauses: (id: string) => request<{ causes: CauseInfo[] }>('GET', `/api/documents/${encodeURIComponent(id)}/causes`),
	getDocument: (id: string) => request<DocumentMeta>('GET', `/api/documents/${encodeURIComponent(id)}`),
	reportRounds: (id: string) =>
		request<{ rounds: ReportRoundSummary[]; today: string; mayManage: boolean; mayReview: boolean }>('GET', `/api/conferences/${encodeURIComponent(id)}/report-rounds`),
	openReportRound: (id: string, body: { title: string; periodEnd: string; deadline: string }) =>
		request<{ id: string }>('POST', `/api/conferences/${encodeURIComponent(id)}/report-rounds`, body),
	reportRound: (roundId: string) =>
		request<{ round: ReportRoundInfo & { conferenceId: string }; reports: ReportRow[]; thresholds: LampRule; hidden: number; today: string; mayReview: boolean }>('GET', `/api/report-rounds/${encodeURIComponent(roundId)}`),
	projectReport: (reportId: string) => request<ReportDetail>('GET', `/api/project-reports/${encodeURIComponent(reportId)}`),
	saveReport: (reportId: string, version: number, values: Record<string, FigureValue>) =>
		request<ReportDetail>('PUT', `/api/project-reports/${encodeURIComponent(reportId)}`, { version, values }),
	reportEvidence: (reportId: string, form: FormData) => request<ReportDetail>('POST', `/api/project-reports/${encodeURIComponent(reportId)}/evidence`, form),
	reportStep: (reportId: string, action: ReportTransition, version: number, reason: string) =>
		request<ReportDetail>('POST', `/api/project-reports/${encodeURIComponent(reportId)}/transitions`, { action, version, reason }),
	importReports: (roundId: string, file: Blob, check: boolean) =>
		request<ReportImportResult>('POST', `/api/report-rounds/${encodeURIComponent(roundId)}/import?check=${check ? 1 : 0}`, file),
	dashboard: (id: string, roundId: string | null) =>
		request<DashboardData>('GET', `/api/conferences/${encodeURIComponent(id)}/dashboard${roundId ? `?round=${encodeURIComponent(roundId)}` : ''}`),
	honorBoard: (id: string, roundId: string | null) =>
		request<HonorBoardData>('GET', `/api/conferences/${encodeURIComponent(id)}/honor-board${roundId ? `?round=${encodeURIComponent(roundId)}` : ''}`),
	setHonorSettings: (id: string, settings: HonorSettings) => request<HonorSettings & { custom: boolean }>('PUT', `/api/conferences/${encodeURIComponent(id)}/honor-settings`, settings),
	publishHonorBoard: (id: string, roundId: string) => request<PublishedHonorBoard & { created: boolean }>('POST', `/api/conferences/${encodeURIComponent(id)}/honor-boards`, { roundId }),
	createSuccessor: (id: string, body: { title: string; startDate: string; endDate: string }) =>
		request<{ id: string; title: string; breakouts: number; members: number; projects: number; carried: number }>('POST', `/api/conferences/${encodeURIComponent(id)}/successor`, body),
	setLampRule: (id: string, rule: LampThresholds) => request<LampRule>('PUT', `/api/conferences/${encodeURIComponent(id)}/lamp-thresholds`, rule),
	setDocumentProject: (docId: string, projectId: string | null) => request<DocumentMeta>('PUT', `/api/documents/${encodeURIComponent(docId)}/project`, { projectId }),
	listVersions: (docId: string) => request<{ versions: Version[]; mayWrite: boolean }>('GET', `/api/documents/${encodeURIComponent(docId)}/versions`),
	nameVersion: (docId: string, name: string) => request<Version>('POST', `/api/documents/${encodeURIComponent(docId)}/versions`, { name }),
	getVersion: (docId: string, versionId: string) =>
		request<{ version: Version; state: string }>('GET', `/api/documents/${encodeURIComponent(docId)}/versions/${encodeURIComponent(versionId)}`),
	restoreVersion: (docId: string, versionId: string, blockId: string | null) =>
		request<{ before: Version }>('POST', `/api/documents/${encodeURIComponent(docId)}/versions/${encodeURIComponent(versionId)}/restore`, { blockId }),
	documentAuthors: (docId: string) =>
		request<{ authors: Array<{ clientId: number; name: string; unit: string; unitType: string }> }>('GET', `/api/documents/${encodeURIComponent(docId)}/authors`),
	listComments: (docId: string) => request<ThreadsResponse>('GET', `/api/documents/${encodeURIComponent(docId)}/comments`),
	openThread: (docId: string, anchor: CommentAnchor, body: string, mentions: string[]) =>
		request<CommentThread>('POST', `/api/documents/${encodeURIComponent(docId)}/comments`, { anchor, body, mentions }),
	replyThread: (docId: string, threadId: string, body: string, mentions: string[]) =>
		request<Comment>('POST', `/api/documents/${encodeURIComponent(docId)}/comments/${encodeURIComponent(threadId)}/replies`, { body, mentions }),
	resolveThread: (docId: string, threadId: string, resolved: boolean) =>
		request<CommentThread>('PATCH', `/api/documents/${encodeURIComponent(docId)}/comments/${encodeURIComponent(threadId)}`, { resolved }),
	hideComment: (docId: string, threadId: string, commentId: string, hidden: boolean) =>
		request<void>('PATCH', `/api/documents/${encodeURIComponent(docId)}/comments/${encodeURIComponent(threadId)}/${encodeURIComponent(commentId)}`, { hidden }),
	suggest: (docId: string, anchor: SuggestionAnchor, text: string, body: string, mentions: string[]) =>
		request<CommentThread>('POST', `/api/documents/${encodeURIComponent(docId)}/suggestions`, { anchor, text, body, mentions }),
	decideSuggestion: (docId: string, threadId: string, accept: boolean) =>
		request<CommentThread>('POST', `/api/documents/${encodeURIComponent(docId)}/suggestions/${encodeURIComponent(threadId)}/decision`, { accept }),
	decideAllSuggestions: (docId: string, accept: boolean) =>
		request<{ decided: number; stale: number }>('POST', `/api/documents/${encodeURIComponent(docId)}/suggestions/decision`, { accept }),
	listMentions: (conferenceId: string) => request<{ mentions: Mention[] }>('GET', `/api/conferences/${encodeURIComponent(conferenceId)}/mentions`),
	readMentions: (conferenceId: string) => request<void>('POST', `/api/conferences/${encodeURIComponent(conferenceId)}/mentions/read`)
};
