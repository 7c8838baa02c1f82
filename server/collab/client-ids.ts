import type { ClientClaim } from '../storage/types.js';
import type { Connection } from './connection.js';

/** The owner of the server's own client ids (its writes, templates): no account has an empty id. */
export const serverAccount = '';

/**
 * Who writes under each Yjs client id of one document. An id belongs to the account that first used
 * it, in content or in presence, and the binding is stored (with the first update under it, or at
 * once when presence came first), so it survives unloads and restarts: an id shown in presence is
 * known to everyone in the document, and whoever wrote under it first after the binding was forgotten
 * would make the owner's own edits collide with theirs (same ids, different content: one of the two
 * silently dropped). A connection takes at most `maxPerConnection` new ids (a browser tab uses one,
 * and Yjs picks a second if it ever meets a collision).
 */
export class ClientIds {
	private readonly owners = new Map<number, { userId: string; stored: boolean }>();

	constructor(
		stored: readonly ClientClaim[],
		serverClientId: number,
		private readonly maxPerConnection: number,
		/** Stores ids taken in presence before anything was written under them. */
		private readonly persist: (claims: ClientClaim[]) => void
	) {
		for (const c of stored) this.owners.set(c.clientId, { userId: c.userId, stored: true });
		this.owners.set(serverClientId, { userId: serverAccount, stored: true });
	}

	/** Owners another instance (or storage) knows of; an owner known here stays. */
	learn(claims: readonly ClientClaim[]): void {
		for (const c of claims) if (!this.owners.has(c.clientId)) this.owners.set(c.clientId, { userId: c.userId, stored: true });
	}

	/** The account an id belongs to, if any. */
	ownerOf(id: number): string | undefined {
		return this.owners.get(id)?.userId;
	}

	/** Whether `conn` could take `id` now (it is its account's, or free and the connection has room). */
	mayTake(conn: Connection, id: number): boolean {
		const owner = this.owners.get(id);
		return owner === undefined ? conn.claimedIds < this.maxPerConnection : owner.userId === conn.identity.id;
	}

	/**
	 * Lets `conn` use `ids`, taking those nobody has. Returns the ids to store with the content
	 * (`content`: an update writes under them), or null when one belongs to someone else or the
	 * connection has taken its share. Ids taken for presence are stored at once.
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
			if (!owner.stored) {
				owner.stored = true;
				toStore.push({ clientId: id, userId: owner.userId });
			}
		}
		if (content) return toStore;
		if (toStore.length > 0) this.persist(toStore);
		return [];
	}
}
