import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import type { UpdateLog } from '../storage/types.js';
import { editorSchemaVersion, metaMap } from '../../src/lib/shared/blocks.js';
import { stampAwareness } from './awareness-stamp.js';
import { guardBlocks } from './block-guard.js';
import type { Connection } from './connection.js';
import type { CommitTarget, GroupCommitter } from './group-commit.js';
import {
	MalformedFrame,
	encodeAwareness,
	encodePermissionDenied,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	parseClientMessage
} from './protocol.js';

export type RoomState = 'loading' | 'ready' | 'failed' | 'closed';

/** The origin of a change the server makes itself: settled when that change is committed. */
class ServerWrite {
	constructor(
		readonly resolve: () => void,
		readonly reject: (err: Error) => void
	) {}
}

/** Bytes of client updates a room holds while they wait for content it does not have. */
const maxPendingBytes = 1024 * 1024;

export interface RoomDeps {
	log: UpdateLog;
	committer: GroupCommitter;
	maxFrameBytes: number;
	compactAfterUpdates: number;
	/** Benchmark only: relay updates before they are committed. */
	relayFirst: boolean;
	/** Called when the last connection leaves. */
	onIdle(room: Room): void;
	/** Called when committed updates changed the document. */
	onChanged(room: Room): void;
	onFailed(room: Room): void;
	logError(message: string, err: unknown): void;
}

/**
 * One document in memory: its Y.Doc, its awareness and its connections. Lifecycle: loading → ready →
 * closed, or → failed (load or commit error: every connection is closed and nothing more is written).
 *
 * Durability: an update from a client is applied to the Y.Doc, queued for the group commit, and
 * relayed only once committed. A sync step 1 is answered only when nothing is uncommitted, so no
 * client ever receives state that a crash could take back.
 */
export class Room implements CommitTarget {
	readonly doc = new Y.Doc();
	readonly awareness = new awarenessProtocol.Awareness(this.doc);
	readonly conns = new Set<Connection>();
	state: RoomState = 'loading';
	/** Joins waiting for the load; the room must not be unloaded under them. */
	joining = 0;
	readonly ready: Promise<void>;
	/** Highest update-log id whose content is in `doc`. */
	private lastId = 0;
	private sinceSnapshot = 0;
	private uncommitted = 0;
	/** Bytes of client updates waiting for a missing dependency (see `applyClientUpdate`). */
	private pendingBytes = 0;
	private compacting = false;
	private step1Waiters: Array<{ conn: Connection; stateVector: Uint8Array }> = [];
	private awarenessChanged = new Set<number>();
	private awarenessScheduled = false;
	/** Which connection speaks for each awareness client id. */
	private clientOwners = new Map<number, Connection>();
	/** Read-only connections: counted and announced as "N watching", never shown as presence. */
	private watching = 0;
	/** Server writes waiting for their commit. */
	private pendingWrites = new Set<ServerWrite>();

	constructor(
		readonly docId: string,
		private readonly deps: RoomDeps
	) {
		this.awareness.setLocalState(null);
		this.ready = this.load();
	}

