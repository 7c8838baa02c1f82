import { type Scope, type Subject, can } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { DocumentRecord, DocumentStore, UserRecord } from '../storage/types.js';
import { errors } from './errors.js';

export interface ReadableDocument {
	doc: DocumentRecord;
	scope: Scope;
	subject: Subject;
}

/**
 * The document `id` with its scope and the caller as the policy sees them, when the caller may read
 * it; a 404 otherwise (whether it exists or not), and for a conference's live document, which only
 * the server writes and which has no history or comments of its own.
 */
export async function readableDocument(deps: { documents: DocumentStore; access: AccessResolver }, user: UserRecord, id: string): Promise<ReadableDocument> {
	const doc = await deps.documents.get(id);
	const scope = doc === null || doc.kind === 'live' ? null : await deps.access.scopeOf(doc);
	const subject = scope === null ? null : await deps.access.subject(user, scope);
	if (doc === null || scope === null || subject === null || !can(subject, 'document.read', scope)) throw errors.notFound('document');
	return { doc, scope, subject };
}

/** The conference a scope belongs to, if any. */
export const conferenceOfScope = (scope: Scope): string | null => (scope.kind === 'conference' || scope.kind === 'breakout' ? scope.conferenceId : null);
