import { z } from 'zod';

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
	isAdmin: z.boolean()
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

export const documentIdSchema = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);

export const createDocumentSchema = z.object({
	title: z.string().trim().min(1).max(200)
});
export type CreateDocumentRequest = z.infer<typeof createDocumentSchema>;

export const documentSchema = z.object({
	id: z.string(),
	title: z.string(),
	ownerId: z.string(),
	ownerName: z.string(),
	createdAt: z.string(),
	updatedAt: z.string()
});
export type DocumentMeta = z.infer<typeof documentSchema>;

export const documentListSchema = z.object({ documents: z.array(documentSchema) });

export const errorBodySchema = z.object({
	error: z.object({ code: z.string(), message: z.string() })
});
