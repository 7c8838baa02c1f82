import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import { stampAwareness } from './awareness-stamp.js';
import type { ClientIds } from './client-ids.js';
import type { Connection } from './connection.js';
import { encodeAwareness } from './protocol.js';
import { Refusal } from './refusal.js';
import type { ClientClaim } from '../storage/types.js';

/** The origin of presence another instance sent. */
const fromPeer = Symbol('peer presence');

/** What presence may cost (config: CONCORD_MAX_PRESENCE_BYTES, CONCORD_PRESENCE_INTERVAL_MS). */
export interface PresenceLimits {
	/** One client's presence state (its JSON), as the client sent it. */
	maxStateBytes: number;
	/** Presence states one account may have in a document at once, over all its connections. */
	maxIdsPerAccount: number;
	/** Presence changes of a document go out together, at most once per this many milliseconds. */
	intervalMs: number;
}

/**
 * A document's presence (awareness): editors' states, stamped by the server with the identity of
 * their session, sent to everyone in coalesced rounds; read-only viewers are counted, not shown.
 * Bounded: a state larger than `maxStateBytes` closes its connection, a connection speaks for the
 * few client ids it owns (see ClientIds), an account for `maxIdsPerAccount` however many sockets it
 * opens, and however often states change, each connection receives at most one presence message per
 * `intervalMs`.
 */
export class Presence {
	readonly awareness: awarenessProtocol.Awareness;
	private readonly changed = new Set<number>();
	/** Changed states of this instance's editors, not yet sent to the other instances. */
	private readonly ours = new Set<number>();
	/** Client ids whose states come from other instances: nobody here speaks for them. */
	private readonly peers = new Set<number>();
	private timer: NodeJS.Timeout | null = null;
	/** Which connection speaks for each client id (its states go when it leaves). */
	private readonly speakers = new Map<number, Connection>();
	private watching = 0;

	constructor(
		doc: Y.Doc,
		private readonly conns: ReadonlySet<Connection>,
		private readonly ids: () => ClientIds,
		private readonly limits: PresenceLimits,
		/** Editors' changes made here, for the other instances (with the owners of their ids). */
		private readonly publish: (update: Uint8Array, claims: ClientClaim[]) => void
	) {
		this.awareness = new awarenessProtocol.Awareness(doc);
		this.awareness.setLocalState(null);
	}

	/** Starts relaying (once the document is loaded). */
	start(): void {
		this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
			for (const id of [...change.added, ...change.updated, ...change.removed]) {
				this.changed.add(id);
				if (change.removed.includes(id)) this.peers.delete(id);
				else if (origin === fromPeer) this.peers.add(id);
				// Editors' states of this instance's connections go to the others; the server's own (how many
				// watch here) and what came from another instance do not.
				if (origin !== fromPeer && id !== this.awareness.clientID) this.ours.add(id);
			}
			this.schedule();
		});
		this.announceWatching();
	}

	/** Every state, for a connection that just joined (or asked). */
	snapshot(): Uint8Array | null {
		const ids = [...this.awareness.getStates().keys()];
		return ids.length === 0 ? null : encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
	}

	/**
	 * An awareness message from an editor; throws a Refusal for what closes its connection. States
	 * under ids the connection may not speak for (someone else's: the echo stock clients send back;
	 * more than its share) are dropped, the rest applied. False when nothing was.
	 */
	receive(conn: Connection, update: Uint8Array): boolean {
		const ids = this.ids();
		let added = 0;
		const mayUse = (id: number) => {
			// An id another open connection speaks for stays with it (a second tab of the same account
			// echoes the first tab's state back; taking it over would drop it when the second tab closes).
			const speaker = this.speakers.get(id);
			if (speaker !== undefined) return speaker === conn;
			// A state another instance sent, echoed back by a stock client (the same account's other tab there).
			if (this.peers.has(id)) return false;
			if (!ids.mayTake(conn, id) || this.spokenBy(conn.identity.id) + added >= this.limits.maxIdsPerAccount) return false;
			added++;
			return true;
		};
		const stamped = stampAwareness(update, conn.identity, this.limits.maxStateBytes, mayUse);
		if (stamped.oversized) throw new Refusal(CloseCode.tooLarge, 'presence state too large');
		if (stamped.clientIds.length === 0 || ids.take(conn, stamped.clientIds, false) === null) return false;
		for (const id of stamped.clientIds) {
			this.speakers.set(id, conn);
			conn.clientIds.add(id);
		}
		awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped.update, conn);
		return true;
	}

	/** Editors' presence another instance stamped and sent: shown here like this instance's own. */
	heard(update: Uint8Array): void {
		awarenessProtocol.applyAwarenessUpdate(this.awareness, update, fromPeer);
	}

	/** How many client ids the account's open connections speak for here. */
	private spokenBy(userId: string): number {
		let n = 0;
		for (const conn of this.speakers.values()) if (conn.identity.id === userId) n++;
		return n;
	}

	/** Removes the states `conn` spoke for (it left, or may no longer write). */
	drop(conn: Connection): void {
		const owned = [...conn.clientIds].filter((id) => this.speakers.get(id) === conn);
		for (const id of owned) this.speakers.delete(id);
		conn.clientIds.clear();
		if (owned.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, owned, conn);
	}

	/** A viewer arrived (+1) or left (-1): the server's own state tells editors how many watch. */
	countWatcher(delta: number): void {
		this.watching += delta;
		this.announceWatching();
	}

	private announceWatching(): void {
		this.awareness.setLocalState(this.watching > 0 ? { watching: this.watching } : null);
	}

	private schedule(): void {
		if (this.timer !== null) return;
		this.timer = setTimeout(() => {
			this.timer = null;
			if (this.changed.size === 0) return;
			const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.changed]));
			this.changed.clear();
			if (this.ours.size > 0) {
				const ours = [...this.ours];
				this.ours.clear();
				const ids = this.ids();
				const claims = ours.flatMap((clientId) => {
					const userId = ids.ownerOf(clientId);
					return userId === undefined ? [] : [{ clientId, userId }];
				});
				this.publish(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ours), claims);
			}
			// Everyone, the sender included (a lone client needs an answer or it reconnects).
			for (const conn of this.conns) conn.send(frame);
		}, this.limits.intervalMs);
		this.timer.unref();
	}

	destroy(): void {
		if (this.timer !== null) clearTimeout(this.timer);
		this.timer = null;
		this.awareness.destroy();
	}
}
