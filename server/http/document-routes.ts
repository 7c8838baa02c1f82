import { createRoute, z } from '@hono/zod-openapi';
import {
	createDocumentSchema,
	documentIdSchema,
	documentListSchema,
	documentSchema
} from '../../src/lib/shared/schemas.js';
import { can } from '../auth/policy.js';
import { randomId } from '../auth/tokens.js';
import type { DocumentRecord, DocumentStore, UserStore } from '../storage/types.js';
import { errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, router } from './openapi.js';

export interface DocumentRoutesDeps {
	documents: DocumentStore;
	users: UserStore;
}

const idParams = z.object({ id: documentIdSchema });

const create = createRoute({
	method: 'post',
	path: '/api/documents',
	summary: 'Create a document',
	request: { body: { content: { 'application/json': { schema: createDocumentSchema } }, required: true } },
	responses: {
		201: { description: 'Created', content: { 'application/json': { schema: documentSchema } } },
		...errorResponses(400, 401, 403)
	}
});

const list = createRoute({
	method: 'get',
	path: '/api/documents',
	summary: 'Documents the caller may read, most recently changed first',
	responses: {
		200: { description: 'Documents', content: { 'application/json': { schema: documentListSchema } } },
		...errorResponses(401)
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

	async function present(d: DocumentRecord) {
		return {
			id: d.id,
			title: d.title,
			ownerId: d.ownerId,
			ownerName: await ownerName(d.ownerId),
			createdAt: new Date(d.createdAt).toISOString(),
			updatedAt: new Date(d.updatedAt).toISOString()
		};
	}

	app.openapi(create, async (c) => {
		const { user } = requireSession(c);
		if (!can(user, 'document.create')) throw errors.forbidden();
		const { title } = c.req.valid('json');
		const now = Date.now();
		const doc: DocumentRecord = {
			id: randomId(12),
			title,
			ownerId: user.id,
			parent: { kind: 'workspace', id: null },
			createdAt: now,
			updatedAt: now
		};
		await deps.documents.create(doc);
		return c.json(await present(doc), 201);
	});

	app.openapi(list, async (c) => {
		const { user } = requireSession(c);
		const docs = (await deps.documents.list(500)).filter((d) => can(user, 'document.read', d));
		return c.json({ documents: await Promise.all(docs.map(present)) }, 200);
	});

	app.openapi(get, async (c) => {
		const { user } = requireSession(c);
		const doc = await deps.documents.get(c.req.valid('param').id);
		// Unreadable and missing look the same: no existence leak.
		if (doc === null || !can(user, 'document.read', doc)) throw errors.notFound('document');
		return c.json(await present(doc), 200);
	});

	return app;
}
