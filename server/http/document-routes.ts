import { createRoute, z } from '@hono/zod-openapi';
import {
	createDocumentSchema,
	documentIdSchema,
	documentListSchema,
	documentProjectSchema,
	type DocumentKind,
	causeSchema,
	documentSchema
} from '../../src/lib/shared/schemas.js';
import { type Scope, can } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { DocumentService } from '../domain/documents.js';
import { seedTemplate } from '../domain/templates.js';
import { readCauses } from '../domain/block-reader.js';
import type * as Y from 'yjs';
import type { ConferenceStore, DocumentParent, DocumentRecord, DocumentStore, ProjectRecord, UserRecord, UserStore } from '../storage/types.js';
import { errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, router } from './openapi.js';

export interface DocumentRoutesDeps {
	documents: DocumentStore;
	service: DocumentService;
	read: <T>(docId: string, look: (doc: Y.Doc) => T) => Promise<T>;
	users: UserStore;
	conferences: ConferenceStore;
	access: AccessResolver;
	/** A document was linked to a project (or unlinked, null): recorded and announced. */
	projectLinked: (doc: DocumentRecord, project: ProjectRecord | null, user: UserRecord) => Promise<void>;
}

const idParams = z.object({ id: documentIdSchema });

const create = createRoute({
	method: 'post',
	path: '/api/documents',
	summary: 'Create a document in the workspace, a conference (conferenceId) or a breakout (breakoutId)',
	request: { body: { content: { 'application/json': { schema: createDocumentSchema } }, required: true } },
	responses: {
		201: { description: 'Created', content: { 'application/json': { schema: documentSchema } } },
		...errorResponses(400, 401, 403, 404)
	}
});

const list = createRoute({
	method: 'get',
	path: '/api/documents',
	summary: "Documents the caller may read: the 500 most recently changed, or all of one conference's (its own and its breakouts', oldest first)",
	request: { query: z.object({ conferenceId: z.string().min(1).max(64).optional() }) },
	responses: {
		200: { description: 'Documents', content: { 'application/json': { schema: documentListSchema } } },
		...errorResponses(400, 401, 404)
	}
});

const get = createRoute({
	method: 'get',
	path: '/api/documents/{id}',
	summary: "A document's metadata",
	request: { params: idParams },
	responses: {
		200: { description: 'The document', content: { 'application/json': { schema: documentSchema } } },
		...errorResponses(400, 401, 404)
	}
});

const setProject = createRoute({
	method: 'put',
	path: '/api/documents/{id}/project',
	summary: 'Link an analysis or plan to a project of its breakout (projectId), or unlink it (null); those who may write the document',
	request: { params: idParams, body: { content: { 'application/json': { schema: documentProjectSchema } }, required: true } },
	responses: {
		200: { description: 'The document', content: { 'application/json': { schema: documentSchema } } },
		...errorResponses(400, 401, 403, 404)
	}
});

/** Kinds of document that are about one project. */
const projectKinds: readonly string[] = ['analysis', 'plan'];

const isListed = (d: DocumentRecord): d is DocumentRecord & { kind: DocumentKind } => d.kind !== 'live';

const causes = createRoute({
	method: 'get',
	path: '/api/documents/{id}/causes',
	summary: "The causes of the analyses in the document's breakout (id, text, key mark, category), to link measures to",
	request: { params: idParams },
	responses: {
		200: { description: 'Causes', content: { 'application/json': { schema: z.object({ causes: z.array(causeSchema) }) } } },
		...errorResponses(400, 401, 404)
	}
});

