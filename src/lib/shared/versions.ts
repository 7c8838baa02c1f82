import { z } from 'zod';
import { hasUnsafeCharacters } from './text';

/** Why a version was kept: after a pause, named by a writer, at a stage of the conference, or just before a restore. */
export const versionKinds = ['auto', 'named', 'proposed', 'approved', 'exported', 'restored'] as const;
export type VersionKind = (typeof versionKinds)[number];

/** A named version's name: one line, 1–60 characters. */
export const versionNameSchema = z
	.string()
	.trim()
	.min(1)
	.max(60)
	.refine((s) => !hasUnsafeCharacters(s), { message: 'control characters' });

export const versionSchema = z.object({
	id: z.string(),
	kind: z.enum(versionKinds),
	name: z.string(),
	/** SHA-256 of the content (the editor fragment as XML), as the audit log records it. */
	contentHash: z.string(),
	bytes: z.number(),
	createdBy: z.object({ name: z.string(), unit: z.string() }).nullable(),
	createdAt: z.string()
});
export type Version = z.infer<typeof versionSchema>;
