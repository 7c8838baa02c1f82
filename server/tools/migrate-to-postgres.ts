import { createHash } from 'node:crypto';
import fs from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { ConfigError, describeStorage, loadConfig } from '../config.js';
import { StartupError } from '../startup.js';
import { openPostgresStorage, pgTypes } from '../storage/postgres/open-postgres.js';
import { lockDataDir } from '../storage/sqlite/data-dir-lock.js';
import { openSqliteStorage } from '../storage/sqlite/open-sqlite.js';

/**
 * `npm run migrate-to-postgres`: copies an installation's SQLite database (DATA_DIR/concord.db) into
 * the PostgreSQL database of DATABASE_URL, table by table in the migrations' order, then checks
 * that both hold the same rows (counts and an order-independent checksum per table). Resumable: a
 * row already in PostgreSQL is kept (ON CONFLICT DO NOTHING), so a run that was interrupted is
 * simply run again. Holds the data directory's lock, so no Concord may run on it meanwhile.
 * Evidence files stay in DATA_DIR/evidence, where Concord on PostgreSQL reads them.
 */

/**
 * Every table, parents before children (the order the migrations create them in). Not `leases`: they
 * belong to running processes, and none runs on the data directory while this copies.
 */
const tables = [
	'users',
	'sessions',
	'documents',
	'doc_updates',
	'doc_snapshots',
	'conferences',
	'breakouts',
	'conference_members',
	'breakout_members',
	'audit_log',
	'invites',
	'signin_links',
	'projects',
	'questions',
	'question_votes',
	'raised_hands',
	'edit_grants',
	'proposals',
	'ledger_items',
	'ledger_reports',
	'ledger_evidence',
	'ledger_events',
	'ledger_extensions',
	'ledger_settings',
	'report_rounds',
	'project_reports',
	'report_evidence',
	'report_events',
	'lamp_thresholds',
	'cases',
	'honor_settings',
	'honor_boards',
	'conference_successions',
	'carried_items',
	'doc_clients',
	'doc_heads',
	'document_versions',
	'comment_threads',
	'comments',
	'comment_mentions'
] as const;

/** Tables whose ids PostgreSQL counts up: their identity continues after the copied ids. */
const identities = ['doc_updates', 'audit_log'];

type Row = Record<string, unknown>;

/** One row as text that both databases give alike: columns by name, bytes as hex, numbers as numbers. */
function canonical(row: Row): string {
	return Object.keys(row)
		.sort()
		.map((k) => {
			const v = row[k];
			if (v === null || v === undefined) return `${k}=null`;
			if (Buffer.isBuffer(v) || v instanceof Uint8Array) return `${k}=b:${Buffer.from(v).toString('hex')}`;
			if (typeof v === 'number' || typeof v === 'bigint') return `${k}=n:${String(v)}`;
			return `${k}=s:${String(v)}`;
		})
		.join('\u0000');
}

