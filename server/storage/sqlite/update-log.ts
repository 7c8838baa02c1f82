import type BetterSqlite3 from 'better-sqlite3';
import type { ClientClaim, StoredDocState, UpdateEntry, UpdateLog } from '../types.js';

/**
 * The update log on SQLite with prepared statements: this is the hot path (every keystroke of every
 * editor passes through `append`), so it skips the query builder and commits a whole group in one
 * synchronous transaction, which is one fsync however many updates it holds. SQLite has one writer,
 * so a document's head row gives its numbers in commit order by itself.
 */
export function sqliteUpdateLog(db: BetterSqlite3.Database): UpdateLog {
	const takeSeqs = db.prepare<[string, number], { seq: number }>(
		'INSERT INTO doc_heads (doc_id, seq) VALUES (?, ?) ON CONFLICT (doc_id) DO UPDATE SET seq = seq + excluded.seq RETURNING seq'
	);
	const insert = db.prepare<[string, Uint8Array, number]>('INSERT INTO doc_updates (doc_id, data, seq) VALUES (?, ?, ?)');
	const selectSnapshot = db.prepare<[string], { data: Buffer; up_to_seq: number }>('SELECT data, up_to_seq FROM doc_snapshots WHERE doc_id = ?');
	const selectUpdates = db.prepare<[string, number], { seq: number; data: Buffer }>('SELECT seq, data FROM doc_updates WHERE doc_id = ? AND seq > ? ORDER BY seq');
	const upsertSnapshot = db.prepare<[string, Uint8Array, number, number, number]>(
		`INSERT INTO doc_snapshots (doc_id, data, up_to_id, up_to_seq, updated_at) VALUES (?, ?, ?, ?, ?)
		 ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, up_to_id = excluded.up_to_id, up_to_seq = excluded.up_to_seq, updated_at = excluded.updated_at
		 WHERE doc_snapshots.up_to_seq < excluded.up_to_seq`
	);
	const deleteUpTo = db.prepare<[string, number]>('DELETE FROM doc_updates WHERE doc_id = ? AND seq <= ?');
	const insertClaim = db.prepare<[string, number, string]>('INSERT OR IGNORE INTO doc_clients (doc_id, client_id, user_id) VALUES (?, ?, ?)');
	const selectClaims = db.prepare<[string], { client_id: number; user_id: string }>('SELECT client_id, user_id FROM doc_clients WHERE doc_id = ?');

	const appendAll = db.transaction((batch: readonly UpdateEntry[]) => {
		// One head write per document of the batch: its numbers are the `count` after the head's last.
		const counts = new Map<string, number>();
		for (const entry of batch) counts.set(entry.docId, (counts.get(entry.docId) ?? 0) + 1);
		const next = new Map<string, number>();
		for (const [docId, count] of counts) next.set(docId, Number(takeSeqs.get(docId, count)!.seq) - count + 1);
		const seqs = new Array<number>(batch.length);
		for (let i = 0; i < batch.length; i++) {
			const entry = batch[i];
			seqs[i] = next.get(entry.docId)!;
			next.set(entry.docId, seqs[i] + 1);
			insert.run(entry.docId, entry.data, seqs[i]);
			for (const c of entry.claims ?? []) insertClaim.run(entry.docId, c.clientId, c.userId);
		}
		return seqs;
	});
	const compactTx = db.transaction((docId: string, snapshot: Uint8Array, upToSeq: number) => {
		upsertSnapshot.run(docId, snapshot, upToSeq, upToSeq, Date.now());
		deleteUpTo.run(docId, upToSeq);
	});
	const claimTx = db.transaction((docId: string, claims: readonly ClientClaim[]) => {
		for (const c of claims) insertClaim.run(docId, c.clientId, c.userId);
	});
	const loadTx = db.transaction((docId: string): StoredDocState => {
		const snap = selectSnapshot.get(docId);
		const from = snap ? Number(snap.up_to_seq) : 0;
		const rows = selectUpdates.all(docId, from);
		return {
			snapshot: snap ? new Uint8Array(snap.data) : null,
			updates: rows.map((r) => new Uint8Array(r.data)),
			lastSeq: rows.length > 0 ? Number(rows[rows.length - 1].seq) : from,
			claims: selectClaims.all(docId).map((r) => ({ clientId: Number(r.client_id), userId: r.user_id }))
		};
	});
	const sinceTx = db.transaction((docId: string, afterSeq: number) => {
		const snap = selectSnapshot.get(docId);
		if (snap && Number(snap.up_to_seq) > afterSeq) return null;
		return selectUpdates.all(docId, afterSeq).map((r) => ({ seq: Number(r.seq), data: new Uint8Array(r.data) }));
	});

	return {
		async load(docId) {
			return loadTx(docId);
		},
		async append(batch) {
			return appendAll(batch);
		},
		async since(docId, afterSeq) {
			return sinceTx(docId, afterSeq);
		},
		async compact(docId, snapshot, upToSeq) {
			compactTx(docId, snapshot, upToSeq);
		},
		async claim(docId, claims) {
			claimTx(docId, claims);
		}
	};
}
