import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest } from '../migrations.js';
import type { Database } from '../schema.js';
import { kyselyStores } from '../stores.js';
import type { Storage } from '../types.js';
import { sqliteUpdateLog } from './update-log.js';

/**
 * Opens (creating if needed) the SQLite database at `file` in WAL mode; migrations run before anything
 * else. With `sync` = 'normal' a committed transaction is in the WAL before `append` resolves, so it
 * survives the process being killed at any moment (the promise of commit-before-relay); 'full' also
 * fsyncs every group commit, so it survives a power cut, at the price of an fsync on the event loop.
 */
export async function openSqliteStorage(file: string, sync: 'normal' | 'full' = 'normal'): Promise<Storage> {
	fs.mkdirSync(path.dirname(file), { recursive: true });
	const sqlite = new BetterSqlite3(file);
	sqlite.pragma('journal_mode = WAL');
	sqlite.pragma(`synchronous = ${sync === 'full' ? 'FULL' : 'NORMAL'}`);
	sqlite.pragma('foreign_keys = ON');
	sqlite.pragma('busy_timeout = 5000');
	const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
	try {
		await migrateToLatest(db);
	} catch (err) {
		sqlite.close();
		throw err;
	}
	let closed = false;
	return {
		...kyselyStores(db),
		updates: sqliteUpdateLog(sqlite),
		async close() {
			if (closed) return;
			closed = true;
			await db.destroy();
		}
	};
}
