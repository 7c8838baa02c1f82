import { z } from '@hono/zod-openapi';
import { type AuditEntry, auditActions } from '../storage/types.js';

/** Query of every audit listing: filter by action, page backwards with `before`. */
export const auditQuery = z.object({
	action: z.enum(auditActions).optional(),
	limit: z.coerce.number().int().min(1).max(1000).default(200),
	before: z.coerce.number().int().min(1).optional()
});

export const auditEntrySchema = z.object({
	id: z.number(),
	at: z.string(),
	actorId: z.string().nullable(),
	actorName: z.string(),
	conferenceId: z.string().nullable(),
	action: z.string(),
	target: z.string(),
	detail: z.string(),
	address: z.string()
});

export const auditListSchema = z.object({ entries: z.array(auditEntrySchema) });

export const presentAuditEntry = (e: AuditEntry) => ({ ...e, at: new Date(e.at).toISOString() });