	private async load(): Promise<void> {
		try {
			const stored = await this.deps.log.load(this.docId);
			const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
			if (parts.length > 0) Y.applyUpdate(this.doc, parts.length === 1 ? parts[0] : Y.mergeUpdates(parts));
			this.lastId = stored.lastId;
			this.sinceSnapshot = stored.updates.length;
		} catch (err) {
			this.deps.logError(`loading document ${this.docId} failed`, err);
			this.fail();
			throw err;
		}
		if (this.state !== 'loading') return;
		this.state = 'ready';
		guardBlocks(this.doc, (origin) => (this.conns.has(origin as Connection) ? (origin as Connection).identity : null), this.deps.logError);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => this.onDocUpdate(update, origin));
		this.awareness.on('update', (change: { added: number[]; updated: number[]; removed: number[] }) => {
			for (const id of change.added) this.awarenessChanged.add(id);
			for (const id of change.updated) this.awarenessChanged.add(id);
			for (const id of change.removed) this.awarenessChanged.add(id);
			this.scheduleAwarenessBroadcast();
		});
	}

	/**
	 * Adds a connection to a ready room and starts the sync handshake with it. A browser whose editor
	 * schema is older than the document's is closed with 4426 instead (false); a newer one that may
	 * write raises the document's version first, and older browsers still connected are closed.
	 */
	join(conn: Connection): boolean {
		const version = this.schemaVersion();
		if (conn.schemaVersion !== null && conn.schemaVersion < version) {
			conn.close(CloseCode.schemaOutdated, 'the editor is older than this document: reload');
			return false;
		}
		// A browser is never newer than the server that served it: a larger claim counts as the server's version.
		const claimed = conn.schemaVersion === null ? null : Math.min(conn.schemaVersion, editorSchemaVersion);
		if (claimed !== null && claimed > version && conn.access === 'write') this.raiseSchema(claimed);
		this.conns.add(conn);
		if (conn.access === 'read') this.setWatching(this.watching + 1);
		conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
		if (this.awareness.getStates().size > 0) {
			conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
		}
		return true;
	}

	/** The highest editor schema version that wrote this document (0: before versions were recorded). */
	schemaVersion(): number {
		const v = this.doc.getMap(metaMap).get('schema');
		return typeof v === 'number' ? v : 0;
	}

	private raiseSchema(version: number): void {
		this.write((doc) => doc.getMap(metaMap).set('schema', version)).catch((err) =>
			this.deps.logError(`recording schema version of ${this.docId} failed`, err)
		);
		for (const conn of this.conns) {
			if (conn.schemaVersion !== null && conn.schemaVersion < version) conn.close(CloseCode.schemaOutdated, 'the document was upgraded: reload');
		}
	}

	leave(conn: Connection): void {
		if (!this.conns.delete(conn)) return;
		if (conn.access === 'read') this.setWatching(this.watching - 1);
		this.dropPresence(conn);
		this.step1Waiters = this.step1Waiters.filter((w) => w.conn !== conn);
		if (this.conns.size === 0) this.deps.onIdle(this);
	}

	/** Applies a changed access level to an open connection: a downgraded editor becomes a watcher at once. */
	setAccess(conn: Connection, access: 'read' | 'write'): void {
		if (!this.conns.has(conn) || conn.access === access) return;
		conn.access = access;
		if (access === 'read') {
			this.dropPresence(conn);
			this.setWatching(this.watching + 1);
		} else {
			this.setWatching(this.watching - 1);
		}
	}

	private dropPresence(conn: Connection): void {
		const owned = [...conn.clientIds].filter((id) => this.clientOwners.get(id) === conn);
		for (const id of owned) this.clientOwners.delete(id);
		conn.clientIds.clear();
		if (owned.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, owned, conn);
	}

	/** The server's own presence state carries the number of watchers, so editors can show "N watching". */
	private setWatching(n: number): void {
		this.watching = n;
		if (this.state !== 'ready') return;
		this.awareness.setLocalState(n > 0 ? { watching: n } : null);
	}

	/**
	 * A change made by the server (a template, the live state of a conference, a promotion): an
	 * ordinary update, committed before it is relayed to every connection. Resolves once it is stored;
	 * at once when `change` changed nothing.
	 */
	write(change: (doc: Y.Doc) => void): Promise<void> {
		if (this.state !== 'ready') return Promise.reject(new Error(`document ${this.docId} is unavailable`));
		return new Promise((resolve, reject) => {
			const origin = new ServerWrite(resolve, reject);
			const before = this.uncommitted;
			this.doc.transact(() => change(this.doc), origin);
			if (this.uncommitted === before) resolve();
			else this.pendingWrites.add(origin);
		});
	}

	/** Handles one frame from `conn`. Malformed input closes that connection only. */
	receive(conn: Connection, frame: Uint8Array): void {
		if (!conn.open) return;
		conn.touch();
		if (frame.byteLength > this.deps.maxFrameBytes) return conn.close(CloseCode.tooLarge, 'frame too large');
		if (!conn.takeToken()) return conn.close(CloseCode.rateLimited, 'too many messages');
		try {
			this.dispatch(conn, frame);
		} catch (err) {
			if (!(err instanceof MalformedFrame)) this.deps.logError(`unexpected error on document ${this.docId}`, err);
			conn.close(CloseCode.badMessage, 'malformed message');
		}
	}

	private dispatch(conn: Connection, frame: Uint8Array): void {
		const msg = parseClientMessage(frame);
		switch (msg.kind) {
			case 'sync-step1':
				if (this.uncommitted === 0) conn.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, msg.stateVector)));
				else this.step1Waiters.push({ conn, stateVector: msg.stateVector.slice() });
				return;
			case 'sync-step2':
			case 'update':
				if (conn.access !== 'write') {
					conn.send(encodePermissionDenied('read-only'));
					return;
				}
				conn.changeCount++;
				this.applyClientUpdate(msg.update, conn);
				if (conn.wantsAck) this.deps.committer.requestAck(conn);
				return;
			case 'awareness':
				return this.receiveAwareness(conn, msg.update);
			case 'query-awareness':
				conn.send(encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, [...this.awareness.getStates().keys()])));
				return;
			case 'auth':
				return;
		}
	}

	private applyClientUpdate(update: Uint8Array, conn: Connection): void {
		try {
			Y.applyUpdate(this.doc, update, conn);
		} catch (err) {
			throw new MalformedFrame(`undecodable update: ${err instanceof Error ? err.message : String(err)}`);
		}
		// Structs waiting for a missing dependency are held in memory by Yjs and emit no update event:
		// log the raw update too, so that what this client was told is saved really is. A reconnecting
		// client's are resolved within a round trip (its sync step 2 follows); beyond a budget they are
		// an attack on memory: dropped, and the connection closed.
		if (this.doc.store.pendingStructs === null && this.doc.store.pendingDs === null) {
			this.pendingBytes = 0;
			return;
		}
		this.pendingBytes += update.byteLength;
		if (this.pendingBytes > maxPendingBytes) {
			this.doc.store.pendingStructs = null;
			this.doc.store.pendingDs = null;
			this.pendingBytes = 0;
			throw new MalformedFrame('updates waiting for content the server does not have exceed the budget');
		}
		this.enqueue(update.slice(), conn);
	}

	private onDocUpdate(update: Uint8Array, origin: unknown): void {
		this.enqueue(update, origin);
		if (this.deps.relayFirst) this.relay(update, origin);
	}

	private enqueue(update: Uint8Array, origin: unknown): void {
		this.uncommitted++;
		this.deps.committer.enqueue(this, update, origin);
	}

	onCommitted(updates: Uint8Array[], origins: unknown[], lastId: number): void {
		if (this.state !== 'ready') return;
		this.uncommitted -= updates.length;
		this.lastId = lastId;
		this.sinceSnapshot += updates.length;
		this.deps.onChanged(this);
		for (const origin of origins) {
			if (origin instanceof ServerWrite && this.pendingWrites.delete(origin)) origin.resolve();
		}
		if (!this.deps.relayFirst) {
			if (updates.length === 1) this.relay(updates[0], origins[0]);
			else this.relayBatch(updates, origins);
		}
		if (this.uncommitted === 0 && this.step1Waiters.length > 0) {
			const waiters = this.step1Waiters;
			this.step1Waiters = [];
			for (const w of waiters) w.conn.send(encodeSyncStep2(Y.encodeStateAsUpdate(this.doc, w.stateVector)));
		}
		if (this.sinceSnapshot >= this.deps.compactAfterUpdates && !this.compacting) {
			setImmediate(() => void this.compact());
		}
	}

	/**
	 * Storage refused the batch: nothing of it was relayed or acknowledged. Every connection is closed
	 * (4507) so that clients keep their changes and send them again on reconnect; the room is dropped
	 * and the next join loads the document afresh from what is stored.
	 */
	onCommitFailed(err: unknown): void {
		this.deps.logError(`storing changes to ${this.docId} failed; clients keep them and will send them again`, err);
		this.fail(CloseCode.storageFailed, 'the server cannot store changes now');
	}

	private relay(update: Uint8Array, origin: unknown): void {
		const frame = encodeUpdate(update);
		for (const conn of this.conns) if (conn !== origin) conn.send(frame);
	}

	/**
	 * Several updates committed together. Connections that sent none of them get one merged message
	 * (merged once for all of them, when two or more share it); the senders get the others' updates
	 * as individual frames in one corked write. Fewer frames for everyone under load, no merge per
	 * connection.
	 */
	private relayBatch(updates: Uint8Array[], origins: unknown[]): void {
		const senders = new Set(origins);
		const frames = updates.map(encodeUpdate);
		const listeners = this.conns.size - senders.size;
		const merged = listeners >= 2 ? encodeUpdate(Y.mergeUpdates(updates)) : null;
		for (const conn of this.conns) {
			if (!senders.has(conn)) {
				if (merged !== null) conn.send(merged);
				else conn.sendAll(frames);
			} else {
				conn.sendAll(frames.filter((_, i) => origins[i] !== conn));
			}
		}
	}

	private receiveAwareness(conn: Connection, update: Uint8Array): void {
		if (conn.access !== 'write') {
			// Viewers are counted, not shown: their presence goes back to them only (which keeps a lone
			// viewer's socket alive) and is never parsed or relayed.
			conn.send(encodeAwareness(update));
			return;
		}
		const stamped = stampAwareness(update, conn.identity);
		for (const id of stamped.clientIds) {
			const owner = this.clientOwners.get(id);
			if (owner !== undefined && owner !== conn) return; // someone else's client id: ignore the whole update
		}
		for (const id of stamped.clientIds) {
			this.clientOwners.set(id, conn);
			conn.clientIds.add(id);
		}
		awarenessProtocol.applyAwarenessUpdate(this.awareness, stamped.update, conn);
	}

	/** Awareness changes of one event-loop turn go out as one message, to every connection, sender included. */
	private scheduleAwarenessBroadcast(): void {
		if (this.awarenessScheduled) return;
		this.awarenessScheduled = true;
		setImmediate(() => {
			this.awarenessScheduled = false;
			if (this.state !== 'ready' || this.awarenessChanged.size === 0) return;
			const ids = [...this.awarenessChanged];
			this.awarenessChanged.clear();
			const frame = encodeAwareness(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
			for (const conn of this.conns) conn.send(frame);
		});
	}

	/** Merges the log into a snapshot. Crash-safe: the store swaps snapshot and log in one transaction. */
	async compact(): Promise<void> {
		if (this.compacting || this.state !== 'ready' || this.sinceSnapshot === 0) return;
		this.compacting = true;
		try {
			const upTo = this.lastId;
			const counted = this.sinceSnapshot;
			await this.deps.log.compact(this.docId, Y.encodeStateAsUpdate(this.doc), upTo);
			this.sinceSnapshot -= counted;
		} catch (err) {
			this.deps.logError(`compacting ${this.docId} failed; the update log is intact`, err);
		} finally {
			this.compacting = false;
		}
	}

	/** Ready, with no connection and nobody about to join. */
	get unused(): boolean {
		return this.state === 'ready' && this.conns.size === 0 && this.joining === 0;
	}

	get hasUncommitted(): boolean {
		return this.uncommitted > 0;
	}

	/** Closes every connection with `code` and frees the document. */
	close(code: number, reason: string): void {
		if (this.state === 'closed') return;
		this.state = 'closed';
		for (const w of this.pendingWrites) w.reject(new Error(`document ${this.docId} closed before the change was stored`));
		this.pendingWrites.clear();
		for (const conn of this.conns) conn.close(code, reason);
		this.conns.clear();
		this.awareness.destroy();
		this.doc.destroy();
	}

	private fail(code: number = CloseCode.loadFailed, reason = 'document unavailable'): void {
		if (this.state === 'failed' || this.state === 'closed') return;
		this.close(code, reason);
		this.state = 'failed';
		this.deps.onFailed(this);
	}
}
