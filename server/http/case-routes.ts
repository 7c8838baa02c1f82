import { createRoute, z } from '@hono/zod-openapi';
import { beijingDate } from '../../src/lib/shared/beijing-time.js';
import { type CaseFigures, caseCreateSchema, caseQuerySchema, caseSourcesSchema, caseUpdateSchema, maxCaseResults, maxExportIds } from '../../src/lib/shared/case-library.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { unitsOf } from '../../src/lib/shared/ledger.js';
import { entityIdSchema } from '../../src/lib/shared/schemas.js';
import { can } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import { caseKindZh } from '../domain/case-text.js';
import { CaseError, type CaseLibrary } from '../domain/cases.js';
import { safeFileName } from '../domain/evidence.js';
import { type CaseEntry, casesDocx } from '../domain/exports/cases-docx.js';
import { PrintTooLarge, printLimits } from '../domain/exports/official-docx.js';
import type { CaseRecord, ConferenceRecord, ConferenceStore, DocumentStore, ProjectRecord, UserRecord, UserStore } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { downloadHeaders } from './download.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';
import { personLookup } from './presenters.js';

export interface CaseRoutesDeps {
	conferences: ConferenceStore;
	documents: DocumentStore;
	users: UserStore;
	access: AccessResolver;
	cases: CaseLibrary;
	audit: Auditor;
	/** Announces a change of a case to the conference's open pages. */
	announce: (conferenceId: string, caseId: string) => void;
}

const loose = z.record(z.string(), z.unknown());
const confParams = z.object({ id: entityIdSchema });
const caseParams = z.object({ id: entityIdSchema, caseId: entityIdSchema });
const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const conferenceQuery = caseQuerySchema.omit({ conference: true });

