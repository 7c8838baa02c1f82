import { createRoute, z } from '@hono/zod-openapi';
import { blockIdSchema } from '../../src/lib/shared/blocks.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { documentIdSchema, entityIdSchema } from '../../src/lib/shared/schemas.js';
import { versionNameSchema, versionSchema } from '../../src/lib/shared/versions.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import { RestoreError } from '../domain/version-restore.js';
import { VersionLimitError, type Versions } from '../domain/versions.js';
import type { ConferenceStore, DocumentRecord, DocumentStore, UserRecord, UserStore, VersionRecord } from '../storage/types.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { memberLookup } from './presenters.js';
import { conferenceOfScope, readableDocument } from './readable-document.js';
import { errorResponses, json, router } from './openapi.js';

export interface VersionRoutesDeps {
	documents: DocumentStore;
	conferences: ConferenceStore;
	users: UserStore;
	access: AccessResolver;
	versions: Versions;
	audit: Auditor;
}

const params = z.object({ id: documentIdSchema });
const versionParams = z.object({ id: documentIdSchema, versionId: entityIdSchema });

const routes = {
	list: createRoute({
		method: 'get',
		path: '/api/documents/{id}/versions',
		summary: "A document's versions (版本), newest first: automatic, named, frozen at a stage (proposed, approved, exported) or kept before a restore; those who may read it",
		request: { params },
		responses: { 200: { description: 'Versions', ...json(z.object({ versions: z.array(versionSchema), mayWrite: z.boolean() })) }, ...errorResponses(401, 404) }
	}),
	name: createRoute({
		method: 'post',
		path: '/api/documents/{id}/versions',
		summary: 'Keeps the document as it stands now as a named version; those who may write it',
		request: { params, body: { ...json(z.object({ name: versionNameSchema })), required: true } },
		responses: { 201: { description: 'The version', ...json(versionSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	get: createRoute({
		method: 'get',
		path: '/api/documents/{id}/versions/{versionId}',
		summary: 'One version with its Yjs state (base64), to show it or compare it',
		request: { params: versionParams },
		responses: { 200: { description: 'The version', ...json(z.object({ version: versionSchema, state: z.string() })) }, ...errorResponses(401, 404) }
	}),
	authors: createRoute({
		method: 'get',
		path: '/api/documents/{id}/authors',
		summary:
			"Who wrote under each of the document's Yjs client ids, as the server bound them when the text arrived (clients cannot rewrite it): the history's colours per unit. Ids not listed are the server's own (templates, restores, the minutes' items)",
		request: { params },
		responses: {
			200: {
				description: 'Authors',
				...json(z.object({ authors: z.array(z.object({ clientId: z.number(), name: z.string(), unit: z.string(), unitType: z.string() })) }))
			},
			...errorResponses(401, 404)
		}
	}),
	restore: createRoute({
		method: 'post',
		path: '/api/documents/{id}/versions/{versionId}/restore',
		summary:
			'Restores the version, or with blockId one block of it (a heading: its section), as a new change on top: what others wrote since elsewhere stays; the state just before is kept as a version. Those who may write it',
		request: { params: versionParams, body: { ...json(z.object({ blockId: blockIdSchema.nullable().default(null) })), required: true } },
		responses: { 200: { description: 'The version that keeps the state before', ...json(z.object({ before: versionSchema })) }, ...errorResponses(400, 401, 403, 404, 409) }
	})
};

/** Past tense of each stage, as the audit log and the list say it. */
export const versionKindLabels: Record<VersionRecord['kind'], string> = { auto: '自动保存', named: '命名版本', proposed: '提议时', approved: '审定时', exported: '导出签发时', restored: '恢复前' };

export function versionRoutes(deps: VersionRoutesDeps) {
	const app = router();
	/** Presents versions with their authors' names and units, as they are now (read once per request). */
	function presenter() {
		const people = new Map<string, Promise<{ name: string; unit: string } | null>>();
		const person = (id: string) => {
			if (!people.has(id)) people.set(id, deps.users.findById(id).then((u) => (u === null ? null : { name: u.displayName, unit: u.unit })));
			return people.get(id)!;
		};
		return async (v: VersionRecord) => ({
			id: v.id,
			kind: v.kind,
			name: v.name,
			contentHash: v.contentHash,
			bytes: v.bytes,
			createdBy: v.createdBy === null ? null : await person(v.createdBy),
			createdAt: new Date(v.createdAt).toISOString()
		});
	}

	/** The document, if `user` may read it; 'write' when they may also change it. */
	async function open(user: UserRecord, id: string): Promise<{ doc: DocumentRecord; write: boolean; conferenceId: string | null }> {
		const { doc, scope } = await readableDocument(deps, user, id);
		return { doc, write: (await deps.access.documentAccess(user, doc)) === 'write', conferenceId: conferenceOfScope(scope) };
	}

	app.openapi(routes.list, async (c) => {
		const { user } = requireSession(c);
		const { doc, write } = await open(user, c.req.valid('param').id);
		const versions = await Promise.all((await deps.versions.list(doc.id)).map(presenter()));
		return c.json({ versions, mayWrite: write }, 200);
	});

	app.openapi(routes.name, async (c) => {
		const { user } = requireSession(c);
		const { doc, write, conferenceId } = await open(user, c.req.valid('param').id);
		if (!write) throw errors.forbidden();
		const { version } = await deps.versions.freeze(doc.id, 'named', user, c.req.valid('json').name).catch((err: unknown) => {
			if (err instanceof VersionLimitError) throw new AppError(409, ErrorCode.versionLimit, err.message);
			throw err;
		});
		await deps.audit.record('document.version', { actor: user, conferenceId, target: `《${doc.title}》`, detail: `命名版本“${version.name}”：${version.contentHash}` });
		return c.json(await presenter()(version), 201);
	});

	app.openapi(routes.get, async (c) => {
		const { user } = requireSession(c);
		const { id, versionId } = c.req.valid('param');
		const { doc } = await open(user, id);
		const v = await deps.versions.get(doc.id, versionId);
		if (v === null) throw errors.notFound('version');
		return c.json({ version: await presenter()(v.version), state: Buffer.from(v.state).toString('base64') }, 200);
	});

	app.openapi(routes.authors, async (c) => {
		const { user } = requireSession(c);
		const { doc, conferenceId } = await open(user, c.req.valid('param').id);
		const claims = await deps.documents.writers(doc.id);
		const person = memberLookup(deps.users, deps.conferences, conferenceId);
		const authors = [];
		for (const claim of claims) {
			const p = await person(claim.userId);
			if (p !== null) authors.push({ clientId: claim.clientId, name: p.name, unit: p.unit, unitType: p.unitType });
		}
		return c.json({ authors }, 200);
	});

	app.openapi(routes.restore, async (c) => {
		const { user } = requireSession(c);
		const { id, versionId } = c.req.valid('param');
		const { doc, write, conferenceId } = await open(user, id);
		const v = await deps.versions.get(doc.id, versionId);
		if (v === null) throw errors.notFound('version');
		if (!write) throw errors.forbidden();
		const { blockId } = c.req.valid('json');
		const before = await deps.versions.restore(doc.id, v, user, blockId).catch((err: unknown) => {
			if (err instanceof RestoreError) throw new AppError(409, ErrorCode.restoreRefused, err.message);
			throw err;
		});
		const what = blockId === null ? '整个版本' : `其中一段（${blockId}）`;
		await deps.audit.record('document.restored', {
			actor: user,
			conferenceId,
			target: `《${doc.title}》`,
			detail: `恢复${versionKindLabels[v.version.kind]}版本（${v.version.contentHash}）的${what}；恢复前：${before.contentHash}`
		});
		return c.json({ before: await presenter()(before) }, 200);
	});

	return app;
}
