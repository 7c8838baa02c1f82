import { randomInt } from 'node:crypto';
import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import type { ClientClaim, LoggedUpdate, StoredDocState, UpdateLog } from '../storage/types.js';
import { editorSchemaVersion, metaMap } from '../../src/lib/shared/blocks.js';
import { guardBlocks } from './block-guard.js';
import { ClientIds, serverAccount } from './client-ids.js';
import type { Connection } from './connection.js';
import type { CommitTarget, GroupCommitter } from './group-commit.js';
import { Presence, type PresenceLimits } from './presence.js';
import {
	encodeAwareness,
	encodePermissionDenied,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	parseClientMessage
} from './protocol.js';
import { Refusal } from './refusal.js';
import type { DocRelay, RelayedUpdate, RelayListener } from './relay.js';
import type { UpdateLimits } from './update-check.js';
import { UpdateIntake } from './update-intake.js';

export type RoomState = 'loading' | 'ready' | 'failed' | 'closed';

/** An awareness update naming nobody: the answer to a query while the document has no editors. */
const noPresence = Uint8Array.of(0);

/** The origin of what another instance committed (applied here, relayed to this instance's clients, never stored again). */
const fromPeer = Symbol('peer');

/** How long a room waits for a missing number to arrive from the relay before it reads it from storage. */
const gapWaitMs = 150;

/** A document as stored (its snapshot and the log after it) as one update, or null when empty. */
function storedState(stored: StoredDocState): Uint8Array | null {
	const parts = stored.snapshot ? [stored.snapshot, ...stored.updates] : stored.updates;
	return parts.length === 0 ? null : parts.length === 1 ? parts[0] : Y.mergeUpdates(parts);
}

/** The origin of a change the server makes itself: settled when that change is committed. */
class ServerWrite {
	constructor(
		readonly resolve: () => void,
		readonly reject: (err: Error) => void,
		/** A write on someone's behalf: the client id it writes under, bound to their account. */
		readonly claims: ClientClaim[] = []
	) {}
}

/** What one room allows its clients (every value is a config setting, see config.ts). */
export interface RoomLimits {
	maxFrameBytes: number;
	update: UpdateLimits;
	/** Bytes of updates one connection may have waiting for content the document does not have. */
	maxParkedBytes: number;
	/** The document's stored size (snapshot and log) beyond which clients may not make it grow. */
	maxDocumentBytes: number;
	/** New client ids one connection may take (see ClientIds). */
	maxClientIdsPerConnection: number;
	presence: PresenceLimits;
}

export interface RoomDeps {
	log: UpdateLog;
	/** The other instances serving documents (see DocRelay). */
	relay: DocRelay;
	committer: GroupCommitter;
	limits: RoomLimits;
	compactAfterUpdates: number;
	/** Benchmark only: relay updates before they are committed. */
	relayFirst: boolean;
	/** Called when the last connection leaves. */
	onIdle(room: Room): void;
	/** Called when committed updates changed the document. */
	onChanged(room: Room): void;
	onFailed(room: Room): void;
	/** A client's change was refused because the document is at its size limit. */
	onFull(room: Room): void;
	/** Charges event-loop time to an account (see CpuBudget); false once it has used its share. */
	chargeCpu(account: string, ms: number): boolean;
	logError(message: string, err: unknown): void;
}

/**
 * One document in memory: its Y.Doc, its awareness and its connections. Lifecycle: loading → ready →
 * closed, or → failed (load or commit error: every connection is closed and nothing more is written).
 *
 * Durability: an update from a client is applied to the Y.Doc, queued for the group commit, and
 * relayed only once committed. A sync step 1 is answered only when nothing is uncommitted, so no
 * client ever receives state that a crash could take back.
 *
 * Several instances: updates other instances committed arrive through the relay with their numbers
 * and are applied and relayed here; a number missing for `gapWaitMs` (or a relay that lost its
 * connection) is read from storage. The room knows the highest number up to which it has every
 * update, and compacts only up to there.
 */
