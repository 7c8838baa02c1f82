import { type Kysely, type Selectable, type SqlBool, sql } from 'kysely';
import type { CaseFigures, CaseKind, CaseMeasure } from '../../src/lib/shared/case-library.js';
import type { Database } from './schema.js';
import type { CaseRecord, CaseStore } from './types.js';

const toCase = (r: Selectable<Database['cases']>): CaseRecord => ({
	id: r.id,
	conferenceId: r.conference_id,
	kind: r.kind as CaseKind,
	title: r.title,
	projectId: r.project_id,
	sector: r.sector,
	sourceDocId: r.source_doc_id,
	proposalId: r.proposal_id,
	sections: { background: r.background, practice: r.practice, outcome: r.outcome, lessons: r.lessons, clauses: r.clauses },
	measure: r.measure === null ? null : (JSON.parse(r.measure) as CaseMeasure),
	figures: JSON.parse(r.figures) as CaseFigures,
	createdBy: r.created_by,
	createdAt: Number(r.created_at),
	updatedBy: r.updated_by,
	updatedAt: Number(r.updated_at),
	version: Number(r.version)
});

/** Columns a search looks in. */
const searched = ['title', 'background', 'practice', 'outcome', 'lessons', 'clauses'] as const;

/** `q` as a LIKE pattern that finds it anywhere, its own % _ and \ taken literally. */
const containing = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/gu, (ch) => `\\${ch}`)}%`;

/** The case library on the Kysely query layer. */
export function sqlCaseStore(db: Kysely<Database>): CaseStore {
	return {
		async create(c) {
			await db
				.insertInto('cases')
				.values({
					id: c.id,
					conference_id: c.conferenceId,
					kind: c.kind,
					title: c.title,
					project_id: c.projectId,
					sector: c.sector,
					source_doc_id: c.sourceDocId,
					proposal_id: c.proposalId,
					...c.sections,
					measure: c.measure === null ? null : JSON.stringify(c.measure),
					figures: JSON.stringify(c.figures),
					created_by: c.createdBy,
					created_at: c.createdAt,
					updated_by: c.updatedBy,
					updated_at: c.updatedAt,
					version: c.version
				})
				.execute();
		},
		async get(id) {
			const row = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
			return row ? toCase(row) : null;
		},
		async search(conferenceIds, query, limit) {
			if (conferenceIds.length === 0) return [];
			let q = db.selectFrom('cases').selectAll().where('conference_id', 'in', conferenceIds);
			if (query.kind !== '') q = q.where('kind', '=', query.kind);
			if (query.sector !== '') q = q.where('sector', '=', query.sector);
			if (query.q !== '') {
				const pattern = containing(query.q);
				q = q.where((eb) => eb.or(searched.map((col) => sql<SqlBool>`lower(${sql.ref(col)}) like ${pattern} escape '\\'`)));
			}
			return (await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute()).map(toCase);
		},
		async update(id, version, change) {
			const res = await db
				.updateTable('cases')
				.set({ kind: change.kind, title: change.title, sector: change.sector, ...change.sections, updated_by: change.updatedBy, updated_at: change.updatedAt, version: version + 1 })
				.where('id', '=', id)
				.where('version', '=', version)
				.executeTakeFirst();
			return Number(res.numUpdatedRows) === 1;
		},
		async delete(id) {
			const res = await db.deleteFrom('cases').where('id', '=', id).executeTakeFirst();
			return Number(res.numDeletedRows) === 1;
		}
	};
}
