import type { ClientClaim } from '../storage/types.js';
import type { Connection } from './connection.js';

/** The owner of the server's own client id: no account has an empty id. */
const server = '';

/**
 * Who writes under each Yjs client id of one document. An id belongs to the account that first used
 * it (stored with the update that first wrote under it, so it survives restarts); nobody else may
 * write content or presence under it: with another's id a client could make its edits collide with
 * theirs (same ids, different content: one of the two is silently dropped) or speak in their name.
 * A connection takes at most `maxPerConnection` new ids (a browser tab uses one, and Yjs picks a
 * second if it ever meets a collision).
 */
export class ClientIds {
	private readonly owners = new Map<number, { userId: string; stored: boolean }>();

	constructor(
		stored: readonly ClientClaim[],
		serverClientId: number,
		private readonly maxPerConnection: number
	) {
		for (const c of stored) this.owners.set(c.clientId, { userId: c.userId, stored: true });
		this.owners.set(serverClientId, { userId: server, stored: true });
	}

	/**
	 * Lets `conn` use `ids`, taking those nobody has. Returns the ids to store with the content
	 * (`content`: the update writes under them), or null when one belongs to someone else or the
	 * connection has taken its share.
	 */
	take(conn: Connection, ids: readonly number[], content: boolean): ClientClaim[] | null {
		let fresh = 0;
		for (const id of ids) {
			const owner = this.owners.get(id);
			if (owner === undefined) fresh++;
			else if (owner.userId !== conn.identity.id) return null;
		}
		if (fresh > 0 && conn.claimedIds + fresh > this.maxPerConnection) return null;
		const toStore: ClientClaim[] = [];
		for (const id of ids) {
			let owner = this.owners.get(id);
			if (owner === undefined) {
				owner = { userId: conn.identity.id, stored: false };
				this.owners.set(id, owner);
				conn.claimedIds++;
			}
			if (content && !owner.stored) {
				owner.stored = true;
				toStore.push({ clientId: id, userId: owner.userId });
			}
		}
		return toStore;
	}
}
