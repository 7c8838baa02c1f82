import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { TestServer } from './server.js';

/**
 * How many bytes of updates the server has stored for `docId`, read beside it from its own store:
 * its PostgreSQL database, or its SQLite file (WAL mode allows a reader).
 */
export async function storedUpdateBytes(server: TestServer, docId: string): Promise<number> {
	const sql = 'SELECT coalesce(sum(length(data)), 0) AS n FROM doc_updates WHERE doc_id = $1';
	if (server.databaseUrl !== null) {
		const client = new pg.Client({ connectionString: server.databaseUrl });
		await client.connect();
		try {
			return Number((await client.query<{ n: string }>(sql, [docId])).rows[0].n);
		} finally {
			await client.end();
		}
	}
	const db = new Database(path.join(server.dataDir, 'concord.db'), { readonly: true });
	try {
		return Number((db.prepare(sql.replace('$1', '?')).get(docId) as { n: number }).n);
	} finally {
		db.close();
	}
}
