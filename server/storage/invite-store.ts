import { type Kysely, type Selectable, sql } from 'kysely';
import type { Role } from '../../src/lib/shared/roles.js';
import type { Database } from './schema.js';
import type { InviteRecord, InviteStore } from './types.js';

const toInvite = (r: Selectable<Database['invites']>): InviteRecord => ({
	id: r.id,
	conferenceId: r.conference_id,
	secretHash: new Uint8Array(r.secret_hash),
	role: r.role as Role,
	breakoutIds: JSON.parse(r.breakout_ids) as string[],
	expiresAt: Number(r.expires_at),
	maxUses: r.max_uses,
	uses: r.uses,
	revoked: r.revoked === 1,
	createdBy: r.created_by,
	createdAt: Number(r.created_at)
});

/** Invite links on the Kysely query layer. */
export function sqlInviteStore(db: Kysely<Database>): InviteStore {
	return {
		async create(i) {
			await db
				.insertInto('invites')
				.values({
					id: i.id,
					conference_id: i.conferenceId,
					secret_hash: i.secretHash,
					role: i.role,
					breakout_ids: JSON.stringify(i.breakoutIds),
					expires_at: i.expiresAt,
					max_uses: i.maxUses,
					uses: i.uses,
					revoked: i.revoked ? 1 : 0,
					created_by: i.createdBy,
					created_at: i.createdAt
				})
				.execute();
		},
		async get(id) {
			const row = await db.selectFrom('invites').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toInvite(row) : null;
		},
		async list(conferenceId) {
			const rows = await db.selectFrom('invites').selectAll().where('conference_id', '=', conferenceId).orderBy('created_at', 'desc').execute();
			return rows.map(toInvite);
		},
		async revoke(id) {
			await db.updateTable('invites').set({ revoked: 1 }).where('id', '=', id).execute();
		},
		async use(id, now) {
			// One statement: two people using the last seat at once cannot both get in.
			const res = await db
				.updateTable('invites')
				.set({ uses: sql`uses + 1` })
				.where('id', '=', id)
				.where('revoked', '=', 0)
				.where('expires_at', '>', now)
				.where(sql<boolean>`uses < max_uses`)
				.executeTakeFirst();
			return Number(res.numUpdatedRows) === 1;
		}
	};
}
