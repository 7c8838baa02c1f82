import { z } from 'zod';
import { blockIdSchema } from './blocks';
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
	resolved: z.object({ by: personSchema.nullable(), at: z.string() }).nullable(),
	comments: z.array(commentSchema)
});
export type CommentThread = z.infer<typeof threadSchema>;

export const threadsResponseSchema = z.object({
	threads: z.array(threadSchema),
	/** Whether the caller may comment (read the document, and not only watch it from a distance). */
	mayComment: z.boolean(),
	/** Whether the caller moderates the document's comments (hide and show). */
	mayModerate: z.boolean()
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
