import type * as Y from 'yjs';
import { randomId } from '../auth/tokens.js';
import type { DocumentParent, DocumentRecord, DocumentStore } from '../storage/types.js';

/** Changes a document on the server's behalf, durably (committed before any client sees it). */
export type EditDocument = (docId: string, change: (doc: Y.Doc) => void) => Promise<void>;

/**
 * Creates documents. The content a document starts with (its template) is written by the server,
 * once, before the document exists for anyone: a browser never seeds it, so a reconnecting client
 * cannot duplicate it.
 */
export class DocumentService {
	constructor(
		private readonly documents: DocumentStore,
		private readonly edit: EditDocument
	) {}

	async create(input: {
		id?: string;
		kind: DocumentRecord['kind'];
		title: string;
		ownerId: string;
		parent: DocumentParent;
		seed?: (doc: Y.Doc) => void;
	}): Promise<DocumentRecord> {
		const now = Date.now();
		const doc: DocumentRecord = { id: input.id ?? randomId(12), kind: input.kind, title: input.title, ownerId: input.ownerId, parent: input.parent, createdAt: now, updatedAt: now };
		// Content first, then the record: a crash in between leaves an unreachable log, never an empty
		// document that a later seed could double.
		if (input.seed !== undefined) await this.edit(doc.id, input.seed);
		await this.documents.create(doc);
		return doc;
	}
}
