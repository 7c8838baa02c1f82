import { type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, type Migration, type MigrationProvider, type MigrationResultSet, Migrator, sql } from 'kysely';
import { onPostgres } from './dialect.js';
import { sectorCode } from '../../src/lib/shared/decision-numbers.js';

/**
 * Versioned migrations, applied in order at start. Never edit a released one: add the next.
 * Written with Kysely's schema builder so that every SQL backend runs the same steps; the two column
 * types SQLite and PostgreSQL spell differently (bytes, a growing 64-bit id) come from `binary` and
 * `serialId`, which give SQLite exactly what the released migrations created.
 */

/** Bytes: SQLite's blob, PostgreSQL's bytea. */
const binary = (db: Kysely<any>) => (onPostgres(db) ? 'bytea' : 'blob');
const notNull = (c: ColumnDefinitionBuilder) => c.notNull();
/** A primary key the database counts up: SQLite's rowid alias, a 64-bit identity on PostgreSQL. */
const serialId = <T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>) =>
	onPostgres(db) ? table.addColumn('id', 'bigint', (c) => c.primaryKey().generatedByDefaultAsIdentity()) : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
const migrations: Record<string, Migration> = {
	'0001_core': {
		async up(db: Kysely<any>) {
			await db.schema
				.createTable('users')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('username', 'text', (c) => c.notNull())
				.addColumn('username_key', 'text', (c) => c.notNull().unique())
				.addColumn('display_name', 'text', (c) => c.notNull())
				.addColumn('unit', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('color', 'text', (c) => c.notNull())
				.addColumn('password_hash', 'text', (c) => c.notNull())
				.addColumn('is_admin', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('sessions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('secret_hash', binary(db), notNull)
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('expires_at', 'bigint', (c) => c.notNull())
				.addColumn('absolute_expires_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('sessions_user').on('sessions').column('user_id').execute();
			await db.schema
				.createTable('documents')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('owner_id', 'text', (c) => c.notNull().references('users.id'))
				.addColumn('parent_kind', 'text', (c) => c.notNull().defaultTo('workspace'))
				.addColumn('parent_id', 'text')
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('documents_updated').on('documents').column('updated_at').execute();
			await serialId(db, db.schema.createTable('doc_updates'))
				.addColumn('doc_id', 'text', (c) => c.notNull())
				.addColumn('data', binary(db), notNull)
				.execute();
			await db.schema.createIndex('doc_updates_doc').on('doc_updates').columns(['doc_id', 'id']).execute();
			await db.schema
				.createTable('doc_snapshots')
				.addColumn('doc_id', 'text', (c) => c.primaryKey())
				.addColumn('data', binary(db), notNull)
				.addColumn('up_to_id', 'bigint', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.execute();
		}
	},
	'0002_conferences': {
		async up(db: Kysely<any>) {
			await db.schema
				.createTable('conferences')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull().references('users.id'))
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('breakouts')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('breakouts_conference').on('breakouts').column('conference_id').execute();
			await db.schema
				.createTable('conference_members')
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('role', 'text', (c) => c.notNull())
				.addColumn('unit_type', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('added_at', 'bigint', (c) => c.notNull())
				.addPrimaryKeyConstraint('conference_members_pk', ['conference_id', 'user_id'])
				.execute();
			await db.schema.createIndex('conference_members_user').on('conference_members').column('user_id').execute();
			await db.schema
				.createTable('breakout_members')
				.addColumn('breakout_id', 'text', (c) => c.notNull().references('breakouts.id').onDelete('cascade'))
				.addColumn('conference_id', 'text', (c) => c.notNull())
				.addColumn('user_id', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('breakout_members_pk', ['breakout_id', 'user_id'])
				.execute();
			await db.schema.createIndex('breakout_members_user').on('breakout_members').columns(['conference_id', 'user_id']).execute();
			await db.schema.createIndex('documents_parent').on('documents').columns(['parent_kind', 'parent_id']).execute();
		}
	},
	'0003_audit_log': {
		async up(db: Kysely<any>) {
			await serialId(db, db.schema.createTable('audit_log'))
				.addColumn('at', 'bigint', (c) => c.notNull())
				.addColumn('actor_id', 'text')
				.addColumn('actor_name', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('conference_id', 'text')
				.addColumn('action', 'text', (c) => c.notNull())
				.addColumn('target', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('detail', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('address', 'text', (c) => c.notNull().defaultTo(''))
				.execute();
			await db.schema.createIndex('audit_log_conference').on('audit_log').columns(['conference_id', 'id']).execute();
		}
	},
	'0004_invites': {
		async up(db: Kysely<any>) {
			await db.schema
				.createTable('invites')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('secret_hash', binary(db), notNull)
				.addColumn('role', 'text', (c) => c.notNull())
				.addColumn('breakout_ids', 'text', (c) => c.notNull().defaultTo('[]'))
				.addColumn('expires_at', 'bigint', (c) => c.notNull())
				.addColumn('max_uses', 'integer', (c) => c.notNull())
				.addColumn('uses', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('invites_conference').on('invites').column('conference_id').execute();
			// Guests joined through an invite: bound to one conference, no password of their own.
			await db.schema.alterTable('users').addColumn('guest_conference_id', 'text').execute();
		}
	},
	'0005_attendees': {
		async up(db: Kysely<any>) {
			// Contact details from the attendee list (参会人员名单); shown to organizers only.
			await db.schema.alterTable('users').addColumn('phone', 'text', (c) => c.notNull().defaultTo('')).execute();
			await db.schema.alterTable('users').addColumn('email', 'text', (c) => c.notNull().defaultTo('')).execute();
			await db.schema
				.createTable('signin_links')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('secret_hash', binary(db), notNull)
				.addColumn('expires_at', 'bigint', (c) => c.notNull())
				.addColumn('used_at', 'bigint')
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('signin_links_user').on('signin_links').column('user_id').execute();
		}
	},
	'0006_conference_program': {
		async up(db: Kysely<any>) {
			// Details and the agenda (JSON, validated by src/lib/shared/agenda.ts) of a conference.
			for (const column of ['start_date', 'end_date', 'venue', 'hosts', 'agenda']) {
				await db.schema.alterTable('conferences').addColumn(column, 'text', (c) => c.notNull().defaultTo('')).execute();
			}
			// Breakouts by sector (交通 水利 能源 市政 …) or by region.
			await db.schema.alterTable('breakouts').addColumn('sector', 'text', (c) => c.notNull().defaultTo('')).execute();
			await db.schema.alterTable('breakouts').addColumn('region', 'text', (c) => c.notNull().defaultTo('')).execute();
			// notes, analysis (根因分析), plan (整改方案), live (a conference's server-written live state).
			await db.schema.alterTable('documents').addColumn('kind', 'text', (c) => c.notNull().defaultTo('notes')).execute();
			await db.schema
				.createTable('projects')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('breakout_id', 'text', (c) => c.notNull().references('breakouts.id').onDelete('cascade'))
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('code', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('sector', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('region', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('owner_unit', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('projects_breakout').on('projects').columns(['breakout_id', 'created_at']).execute();
		}
	},
	'0007_live_room': {
		async up(db: Kysely<any>) {
			// Q&A of the live room; `scope` is 'plenary' or a breakout id.
			await db.schema
				.createTable('questions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('scope', 'text', (c) => c.notNull())
				.addColumn('asker_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
				.addColumn('text', 'text', (c) => c.notNull())
				.addColumn('private', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('hidden', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('pinned', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('answer', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('answered_by', 'text')
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('questions_scope').on('questions').columns(['conference_id', 'scope', 'created_at']).execute();
			await db.schema
				.createTable('question_votes')
				.addColumn('question_id', 'text', (c) => c.notNull().references('questions.id').onDelete('cascade'))
				.addColumn('user_id', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('question_votes_pk', ['question_id', 'user_id'])
				.execute();
			await db.schema
				.createTable('raised_hands')
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('breakout_id', 'text', (c) => c.notNull())
				.addColumn('user_id', 'text', (c) => c.notNull())
				.addColumn('raised_at', 'bigint', (c) => c.notNull())
				.addPrimaryKeyConstraint('raised_hands_pk', ['breakout_id', 'user_id'])
				.execute();
			// Edit rights granted by a moderator to a watcher, for one breakout, until they expire or are withdrawn.
			await db.schema
				.createTable('edit_grants')
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('breakout_id', 'text', (c) => c.notNull())
				.addColumn('user_id', 'text', (c) => c.notNull())
				.addColumn('granted_by', 'text', (c) => c.notNull())
				.addColumn('expires_at', 'bigint', (c) => c.notNull())
				.addPrimaryKeyConstraint('edit_grants_pk', ['breakout_id', 'user_id'])
				.execute();
			await db.schema.createIndex('edit_grants_user').on('edit_grants').columns(['conference_id', 'user_id']).execute();
		}
	},
	'0008_promotions': {
		async up(db: Kysely<any>) {
			// Whether a breakout's moderators may approve its proposals (experts and organizers always may).
			await db.schema.alterTable('conferences').addColumn('moderators_approve', 'integer', (c) => c.notNull().defaultTo(0)).execute();
			await db.schema
				.createTable('proposals')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('breakout_id', 'text', (c) => c.notNull())
				.addColumn('source_doc_id', 'text', (c) => c.notNull())
				.addColumn('block_id', 'text', (c) => c.notNull())
				// pending, approved or declined.
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('proposed_by', 'text', (c) => c.notNull())
				.addColumn('proposed_at', 'bigint', (c) => c.notNull())
				.addColumn('decided_by', 'text')
				.addColumn('decided_at', 'bigint')
				.addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
				// The block as it was approved (JSON): what the minutes hold.
				.addColumn('snapshot', 'text', (c) => c.notNull().defaultTo(''))
				.execute();
			// One live proposal per block: proposing it again finds the same one.
			await sql`CREATE UNIQUE INDEX proposals_live_block ON proposals (source_doc_id, block_id) WHERE status <> 'declined'`.execute(db);
			await db.schema.createIndex('proposals_conference').on('proposals').columns(['conference_id', 'proposed_at']).execute();
		}
	},
	'0009_ledger': {
		async up(db: Kysely<any>) {
			// The tracking state of a resolution (an approved measure): its row appears at the first step taken.
			await db.schema
				.createTable('ledger_items')
				.addColumn('proposal_id', 'text', (c) => c.primaryKey().references('proposals.id').onDelete('cascade'))
				.addColumn('conference_id', 'text', (c) => c.notNull())
				// not_started, in_progress, pending_review, closed.
				.addColumn('status', 'text', (c) => c.notNull())
				// An approved extension's deadline ('' = the plan's).
				.addColumn('deadline', 'text', (c) => c.notNull().defaultTo(''))
				.addColumn('percent', 'integer', (c) => c.notNull().defaultTo(0))
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.addColumn('closed_at', 'bigint')
				.execute();
			await db.schema.createIndex('ledger_items_conference').on('ledger_items').column('conference_id').execute();
			await db.schema
				.createTable('ledger_reports')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
				.addColumn('progress', 'text', (c) => c.notNull())
				.addColumn('percent', 'integer', (c) => c.notNull())
				.addColumn('difficulties', 'text', (c) => c.notNull())
				.addColumn('next_steps', 'text', (c) => c.notNull())
				.addColumn('by_user', 'text', (c) => c.notNull())
				.addColumn('at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('ledger_reports_item').on('ledger_reports').columns(['proposal_id', 'at']).execute();
			await db.schema
				.createTable('ledger_evidence')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
				.addColumn('report_id', 'text', (c) => c.notNull().references('ledger_reports.id').onDelete('cascade'))
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('mime', 'text', (c) => c.notNull())
				.addColumn('size', 'integer', (c) => c.notNull())
				.addColumn('sha256', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('ledger_evidence_item').on('ledger_evidence').column('proposal_id').execute();
			// Every step, with its reason: the item's history (the audit log records them too).
			await db.schema
				.createTable('ledger_events')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('from_status', 'text', (c) => c.notNull())
				.addColumn('to_status', 'text', (c) => c.notNull())
				.addColumn('reason', 'text', (c) => c.notNull())
				.addColumn('by_user', 'text', (c) => c.notNull())
				.addColumn('at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('ledger_events_item').on('ledger_events').columns(['proposal_id', 'at']).execute();
			await db.schema
				.createTable('ledger_extensions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('proposal_id', 'text', (c) => c.notNull().references('proposals.id').onDelete('cascade'))
				.addColumn('old_deadline', 'text', (c) => c.notNull())
				.addColumn('new_deadline', 'text', (c) => c.notNull())
				.addColumn('reason', 'text', (c) => c.notNull())
				// pending, approved, declined.
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('requested_by', 'text', (c) => c.notNull())
				.addColumn('requested_at', 'bigint', (c) => c.notNull())
				.addColumn('decided_by', 'text')
				.addColumn('decided_at', 'bigint')
				.addColumn('decision_reason', 'text', (c) => c.notNull().defaultTo(''))
				.execute();
			// One open request per item.
			await sql`CREATE UNIQUE INDEX ledger_extensions_pending ON ledger_extensions (proposal_id) WHERE status = 'pending'`.execute(db);
			await db.schema
				.createTable('ledger_settings')
				.addColumn('conference_id', 'text', (c) => c.primaryKey().references('conferences.id').onDelete('cascade'))
				.addColumn('settings', 'text', (c) => c.notNull())
				.execute();
		}
	},
	'0010_proposal_withdrawn': {
		async up(db: Kysely<any>) {
			// A withdrawn proposal (taken out of the minutes) frees its block, as a declined one does.
			await sql`DROP INDEX proposals_live_block`.execute(db);
			await sql`CREATE UNIQUE INDEX proposals_live_block ON proposals (source_doc_id, block_id) WHERE status IN ('pending', 'approved')`.execute(db);
		}
	},
	'0011_member_leave': {
		async up(db: Kysely<any>) {
			// 请假: a member excused from the meeting, listed under 请假 in the minutes instead of 出席.
			await db.schema.alterTable('conference_members').addColumn('on_leave', 'integer', (c) => c.notNull().defaultTo(0)).execute();
		}
	},
	'0012_decision_numbers': {
		async up(db: Kysely<any>) {
			// 一事一号: an approved measure's resolution number (JY-n) and ledger number (ZG-<series>-n), given once.
			await db.schema.alterTable('proposals').addColumn('resolution_no', 'integer').execute();
			await db.schema.alterTable('proposals').addColumn('ledger_series', 'text').execute();
			await db.schema.alterTable('proposals').addColumn('ledger_no', 'integer').execute();
			await numberEarlierApprovals(db);
			// The store decides a number atomically: a second approval computing the same one is refused here.
			await sql`CREATE UNIQUE INDEX proposals_resolution_no ON proposals (conference_id, resolution_no)`.execute(db);
			await sql`CREATE UNIQUE INDEX proposals_ledger_no ON proposals (conference_id, ledger_series, ledger_no)`.execute(db);
		}
	},
	'0013_doc_clients': {
		async up(db: Kysely<any>) {
			// Each Yjs client id of a document belongs to the account that first wrote under it: nobody
			// else may write under it (ids taken over would let one person's edits overwrite another's).
			await db.schema
				.createTable('doc_clients')
				.addColumn('doc_id', 'text', (c) => c.notNull())
				.addColumn('client_id', 'bigint', (c) => c.notNull())
				.addColumn('user_id', 'text', (c) => c.notNull())
				.addPrimaryKeyConstraint('doc_clients_pk', ['doc_id', 'client_id'])
				.execute();
		}
	},
	'0014_several_instances': {
		async up(db: Kysely<any>) {
			// Each update gets its document's next sequence number, taken from the document's head row
			// in the appending transaction: with several instances writing one document, the head's row
			// lock orders their commits, so whoever has every number up to n has every update up to n
			// (the log's own ids only say who began first). Released logs keep their ids as numbers:
			// they were written by one process, in id order.
			await db.schema.alterTable('doc_updates').addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
			await sql`UPDATE doc_updates SET seq = id`.execute(db);
			await db.schema.createIndex('doc_updates_seq').on('doc_updates').columns(['doc_id', 'seq']).unique().execute();
			await db.schema.alterTable('doc_snapshots').addColumn('up_to_seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
			await sql`UPDATE doc_snapshots SET up_to_seq = up_to_id`.execute(db);
			await db.schema
				.createTable('doc_heads')
				.addColumn('doc_id', 'text', (c) => c.primaryKey())
				.addColumn('seq', 'bigint', (c) => c.notNull())
				.execute();
			await sql`INSERT INTO doc_heads (doc_id, seq)
				SELECT doc_id, MAX(seq) FROM (SELECT doc_id, seq FROM doc_updates UNION ALL SELECT doc_id, up_to_seq AS seq FROM doc_snapshots) AS known GROUP BY doc_id`.execute(db);
			// Work one instance does at a time (writing a conference's minutes): the holder and until when.
			await db.schema
				.createTable('leases')
				.addColumn('name', 'text', (c) => c.primaryKey())
				.addColumn('holder', 'text', (c) => c.notNull())
				.addColumn('until', 'bigint', (c) => c.notNull())
				.execute();
		}
	},
	'0015_ledger_event_order': {
		async up(db: Kysely<any>) {
			// An item's steps in the order they took effect: each event gets the item's next number under
			// the item's row lock. Their clocks only say when each request began — on PostgreSQL a report
			// that began later can commit before a submission that waited for it. Earlier events are
			// numbered in the order they were shown until now (time, then id).
			await db.schema.alterTable('ledger_events').addColumn('seq', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
			await sql`UPDATE ledger_events SET seq = (SELECT COUNT(*) FROM ledger_events AS e
				WHERE e.proposal_id = ledger_events.proposal_id AND (e.at < ledger_events.at OR (e.at = ledger_events.at AND e.id <= ledger_events.id)))`.execute(db);
			await db.schema.createIndex('ledger_events_seq').on('ledger_events').columns(['proposal_id', 'seq']).unique().execute();
		}
	},
	'0016_project_reports': {
		async up(db: Kysely<any>) {
			// 项目执行报告: a reporting round of a conference, one report per project and round.
			await db.schema
				.createTable('report_rounds')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('period_end', 'text', (c) => c.notNull())
				.addColumn('deadline', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('report_rounds_conference').on('report_rounds').column('conference_id').execute();
			await db.schema
				.createTable('project_reports')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('round_id', 'text', (c) => c.notNull().references('report_rounds.id').onDelete('cascade'))
				.addColumn('conference_id', 'text', (c) => c.notNull())
				.addColumn('project_id', 'text', (c) => c.notNull())
				.addColumn('unit', 'text', (c) => c.notNull())
				.addColumn('status', 'text', (c) => c.notNull())
				.addColumn('figures', 'text', (c) => c.notNull())
				.addColumn('version', 'integer', (c) => c.notNull())
				.addColumn('submissions', 'integer', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.addColumn('decided_by', 'text')
				.addColumn('decided_at', 'bigint')
				.execute();
			await db.schema.createIndex('project_reports_round_project').on('project_reports').columns(['round_id', 'project_id']).unique().execute();
			await db.schema
				.createTable('report_evidence')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('report_id', 'text', (c) => c.notNull().references('project_reports.id').onDelete('cascade'))
				.addColumn('section', 'text', (c) => c.notNull())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('mime', 'text', (c) => c.notNull())
				.addColumn('size', 'integer', (c) => c.notNull())
				.addColumn('sha256', 'text', (c) => c.notNull())
				.addColumn('by_user', 'text', (c) => c.notNull())
				.addColumn('at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('report_evidence_report').on('report_evidence').column('report_id').execute();
			// Each step of a report, numbered in the order they took effect (under the report's row lock).
			await db.schema
				.createTable('report_events')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('report_id', 'text', (c) => c.notNull().references('project_reports.id').onDelete('cascade'))
				.addColumn('seq', 'integer', (c) => c.notNull())
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('from_status', 'text', (c) => c.notNull())
				.addColumn('to_status', 'text', (c) => c.notNull())
				.addColumn('reason', 'text', (c) => c.notNull())
				.addColumn('by_user', 'text', (c) => c.notNull())
				.addColumn('at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('report_events_seq').on('report_events').columns(['report_id', 'seq']).unique().execute();
			// A unit the person typed themselves (an invite guest) never makes them speak for that unit.
			// Guests who joined before this are taken as having typed theirs.
			await db.schema.alterTable('users').addColumn('unit_declared', 'integer', (c) => c.notNull().defaultTo(0)).execute();
			await sql`UPDATE users SET unit_declared = 1 WHERE guest_conference_id IS NOT NULL AND username LIKE 'guest-%'`.execute(db);
		}
	},
	'0017_document_project': {
		async up(db: Kysely<any>) {
			// The project an analysis or plan is about: a red lamp leads to it, and from it to the measures and ledger rows.
			await db.schema.alterTable('documents').addColumn('project_id', 'text').execute();
		}
	},
	'0018_lamp_thresholds': {
		async up(db: Kysely<any>) {
			// A conference's lamp rule (points against 序时, in tenths: −50 = −5.0); without a row, the demo default −5 / −15.
			await db.schema
				.createTable('lamp_thresholds')
				.addColumn('conference_id', 'text', (c) => c.primaryKey().references('conferences.id').onDelete('cascade'))
				.addColumn('amber_below', 'integer', (c) => c.notNull())
				.addColumn('red_below', 'integer', (c) => c.notNull())
				.addColumn('updated_by', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.execute();
		}
	},
	'0019_case_library': {
		async up(db: Kysely<any>) {
			// 案例库: a case drawn from an analysis, a measure and a project's reports. The measure and the
			// figures are frozen as JSON when the case is made, so later changes elsewhere never alter it.
			await db.schema
				.createTable('cases')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('title', 'text', (c) => c.notNull())
				.addColumn('project_id', 'text')
				.addColumn('sector', 'text', (c) => c.notNull())
				.addColumn('source_doc_id', 'text')
				.addColumn('proposal_id', 'text')
				.addColumn('background', 'text', (c) => c.notNull())
				.addColumn('practice', 'text', (c) => c.notNull())
				.addColumn('outcome', 'text', (c) => c.notNull())
				.addColumn('lessons', 'text', (c) => c.notNull())
				.addColumn('clauses', 'text', (c) => c.notNull())
				.addColumn('measure', 'text')
				.addColumn('figures', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('updated_by', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.addColumn('version', 'integer', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('cases_conference').on('cases').columns(['conference_id', 'created_at']).execute();
		}
	},
	'0020_honor_boards': {
		async up(db: Kysely<any>) {
			// 红黑榜: a conference's rule and excusals (JSON), and each board published, frozen as computed.
			await db.schema
				.createTable('honor_settings')
				.addColumn('conference_id', 'text', (c) => c.primaryKey().references('conferences.id').onDelete('cascade'))
				.addColumn('settings', 'text', (c) => c.notNull())
				.addColumn('updated_by', 'text', (c) => c.notNull())
				.addColumn('updated_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('honor_boards')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('round_id', 'text', (c) => c.notNull())
				.addColumn('round_title', 'text', (c) => c.notNull())
				.addColumn('period_end', 'text', (c) => c.notNull())
				.addColumn('settings', 'text', (c) => c.notNull())
				.addColumn('thresholds', 'text', (c) => c.notNull())
				.addColumn('tracks', 'text', (c) => c.notNull())
				.addColumn('published_by', 'text', (c) => c.notNull())
				.addColumn('published_at', 'bigint', (c) => c.notNull())
				// What the board says: the same board published twice is stored once.
				.addColumn('content_hash', 'text', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('honor_boards_conference').on('honor_boards').columns(['conference_id', 'published_at']).execute();
			await db.schema.createIndex('honor_boards_content').on('honor_boards').columns(['conference_id', 'content_hash']).unique().execute();
		}
	},
	'0021_successions': {
		async up(db: Kysely<any>) {
			// Next year's conference: which conference it follows, and the open ledger items it carries
			// over — linked, not copied, so that each keeps its history and goes on being reported on.
			await db.schema
				.createTable('conference_successions')
				.addColumn('conference_id', 'text', (c) => c.primaryKey().references('conferences.id').onDelete('cascade'))
				.addColumn('predecessor_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema
				.createTable('carried_items')
				.addColumn('conference_id', 'text', (c) => c.notNull().references('conferences.id').onDelete('cascade'))
				.addColumn('proposal_id', 'text', (c) => c.notNull())
				.addColumn('breakout_id', 'text', (c) => c.notNull())
				.addColumn('carried_at', 'bigint', (c) => c.notNull())
				.addPrimaryKeyConstraint('carried_items_pk', ['conference_id', 'proposal_id'])
				.execute();
			await db.schema.createIndex('carried_items_proposal').on('carried_items').column('proposal_id').execute();
			// A conference has one next-year conference.
			await db.schema.createIndex('conference_successions_predecessor').on('conference_successions').column('predecessor_id').unique().execute();
		}
	},
	'0022_document_versions': {
		async up(db: Kysely<any>) {
			// Versions of a document: its whole Yjs state at a moment (after a pause, named, or frozen at a
			// stage of the conference), kept apart from the update log so that compaction never takes one.
			await db.schema
				.createTable('document_versions')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('doc_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
				.addColumn('kind', 'text', (c) => c.notNull())
				.addColumn('name', 'text', (c) => c.notNull())
				.addColumn('content_hash', 'text', (c) => c.notNull())
				// auto and export versions of the same content are one version (two instances, ten exports).
				.addColumn('dedupe_key', 'text')
				.addColumn('state', binary(db), (c) => c.notNull())
				.addColumn('bytes', 'integer', (c) => c.notNull())
				.addColumn('created_by', 'text')
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.execute();
			await db.schema.createIndex('document_versions_doc').on('document_versions').columns(['doc_id', 'created_at']).execute();
			await db.schema.createIndex('document_versions_dedupe').on('document_versions').columns(['doc_id', 'dedupe_key']).unique().execute();
		}
	},
	'0023_comments': {
		async up(db: Kysely<any>) {
			// Comment threads (and suggestions) hang on a block and a text range (two Yjs relative positions, which follow the
			// text through everyone's edits). They live beside the document, never in it: no client can
			// rewrite another's comment by editing.
			await db.schema
				.createTable('comment_threads')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('doc_id', 'text', (c) => c.notNull().references('documents.id').onDelete('cascade'))
				.addColumn('block_id', 'text')
				.addColumn('anchor_start', 'text')
				.addColumn('anchor_end', 'text')
				.addColumn('quote', 'text', (c) => c.notNull())
				.addColumn('created_by', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('resolved_by', 'text')
				.addColumn('resolved_at', 'bigint')
				// A suggestion (建议修改): the text proposed for the range (or, without an end, to insert at
				// the start), and the decision on it. Null for a comment thread.
				.addColumn('suggestion', 'text')
				// A suggestion on a measure's field (block_id's): the field's name.
				.addColumn('field', 'text')
				.addColumn('decision', 'text')
				.addColumn('decided_by', 'text')
				.addColumn('decided_at', 'bigint')
				.execute();
			await db.schema.createIndex('comment_threads_doc').on('comment_threads').columns(['doc_id', 'created_at']).execute();
			await db.schema
				.createTable('comments')
				.addColumn('id', 'text', (c) => c.primaryKey())
				.addColumn('thread_id', 'text', (c) => c.notNull().references('comment_threads.id').onDelete('cascade'))
				.addColumn('author_id', 'text', (c) => c.notNull())
				.addColumn('body', 'text', (c) => c.notNull())
				.addColumn('created_at', 'bigint', (c) => c.notNull())
				.addColumn('hidden_by', 'text')
				.addColumn('hidden_at', 'bigint')
				.execute();
			await db.schema.createIndex('comments_thread').on('comments').columns(['thread_id', 'created_at']).execute();
			// Who a comment mentions, and whether they have seen it (the bell of their conference).
			await db.schema
				.createTable('comment_mentions')
				.addColumn('comment_id', 'text', (c) => c.notNull().references('comments.id').onDelete('cascade'))
				.addColumn('user_id', 'text', (c) => c.notNull())
				.addColumn('conference_id', 'text', (c) => c.notNull())
				.addColumn('read_at', 'bigint')
				.addPrimaryKeyConstraint('comment_mentions_pk', ['comment_id', 'user_id'])
				.execute();
			await db.schema.createIndex('comment_mentions_user').on('comment_mentions').columns(['user_id', 'conference_id']).execute();
		}
	}
};

/**
 * Numbers the measures approved before numbers were stored, in the order they were approved; withdrawn
 * ones get theirs too, so that they stay reserved. The moment of approval is the first 'minutes.approved'
 * audit entry of the block since it was proposed (a withdrawal or an update moved `decided_at`); without
 * one, `decided_at`.
 */
async function numberEarlierApprovals(db: Kysely<any>): Promise<void> {
	const rows: { id: string; conference_id: string; source_doc_id: string; block_id: string; proposed_at: number; decided_at: number | null; snapshot: string; sector: string }[] = await db
		.selectFrom('proposals')
		.innerJoin('breakouts', 'breakouts.id', 'proposals.breakout_id')
		.select(['proposals.id', 'proposals.conference_id', 'proposals.source_doc_id', 'proposals.block_id', 'proposals.proposed_at', 'proposals.decided_at', 'proposals.snapshot', 'breakouts.sector'])
		.where('proposals.status', 'in', ['approved', 'withdrawn'])
		.execute();
	const approvals: { conference_id: string | null; target: string; detail: string; at: number }[] = await db
		.selectFrom('audit_log')
		.select(['conference_id', 'target', 'detail', 'at'])
		.where('action', '=', 'minutes.approved')
		.execute();
	const isMeasure = (snapshot: string) => {
		try {
			return (JSON.parse(snapshot) as { kind?: unknown }).kind === 'measure';
		} catch {
			return false;
		}
	};
	const approvedAt = (p: (typeof rows)[number]) => {
		const at = approvals
			.filter((a) => a.conference_id === p.conference_id && a.target === p.block_id && a.detail === p.source_doc_id && Number(a.at) >= Number(p.proposed_at))
			.map((a) => Number(a.at));
		return at.length > 0 ? Math.min(...at) : Number(p.decided_at ?? p.proposed_at);
	};
	const measures = rows
		.filter((p) => isMeasure(p.snapshot))
		.map((p) => ({ p, at: approvedAt(p) }))
		.sort((a, b) => a.at - b.at || Number(a.p.proposed_at) - Number(b.p.proposed_at) || a.p.id.localeCompare(b.p.id));
	const next = new Map<string, number>();
	const take = (key: string) => {
		const n = (next.get(key) ?? 0) + 1;
		next.set(key, n);
		return n;
	};
	for (const { p } of measures) {
		const series = sectorCode(p.sector);
		await db
			.updateTable('proposals')
			.set({ resolution_no: take(p.conference_id), ledger_series: series, ledger_no: take(`${p.conference_id}/${series}`) })
			.where('id', '=', p.id)
			.execute();
	}
}

const provider: MigrationProvider = { getMigrations: async () => migrations };

function check({ error, results }: MigrationResultSet): void {
	const failed = results?.find((r) => r.status === 'Error');
	if (error || failed) {
		throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${String(error)}`);
	}
}

/** Brings the schema up to date; throws with the failing migration's error. */
export async function migrateToLatest(db: Kysely<any>): Promise<void> {
	check(await new Migrator({ db, provider }).migrateToLatest());
}

/** Brings the schema up to the migration named `target` (a migration's test builds the database of the release before it). */
export async function migrateTo(db: Kysely<any>, target: string): Promise<void> {
	check(await new Migrator({ db, provider }).migrateTo(target));
}