export class Room implements CommitTarget, RelayListener {
	readonly doc = new Y.Doc();
	readonly conns = new Set<Connection>();
	readonly presence: Presence;
	state: RoomState = 'loading';
	/** Joins waiting for the load; the room must not be unloaded under them. */
	joining = 0;
	readonly ready: Promise<void>;
	/** Every update numbered up to this is in `doc`. */
	private seq = 0;
	/** Numbers above `seq` whose updates are in `doc` too (committed here: this instance's clients built on them). */
	private readonly ahead = new Set<number>();
	/**
	 * Updates of other instances heard before every lower number was in `doc`: applied in order only,
	 * since an update builds on lower-numbered ones (applied early, Yjs would hold it back as pending,
	 * and the next client update would be blamed for content the document lacks).
	 */
	private readonly waiting = new Map<number, Uint8Array>();
	/** Heard from other instances while the document was loading. */
	private early: RelayedUpdate[] = [];
	private catchUpTimer: NodeJS.Timeout | null = null;
	private catchUpRun: Promise<void> | null = null;
	/** Whether the server's client id was sent with a write (see onDocUpdate). */
	private serverIdClaimed = false;
	private sinceSnapshot = 0;
	private uncommitted = 0;
	/** Stored size: the snapshot, the log since, and what is queued for the log. */
	private snapshotBytes = 0;
	private logBytes = 0;
	private uncommittedBytes = 0;
	/** Updates parked by connections (see `park`): retried whenever the document changes. */
	private compacting = false;
	private step1Waiters: Array<{ conn: Connection; stateVector: Uint8Array }> = [];
	private clientIds: ClientIds | null = null;
	/** Client ids the update being applied is the first to write under (stored with it). */
	private intake: UpdateIntake | null = null;
	/** Server writes waiting for their commit. */
	private pendingWrites = new Set<ServerWrite>();

	constructor(
		readonly docId: string,
		private readonly deps: RoomDeps
	) {
		this.presence = new Presence(this.doc, this.conns, () => this.clientIds!, deps.limits.presence, (update, claims) =>
			deps.relay.publishPresence(docId, update, claims)
		);
		this.ready = this.load();
	}

	private async load(): Promise<void> {
		try {
			// Hearing first, then reading: whatever is committed after the read is heard.
			await this.deps.relay.open(this.docId, this);
			const stored = await this.deps.log.load(this.docId);
			const state = storedState(stored);
			if (state !== null) Y.applyUpdate(this.doc, state);
			this.seq = stored.lastSeq;
			this.sinceSnapshot = stored.updates.length;
			this.snapshotBytes = stored.snapshot?.byteLength ?? 0;
			this.logBytes = stored.updates.reduce((sum, u) => sum + u.byteLength, 0);
			this.clientIds = new ClientIds(stored.claims, this.doc.clientID, this.deps.limits.maxClientIdsPerConnection, (claims) => {
				this.deps.log.claim(this.docId, claims).catch((err) => this.deps.logError(`storing client ids of ${this.docId} failed`, err));
			});
			this.intake = new UpdateIntake({
				doc: this.doc,
				conns: this.conns,
				clientIds: this.clientIds,
				limits: this.deps.limits,
				storedBytes: () => this.storedBytes,
				onFull: () => this.deps.onFull(this),
				onApplied: (conn) => conn.wantsAck && this.deps.committer.requestAck(conn)
			});
		} catch (err) {
			this.deps.logError(`loading document ${this.docId} failed`, err);
			this.fail();
			throw err;
		}
		if (this.state !== 'loading') return;
		this.state = 'ready';
		guardBlocks(this.doc, (origin) => (this.conns.has(origin as Connection) ? (origin as Connection).identity : null), this.deps.logError);
		this.doc.on('update', (update: Uint8Array, origin: unknown, _doc: Y.Doc, tr: Y.Transaction) => this.onDocUpdate(update, origin, tr));
		this.presence.start();
		const early = this.early;
		this.early = [];
		if (early.length > 0) this.heardUpdates(early);
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
		if (conn.access === 'read') this.presence.countWatcher(1);
		conn.send(encodeSyncStep1(Y.encodeStateVector(this.doc)));
		const presence = this.presence.snapshot();
		if (presence !== null) conn.send(presence);
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
		this.closeOutdated();
	}

	leave(conn: Connection): void {
		if (!this.conns.delete(conn)) return;
		if (conn.access === 'read') this.presence.countWatcher(-1);
		this.presence.drop(conn);
		this.intake?.unpark(conn);
		this.step1Waiters = this.step1Waiters.filter((w) => w.conn !== conn);
		if (this.conns.size === 0) this.deps.onIdle(this);
	}

