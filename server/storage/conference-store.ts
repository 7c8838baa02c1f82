import { type Kysely, type Selectable, type SelectQueryBuilder, sql } from 'kysely';
import type { Role } from '../../src/lib/shared/roles.js';
import type { Database } from './schema.js';
import { type Agenda, agendaSchema } from '../../src/lib/shared/agenda.js';
import type { BreakoutRecord, ConferenceRecord, ConferenceStore, MemberRecord, ProjectRecord } from './types.js';

/** Conferences, breakouts and memberships on the Kysely query layer (every SQL backend). */

/** A stored agenda that no longer passes the schema is treated as none rather than served broken. */
function parseAgenda(text: string): Agenda | null {
	if (text === '') return null;
	try {
		const parsed = agendaSchema.safeParse(JSON.parse(text));
		return parsed.success ? parsed.data : null;
	} catch {
		return null;
	}
}

const toConference = (r: Selectable<Database['conferences']>): ConferenceRecord => ({
	id: r.id,
	title: r.title,
	createdBy: r.created_by,
	createdAt: Number(r.created_at),
	startDate: r.start_date,
	endDate: r.end_date,
	venue: r.venue,
	hosts: r.hosts,
	agenda: parseAgenda(r.agenda),
	moderatorsApprove: r.moderators_approve === 1
});

const toProject = (r: Selectable<Database['projects']>): ProjectRecord => ({
	id: r.id,
	conferenceId: r.conference_id,
	breakoutId: r.breakout_id,
	name: r.name,
	code: r.code,
	sector: r.sector,
	region: r.region,
	ownerUnit: r.owner_unit,
	createdAt: Number(r.created_at)
});

const toBreakout = (r: Selectable<Database['breakouts']>): BreakoutRecord => ({
	id: r.id,
	conferenceId: r.conference_id,
	name: r.name,
	sector: r.sector,
	region: r.region,
	closed: r.closed === 1,
	createdAt: Number(r.created_at)
});

/** Inserts or replaces a membership and its breakouts; call it inside a transaction. */
export async function writeMember(tx: Kysely<Database>, m: MemberRecord): Promise<void> {
	await tx
		.insertInto('conference_members')
		.values({ conference_id: m.conferenceId, user_id: m.userId, role: m.role, unit_type: m.unitType, added_at: m.addedAt })
		.onConflict((oc) => oc.columns(['conference_id', 'user_id']).doUpdateSet({ role: m.role, unit_type: m.unitType }))
		.execute();
	await tx.deleteFrom('breakout_members').where('conference_id', '=', m.conferenceId).where('user_id', '=', m.userId).execute();
	if (m.breakoutIds.length > 0) {
		await tx
			.insertInto('breakout_members')
			.values(m.breakoutIds.map((b) => ({ breakout_id: b, conference_id: m.conferenceId, user_id: m.userId })))
			.execute();
	}
}

/**
 * Takes the conference's row lock for the rest of the transaction (a write that changes nothing), so
 * that member changes (and numberings) of one conference happen one after the other: PostgreSQL makes
 * the second wait for the first to commit, SQLite has one writer anyway.
 */
export async function lockConference(tx: Kysely<Database>, conferenceId: string | SelectQueryBuilder<Database, any, { conference_id: string }>): Promise<void> {
	// A write first: SQLite then waits for the writer lock instead of failing a read transaction's upgrade.
	await tx.updateTable('conferences').set({ id: sql`id` }).where('id', '=', conferenceId).execute();
}

/** Whether `userId` is the conference's only organizer (read under `lockConference`). */
async function lastOrganizer(tx: Kysely<Database>, conferenceId: string, userId: string): Promise<boolean> {
	const organizers = await tx.selectFrom('conference_members').select('user_id').where('conference_id', '=', conferenceId).where('role', '=', 'organizer').execute();
	return organizers.length === 1 && organizers[0].user_id === userId;
}

