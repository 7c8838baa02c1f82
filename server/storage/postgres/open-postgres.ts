import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from '../migrations.js';
import type { Database } from '../schema.js';
import { kyselyStores } from '../stores.js';
import type { Storage } from '../types.js';
import { postgresUpdateLog } from './update-log.js';

const int8 = 20;
/**
 * The pool's type parsers: 64-bit integers (times in ms, log ids, Yjs client ids, counts) as numbers,
 * as SQLite gives them; every value Concord stores is far below 2^53.
 */
export const pgTypes = {
	getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === int8 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format))) as typeof pg.types.getTypeParser
};

/**
 * Opens the PostgreSQL database at `url` (postgres://user:pass@host:port/db); migrations run before
 * anything else. A commit
 * is durable when PostgreSQL says so (synchronous_commit as the server is set: on by default).
 */
export async function openPostgresStorage(url: string, poolSize = 10): Promise<Storage> {
	const pool = new pg.Pool({ connectionString: url, max: poolSize, types: pgTypes, connectionTimeoutMillis: 10_000, application_name: 'concord' });
	// A connection that breaks while idle is replaced, not a crash.
	pool.on('error', () => undefined);
	const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
	try {
		// Reached first, so that an unreachable server or a wrong password reads as itself, not as a failed migration.
		await pool.query('SELECT 1');
		// Kysely's migrator takes a transaction-level advisory lock: instances starting together migrate once.
		await migrateToLatest(db);
	} catch (err) {
		await db.destroy();
		throw err;
	}
	let closed = false;
	return {
		...kyselyStores(db),
		updates: postgresUpdateLog(pool),
		async close() {
			if (closed) return;
			closed = true;
			await db.destroy();
		}
	};
}
