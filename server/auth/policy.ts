import type { DocumentRecord, UserRecord } from '../storage/types.js';

/**
 * Who may do what: the one place access is decided, for HTTP routes and sync connections alike.
 * Today every signed-in user works in one shared workspace; conference roles extend this table.
 */
export type Action =
	| 'instance.admin'
	| 'user.create'
	| 'user.list'
	| 'document.list'
	| 'document.create'
	| 'document.read'
	| 'document.write';

export function can(user: UserRecord, action: Action, doc?: DocumentRecord): boolean {
	if (user.isAdmin) return true;
	switch (action) {
		case 'instance.admin':
		case 'user.create':
		case 'user.list':
			return false;
		case 'document.list':
		case 'document.create':
			return true;
		case 'document.read':
		case 'document.write':
			return doc !== undefined && doc.parent.kind === 'workspace';
	}
}

/** What a sync connection of `user` to `doc` may do. */
export function syncAccess(user: UserRecord, doc: DocumentRecord): 'write' | 'read' | 'none' {
	if (can(user, 'document.write', doc)) return 'write';
	if (can(user, 'document.read', doc)) return 'read';
	return 'none';
}
