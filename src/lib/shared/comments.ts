import { z } from 'zod';
import { blockIdSchema, suggestableFields } from './blocks';
import { entityIdSchema } from './schemas';
import { hasUnsafeCharacters, isBlank } from './text';

/** A comment's text: 1–2000 characters, line breaks allowed, nothing that reorders or hides text. */
export const commentBodySchema = z
	.string()
	.trim()
	.min(1)
	.max(2000)
	.refine((s) => !isBlank(s) && !hasUnsafeCharacters(s), { message: 'blank or control characters' });

/** A Yjs relative position (`Y.encodeRelativePosition`) as base64: small, opaque to the server but decoded before storing. */
const relativePositionSchema = z.string().regex(/^[A-Za-z0-9+/]{4,340}={0,2}$/);

/**
 * Where a thread hangs: a block (its `data-block-id`), and within it a text range given as two Yjs
 * relative positions, which follow the text through everyone's edits: `start` at its first character,
 * `end` at its last (text typed right after the range stays outside it). `quote` is the text as it
 * was when the thread was opened, shown when the range has since been deleted.
 */
export const commentAnchorSchema = z
	.object({
		blockId: blockIdSchema.nullable(),
		start: relativePositionSchema.nullable(),
		end: relativePositionSchema.nullable(),
		quote: z
			.string()
			.max(200)
			.refine((s) => !hasUnsafeCharacters(s), { message: 'control characters' })
	})
	.refine((a) => (a.start === null) === (a.end === null), { message: 'start and end come together' })
	.refine((a) => a.blockId !== null || a.start !== null, { message: 'a block or a range' });
export type CommentAnchor = z.infer<typeof commentAnchorSchema>;

/** Conference members mentioned (@) in a comment: each is notified. */
export const mentionsSchema = z.array(entityIdSchema).max(20).default([]);

export const newThreadSchema = z.object({ anchor: commentAnchorSchema, body: commentBodySchema, mentions: mentionsSchema });

/** Text a suggestion puts in: up to 2000 characters, nothing that reorders or hides text. */
const suggestionTextSchema = z
	.string()
	.max(2000)
	.refine((s) => !hasUnsafeCharacters(s), { message: 'control characters' });

/**
 * Where a suggestion (建议修改) applies: a range from `start` to `end` (its last character, as for
 * comments) whose text is `quote` — the server checks that it is — or, without `end`, the point before
 * `start`'s character, to insert at; or, with `field`, that field of the measure `blockId` (责任单位,
 * 时间节点 …), whose value now is `quote`.
 */
export const suggestionAnchorSchema = z
	.object({
		blockId: blockIdSchema.nullable(),
		start: relativePositionSchema.nullable(),
		end: relativePositionSchema.nullable(),
		quote: suggestionTextSchema,
		field: z.enum(suggestableFields).nullable().default(null)
	})
	.refine((a) => (a.field === null ? a.start !== null && (a.end === null) === (a.quote === '') : a.blockId !== null && a.start === null && a.end === null), {
		message: 'a range quotes its text, an insertion point quotes nothing, a field names its measure'
	});

export type SuggestionAnchor = z.infer<typeof suggestionAnchorSchema>;

export const newSuggestionSchema = z
	.object({ anchor: suggestionAnchorSchema, text: suggestionTextSchema, body: z.union([z.literal(''), commentBodySchema]).default(''), mentions: mentionsSchema })
	.refine((s) => s.anchor.field !== null || s.anchor.end !== null || s.text !== '', { message: 'an insertion inserts something' })
	.refine((s) => s.text !== s.anchor.quote, { message: 'a suggestion changes something' });
/** A decider's word on one suggestion, or on every pending one. */
export const decisionSchema = z.object({ accept: z.boolean() });
export const suggestionDecisions = ['accepted', 'rejected'] as const;
export const replySchema = z.object({ body: commentBodySchema, mentions: mentionsSchema });
/** What a participant changes on a thread: resolve or reopen it. */
export const threadChangeSchema = z.object({ resolved: z.boolean() });
/** What a moderator changes on a comment: hide it or show it again. */
export const commentChangeSchema = z.object({ hidden: z.boolean() });

const personSchema = z.object({ id: z.string(), name: z.string(), unit: z.string(), unitType: z.string() });

export const commentSchema = z.object({
	id: z.string(),
	author: personSchema.nullable(),
	body: z.string(),
	mentions: z.array(personSchema),
	createdAt: z.string(),
	/** Only moderators are shown hidden comments (the others never receive them). */
	hidden: z.boolean()
});
export type Comment = z.infer<typeof commentSchema>;

export const threadSchema = z.object({
	id: z.string(),
	blockId: z.string().nullable(),
	start: z.string().nullable(),
	end: z.string().nullable(),
	quote: z.string(),
	/** A suggestion on a measure's field: which one. */
	field: z.string().nullable(),
	resolved: z.object({ by: personSchema.nullable(), at: z.string() }).nullable(),
	/** A suggestion's proposed text (for the range, or to insert when there is no end) and the decision on it. */
	suggestion: z
		.object({ text: z.string(), decision: z.enum(suggestionDecisions).nullable(), decidedBy: personSchema.nullable(), decidedAt: z.string().nullable() })
		.nullable(),
	/** Who opened it (a suggestion may have no comment of its own). */
	author: personSchema.nullable(),
	comments: z.array(commentSchema)
});
export type CommentThread = z.infer<typeof threadSchema>;

export const threadsResponseSchema = z.object({
	threads: z.array(threadSchema),
	/** Whether the caller may comment (read the document, and not only watch it from a distance). */
	mayComment: z.boolean(),
	/** Whether the caller moderates the document's comments (hide and show). */
	mayModerate: z.boolean(),
	/** Whether the caller accepts or rejects suggestions: the expert panel for conference documents, a breakout's moderators for its documents. */
	mayDecide: z.boolean()
});
export type ThreadsResponse = z.infer<typeof threadsResponseSchema>;

/** A mention of the caller not yet read, for the conference's bell. */
export const mentionSchema = z.object({
	commentId: z.string(),
	threadId: z.string(),
	docId: z.string(),
	docTitle: z.string(),
	by: personSchema.nullable(),
	excerpt: z.string(),
	createdAt: z.string()
});
export type Mention = z.infer<typeof mentionSchema>;