/** Count and checksum of a table: the sum of each row's SHA-256, so the order rows come in does not matter. */
class TableSum {
	count = 0;
	private sum = 0n;
	add(row: Row): void {
		this.count++;
		this.sum = (this.sum + BigInt(`0x${createHash('sha256').update(canonical(row)).digest('hex')}`)) % 2n ** 256n;
	}
	get digest(): string {
		return this.sum.toString(16).padStart(64, '0');
	}
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

async function copyTable(source: BetterSqlite3.Database, target: pg.Pool, table: string): Promise<{ read: number; added: number }> {
	const columns = (source.prepare(`PRAGMA table_info(${quote(table)})`).all() as { name: string; pk: number }[]).map((c) => c.name);
	// PostgreSQL takes at most 65,535 parameters per statement.
	const batch = Math.max(1, Math.floor(30_000 / columns.length));
	const select = source.prepare(`SELECT ${columns.map(quote).join(', ')} FROM ${quote(table)} ORDER BY rowid LIMIT ? OFFSET ?`);
	let read = 0;
	let added = 0;
	for (;;) {
		const rows = select.all(batch, read) as Row[];
		if (rows.length === 0) break;
		const values: unknown[] = [];
		const tuples = rows.map((row) => `(${columns.map((c) => `$${values.push(row[c])}`).join(', ')})`);
		const res = await target.query(`INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) VALUES ${tuples.join(', ')} ON CONFLICT DO NOTHING`, values);
		read += rows.length;
		added += res.rowCount ?? 0;
	}
	return { read, added };
}

async function sumOfTarget(target: pg.Pool, table: string): Promise<TableSum> {
	const sum = new TableSum();
	const client = await target.connect();
	try {
		// A cursor, so that a large table is read in pieces rather than at once.
		await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
		await client.query(`DECLARE rows NO SCROLL CURSOR FOR SELECT * FROM ${quote(table)}`);
		for (;;) {
			const res = await client.query<Row>('FETCH 2000 FROM rows');
			for (const row of res.rows) sum.add(row);
			if (res.rows.length < 2000) break;
		}
		await client.query('COMMIT');
	} finally {
		client.release();
	}
	return sum;
}

function sumOfSource(source: BetterSqlite3.Database, table: string): TableSum {
	const sum = new TableSum();
	for (const row of source.prepare(`SELECT * FROM ${quote(table)}`).iterate() as Iterable<Row>) sum.add(row);
	return sum;
}

async function main(): Promise<number> {
	const config = loadConfig(process.env);
	if (config.databaseUrl === null) throw new StartupError('set DATABASE_URL to the PostgreSQL database to copy into (postgres://user:password@host:5432/database)');
	if (!fs.existsSync(config.databaseFile)) throw new StartupError(`no SQLite database at ${config.databaseFile}: set DATA_DIR to the installation's data directory`);
	const lock = lockDataDir(config.dataDir);
	try {
		// Both schemas up to date first: the copy is column for column.
		await (await openSqliteStorage(config.databaseFile)).close();
		await (
			await openPostgresStorage(config.databaseUrl).catch((err: unknown) => {
				throw new StartupError(`cannot use DATABASE_URL (${describeStorage(config)}): ${err instanceof Error ? err.message : String(err)}`);
			})
		).close();
		const source = new BetterSqlite3(config.databaseFile, { readonly: true });
		const target = new pg.Pool({ connectionString: config.databaseUrl, max: 2, types: pgTypes });
		target.on('error', () => undefined);
		try {
			console.log(`[concord] copying ${config.databaseFile} into ${describeStorage(config).replace(/, files in .*/u, '')}`);
			for (const table of tables) {
				const { read, added } = await copyTable(source, target, table);
				console.log(`[concord] ${table}: ${read} rows, ${added} copied now${read > added ? `, ${read - added} there already` : ''}`);
			}
			for (const table of identities) {
				await target.query(`SELECT setval(pg_get_serial_sequence('${table}', 'id'), GREATEST((SELECT max(id) FROM ${quote(table)}), 1))`);
			}
			const differing: string[] = [];
			let rows = 0;
			for (const table of tables) {
				const [a, b] = [sumOfSource(source, table), await sumOfTarget(target, table)];
				rows += a.count;
				if (a.count !== b.count || a.digest !== b.digest) differing.push(`${table} (SQLite ${a.count} rows, PostgreSQL ${b.count})`);
			}
			if (differing.length > 0) {
				console.error(
					`[concord] PostgreSQL does not hold the same rows as SQLite in: ${differing.join(', ')}. ` +
						'It held other data before, or SQLite changed since an earlier run; copy into an empty database.'
				);
				return 1;
			}
			console.log(`[concord] verified: ${tables.length} tables, ${rows} rows, the same counts and checksums on both. Start Concord with this DATABASE_URL and the same DATA_DIR (evidence files stay in ${config.dataDir}/evidence).`);
			return 0;
		} finally {
			source.close();
			await target.end();
		}
	} finally {
		lock.release();
	}
}

main().then(
	(code) => process.exit(code),
	(err: unknown) => {
		if (err instanceof ConfigError) console.error(`[concord] ${err.message}`);
		else if (err instanceof StartupError) console.error(`[concord] ${err.message}`);
		else console.error('[concord] the copy failed:', err);
		process.exit(1);
	}
);
