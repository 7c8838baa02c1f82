import { z } from 'zod';
import { dateSchema } from './agenda';
import { roles, unitTypes } from './roles';
import { ledgerStatuses } from './ledger';
import { hasUnsafeCharacters } from './text';

/** Usernames: letters, digits and . _ - ; compared case-insensitively. */
export const usernameSchema = z
	.string()
	.trim()
	.min(2)
	.max(64)
	.regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, dot, underscore and hyphen only');

export const passwordSchema = z.string().min(8).max(256);

export const loginRequestSchema = z.object({
	username: z.string().min(1).max(64),
	password: z.string().min(1).max(256)
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export const userSchema = z.object({
	id: z.string(),
	username: z.string(),
	displayName: z.string(),
	unit: z.string(),
	color: z.string(),
	isAdmin: z.boolean(),
	/** The conference an invited guest or imported attendee is bound to (it sees that conference only); null for regular accounts. */
	boundConferenceId: z.string().nullable()
});
export type User = z.infer<typeof userSchema>;

export const newUserSchema = z.object({
	username: usernameSchema,
	password: passwordSchema,
	displayName: z.string().trim().min(1).max(64),
	unit: z.string().trim().max(128).default(''),
	isAdmin: z.boolean().default(false)
});
export type NewUserRequest = z.input<typeof newUserSchema>;

export const entityIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

/** What a document is, and so which template the server seeds it with. People create these kinds. */
export const creatableKinds = ['notes', 'analysis', 'plan'] as const;
export type CreatableKind = (typeof creatableKinds)[number];
/** …and the conference's consolidated minutes (会议纪要), which the server creates at the first promotion. */
export const documentKinds = [...creatableKinds, 'minutes'] as const;
export type DocumentKind = (typeof documentKinds)[number];
export const documentIdSchema = entityIdSchema;

export const createDocumentSchema = z.object({
	title: z.string().trim().min(1).max(200),
	/** Seeds the document with its template (on the server, once). */
	kind: z.enum(creatableKinds).default('notes'),
	/** For an analysis: the fishbone categories, 5M1E (人机料法环测) or project delivery. */
	fishbone: z.enum(['5m1e', 'delivery']).default('5m1e'),
	/** A conference-level document, e.g. the consolidated minutes. */
	conferenceId: entityIdSchema.optional(),
	/** A document of one breakout. */
	breakoutId: entityIdSchema.optional(),
	/** An analysis's or plan's project (of its breakout): the dashboard's lamp of the project leads to it. */
	projectId: entityIdSchema.optional()
});

export const documentProjectSchema = z.object({ projectId: entityIdSchema.nullable() });
export type CreateDocumentRequest = z.input<typeof createDocumentSchema>;

export const documentSchema = z.object({
	id: z.string(),
	kind: z.enum(documentKinds),
	title: z.string(),
	/** The conference the document belongs to (directly or through a breakout), if any. */
	conferenceId: z.string().nullable(),
	ownerId: z.string(),
	ownerName: z.string(),
	parentKind: z.enum(['workspace', 'conference', 'breakout']),
	parentId: z.string().nullable(),
	/** The project an analysis or plan is about, if linked. */
	projectId: z.string().nullable(),
	/** What the caller may do with it. */
	myAccess: z.enum(['write', 'read']),
	createdAt: z.string(),
	updatedAt: z.string()
});
export type DocumentMeta = z.infer<typeof documentSchema>;

export const causeSchema = z.object({
	id: z.string(),
	text: z.string(),
	key: z.boolean(),
	category: z.string(),
	documentId: z.string(),
	documentTitle: z.string()
});
export type CauseInfo = z.infer<typeof causeSchema>;

export const documentListSchema = z.object({ documents: z.array(documentSchema) });

const conferenceDetailsShape = {
	title: z.string().trim().min(1).max(200),
	/** YYYY-MM-DD; the agenda starts from it. */
	startDate: z.union([dateSchema, z.literal('')]).default(''),
	endDate: z.union([dateSchema, z.literal('')]).default(''),
	venue: z.string().trim().max(200).default(''),
	/** 主办单位, as printed: 国家发展改革委、住房和城乡建设部、财政部. */
	hosts: z.string().trim().max(500).default('')
};
const datesInOrder = <T extends { startDate: string; endDate: string }>(d: T) => d.startDate === '' || d.endDate === '' || d.endDate >= d.startDate;
const datesMessage = { message: 'endDate is before startDate', path: ['endDate'] };

export const conferenceDetailsSchema = z.object(conferenceDetailsShape).refine(datesInOrder, datesMessage);
export type ConferenceDetailsInput = z.input<typeof conferenceDetailsSchema>;

export const createConferenceSchema = z
	.object({
		...conferenceDetailsShape,
		/** The first organizer; the creating administrator when omitted. */
		organizerId: entityIdSchema.optional()
	})
	.refine(datesInOrder, datesMessage);

export const conferenceSchema = z.object({
	id: z.string(),
	title: z.string(),
	startDate: z.string(),
	endDate: z.string(),
	venue: z.string(),
	hosts: z.string(),
	/** A breakout's moderators may approve its proposals for the minutes. */
	moderatorsApprove: z.boolean(),
	createdAt: z.string(),
	/** The caller's role here, or null for an administrator who is not a member. */
	myRole: z.enum(roles).nullable()
});
export type Conference = z.infer<typeof conferenceSchema>;

export const breakoutSchema = z.object({
	id: z.string(),
	conferenceId: z.string(),
	name: z.string(),
	sector: z.string(),
	region: z.string(),
	closed: z.boolean()
});
export type Breakout = z.infer<typeof breakoutSchema>;

/** A breakout as its conference page shows it to the caller: what the caller may do there. */
export const breakoutViewSchema = breakoutSchema.extend({
	/** The caller belongs to this breakout. */
	mine: z.boolean(),
	/** The caller may create documents in it. */
	mayCreate: z.boolean(),
	/** The caller runs it (moderator of it, or organizer): clock, projects, live room. */
	mayManage: z.boolean()
});
export type BreakoutView = z.infer<typeof breakoutViewSchema>;

/** `GET /api/conferences/<id>`: the conference, its breakouts and what the caller may do in it. */
export const conferenceViewSchema = conferenceSchema.extend({
	breakouts: z.array(breakoutViewSchema),
	/** Runs the conference: members, invites, agenda, audit. */
	mayManage: z.boolean(),
	/** May create the conference's own documents (minutes and the like). */
	mayCreate: z.boolean(),
	/** Decides proposals for the minutes (experts, organizers; moderators for their breakout when allowed). */
	mayApprove: z.boolean(),
	/** Reviews the rectification ledger (supervisors, organizers). */
	mayReview: z.boolean()
});
export type ConferenceView = z.infer<typeof conferenceViewSchema>;

/** Sectors of domain.md §5.2 offered for breakouts and projects; any other text is accepted too. */
export const sectors = ['交通', '水利', '能源', '市政'] as const;

export const createBreakoutSchema = z.object({
	name: z.string().trim().min(1).max(100),
	sector: z.string().trim().max(40).default(''),
	region: z.string().trim().max(60).default('')
});

export const projectSchema = z.object({
	id: z.string(),
	breakoutId: z.string(),
	name: z.string(),
	code: z.string(),
	sector: z.string(),
	region: z.string(),
	ownerUnit: z.string()
});
export type Project = z.infer<typeof projectSchema>;

/** A project's field: printed in the dashboard, the 红黑榜 and the minutes, so without control characters or bidi overrides. */
const projectText = (max: number) =>
	z
		.string()
		.trim()
		.max(max)
		.refine((t) => !hasUnsafeCharacters(t), 'control characters');
export const createProjectSchema = z.object({
	breakoutId: entityIdSchema,
	name: projectText(200).refine((t) => t !== '', 'required'),
	/** 项目代码: e.g. 2020-330000-48-01-012345; free text up to 40 characters. */
	code: projectText(40).default(''),
	sector: projectText(40).default(''),
	region: projectText(60).default(''),
	ownerUnit: projectText(128).default('')
});
export const updateBreakoutSchema = z.object({ closed: z.boolean() });

export const putMemberSchema = z.object({
	role: z.enum(roles),
	unitType: z.union([z.enum(unitTypes), z.literal('')]).default(''),
	breakoutIds: z.array(entityIdSchema).max(50).default([])
});

export const memberSchema = z.object({
	userId: z.string(),
	displayName: z.string(),
	unit: z.string(),
	role: z.enum(roles),
	unitType: z.string(),
	breakoutIds: z.array(z.string()),
	/** The account belongs to this conference (imported or invited): it signs in with one-time links. */
	bound: z.boolean(),
	/** 请假: excused; the minutes list them under 请假. */
	onLeave: z.boolean(),
	/** Contact details, for organizers only. */
	phone: z.string().optional(),
	email: z.string().optional()
});
export type Member = z.infer<typeof memberSchema>;

export const addMemberSchema = putMemberSchema.extend({ username: z.string().trim().min(1).max(64) });

export const changePasswordSchema = z.object({
	currentPassword: z.string().min(1).max(256),
	newPassword: passwordSchema
});

export const resetPasswordSchema = z.object({ newPassword: passwordSchema });

export const createInviteSchema = z.object({
	role: z.enum(roles),
	breakoutIds: z.array(entityIdSchema).max(50).default([]),
	expiresInHours: z.number().int().min(1).max(720).default(72),
	maxUses: z.number().int().min(1).max(1000).default(50)
});

export const inviteSchema = z.object({
	id: z.string(),
	role: z.enum(roles),
	breakoutIds: z.array(z.string()),
	expiresAt: z.string(),
	maxUses: z.number(),
	uses: z.number(),
	revoked: z.boolean(),
	/** Only in the answer to its creation: the link cannot be shown again. */
	path: z.string().optional()
});
export type Invite = z.infer<typeof inviteSchema>;

export const inviteInfoSchema = z.object({
	conferenceId: z.string(),
	conferenceTitle: z.string(),
	role: z.enum(roles)
});
export type InviteInfo = z.infer<typeof inviteInfoSchema>;

export const acceptInviteSchema = z.object({
	displayName: z.string().trim().min(1).max(64),
	unit: z.string().trim().min(1).max(128)
});

/** One problem on one row of an imported attendee list; `value` is what the row said (or the first row, for duplicates). */
export const attendeeFieldErrorSchema = z.object({
	field: z.enum(['displayName', 'unit', 'unitType', 'role', 'breakouts', 'phone', 'email']),
	code: z.enum(['required', 'too_long', 'unknown_unit_type', 'unknown_role', 'unknown_breakout', 'bad_phone', 'bad_email', 'duplicate_in_file', 'already_member']),
	value: z.string()
});
export type AttendeeFieldError = z.infer<typeof attendeeFieldErrorSchema>;

export const attendeeRowSchema = z.object({
	/** The row number in the spreadsheet (the header is row 1). */
	row: z.number(),
	displayName: z.string(),
	unit: z.string(),
	unitType: z.union([z.enum(unitTypes), z.literal('')]),
	role: z.enum(roles),
	breakoutIds: z.array(z.string()),
	phone: z.string(),
	email: z.string(),
	errors: z.array(attendeeFieldErrorSchema)
});
export type AttendeeRow = z.infer<typeof attendeeRowSchema>;

/**
 * What is wrong with the file as a whole. `unpacked_too_large`: the workbook declares more content
 * than a list can have (a zip bomb); `too_complex`: reading it exceeded its time or memory bound.
 */
export const fileProblemSchema = z.object({
	code: z.enum(['unreadable', 'empty', 'missing_column', 'too_many_rows', 'unpacked_too_large', 'too_complex']),
	field: z.string().optional(),
	limit: z.number().optional()
});
export type FileProblem = z.infer<typeof fileProblemSchema>;

export const attendeePreviewSchema = z.object({
	/** Null when the file itself cannot be used; then `rows` is empty. */
	fileProblem: fileProblemSchema.nullable(),
	rows: z.array(attendeeRowSchema),
	/** Rows with at least one error; the import is refused while this is not 0. */
	rejectedRows: z.number()
});
export type AttendeePreview = z.infer<typeof attendeePreviewSchema>;

/** A one-time sign-in link: shown once, when it is made. */
export const signInLinkSchema = z.object({
	userId: z.string(),
	displayName: z.string(),
	unit: z.string(),
	path: z.string(),
	expiresAt: z.string()
});
export type SignInLink = z.infer<typeof signInLinkSchema>;

export const importedAttendeesSchema = z.object({ links: z.array(signInLinkSchema) });

export const signInLinkInfoSchema = z.object({
	displayName: z.string(),
	unit: z.string(),
	conferenceId: z.string(),
	conferenceTitle: z.string()
});
export type SignInLinkInfo = z.infer<typeof signInLinkInfoSchema>;

/** A question of the live room, as the caller may see it. */
export const questionSchema = z.object({
	id: z.string(),
	scope: z.string(),
	text: z.string(),
	askerName: z.string(),
	askerUnit: z.string(),
	mine: z.boolean(),
	private: z.boolean(),
	hidden: z.boolean(),
	pinned: z.boolean(),
	answer: z.string(),
	votes: z.number(),
	votedByMe: z.boolean(),
	createdAt: z.string()
});
export type Question = z.infer<typeof questionSchema>;

const personSchema = z.object({ userId: z.string(), displayName: z.string(), unit: z.string() });

/** A breakout's raised hands and edit grants (lists for its moderators only). */
export const handsSchema = z.object({
	myHand: z.boolean(),
	myGrant: z.boolean(),
	hands: z.array(personSchema.extend({ raisedAt: z.string() })),
	grants: z.array(personSchema.extend({ expiresAt: z.string() }))
});
export type HandsInfo = z.infer<typeof handsSchema>;

const personRefSchema = z.object({ name: z.string(), unit: z.string() });

const blockSnapshotSchema = z.object({
	kind: z.string(),
	text: z.string(),
	key: z.boolean().optional(),
	fields: z.object({ responsibleUnit: z.string(), supportingUnits: z.string().optional(), deadline: z.string(), type: z.string(), criteria: z.string() }).optional()
});

/** A block proposed for the consolidated minutes, as the caller sees it. */
export const proposalSchema = z.object({
	id: z.string(),
	/** An approved (or withdrawn) measure's resolution number, JY-05: given at approval, kept for good; null otherwise. */
	number: z.string().nullable(),
	status: z.enum(['pending', 'approved', 'declined', 'withdrawn']),
	breakoutId: z.string(),
	breakoutName: z.string(),
	sourceDocId: z.string(),
	sourceTitle: z.string(),
	blockId: z.string(),
	/** The block: as approved, or as it stands while pending; null when it no longer exists. */
	block: blockSnapshotSchema.nullable(),
	/** Approved, and the source has changed since: `current` is how it stands now. */
	sourceChanged: z.boolean(),
	/** Approved, and the source block has been deleted from its document since (the minutes keep the approved copy). */
	sourceDeleted: z.boolean(),
	current: blockSnapshotSchema.nullable(),
	proposedBy: personRefSchema.nullable(),
	proposedAt: z.string(),
	decidedBy: personRefSchema.nullable(),
	decidedAt: z.string().nullable(),
	reason: z.string(),
	minutesDocId: z.string().nullable(),
	minutesItemId: z.string().nullable(),
	mayDecide: z.boolean(),
	/** May take a changed source into the minutes. */
	mayUpdate: z.boolean()
});
export type Proposal = z.infer<typeof proposalSchema>;

/** An item of the resolution list (会议决议清单): an approved measure, as the minutes hold it. */
export const resolutionSchema = z.object({
	/** JY-05: given at approval and never changed or reused (一事一号). */
	number: z.string(),
	/** ZG-JT-003: the ledger's number of the same item. */
	ledgerNumber: z.string(),
	proposalId: z.string(),
	title: z.string(),
	leadUnit: z.string(),
	supportingUnits: z.string(),
	deadline: z.string(),
	type: z.string(),
	criteria: z.string(),
	breakoutName: z.string(),
	sourceDocId: z.string(),
	sourceBlockId: z.string(),
	minutesDocId: z.string(),
	minutesItemId: z.string()
});
export type Resolution = z.infer<typeof resolutionSchema>;

/** Who did something, by name and unit (null: the account is gone). */
const actorSchema = z.object({ name: z.string(), unit: z.string() }).nullable();

/** A row of the rectification ledger (整改台账) as the caller sees it. */
export const ledgerItemSchema = z.object({
	id: z.string(),
	number: z.string(),
	resolutionNumber: z.string(),
	title: z.string(),
	breakoutId: z.string(),
	/** 上年转入: the earlier conference the item was carried from; null for the conference's own. */
	carriedFrom: z.object({ conferenceId: z.string(), title: z.string() }).nullable(),
	breakoutName: z.string(),
	sector: z.string(),
	leadUnit: z.string(),
	supportingUnits: z.string(),
	type: z.string(),
	criteria: z.string(),
	planDeadline: z.string(),
	deadline: z.string(),
	daysLeft: z.number().nullable(),
	/** Points by which the progress trails the time elapsed since the decision (0: on schedule). */
	behind: z.number(),
	status: z.enum(ledgerStatuses),
	percent: z.number(),
	escalation: z.enum(['', 'blue', 'yellow', 'red']),
	latest: z.object({ progress: z.string(), at: z.string() }).nullable(),
	closedAt: z.string().nullable(),
	sourceDocId: z.string(),
	sourceBlockId: z.string(),
	minutesDocId: z.string(),
	minutesItemId: z.string(),
	/** The caller is of the responsible units. */
	responsible: z.boolean(),
	/** The caller may return, close or reopen it. */
	mayReview: z.boolean()
});
export type LedgerItemView = z.infer<typeof ledgerItemSchema>;

export const ledgerDetailSchema = ledgerItemSchema.extend({
	reports: z.array(
		z.object({
			id: z.string(),
			progress: z.string(),
			percent: z.number(),
			difficulties: z.string(),
			nextSteps: z.string(),
			at: z.string(),
			by: actorSchema,
			evidence: z.array(z.object({ id: z.string(), name: z.string(), size: z.number(), mime: z.string() }))
		})
	),
	events: z.array(z.object({ kind: z.string(), fromStatus: z.string(), toStatus: z.string(), reason: z.string(), at: z.string(), by: actorSchema })),
	extensions: z.array(
		z.object({
			id: z.string(),
			oldDeadline: z.string(),
			newDeadline: z.string(),
			reason: z.string(),
			status: z.enum(['pending', 'approved', 'declined']),
			requestedAt: z.string(),
			requestedBy: actorSchema,
			decidedBy: actorSchema,
			decidedAt: z.string().nullable(),
			decisionReason: z.string()
		})
	),
	/** The caller decides extensions (organizers). */
	mayDecideExtension: z.boolean()
});
export type LedgerDetail = z.infer<typeof ledgerDetailSchema>;