const routes = {
	search: createRoute({
		method: 'get',
		path: '/api/cases',
		summary: 'Search the case library across every conference the caller may read: text in the title or a section (q), sector, kind (good, lesson), one conference; newest first, at most 200',
		request: { query: caseQuerySchema },
		responses: { 200: { description: 'Cases', ...json(loose) }, ...errorResponses(400, 401, 404) }
	}),
	list: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/cases',
		summary: "The conference's cases (案例库), newest first, filtered like the search; mayWrite says whether the caller may create them (organizers, experts)",
		request: { params: confParams, query: conferenceQuery },
		responses: { 200: { description: 'Cases', ...json(loose) }, ...errorResponses(400, 401, 404) }
	}),
	sources: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/cases/sources',
		summary: 'What a case may be drawn from: the analyses the caller may read, with the approved measures of their breakouts (those naming the analysis’s causes first), and the projects',
		request: { params: confParams },
		responses: { 200: { description: 'Sources', ...json(loose) }, ...errorResponses(401, 403, 404) }
	}),
	draft: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/cases/draft',
		summary: 'A case as it would be made from its sources: title, sector and the five sections prefilled, the measure and the figures it would keep. Nothing is stored',
		request: { params: confParams, body: { ...json(caseSourcesSchema), required: true } },
		responses: { 200: { description: 'The draft', ...json(loose) }, ...errorResponses(400, 401, 403, 404) }
	}),
	create: createRoute({
		method: 'post',
		path: '/api/conferences/{id}/cases',
		summary: 'Make a case (organizers, experts): its sources (checked again; the measure with its ledger outcome and the before/after figures are frozen now) and the edited title, sector and sections',
		request: { params: confParams, body: { ...json(caseCreateSchema), required: true } },
		responses: { 201: { description: 'The case', ...json(loose) }, ...errorResponses(400, 401, 403, 404) }
	}),
	export: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/cases/export.docx',
		summary: 'The case compilation (案例汇编) as DOCX in the official layout of the minutes (GB/T 9704-2012): every case of the conference, or those of ids (comma-separated, in that order within each kind)',
		request: { params: confParams, query: z.object({ ids: z.string().max(maxExportIds * 65).default('') }) },
		responses: { 200: { description: 'DOCX', content: { [docx]: { schema: z.string() } } }, ...errorResponses(400, 401, 404, 413) }
	}),
	get: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/cases/{caseId}',
		summary: 'One case: its five sections, project, source analysis, measure with its numbers and ledger outcome, and before/after figures',
		request: { params: caseParams },
		responses: { 200: { description: 'The case', ...json(loose) }, ...errorResponses(401, 404) }
	}),
	update: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/cases/{caseId}',
		summary: 'Edit a case (organizers, experts): kind, title, sector and sections, with the version the edit was based on (409 conflict when someone saved first)',
		request: { params: caseParams, body: { ...json(caseUpdateSchema), required: true } },
		responses: { 200: { description: 'The case', ...json(loose) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	delete: createRoute({
		method: 'delete',
		path: '/api/conferences/{id}/cases/{caseId}',
		summary: 'Delete a case (organizers, experts)',
		request: { params: caseParams },
		responses: { 204: { description: 'Deleted' }, ...errorResponses(401, 403, 404) }
	})
};

function caseFailure(err: unknown): never {
	if (err instanceof CaseError) {
		if (err.code === 'stale') throw new AppError(409, ErrorCode.conflict, err.message);
		throw new AppError(400, ErrorCode.caseSourceInvalid, err.message);
	}
	throw err;
}

const iso = (t: number) => new Date(t).toISOString();
const projectOut = (p: ProjectRecord | null) => (p === null ? null : { id: p.id, name: p.name, code: p.code, sector: p.sector });
const excerpt = (c: CaseRecord) => [...(c.sections.background || c.sections.practice).replace(/\s+/gu, ' ')].slice(0, 120).join('');

export function caseRoutes(deps: CaseRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);
	const personOf = personLookup(deps.users);

	async function mayWrite(user: UserRecord, conferenceId: string) {
		const scope = { kind: 'conference', conferenceId } as const;
		return can(await deps.access.subject(user, scope), 'cases.write', scope);
	}

	/** The source analysis, named only to those who may read it (its title would tell of a closed breakout). */
	async function sourceOf(user: UserRecord, c: CaseRecord) {
		if (c.sourceDocId === null) return null;
		const doc = await deps.documents.get(c.sourceDocId);
		if (doc === null) return { id: c.sourceDocId, title: null, deleted: true };
		return (await deps.access.documentAccess(user, doc)) === 'none' ? { id: doc.id, title: null, deleted: false } : { id: doc.id, title: doc.title, deleted: false };
	}

	async function summary(user: UserRecord, c: CaseRecord, conference: ConferenceRecord) {
		return {
			id: c.id,
			conference: { id: conference.id, title: conference.title },
			kind: c.kind,
			title: c.title,
			sector: c.sector,
			project: projectOut(c.projectId === null ? null : await deps.conferences.getProject(c.projectId)),
			measure: c.measure === null ? null : { number: c.measure.number, ledgerNumber: c.measure.ledgerNumber },
			excerpt: excerpt(c),
			createdAt: iso(c.createdAt),
			updatedAt: iso(c.updatedAt)
		};
	}

	async function detail(user: UserRecord, c: CaseRecord, conference: ConferenceRecord) {
		return {
			...(await summary(user, c, conference)),
			sections: c.sections,
			source: await sourceOf(user, c),
			measure: c.measure,
			figures: c.figures satisfies CaseFigures,
			createdBy: await personOf(c.createdBy),
			updatedBy: await personOf(c.updatedBy),
			version: c.version,
			mayWrite: await mayWrite(user, conference.id)
		};
	}

	/** The case, to a member who may read its conference (else 404). */
	async function visibleCase(user: UserRecord, conferenceId: string, caseId: string) {
		const { conference } = await authorize(user, conferenceId, 'conference.read');
		const c = await deps.cases.get(caseId);
		if (c === null || c.conferenceId !== conference.id) throw errors.notFound('case');
		return { conference, c };
	}

	/** The conferences `user` may read (administrators: every one). */
	async function readableConferences(user: UserRecord): Promise<ConferenceRecord[]> {
		const all = user.isAdmin ? await deps.conferences.listAll() : await deps.conferences.listForUser(user.id);
		const out: ConferenceRecord[] = [];
		for (const c of all) {
			const scope = { kind: 'conference', conferenceId: c.id } as const;
			if (can(await deps.access.subject(user, scope), 'conference.read', scope)) out.push(c);
		}
		return out;
	}

	app.openapi(routes.search, async (c) => {
		const { user } = requireSession(c);
		const { conference, ...query } = c.req.valid('query');
		let readable = await readableConferences(user);
		if (conference !== '') {
			readable = readable.filter((r) => r.id === conference);
			if (readable.length === 0) throw errors.notFound('conference');
		}
		const byId = new Map(readable.map((r) => [r.id, r]));
		const found = await deps.cases.search([...byId.keys()], query, maxCaseResults);
		return c.json({ cases: await Promise.all(found.map((k) => summary(user, k, byId.get(k.conferenceId)!))), conferences: readable.map((r) => ({ id: r.id, title: r.title })), limit: maxCaseResults }, 200);
	});

	app.openapi(routes.list, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.read');
		const found = await deps.cases.search([conference.id], c.req.valid('query'), maxCaseResults);
		return c.json({ cases: await Promise.all(found.map((k) => summary(user, k, conference))), mayWrite: await mayWrite(user, conference.id), limit: maxCaseResults }, 200);
	});

	app.openapi(routes.sources, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'cases.write');
		const breakouts = await deps.access.readableBreakouts(user, conference.id);
		const projects = (await deps.conferences.listProjects(conference.id)).filter((p) => breakouts.has(p.breakoutId));
		const analyses = await Promise.all(
			(await deps.cases.analyses(conference.id, user)).map(async (a) => ({
				id: a.doc.id,
				title: a.doc.title,
				breakout: a.breakoutId === null ? null : { id: a.breakoutId, name: breakouts.get(a.breakoutId)?.name ?? '', sector: breakouts.get(a.breakoutId)?.sector ?? '' },
				/** The project its problem statement names, to preselect. */
				projectId: (await deps.cases.projectOf(a.doc.id, projects))?.id ?? null,
				measures: (await deps.cases.measuresFor(conference.id, user, a)).map(({ item, linked }) => ({
					proposalId: item.resolution.proposal.id,
					number: item.resolution.number,
					ledgerNumber: item.resolution.ledgerNumber,
					text: item.resolution.title,
					status: item.status,
					percent: item.percent,
					linked
				}))
			}))
		);
		return c.json({ analyses, projects: projects.map(projectOut) }, 200);
	});

	app.openapi(routes.draft, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'cases.write');
		const d = await deps.cases.draft(conference.id, user, c.req.valid('json')).catch(caseFailure);
		return c.json({ title: d.title, sector: d.sector, sections: d.sections, measure: d.measure, figures: d.figures, project: projectOut(d.sources.project) }, 200);
	});

	app.openapi(routes.create, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'cases.write');
		const record = await deps.cases.create(conference.id, user, c.req.valid('json')).catch(caseFailure);
		deps.announce(conference.id, record.id);
		await deps.audit.record('cases.created', { actor: user, conferenceId: conference.id, target: record.title, detail: caseKindZh[record.kind] });
		return c.json(await detail(user, record, conference), 201);
	});

	app.openapi(routes.export, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.read');
		const ids = c.req.valid('query').ids.split(',').map((s) => s.trim()).filter(Boolean);
		if (ids.length > maxExportIds || ids.some((id) => !entityIdSchema.safeParse(id).success)) throw errors.validation(`ids: at most ${maxExportIds} case ids, comma-separated.`);
		let chosen: CaseRecord[];
		if (ids.length === 0) chosen = (await deps.cases.search([conference.id], { q: '', sector: '', kind: '' }, Number.MAX_SAFE_INTEGER)).reverse();
		else {
			chosen = [];
			for (const id of new Set(ids)) {
				const k = await deps.cases.get(id);
				if (k === null || k.conferenceId !== conference.id) throw errors.notFound('case');
				chosen.push(k);
			}
		}
		const entries: CaseEntry[] = await Promise.all(
			chosen.map(async (k) => {
				const p = k.projectId === null ? null : await deps.conferences.getProject(k.projectId);
				const source = await sourceOf(user, k);
				return { record: k, project: p ? `${p.name}${p.code ? `（${p.code}）` : ''}` : '', source: source?.title ?? '' };
			})
		);
		const file = await casesDocx({ conferenceTitle: conference.title, issuer: unitsOf(conference.hosts)[0] ?? '', date: beijingDate(Date.now()), cases: entries }).catch((err: unknown) => {
			if (err instanceof PrintTooLarge) throw new AppError(413, ErrorCode.exportTooLarge, `The cases are too large to export (more than ${printLimits.parts} paragraphs and table cells or ${printLimits.chars} characters).`);
			throw err;
		});
		await deps.audit.record('export.downloaded', { actor: user, conferenceId: conference.id, target: 'cases.docx', detail: `${entries.length}个案例` });
		return c.body(new Uint8Array(file), 200, downloadHeaders(safeFileName(`${conference.title}案例汇编.docx`, '案例汇编.docx'), docx));
	});

	app.openapi(routes.get, async (c) => {
		const { user } = requireSession(c);
		const { id, caseId } = c.req.valid('param');
		const { conference, c: record } = await visibleCase(user, id, caseId);
		return c.json(await detail(user, record, conference), 200);
	});

	app.openapi(routes.update, async (c) => {
		const { user } = requireSession(c);
		const { id, caseId } = c.req.valid('param');
		const { conference, c: record } = await visibleCase(user, id, caseId);
		if (!(await mayWrite(user, conference.id))) throw errors.forbidden();
		const input = c.req.valid('json');
		await deps.cases.update(record, user, input).catch(caseFailure);
		deps.announce(conference.id, record.id);
		await deps.audit.record('cases.updated', { actor: user, conferenceId: conference.id, target: input.title, detail: caseKindZh[input.kind] });
		const saved = await deps.cases.get(record.id);
		if (saved === null) throw errors.notFound('case');
		return c.json(await detail(user, saved, conference), 200);
	});

	app.openapi(routes.delete, async (c) => {
		const { user } = requireSession(c);
		const { id, caseId } = c.req.valid('param');
		const { conference, c: record } = await visibleCase(user, id, caseId);
		if (!(await mayWrite(user, conference.id))) throw errors.forbidden();
		if (!(await deps.cases.delete(record))) throw errors.notFound('case');
		deps.announce(conference.id, record.id);
		await deps.audit.record('cases.deleted', { actor: user, conferenceId: conference.id, target: record.title, detail: caseKindZh[record.kind] });
		return c.body(null, 204);
	});

	return app;
}
