import type { Kysely, Selectable } from 'kysely';
import { writeMember } from './conference-store.js';
import type { Database } from './schema.js';
import { insertUser } from './sql-stores.js';
import type { AttendeeStore, SignInLinkRecord } from './types.js';

const toLink = (r: Selectable<Database['signin_links']>): SignInLinkRecord => ({
	id: r.id,
	userId: r.user_id,
	conferenceId: r.conference_id,
	secretHash: new Uint8Array(r.secret_hash),
	expiresAt: Number(r.expires_at),
	usedAt: r.used_at === null ? null : Number(r.used_at),
	createdBy: r.created_by,
	createdAt: Number(r.created_at)
});

const linkRow = (l: SignInLinkRecord) => ({
	id: l.id,
	user_id: l.userId,
	conference_id: l.conferenceId,
	secret_hash: l.secretHash,
	expires_at: l.expiresAt,
	used_at: l.usedAt,
	created_by: l.createdBy,
	created_at: l.createdAt
});

/** Imported attendees and their one-time sign-in links on the Kysely query layer. */
export function sqlAttendeeStore(db: Kysely<Database>): AttendeeStore {
	return {
		async importPeople(people) {
			await db.transaction().execute(async (tx) => {
				for (const p of people) {
					await insertUser(tx, p.user);
					await writeMember(tx, p.member);
					await tx.insertInto('signin_links').values(linkRow(p.link)).execute();
				}
			});
		},
		async replaceLink(link) {
			await db.transaction().execute(async (tx) => {
				await tx.deleteFrom('signin_links').where('user_id', '=', link.userId).where('used_at', 'is', null).execute();
				await tx.insertInto('signin_links').values(linkRow(link)).execute();
			});
		},
		async getLink(id) {
			const row = await db.selectFrom('signin_links').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toLink(row) : null;
		},
		async redeemLink(id, now) {
			// One statement: the same link opened twice at once signs in once.
			const res = await db
				.updateTable('signin_links')
				.set({ used_at: now })
				.where('id', '=', id)
				.where('used_at', 'is', null)
				.where('expires_at', '>', now)
				.executeTakeFirst();
			return Number(res.numUpdatedRows) === 1;
		}
	};
}