	/** Applies a changed access level to an open connection: a downgraded editor becomes a watcher at once. */
	setAccess(conn: Connection, access: 'read' | 'write'): void {
		if (!this.conns.has(conn) || conn.access === access) return;
		conn.access = access;
		if (access === 'read') {
			this.presence.drop(conn);
			this.intake?.unpark(conn);
			this.presence.countWatcher(1);
		} else {
			this.presence.countWatcher(-1);
		}
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

	/**
	 * A change the server makes on someone's behalf (a restore, an accepted suggestion): written under a
	 * fresh client id bound to `userId`, stored with the update like a client's first write, so that
	 * the history names them. `change` runs on a copy of the document; its update then goes in like
	 * any server write.
	 */
	writeAs(userId: string, change: (doc: Y.Doc) => void): Promise<void> {
		if (this.state !== 'ready') return Promise.reject(new Error(`document ${this.docId} is unavailable`));
		const copy = new Y.Doc({ gc: false });
		try {
			Y.applyUpdate(copy, Y.encodeStateAsUpdate(this.doc));
			// An id nobody has written or shown presence under (Yjs's own ids are random 32-bit numbers).
			while (this.clientIds!.ownerOf(copy.clientID) !== undefined || Y.getState(this.doc.store, copy.clientID) > 0) copy.clientID = randomInt(1, 2 ** 32 - 1);
			const before = Y.encodeStateVector(copy);
			change(copy);
			const update = Y.encodeStateAsUpdate(copy, before);
			const claims = [{ clientId: copy.clientID, userId }];
			return new Promise((resolve, reject) => {
				const origin = new ServerWrite(resolve, reject, claims);
				const count = this.uncommitted;
				this.clientIds!.learn(claims);
				Y.applyUpdate(this.doc, update, origin);
				if (this.uncommitted === count) resolve();
				else this.pendingWrites.add(origin);
			});
		} catch (err) {
			return Promise.reject(err as Error);
		} finally {
			copy.destroy();
		}
	}

	/** Handles one frame from `conn`. Malformed input closes that connection only. */
	receive(conn: Connection, frame: Uint8Array): void {
		if (!conn.open) return;
		conn.touch();
		if (frame.byteLength > this.deps.limits.maxFrameBytes) return conn.close(CloseCode.tooLarge, 'frame too large');
		if (!conn.takeToken()) return conn.close(CloseCode.rateLimited, 'too many messages');
		try {
			this.dispatch(conn, frame);
		} catch (err) {
			if (err instanceof Refusal) return conn.close(err.code, err.message.slice(0, 120));
			this.deps.logError(`unexpected error on document ${this.docId}`, err);
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
				conn.noteActivity();
				this.charged(conn, () => this.intake!.apply(msg.update, conn, conn.changeCount));
				if (conn.wantsAck) this.deps.committer.requestAck(conn);
				return;
			case 'awareness':
				// Viewers are counted, not shown: their presence goes back to them only (which keeps a lone
				// viewer's socket alive: a client that hears nothing for 30 s reconnects) and is never parsed
				// or relayed; so does presence the server did not take from an editor.
				if (conn.access !== 'write' || !this.presence.receive(conn, msg.update)) conn.send(frame.slice());
				return;
			case 'query-awareness':
				// Always answered, with nobody if nobody is there: browsers ask every few seconds to find
				// out that a connection died (a socket that hears nothing for ~10 s is closed and reopened).
				conn.send(this.presence.snapshot() ?? encodeAwareness(noPresence));
				return;
			case 'auth':
				return;
		}
	}

	/**
	 * Runs `work` for `conn` and charges the event-loop time it took (inspection, applying, the block
	 * guard's corrections) to its account: past its share the connection is closed with 4429, so no
	 * participant can keep every room of the instance waiting with updates that are each within limits.
	 */
	private charged(conn: Connection, work: () => void): void {
		const started = performance.now();
		const cpu = process.cpuUsage();
		try {
			work();
		} finally {
			// The lesser of elapsed time (which counts time the machine gave to other processes) and the
			// process's CPU time (which counts its other threads): on a busy machine nobody pays for the wait.
			const used = process.cpuUsage(cpu);
			const ms = Math.min(performance.now() - started, (used.user + used.system) / 1000);
			if (!this.deps.chargeCpu(conn.identity.id, ms)) conn.close(CloseCode.rateLimited, 'too much work');
		}
	}

	/** What the document takes in storage now, as far as the room knows. */
	private get storedBytes(): number {
		return this.snapshotBytes + this.logBytes + this.uncommittedBytes;
	}

	private onDocUpdate(transactionUpdate: Uint8Array, origin: unknown, tr: Y.Transaction): void {
		if (origin === fromPeer) {
			// Committed by another instance: relayed to everyone here, stored already.
			this.logBytes += transactionUpdate.byteLength;
			this.relay(transactionUpdate, null);
			return;
		}
		const record = this.intake!.recordOf(transactionUpdate, origin, tr);
		const { update } = record;
		let claims = record.claims;
		if (origin instanceof ServerWrite && origin.claims.length > 0) claims = [...(claims ?? []), ...origin.claims];
		// The server's first write here names its client id as the server's, in storage and to the other
		// instances, so that nobody there may write under it.
		if (!this.serverIdClaimed && !this.conns.has(origin as Connection)) {
			this.serverIdClaimed = true;
			claims = [...(claims ?? []), { clientId: this.doc.clientID, userId: serverAccount }];
		}
		this.uncommitted++;
		this.uncommittedBytes += update.byteLength;
		this.deps.committer.enqueue(this, update, origin, claims !== null && claims.length > 0 ? claims : undefined);
		if (this.deps.relayFirst) this.relay(update, origin);
	}

	onCommitted(updates: Uint8Array[], origins: unknown[], seqs: number[]): void {
		if (this.state !== 'ready') return;
		this.uncommitted -= updates.length;
		const bytes = updates.reduce((sum, u) => sum + u.byteLength, 0);
		this.uncommittedBytes -= bytes;
		this.logBytes += bytes;
		for (const seq of seqs) this.have(seq);
		this.sinceSnapshot += updates.length;
		// Updates of other instances waiting for these numbers go in now.
		if (this.applyWaiting()) this.closeOutdated();
		this.watchGap();
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

	/** Marks update `seq` as in the document. */
	private have(seq: number): void {
		if (seq === this.seq + 1) this.advanceTo(seq);
		else if (seq > this.seq) this.ahead.add(seq);
	}

	/** Every update up to `seq` is in `doc`: on past the numbers committed here that follow. */
	private advanceTo(seq: number): void {
		this.seq = seq;
		while (this.ahead.delete(this.seq + 1)) this.seq++;
	}

	/** A number is missing: give the relay `gapWaitMs` to bring it, then read storage. */
	private watchGap(): void {
		if (this.ahead.size > 0 || this.waiting.size > 0) this.scheduleCatchUp(gapWaitMs);
	}

	private scheduleCatchUp(ms: number): void {
		if (this.catchUpTimer !== null || this.state !== 'ready') return;
		this.catchUpTimer = setTimeout(() => {
			this.catchUpTimer = null;
			void this.catchUp();
		}, ms);
		this.catchUpTimer.unref();
	}

	/** Reads what other instances committed after `seq` from storage; a failure is logged and tried again. */
	private catchUp(): Promise<void> {
		this.catchUpRun ??= this.readMissing()
			.catch((err: unknown) => {
				this.deps.logError(`catching up ${this.docId} from storage failed; trying again`, err);
				this.scheduleCatchUp(1000);
			})
			.finally(() => {
				this.catchUpRun = null;
				this.watchGap();
			});
		return this.catchUpRun;
	}

	/**
	 * Brings the document up to everything storage holds now (another instance may have written it a
	 * moment ago): for server writes that must see the latest state (the minutes). Throws when storage
	 * cannot say.
	 */
	async upToDate(): Promise<void> {
		// A read already running may have started before what was committed just now.
		if (this.catchUpRun !== null) await this.catchUpRun;
		await this.readMissing();
	}

	/** The updates after `seq` from storage (the whole document when a snapshot took some of them). */
	private async readMissing(): Promise<void> {
		if (this.state !== 'ready') return;
		const missing: LoggedUpdate[] | null = await this.deps.log.since(this.docId, this.seq);
		if (this.state !== 'ready') return;
		if (missing !== null) {
			// In order, without a hole (the log numbers commits one after the other).
			for (const u of missing) this.applyPeer(u.seq, u.data);
			this.applyWaiting();
			return;
		}
		const stored = await this.deps.log.load(this.docId);
		if (this.state !== 'ready') return;
		this.clientIds!.learn(stored.claims);
		const state = storedState(stored);
		if (state !== null) Y.applyUpdate(this.doc, state, fromPeer);
		this.intake!.contentArrived();
		for (const n of this.ahead) if (n <= stored.lastSeq) this.ahead.delete(n);
		this.advanceTo(Math.max(this.seq, stored.lastSeq));
		this.applyWaiting();
		this.closeOutdated();
	}

	/**
	 * Applies update `seq` of another instance when it is the next number; one the document has is
	 * skipped, a later one waits (see `waiting`).
	 */
	private applyPeer(seq: number, data: Uint8Array): boolean {
		if (seq <= this.seq || this.ahead.has(seq)) return false;
		if (seq !== this.seq + 1) {
			this.waiting.set(seq, data);
			return false;
		}
		this.waiting.delete(seq);
		Y.applyUpdate(this.doc, data, fromPeer);
		this.have(seq);
		this.sinceSnapshot++;
		// A client that moved here from another instance may have sent changes building on it.
		this.intake!.contentArrived();
		return true;
	}

	/** Applies the waiting updates that are next in turn; false when none was. */
	private applyWaiting(): boolean {
		let applied = false;
		for (const n of this.waiting.keys()) if (n <= this.seq || this.ahead.has(n)) this.waiting.delete(n);
		for (let next = this.waiting.get(this.seq + 1); next !== undefined; next = this.waiting.get(this.seq + 1)) {
			if (!this.applyPeer(this.seq + 1, next)) break;
			applied = true;
		}
		return applied;
	}

	/** RelayListener: what other instances committed. */
	heardUpdates(updates: readonly RelayedUpdate[]): void {
		if (this.state === 'loading') {
			this.early.push(...updates);
			return;
		}
		if (this.state !== 'ready') return;
		let applied = false;
		for (const u of updates) {
			if (u.claims.length > 0) this.clientIds!.learn(u.claims);
			if (this.applyPeer(u.seq, u.data)) applied = true;
		}
		if (this.applyWaiting()) applied = true;
		if (applied) this.closeOutdated();
		this.watchGap();
	}

	/** RelayListener: editors' presence on another instance. */
	heardPresence(update: Uint8Array, claims: readonly ClientClaim[]): void {
		if (this.state !== 'ready') return;
		this.clientIds!.learn(claims);
		this.presence.heard(update);
	}

	/** RelayListener: another instance has every update up to `seq`. */
	heardHead(seq: number): void {
		if (this.state === 'ready' && seq > this.seq) this.scheduleCatchUp(gapWaitMs);
	}

	/** RelayListener: the relay may have missed messages. */
	resync(): void {
		this.scheduleCatchUp(0);
	}

	/** RelayListener. */
	lastSeq(): number {
		return this.seq;
	}

	/** Another instance raised the document's schema version: browsers older than it reload. */
	private closeOutdated(): void {
		const version = this.schemaVersion();
		for (const conn of this.conns) {
			if (conn.schemaVersion !== null && conn.schemaVersion < version) conn.close(CloseCode.schemaOutdated, 'the document was upgraded: reload');
		}
	}

	/**
	 * Merges the log into a snapshot, up to the highest number the room has every update up to.
	 * Crash-safe: the store swaps snapshot and log in one transaction, and keeps a snapshot another
	 * instance stored meanwhile that covers more.
	 */
	async compact(): Promise<void> {
		if (this.compacting || this.state !== 'ready' || this.sinceSnapshot === 0) return;
		this.compacting = true;
		try {
			const upTo = this.seq;
			const counted = this.sinceSnapshot;
			const countedBytes = this.logBytes;
			const snapshot = Y.encodeStateAsUpdate(this.doc);
			await this.deps.log.compact(this.docId, snapshot, upTo);
			this.sinceSnapshot -= counted;
			this.snapshotBytes = snapshot.byteLength;
			this.logBytes -= countedBytes;
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
		this.deps.relay.close(this.docId, this);
		if (this.catchUpTimer !== null) clearTimeout(this.catchUpTimer);
		for (const w of this.pendingWrites) w.reject(new Error(`document ${this.docId} closed before the change was stored`));
		this.pendingWrites.clear();
		for (const conn of this.conns) conn.close(code, reason);
		this.conns.clear();
		this.presence.destroy();
		this.doc.destroy();
	}

	private fail(code: number = CloseCode.loadFailed, reason = 'document unavailable'): void {
		if (this.state === 'failed' || this.state === 'closed') return;
		this.close(code, reason);
		this.state = 'failed';
		this.deps.onFailed(this);
	}
}