export function sqlConferenceStore(db: Kysely<Database>): ConferenceStore {
	async function breakoutIdsOf(conferenceId: string, userIds: string[]): Promise<Map<string, string[]>> {
		const map = new Map<string, string[]>();
		if (userIds.length === 0) return map;
		const rows = await db
			.selectFrom('breakout_members')
			.select(['user_id', 'breakout_id'])
			.where('conference_id', '=', conferenceId)
			.where('user_id', 'in', userIds)
			.orderBy('breakout_id')
			.execute();
		for (const r of rows) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.breakout_id]);
		return map;
	}

	const toMember = (r: Selectable<Database['conference_members']>, breakoutIds: string[]): MemberRecord => ({
		conferenceId: r.conference_id,
		userId: r.user_id,
		role: r.role as Role,
		unitType: r.unit_type,
		breakoutIds,
		addedAt: Number(r.added_at),
		onLeave: Number(r.on_leave) === 1
	});

	return {
		async create(c) {
			await db
				.insertInto('conferences')
				.values({
					id: c.id,
					title: c.title,
					created_by: c.createdBy,
					created_at: c.createdAt,
					start_date: c.startDate,
					end_date: c.endDate,
					venue: c.venue,
					hosts: c.hosts,
					agenda: c.agenda === null ? '' : JSON.stringify(c.agenda),
					moderators_approve: c.moderatorsApprove ? 1 : 0
				})
				.execute();
		},
		async get(id) {
			const row = await db.selectFrom('conferences').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toConference(row) : null;
		},
		async listForUser(userId) {
			const rows = await db
				.selectFrom('conferences')
				.innerJoin('conference_members', 'conference_members.conference_id', 'conferences.id')
				.selectAll('conferences')
				.where('conference_members.user_id', '=', userId)
				.orderBy('conferences.created_at', 'desc')
				.execute();
			return rows.map(toConference);
		},
		async listAll() {
			return (await db.selectFrom('conferences').selectAll().orderBy('created_at', 'desc').execute()).map(toConference);
		},
		async updateDetails(id, d) {
			await db
				.updateTable('conferences')
				.set({ title: d.title, start_date: d.startDate, end_date: d.endDate, venue: d.venue, hosts: d.hosts })
				.where('id', '=', id)
				.execute();
		},
		async setModeratorsApprove(id, allowed) {
			await db.updateTable('conferences').set({ moderators_approve: allowed ? 1 : 0 }).where('id', '=', id).execute();
		},
		async setAgenda(id, agenda) {
			await db.updateTable('conferences').set({ agenda: JSON.stringify(agenda) }).where('id', '=', id).execute();
		},
		async createProject(p) {
			await db
				.insertInto('projects')
				.values({
					id: p.id,
					conference_id: p.conferenceId,
					breakout_id: p.breakoutId,
					name: p.name,
					code: p.code,
					sector: p.sector,
					region: p.region,
					owner_unit: p.ownerUnit,
					created_at: p.createdAt
				})
				.execute();
		},
		async getProject(id) {
			const row = await db.selectFrom('projects').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toProject(row) : null;
		},
		async listProjects(conferenceId) {
			const rows = await db.selectFrom('projects').selectAll().where('conference_id', '=', conferenceId).orderBy('created_at').orderBy('id').execute();
			return rows.map(toProject);
		},
		async deleteProject(id) {
			await db.deleteFrom('projects').where('id', '=', id).execute();
		},
		async createBreakout(b) {
			await db
				.insertInto('breakouts')
				.values({ id: b.id, conference_id: b.conferenceId, name: b.name, sector: b.sector, region: b.region, closed: b.closed ? 1 : 0, created_at: b.createdAt })
				.execute();
		},
		async getBreakout(id) {
			const row = await db.selectFrom('breakouts').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toBreakout(row) : null;
		},
		async listBreakouts(conferenceId) {
			const rows = await db.selectFrom('breakouts').selectAll().where('conference_id', '=', conferenceId).orderBy('created_at').orderBy('id').execute();
			return rows.map(toBreakout);
		},
		async setBreakoutClosed(id, closed) {
			await db.updateTable('breakouts').set({ closed: closed ? 1 : 0 }).where('id', '=', id).execute();
		},
		putMember(m) {
			return db.transaction().execute(async (tx) => {
				await lockConference(tx, m.conferenceId);
				if (m.role !== 'organizer' && (await lastOrganizer(tx, m.conferenceId, m.userId))) return false;
				await writeMember(tx, m);
				return true;
			});
		},
		async getMember(conferenceId, userId) {
			const row = await db
				.selectFrom('conference_members')
				.selectAll()
				.where('conference_id', '=', conferenceId)
				.where('user_id', '=', userId)
				.executeTakeFirst();
			if (!row) return null;
			return toMember(row, (await breakoutIdsOf(conferenceId, [userId])).get(userId) ?? []);
		},
		async listMembers(conferenceId) {
			const rows = await db.selectFrom('conference_members').selectAll().where('conference_id', '=', conferenceId).orderBy('added_at').execute();
			const breakouts = await breakoutIdsOf(conferenceId, rows.map((r) => r.user_id));
			return rows.map((r) => toMember(r, breakouts.get(r.user_id) ?? []));
		},
		async setOnLeave(conferenceId, userId, onLeave) {
			const res = await db
				.updateTable('conference_members')
				.set({ on_leave: onLeave ? 1 : 0 })
				.where('conference_id', '=', conferenceId)
				.where('user_id', '=', userId)
				.executeTakeFirst();
			return Number(res.numUpdatedRows) === 1;
		},
		removeMember(conferenceId, userId) {
			return db.transaction().execute(async (tx) => {
				await lockConference(tx, conferenceId);
				if (await lastOrganizer(tx, conferenceId, userId)) return 'last_organizer' as const;
				await tx.deleteFrom('breakout_members').where('conference_id', '=', conferenceId).where('user_id', '=', userId).execute();
				const res = await tx
					.deleteFrom('conference_members')
					.where('conference_id', '=', conferenceId)
					.where('user_id', '=', userId)
					.executeTakeFirst();
				return Number(res.numDeletedRows) > 0 ? ('removed' as const) : ('not_member' as const);
			});
		}
	};
}
