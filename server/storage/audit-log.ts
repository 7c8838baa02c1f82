import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import type { AuditAction, AuditLog } from './types.js';

/** The audit log on the Kysely query layer: inserts and reads only. */
export function sqlAuditLog(db: Kysely<Database>): AuditLog {
	return {
		async append(e) {
			await db
				.insertInto('audit_log')
				.values({
					at: e.at,
					actor_id: e.actorId,
					actor_name: e.actorName,
					conference_id: e.conferenceId,
					action: e.action,
					target: e.target,
					detail: e.detail,
					address: e.address
				})
				.execute();
		},
		async list(f) {
			let q = db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(f.limit);
			if (f.conferenceId !== undefined) q = q.where('conference_id', '=', f.conferenceId);
			if (f.action !== undefined) q = q.where('action', '=', f.action);
			if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
			if (f.beforeId !== undefined) q = q.where('id', '<', f.beforeId);
			const rows = await q.execute();
			return rows.map((r) => ({
				id: Number(r.id),
				at: Number(r.at),
				actorId: r.actor_id,
				actorName: r.actor_name,
				conferenceId: r.conference_id,
				action: r.action as AuditAction,
				target: r.target,
				detail: r.detail,
				address: r.address
			}));
		}
	};
}
