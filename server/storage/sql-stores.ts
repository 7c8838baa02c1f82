import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type {
	DocumentRecord,
	DocumentStore,
	SessionRecord,
	SessionStore,
	UserRecord,
	UserStore
} from './types.js';

/** Users, sessions and documents on the Kysely query layer; the same code serves every SQL backend. */

type UserRow = Selectable<Database['users']>;
type DocumentRow = Selectable<Database['documents']>;

const toUser = (r: UserRow): UserRecord => ({
	id: r.id,
	username: r.username,
	displayName: r.display_name,
	unit: r.unit,
	color: r.color,
	passwordHash: r.password_hash,
	isAdmin: r.is_admin === 1,
	createdAt: Number(r.created_at),
	guestConferenceId: r.guest_conference_id,
	phone: r.phone,
	email: r.email,
	unitDeclared: Number(r.unit_declared) === 1
});

function toParent(kind: string, id: string | null): DocumentRecord['parent'] {
	if ((kind === 'conference' || kind === 'breakout') && id !== null) return { kind, id };
	return { kind: 'workspace', id: null };
}

const toDocument = (r: DocumentRow): DocumentRecord => ({
	id: r.id,
	kind: r.kind as DocumentRecord['kind'],
	title: r.title,
	ownerId: r.owner_id,
	parent: toParent(r.parent_kind, r.parent_id),
	projectId: r.project_id ?? null,
	createdAt: Number(r.created_at),
	updatedAt: Number(r.updated_at)
});

/** Inserts one user; shared with the attendee import, which writes many in one transaction. */
export async function insertUser(db: Kysely<Database>, u: UserRecord): Promise<void> {
	await db
		.insertInto('users')
		.values({
			id: u.id,
			username: u.username,
			username_key: u.username.toLowerCase(),
			display_name: u.displayName,
			unit: u.unit,
			color: u.color,
			password_hash: u.passwordHash,
			is_admin: u.isAdmin ? 1 : 0,
			created_at: u.createdAt,
			guest_conference_id: u.guestConferenceId,
			phone: u.phone,
			email: u.email,
			unit_declared: u.unitDeclared ? 1 : 0
		})
		.execute();
}

export function sqlUserStore(db: Kysely<Database>): UserStore {
	return {
		create: (u) => insertUser(db, u),
		async findById(id) {
			const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toUser(row) : null;
		},
		async findByUsername(username) {
			const row = await db
				.selectFrom('users')
				.selectAll()
				.where('username_key', '=', username.toLowerCase())
				.executeTakeFirst();
			return row ? toUser(row) : null;
		},
		async setPasswordHash(id, passwordHash) {
			await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', id).execute();
		},
		async list() {
			const rows = await db.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute();
			return rows.map(toUser);
		},
		async count() {
			const row = await db.selectFrom('users').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
			return Number(row.n);
		}
	};
}

export function sqlSessionStore(db: Kysely<Database>): SessionStore {
	return {
		async insert(s) {
			await db
				.insertInto('sessions')
				.values({
					id: s.id,
					user_id: s.userId,
					secret_hash: s.secretHash,
					created_at: s.createdAt,
					expires_at: s.expiresAt,
					absolute_expires_at: s.absoluteExpiresAt
				})
				.execute();
		},
		async find(id): Promise<SessionRecord | null> {
			const r = await db.selectFrom('sessions').selectAll().where('id', '=', id).executeTakeFirst();
			if (!r) return null;
			return {
				id: r.id,
				userId: r.user_id,
				secretHash: new Uint8Array(r.secret_hash),
				createdAt: Number(r.created_at),
				expiresAt: Number(r.expires_at),
				absoluteExpiresAt: Number(r.absolute_expires_at)
			};
		},
		async setExpiry(id, expiresAt) {
			await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
		},
		async delete(id) {
			await db.deleteFrom('sessions').where('id', '=', id).execute();
		},
		async deleteForUser(userId, keepId) {
			let q = db.deleteFrom('sessions').where('user_id', '=', userId);
			if (keepId !== undefined) q = q.where('id', '!=', keepId);
			await q.execute();
		},
		async deleteExpired(now) {
			const res = await db
				.deleteFrom('sessions')
				.where((eb) => eb.or([eb('expires_at', '<=', now), eb('absolute_expires_at', '<=', now)]))
				.executeTakeFirst();
			return Number(res.numDeletedRows);
		}
	};
}

export function sqlDocumentStore(db: Kysely<Database>): DocumentStore {
	return {
		async create(d) {
			await db
				.insertInto('documents')
				.values({
					id: d.id,
					title: d.title,
					owner_id: d.ownerId,
					kind: d.kind,
					parent_kind: d.parent.kind,
					parent_id: d.parent.id,
					project_id: d.projectId,
					created_at: d.createdAt,
					updated_at: d.updatedAt
				})
				.execute();
		},
		async get(id) {
			const row = await db.selectFrom('documents').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toDocument(row) : null;
		},
		async list(limit) {
			const rows = await db.selectFrom('documents').selectAll().orderBy('updated_at', 'desc').limit(limit).execute();
			return rows.map(toDocument);
		},
		async listIn(parent) {
			const rows = await db
				.selectFrom('documents')
				.selectAll()
				.where('parent_kind', '=', parent.kind)
				.where('parent_id', parent.id === null ? 'is' : '=', parent.id)
				.orderBy('created_at')
				.execute();
			return rows.map(toDocument);
		},
		async touch(ids, at) {
			if (ids.length === 0) return;
			await db.updateTable('documents').set({ updated_at: at }).where('id', 'in', ids).execute();
		},
		async setProject(id, projectId) {
			await db.updateTable('documents').set({ project_id: projectId }).where('id', '=', id).execute();
		},
		async writers(id) {
			const rows = await db.selectFrom('doc_clients').select(['client_id', 'user_id']).where('doc_id', '=', id).execute();
			return rows.map((r) => ({ clientId: Number(r.client_id), userId: r.user_id }));
		}
	};
}
