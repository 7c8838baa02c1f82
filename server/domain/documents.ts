import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { randomId } from '../auth/tokens.js';
import type { DocumentParent, DocumentRecord, DocumentStore } from '../storage/types.js';

/** Changes a document on the server's behalf, durably (committed before any client sees it). */
export type EditDocument = (docId: string, change: (doc: Y.Doc) => void) => Promise<void>;

/**
 * Creates documents. The content a document starts with (its template) is written by the server,
 * once, before the document exists for anyone: a browser never seeds it, so a reconnecting client
 * cannot duplicate it.
 */
/**
 * Stores the first content of a new document durably (nobody can have it open yet), with the Yjs client
 * id it was written under, which belongs to the server from then on.
 */
export type StoreFirstUpdate = (docId: string, update: Uint8Array, clientId: number) => Promise<void>;

/**
 * The Yjs client id a document's template is written under: the same for every writer of one
 * document, so two writers seeding it at once (two instances ensuring a conference's minutes; a
 * retry after a crash between the content and the record) write the same items, and the document has
 * its template once.
 */
export function seedClientId(docId: string): number {
	return createHash('sha256').update(`concord-seed:${docId}`).digest().readUInt32BE(0);
}

export class DocumentService {
	private creating = new Map<string, Promise<void>>();

	constructor(
		private readonly documents: DocumentStore,
		private readonly storeFirstUpdate: StoreFirstUpdate
	) {}

	async create(input: {
		id?: string;
		kind: DocumentRecord['kind'];
		title: string;
		ownerId: string;
		parent: DocumentParent;
		projectId?: string | null;
		seed?: (doc: Y.Doc) => void;
	}): Promise<DocumentRecord> {
		const now = Date.now();
		const doc: DocumentRecord = {
			id: input.id ?? randomId(12),
			kind: input.kind,
			title: input.title,
			ownerId: input.ownerId,
			parent: input.parent,
			projectId: input.projectId ?? null,
			createdAt: now,
			updatedAt: now
		};
		// Content first, then the record: a crash in between leaves an unreachable log, never an empty
		// document that a later seed could double. The content goes straight to the update log: no
		// document is loaded into memory to create one.
		if (input.seed !== undefined) {
			const first = new Y.Doc();
			first.clientID = seedClientId(doc.id);
			input.seed(first);
			await this.storeFirstUpdate(doc.id, Y.encodeStateAsUpdate(first), first.clientID);
			first.destroy();
		}
		await this.documents.create(doc);
		return doc;
	}

	/**
	 * Creates the document with this fixed id unless it exists (a conference's live document, its
	 * minutes): once, however many ask at the same moment.
	 */
	async ensure(input: Parameters<DocumentService['create']>[0] & { id: string }): Promise<void> {
		if ((await this.documents.get(input.id)) !== null) return;
		let pending = this.creating.get(input.id);
		if (pending === undefined) {
			pending = this.create(input)
				.then(
					() => undefined,
					// Another instance created it first (its template and this one are the same items).
					async (err: unknown) => {
						if ((await this.documents.get(input.id)) === null) throw err;
					}
				)
				.finally(() => this.creating.delete(input.id));
			this.creating.set(input.id, pending);
		}
		await pending;
	}
}
