import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';
import type { VersionKind, VersionRecord, VersionStore } from './types.js';

const meta = ['id', 'doc_id', 'kind', 'name', 'content_hash', 'bytes', 'created_by', 'created_at'] as const;

const toVersion = (r: Pick<Selectable<Database['document_versions']>, (typeof meta)[number]>): VersionRecord => ({
	id: r.id,
	docId: r.doc_id,
	kind: r.kind as VersionKind,
	name: r.name,
	contentHash: r.content_hash,
	bytes: Number(r.bytes),
	createdBy: r.created_by,
	createdAt: Number(r.created_at)
});

export function sqlVersionStore(db: Kysely<Database>): VersionStore {
	return {
		async add(v, state, dedupeKey) {
			const inserted = await db
				.insertInto('document_versions')
				.values({ id: v.id, doc_id: v.docId, kind: v.kind, name: v.name, content_hash: v.contentHash, dedupe_key: dedupeKey, state, bytes: v.bytes, created_by: v.createdBy, created_at: v.createdAt })
				.onConflict((oc) => oc.columns(['doc_id', 'dedupe_key']).doNothing())
				.executeTakeFirst();
			if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return { version: v, created: true };
			const kept = await db.selectFrom('document_versions').select(meta).where('doc_id', '=', v.docId).where('dedupe_key', '=', dedupeKey).executeTakeFirstOrThrow();
			return { version: toVersion(kept), created: false };
		},
		async list(docId) {
			return (await db.selectFrom('document_versions').select(meta).where('doc_id', '=', docId).orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(toVersion);
		},
		async get(id) {
			const r = await db.selectFrom('document_versions').selectAll().where('id', '=', id).executeTakeFirst();
			return r === undefined ? null : { version: toVersion(r), state: new Uint8Array(r.state) };
		},
		async prune(docId, keep) {
			const old = await db
				.selectFrom('document_versions')
				.select('id')
				.where('doc_id', '=', docId)
				.where('kind', '=', 'auto')
				.orderBy('created_at', 'desc')
				.orderBy('id', 'desc')
				.offset(keep)
				.limit(1_000_000)
				.execute();
			if (old.length === 0) return 0;
			await db.deleteFrom('document_versions').where('id', 'in', old.map((r) => r.id)).execute();
			return old.length;
		}
	};
}
