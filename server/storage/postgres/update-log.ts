import type pg from 'pg';
import type { ClientClaim, StoredDocState, UpdateLog } from '../types.js';

/**
 * The update log on PostgreSQL: the hot path, on the driver directly with named (prepared) statements.
 * A group commit is one statement, so one round trip: the updates and the client ids they claim go in
 * together, atomically. Ids come from the identity in insertion order, so sorting them gives the
 * batch's order.
 */
export function postgresUpdateLog(pool: pg.Pool): UpdateLog {
	const append: pg.QueryConfig = {
		name: 'concord_append',
		text: `WITH added AS (
			INSERT INTO doc_updates (doc_id, data)
			SELECT doc_id, data FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS batch(doc_id, data, n) ORDER BY n
			RETURNING id
		), claimed AS (
			INSERT INTO doc_clients (doc_id, client_id, user_id)
			SELECT * FROM unnest($3::text[], $4::bigint[], $5::text[]) ON CONFLICT DO NOTHING
		)
		SELECT id FROM added ORDER BY id`
	};
	const claim: pg.QueryConfig = {
		name: 'concord_claim',
		text: 'INSERT INTO doc_clients (doc_id, client_id, user_id) SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[]) ON CONFLICT DO NOTHING'
	};
	const columns = (claims: { docId: string; claim: ClientClaim }[]) => [claims.map((c) => c.docId), claims.map((c) => c.claim.clientId), claims.map((c) => c.claim.userId)];

	return {
		async load(docId) {
			// One consistent view: the snapshot and the updates after it as of the same moment.
			const client = await pool.connect();
			try {
				await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
				const snap = await client.query<{ data: Buffer; up_to_id: string }>({ name: 'concord_snapshot', text: 'SELECT data, up_to_id FROM doc_snapshots WHERE doc_id = $1', values: [docId] });
				const from = snap.rows.length > 0 ? Number(snap.rows[0].up_to_id) : 0;
				const rows = (await client.query<{ id: string; data: Buffer }>({ name: 'concord_updates', text: 'SELECT id, data FROM doc_updates WHERE doc_id = $1 AND id > $2 ORDER BY id', values: [docId, from] })).rows;
				const claims = (await client.query<{ client_id: string; user_id: string }>({ name: 'concord_claims', text: 'SELECT client_id, user_id FROM doc_clients WHERE doc_id = $1', values: [docId] })).rows;
				await client.query('COMMIT');
				const state: StoredDocState = {
					snapshot: snap.rows.length > 0 ? new Uint8Array(snap.rows[0].data) : null,
					updates: rows.map((r) => new Uint8Array(r.data)),
					lastId: rows.length > 0 ? Number(rows[rows.length - 1].id) : from,
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
			const res = await pool.query<{ id: string }>({ ...append, values: [batch.map((e) => e.docId), batch.map((e) => Buffer.from(e.data.buffer, e.data.byteOffset, e.data.byteLength)), ...columns(claims)] });
			return res.rows.map((r) => Number(r.id));
		},
		async compact(docId, snapshot, upToId) {
			const client = await pool.connect();
			try {
				await client.query('BEGIN');
				await client.query({
					name: 'concord_put_snapshot',
					text: `INSERT INTO doc_snapshots (doc_id, data, up_to_id, updated_at) VALUES ($1, $2, $3, $4)
						ON CONFLICT (doc_id) DO UPDATE SET data = excluded.data, up_to_id = excluded.up_to_id, updated_at = excluded.updated_at`,
					values: [docId, Buffer.from(snapshot.buffer, snapshot.byteOffset, snapshot.byteLength), upToId, Date.now()]
				});
				await client.query({ name: 'concord_drop_updates', text: 'DELETE FROM doc_updates WHERE doc_id = $1 AND id <= $2', values: [docId, upToId] });
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