export function documentRoutes(deps: DocumentRoutesDeps) {
	const app = router();
	const names = new Map<string, string>();

	/** Owner display names, cached: a user's display name does not change in this release. */
	async function ownerName(id: string): Promise<string> {
		let name = names.get(id);
		if (name === undefined) {
			name = (await deps.users.findById(id))?.displayName ?? '';
			names.set(id, name);
		}
		return name;
	}

	async function present(d: DocumentRecord & { kind: DocumentKind }, user: UserRecord) {
		const scope = await deps.access.scopeOf(d);
		const access = await deps.access.documentAccess(user, d);
		return {
			id: d.id,
			kind: d.kind,
			title: d.title,
			conferenceId: scope !== null && (scope.kind === 'conference' || scope.kind === 'breakout') ? scope.conferenceId : null,
			ownerId: d.ownerId,
			ownerName: await ownerName(d.ownerId),
			parentKind: d.parent.kind,
			parentId: d.parent.id,
			projectId: d.projectId,
			myAccess: access === 'write' ? ('write' as const) : ('read' as const),
			createdAt: new Date(d.createdAt).toISOString(),
			updatedAt: new Date(d.updatedAt).toISOString()
		};
	}

	async function mayRead(user: UserRecord, doc: DocumentRecord): Promise<boolean> {
		const scope = await deps.access.scopeOf(doc);
		return scope !== null && can(await deps.access.subject(user, scope), 'document.read', scope);
	}

	/** Where a new document goes; a conference or breakout the caller cannot see is "not found". */
	async function placement(body: { conferenceId?: string; breakoutId?: string }): Promise<{ parent: DocumentParent; scope: Scope }> {
		if (body.breakoutId !== undefined) {
			const b = await deps.conferences.getBreakout(body.breakoutId);
			if (b === null) throw errors.notFound('breakout');
			return { parent: { kind: 'breakout', id: b.id }, scope: { kind: 'breakout', conferenceId: b.conferenceId, breakoutId: b.id, closed: b.closed } };
		}
		if (body.conferenceId !== undefined) {
			if ((await deps.conferences.get(body.conferenceId)) === null) throw errors.notFound('conference');
			return { parent: { kind: 'conference', id: body.conferenceId }, scope: { kind: 'conference', conferenceId: body.conferenceId } };
		}
		return { parent: { kind: 'workspace', id: null }, scope: { kind: 'workspace' } };
	}

	/** The project a document of `kind` under `parent` may be about: one of its breakout's; else a 400. */
	async function projectOf(kind: string, parent: DocumentParent, projectId: string): Promise<string> {
		if (!projectKinds.includes(kind)) throw errors.validation('projectId: only an analysis or a plan is about a project.');
		const project = await deps.conferences.getProject(projectId);
		if (project === null || parent.kind !== 'breakout' || project.breakoutId !== parent.id) throw errors.validation('projectId: not a project of this breakout.');
		return project.id;
	}

	app.openapi(create, async (c) => {
		const { user } = requireSession(c);
		const body = c.req.valid('json');
		const { parent, scope } = await placement(body);
		const subject = await deps.access.subject(user, scope);
		if (!can(subject, 'document.create', scope)) {
			// Members who may see the conference learn they may not write here; others learn nothing.
			if ((scope.kind === 'conference' || scope.kind === 'breakout') && !can(subject, 'conference.read', { kind: 'conference', conferenceId: scope.conferenceId })) {
				throw errors.notFound(scope.kind);
			}
			throw errors.forbidden();
		}
		const kind = body.kind;
		const projectId = body.projectId === undefined ? null : await projectOf(kind, parent, body.projectId);
		const doc = await deps.service.create({ kind, title: body.title, ownerId: user.id, parent, projectId, seed: (d) => seedTemplate(d, kind, { fishbone: body.fishbone }) });
		return c.json(await present({ ...doc, kind }, user), 201);
	});

	/** A conference's documents and its breakouts', however many other documents the instance has. */
	async function documentsOf(user: UserRecord, conferenceId: string): Promise<DocumentRecord[]> {
		const scope: Scope = { kind: 'conference', conferenceId };
		// Unreadable and missing look the same: no existence leak.
		if ((await deps.conferences.get(conferenceId)) === null || !can(await deps.access.subject(user, scope), 'conference.read', scope)) {
			throw errors.notFound('conference');
		}
		const docs = await deps.documents.listIn({ kind: 'conference', id: conferenceId });
		for (const b of await deps.conferences.listBreakouts(conferenceId)) docs.push(...(await deps.documents.listIn({ kind: 'breakout', id: b.id })));
		return docs;
	}

	app.openapi(list, async (c) => {
		const { user } = requireSession(c);
		const { conferenceId } = c.req.valid('query');
		const docs: (DocumentRecord & { kind: DocumentKind })[] = [];
		const candidates = conferenceId === undefined ? await deps.documents.list(500) : await documentsOf(user, conferenceId);
		// A conference's live document is plumbing, not something to open.
		for (const d of candidates) if (isListed(d) && (await mayRead(user, d))) docs.push(d);
		return c.json({ documents: await Promise.all(docs.map((d) => present(d, user))) }, 200);
	});

	app.openapi(get, async (c) => {
		const { user } = requireSession(c);
		const doc = await deps.documents.get(c.req.valid('param').id);
		// Unreadable and missing look the same: no existence leak.
		if (doc === null || !isListed(doc) || !(await mayRead(user, doc))) throw errors.notFound('document');
		return c.json(await present(doc, user), 200);
	});

	app.openapi(setProject, async (c) => {
		const { user } = requireSession(c);
		const doc = await deps.documents.get(c.req.valid('param').id);
		if (doc === null || !isListed(doc) || !(await mayRead(user, doc))) throw errors.notFound('document');
		if ((await deps.access.documentAccess(user, doc)) !== 'write') throw errors.forbidden();
		const { projectId: wanted } = c.req.valid('json');
		const projectId = wanted === null ? null : await projectOf(doc.kind, doc.parent, wanted);
		await deps.documents.setProject(doc.id, projectId);
		await deps.projectLinked(doc, projectId === null ? null : await deps.conferences.getProject(projectId), user);
		return c.json(await present({ ...doc, projectId }, user), 200);
	});

	app.openapi(causes, async (c) => {
		const { user } = requireSession(c);
		const doc = await deps.documents.get(c.req.valid('param').id);
		if (doc === null || !isListed(doc) || !(await mayRead(user, doc))) throw errors.notFound('document');
		if (doc.parent.kind !== 'breakout') return c.json({ causes: [] }, 200);
		const analyses = (await deps.documents.listIn(doc.parent)).filter((d) => d.kind === 'analysis');
		const found = await Promise.all(
			analyses.map(async (a) => (await deps.read(a.id, readCauses)).map((cause) => ({ ...cause, documentId: a.id, documentTitle: a.title })))
		);
		return c.json({ causes: found.flat() }, 200);
	});

	return app;
}
