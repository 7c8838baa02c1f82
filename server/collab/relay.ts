import type { ClientClaim } from '../storage/types.js';

/** A committed update on its way between instances: its document's sequence number, its bytes, the client ids it claimed. */
export interface RelayedUpdate {
	seq: number;
	data: Uint8Array;
	claims: readonly ClientClaim[];
}

/** What the relay tells the room of a document about other instances. */
export interface RelayListener {
	/** Updates other instances committed, in the order they were published (not always their numbers' order). */
	heardUpdates(updates: readonly RelayedUpdate[]): void;
	/** Editors' presence on another instance (stamped there), with the owners of its client ids. */
	heardPresence(update: Uint8Array, claims: readonly ClientClaim[]): void;
	/** Another instance's document has every update up to `seq`: a room behind that catches up from storage. */
	heardHead(seq: number): void;
	/** Messages may have been missed (the relay lost its connection): catch up from storage. */
	resync(): void;
	/** The highest number up to which this instance has every update of the document. */
	lastSeq(): number;
}

/**
 * How committed updates and editors' presence reach the other instances serving a document. Storage
 * stays the only copy: the relay only carries what is committed, and whatever it loses a room finds
 * again in the update log. `Room` and the group commit see this interface only.
 */
export interface DocRelay {
	/** Whether other instances listen (false: committed updates need not be gathered for them). */
	readonly shared: boolean;
	/** Starts hearing `docId`; resolves once everything published from now on will be heard (before the room loads). */
	open(docId: string, listener: RelayListener): Promise<void>;
	close(docId: string, listener: RelayListener): void;
	/** Committed updates of this instance (one group commit's). */
	publishUpdates(updates: ReadonlyMap<string, RelayedUpdate[]>): void;
	publishPresence(docId: string, update: Uint8Array, claims: readonly ClientClaim[]): void;
}

/** One instance: nobody else to tell. */
export const localRelay: DocRelay = {
	shared: false,
	async open() {},
	close() {},
	publishUpdates() {},
	publishPresence() {}
};

/**
 * Messages every instance must act on (access changes, sockets to close, live events): `send` acts
 * here at once and tells the others. `onResync` is told when messages may have been missed (the
 * connection to the others came back), so that what they decide is decided again.
 */
export interface ClusterBus {
	on(topic: string, handler: (payload: unknown) => void): void;
	send(topic: string, payload: unknown): void;
	onResync(handler: () => void): void;
	/** Why the instance is cut off from the others, or null. */
	degraded(): string | null;
}

/** One instance: messages are acted on here only. */
export function localBus(): ClusterBus {
	const handlers = new Map<string, Array<(payload: unknown) => void>>();
	return {
		on(topic, handler) {
			handlers.set(topic, [...(handlers.get(topic) ?? []), handler]);
		},
		send(topic, payload) {
			for (const handler of handlers.get(topic) ?? []) handler(payload);
		},
		onResync() {},
		degraded: () => null
	};
}
