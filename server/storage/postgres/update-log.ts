import type pg from 'pg';
import type { ClientClaim, StoredDocState, UpdateLog } from '../types.js';

const bytes = (data: Uint8Array) => Buffer.from(data.buffer, data.byteOffset, data.byteLength);

/**
 * The update log on PostgreSQL: the hot path, on the driver directly with named (prepared) statements.
 * A group commit is one statement, so one round trip: the documents' heads, the updates and the client
 * ids they claim go in together, atomically. Heads are taken in document order (two instances
 * appending to the same documents never wait for each other in a circle), and a head's row lock makes
 * a second instance's append to that document wait for the first to commit: numbers follow commits.
 */
export function postgresUpdateLog(pool: pg.Pool): UpdateLog {
	const append: pg.QueryConfig = {
		name: 'concord_append',
		text: `WITH batch AS (
			SELECT doc_id, data, n FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS b(doc_id, data, n)
		), counts AS (
			SELECT doc_id, COUNT(*)::bigint AS k FROM batch GROUP BY doc_id
		), heads AS (
			INSERT INTO doc_heads (doc_id, seq) SELECT doc_id, k FROM counts ORDER BY doc_id
			ON CONFLICT (doc_id) DO UPDATE SET seq = doc_heads.seq + excluded.seq
			RETURNING doc_id, seq
		), numbered AS (
			SELECT b.n, b.doc_id, b.data, h.seq - c.k + ROW_NUMBER() OVER (PARTITION BY b.doc_id ORDER BY b.n) AS seq
			FROM batch AS b JOIN counts AS c ON c.doc_id = b.doc_id JOIN heads AS h ON h.doc_id = b.doc_id
		), added AS (
			INSERT INTO doc_updates (doc_id, data, seq) SELECT doc_id, data, seq FROM numbered ORDER BY n
		), claimed AS (
			INSERT INTO doc_clients (doc_id, client_id, user_id)
			SELECT * FROM unnest($3::text[], $4::bigint[], $5::text[]) ON CONFLICT DO NOTHING
		)
		SELECT seq FROM numbered ORDER BY n`
	};
	const claim: pg.QueryConfig = {
		name: 'concord_claim',
		text: 'INSERT INTO doc_clients (doc_id, client_id, user_id) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING'
	};
	const selectSnapshot: pg.QueryConfig = { name: 'concord_snapshot', text: 'SELECT data, up_to_seq FROM doc_snapshots WHERE doc_id = $1' };
	const selectUpdates: pg.QueryConfig = { name: 'concord_updates', text: 'SELECT seq, data FROM doc_updates WHERE doc_id = $1 AND seq > $2 ORDER BY seq' };
	const selectSince: pg.QueryConfig = {
		name: 'concord_since',
		text: `SELECT u.seq, u.data, s.up_to_seq AS covered
			FROM (SELECT $1::text AS doc_id) AS d
			LEFT JOIN doc_snapshots AS s ON s.doc_id = d.doc_id
			LEFT JOIN doc_updates AS u ON u.doc_id = d.doc_id AND u.seq > $2
			ORDER BY u.seq`
	};
	const columns = (claims: { docId: string; claim: ClientClaim }[]) => [claims.map((c) => c.docId), claims.map((c) => c.claim.clientId), claims.map((c) => c.claim.userId)];

	return {
		async load(docId) {
			// One consistent view: the snapshot and the updates after it as of the same moment.
			const client = await pool.connect();
			try {
				await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
				const snap = await client.query<{ data: Buffer; up_to_seq: string }>({ ...selectSnapshot, values: [docId] });
				const from = snap.rows.length > 0 ? Number(snap.rows[0].up_to_seq) : 0;
				const rows = (await client.query<{ seq: string; data: Buffer }>({ ...selectUpdates, values: [docId, from] })).rows;
				const claims = (await client.query<{ client_id: string; user_id: string }>({ name: 'concord_claims', text: 'SELECT client_id, user_id FROM doc_clients WHERE doc_id = $1', values: [docId] })).rows;
				await client.query('COMMIT');
				const state: StoredDocState = {
					snapshot: snap.rows.length > 0 ? new Uint8Array(snap.rows[0].data) : null,
					updates: rows.map((r) => new Uint8Array(r.data)),
					lastSeq: rows.length > 0 ? Number(rows[rows.length - 1].seq) : from,
					claims: claims.map((r) => ({ clientId: Number(r.client_id), userId: r.user_id }))
				};
				return state;
			} catch (err) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw err;
			} finally {
				client.release();
			}
		},
		async append(batch) {
			if (batch.length === 0) return [];
			const claims = batch.flatMap((e) => (e.claims ?? []).map((claim) => ({ docId: e.docId, claim })));
			const res = await pool.query<{ seq: string }>({ ...append, values: [batch.map((e) => e.docId), batch.map((e) => bytes(e.data)), ...columns(claims)] });
			return res.rows.map((r) => Number(r.seq));
		},
		async since(docId, afterSeq) {
			// One statement: the snapshot and the updates as of the same moment.
			const res = await pool.query<{ seq: string | null; data: Buffer | null; covered: string | null }>({ ...selectSince, values: [docId, afterSeq] });
			if (res.rows.length > 0 && res.rows[0].covered !== null && Number(res.rows[0].covered) > afterSeq) return null;
			return res.rows.filter((r) => r.seq !== null).map((r) => ({ seq: Number(r.seq), data: new Uint8Array(r.data!) }));
		},
		async compact(docId, snapshot, upToSeq) {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				await client.query({
					name: 'concord_put_snapshot',
					// A snapshot another instance stored meanwhile that covers more stays.
					text: `INSERT INTO doc_snapshots (doc_id, data, up_to_id, up_to_seq, updated_at) VALUES ($1, $2, $3, $3, $4)
						ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, up_to_id = excluded.up_to_id, up_to_seq = excluded.up_to_seq, updated_at = excluded.updated_at
						WHERE doc_snapshots.up_to_seq < excluded.up_to_seq`,
					values: [docId, bytes(snapshot), upToSeq, Date.now()]
				});
				await client.query({ name: 'concord_drop_updates', text: 'DELETE FROM doc_updates WHERE doc_id = $1 AND seq <= $2', values: [docId, upToSeq] });
				await client.query('COMMIT');
			} catch (err) {
				await client.query('ROLLBACK').catch(() => undefined);
				throw err;
			} finally {
				client.release();
			}
		},
		async claim(docId, claims) {
			if (claims.length === 0) return;
			await pool.query({ ...claim, values: columns(claims.map((c) => ({ docId, claim: c }))) });
		}
	};
}
