import type BetterSqlite3 from 'better-sqlite3';
import type { ClientClaim, StoredDocState, UpdateEntry, UpdateLog } from '../types.js';

/**
 * The update log on SQLite with prepared statements: this is the hot path (every keystroke of every
 * editor passes through `append`), so it skips the query builder and commits a whole group in one
 * synchronous transaction, which is one fsync however many updates it holds.
 */
export function sqliteUpdateLog(db: BetterSqlite3.Database): UpdateLog {
	const insert = db.prepare<[string, Uint8Array]>('INSERT INTO doc_updates (doc_id, data) VALUES (?, ?)');
	const selectSnapshot = db.prepare<[string], { data: Buffer; up_to_id: number }>(
		'SELECT data, up_to_id FROM doc_snapshots WHERE doc_id = ?'
	);
	const selectUpdates = db.prepare<[string, number], { id: number; data: Buffer }>(
		'SELECT id, data FROM doc_updates WHERE doc_id = ? AND id > ? ORDER BY id'
	);
	const upsertSnapshot = db.prepare<[string, Uint8Array, number, number]>(
		`INSERT INTO doc_snapshots (doc_id, data, up_to_id, updated_at) VALUES (?, ?, ?, ?)
		 ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, up_to_id = excluded.up_to_id, updated_at = excluded.updated_at`
	);
	const deleteUpTo = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc_id = ? AND id <= ?');
	const insertClaim = db.prepare<[string, number, string]>('INSERT OR IGNORE INTO doc_clients (doc_id, client_id, user_id) VALUES (?, ?, ?)');
	const selectClaims = db.prepare<[string], { client_id: number; user_id: string }>('SELECT client_id, user_id FROM doc_clients WHERE doc_id = ?');

	const appendAll = db.transaction((batch: readonly UpdateEntry[]) => {
		const ids = new Array<number>(batch.length);
		for (let i = 0; i < batch.length; i++) {
			const entry = batch[i];
			ids[i] = Number(insert.run(entry.docId, entry.data).lastInsertRowid);
			for (const c of entry.claims ?? []) insertClaim.run(entry.docId, c.clientId, c.userId);
		}
		return ids;
	});
	const compactTx = db.transaction((docId: string, snapshot: Uint8Array, upToId: number) => {
		upsertSnapshot.run(docId, snapshot, upToId, Date.now());
		deleteUpTo.run(docId, upToId);
	});
	const claimTx = db.transaction((docId: string, claims: readonly ClientClaim[]) => {
		for (const c of claims) insertClaim.run(docId, c.clientId, c.userId);
	});
	const loadTx = db.transaction((docId: string): StoredDocState => {
		const snap = selectSnapshot.get(docId);
		const from = snap ? Number(snap.up_to_id) : 0;
		const rows = selectUpdates.all(docId, from);
		return {
			snapshot: snap ? new Uint8Array(snap.data) : null,
			updates: rows.map((r) => new Uint8Array(r.data)),
			lastId: rows.length > 0 ? rows[rows.length - 1].id : from,
			claims: selectClaims.all(docId).map((r) => ({ clientId: Number(r.client_id), userId: r.user_id }))
		};
	});

	return {
		async load(docId) {
			return loadTx(docId);
		},
		async append(batch) {
			return appendAll(batch);
		},
		async compact(docId, snapshot, upToId) {
			compactTx(docId, snapshot, upToId);
		},
		async claim(docId, claims) {
			claimTx(docId, claims);
		}
	};
}
