import type * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import type { UpdateLog } from '../storage/types.js';
import type { Connection } from './connection.js';
import { CpuBudget } from './cpu-budget.js';
import { GroupCommitter } from './group-commit.js';
import { type ClusterBus, type DocRelay, localBus, localRelay } from './relay.js';
import { Room, type RoomDeps, type RoomLimits } from './room.js';

export interface RoomsOptions {
	log: UpdateLog;
	/** The other instances (default: none): their documents' updates and presence, and what they decide about sockets. */
	relay?: DocRelay;
	cluster?: ClusterBus;
	limits: RoomLimits;
	/** Event-loop time one account's updates may take per second (see CpuBudget). */
	cpuMsPerSecond: number;
	compactAfterUpdates: number;
	unloadMs: number;
	relayFirst: boolean;
	/** Records that documents changed (their "updated" time); called at most every `touchEveryMs`. */
	touch(docIds: string[], at: number): Promise<void>;
	logError(message: string, err: unknown): void;
}

/** The access an account has to a document now. */
export type AccessDecider = (userId: string, docId: string) => Promise<'write' | 'read' | 'none'>;

/** While cut off from the other instances, how often every socket's session and access are decided again. */
const isolatedRecheckMs = 5000;

/** How often the "updated" times of changed documents are written. */
const touchEveryMs = 5_000;

/**
 * The registry of rooms in memory. One load per document however many clients join at once; a room
 * leaves memory `unloadMs` after its last client, once its updates are committed and compacted, and
 * only if nobody joined meanwhile (rechecked after every await).
 */
export class Rooms {
	private readonly rooms = new Map<string, Room>();
	private readonly unloadTimers = new Map<Room, NodeJS.Timeout>();
	readonly committer: GroupCommitter;
	private readonly roomDeps: RoomDeps;
	private shuttingDown = false;
	/** Document loads since start: one per cold join, however many clients join at once. */
	private loads = 0;
	private readonly changed = new Set<string>();
	private touchTimer: NodeJS.Timeout | null = null;

	private readonly cluster: ClusterBus;
	private readonly isolationTimer: NodeJS.Timeout;
	private decide: AccessDecider = async () => 'none';

	constructor(private readonly opts: RoomsOptions) {
		// Decisions about sockets are made on every instance, for the sockets it holds.
		this.cluster = opts.cluster ?? localBus();
		this.cluster.on('sockets.session', (p) => {
			const { sessionId, code, reason } = p as { sessionId: string; code: number; reason: string };
			this.closeWhere((conn) => conn.sessionId === sessionId, code, reason);
		});
		this.cluster.on('sockets.user', (p) => {
			const { userId, code, reason, keepSessionId } = p as { userId: string; code: number; reason: string; keepSessionId: string | null };
			this.closeWhere((conn) => conn.identity.id === userId && conn.sessionId !== keepSessionId, code, reason);
		});
		this.cluster.on('sockets.access', (p) => {
			const { userId } = p as { userId: string | null };
			this.reauthorizeHere(userId).catch((err) => opts.logError('re-deciding access failed', err));
		});
		// Messages may have been missed: every socket's session and access are decided again; and while
		// the instances cannot reach each other, every few seconds (a member removed on another instance
		// is cut off here within that time, not only once the relay is back).
		const recheckAll = () => {
			for (const room of this.rooms.values()) for (const conn of room.conns) conn.checkSessionNow();
			this.reauthorizeHere(null).catch((err) => opts.logError('re-deciding access failed', err));
		};
		this.cluster.onResync(recheckAll);
		this.isolationTimer = setInterval(() => {
			if (this.cluster.degraded() !== null) recheckAll();
		}, isolatedRecheckMs);
		this.isolationTimer.unref();
		const relay = opts.relay ?? localRelay;
		this.committer = new GroupCommitter(opts.log, relay, (err) => opts.logError('group commit failed', err));
		const cpu = new CpuBudget(opts.cpuMsPerSecond);
		this.roomDeps = {
			log: opts.log,
			relay,
			committer: this.committer,
			limits: opts.limits,
			compactAfterUpdates: opts.compactAfterUpdates,
			relayFirst: opts.relayFirst,
			onIdle: (room) => this.scheduleUnload(room),
			onChanged: (room) => this.markChanged(room.docId),
			onFailed: (room) => this.forget(room),
			onFull: (room) => this.fullListener?.(room.docId),
			chargeCpu: (account, ms) => cpu.charge(account, ms),
			logError: opts.logError
		};
	}

	/** Who is in a document now: the editors (once each, on every instance) and how many watch here. */
	presence(docId: string): { editors: { id: string; name: string; unit: string; unitType: string }[]; watching: number } {
		const room = this.rooms.get(docId);
		const editors = new Map<string, { id: string; name: string; unit: string; unitType: string }>();
		let watching = 0;
		for (const conn of room?.conns ?? []) {
			if (conn.access === 'read') watching++;
			else editors.set(conn.identity.id, { id: conn.identity.id, name: conn.identity.name, unit: conn.identity.unit, unitType: conn.identity.unitType });
		}
		// Editors on other instances, from their presence (stamped with the account by their instance).
		for (const state of room?.state === 'ready' ? room.presence.awareness.getStates().values() : []) {
			const user = (state as { user?: Partial<Record<'id' | 'name' | 'unit' | 'unitType', unknown>> }).user;
			if (typeof user?.id !== 'string' || editors.has(user.id)) continue;
			editors.set(user.id, { id: user.id, name: String(user.name ?? ''), unit: String(user.unit ?? ''), unitType: String(user.unitType ?? '') });
		}
		return { editors: [...editors.values()], watching };
	}

	/** Told when a document refused a client's change at its size limit (at most every ten minutes per document). */
	fullListener: ((docId: string) => void) | null = null;

	/** Told which documents changed (committed updates), at most every `touchEveryMs`. */
	changeListener: ((docIds: string[]) => void) | null = null;

	private presenceTimers = new Map<string, NodeJS.Timeout>();
	/** Told when someone joined or left a document, at most once a second per document. */
	presenceListener: ((docId: string) => void) | null = null;

	private presenceChanged(docId: string): void {
		if (this.presenceListener === null || this.presenceTimers.has(docId)) return;
		const t = setTimeout(() => {
			this.presenceTimers.delete(docId);
			this.presenceListener?.(docId);
		}, 1000);
		t.unref();
		this.presenceTimers.set(docId, t);
	}

	/** Counters for operators (and the tests that prove one load per document). */
	stats(): { rooms: number; connections: number; loads: number } {
		let connections = 0;
		for (const room of this.rooms.values()) connections += room.conns.size;
		return { rooms: this.rooms.size, connections, loads: this.loads };
	}

	/**
	 * Adds `conn` to the document's room once it is loaded. Resolves false (and closes `conn`) when the
	 * document cannot be loaded or the server is shutting down.
	 */
	async join(docId: string, conn: Connection): Promise<Room | null> {
		if (this.shuttingDown) {
			conn.close(CloseCode.goingAway, 'server shutting down');
			return null;
		}
		const room = this.acquire(docId);
		room.joining++;
		try {
			await room.ready;
		} catch {
			conn.close(CloseCode.loadFailed, 'document could not be loaded');
			return null;
		} finally {
			room.joining--;
		}
		if (room.state !== 'ready' || !conn.open) {
			if (room.state !== 'ready') conn.close(CloseCode.loadFailed, 'document unavailable');
			else if (room.conns.size === 0) this.scheduleUnload(room);
			return null;
		}
		if (!room.join(conn)) {
			if (room.conns.size === 0) this.scheduleUnload(room);
			return null;
		}
		this.presenceChanged(docId);
		conn.ws.once('close', () => this.presenceChanged(docId));
		return room;
	}

	/**
	 * Changes a document on the server's behalf (loading it if nobody has it open) and resolves once
	 * the change is committed; open connections receive it like any other update. With `latest`, the
	 * room first reads what other instances committed that it has not heard yet.
	 */
	edit(docId: string, change: (doc: Y.Doc) => void, opts: { latest?: boolean; as?: string } = {}): Promise<void> {
		return this.using(docId, async (room) => {
			// `latest`: on the document as stored, whatever another instance wrote a moment ago.
			if (opts.latest) await room.upToDate();
			// `as`: on someone's behalf, under a client id bound to their account (see Room.writeAs).
			return opts.as === undefined ? room.write(change) : room.writeAs(opts.as, change);
		});
	}

	/** Reads a document as it stands in memory (loading it if nobody has it open). */
	read<T>(docId: string, look: (doc: Y.Doc) => T): Promise<T> {
		return this.using(docId, (room) => look(room.doc));
	}

	private async using<T>(docId: string, use: (room: Room) => T | Promise<T>): Promise<T> {
		if (this.shuttingDown) throw new Error('server shutting down');
		const room = this.acquire(docId);
		room.joining++;
		try {
			await room.ready;
			if (room.state !== 'ready') throw new Error(`document ${docId} is unavailable`);
			return await use(room);
		} finally {
			room.joining--;
			if (room.unused) this.scheduleUnload(room);
		}
	}

	/** The room of `docId`, created (and its load started) when it is not in memory; never unloaded under the caller. */
	private acquire(docId: string): Room {
		let room = this.rooms.get(docId);
		if (room === undefined) {
			room = new Room(docId, this.roomDeps);
			this.rooms.set(docId, room);
			this.loads++;
		}
		this.cancelUnload(room);
		return room;
	}

	private markChanged(docId: string): void {
		this.changed.add(docId);
		if (this.touchTimer !== null) return;
		this.touchTimer = setTimeout(() => void this.flushTouches(), touchEveryMs);
		this.touchTimer.unref();
	}

	private async flushTouches(): Promise<void> {
		this.touchTimer = null;
		if (this.changed.size === 0) return;
		const ids = [...this.changed];
		this.changeListener?.(ids);
		this.changed.clear();
		try {
			await this.opts.touch(ids, Date.now());
		} catch (err) {
			this.opts.logError('recording document update times failed', err);
		}
	}

	private cancelUnload(room: Room): void {
		const t = this.unloadTimers.get(room);
		if (t !== undefined) {
			clearTimeout(t);
			this.unloadTimers.delete(room);
		}
	}

	private scheduleUnload(room: Room): void {
		if (this.shuttingDown || this.unloadTimers.has(room)) return;
		const t = setTimeout(() => {
			this.unloadTimers.delete(room);
			void this.unload(room);
		}, this.opts.unloadMs);
		t.unref();
		this.unloadTimers.set(room, t);
	}

	private async unload(room: Room): Promise<void> {
		if (!room.unused) return;
		await this.committer.idle();
		if (!room.unused) return;
		await room.compact();
		// A client may have joined, or typed, while we waited: keep the room then.
		if (!room.unused || room.hasUncommitted || this.unloadTimers.has(room)) return;
		this.forget(room);
		room.close(CloseCode.goingAway, 'unloaded');
	}

	private forget(room: Room): void {
		this.cancelUnload(room);
		if (this.rooms.get(room.docId) === room) this.rooms.delete(room.docId);
	}

	/** How `reauthorize` decides a socket's access (set once by the app). */
	decideAccessWith(decide: AccessDecider): void {
		this.decide = decide;
	}

	/**
	 * Re-decides the access of open connections (of `userId`, or of everyone when null), on every
	 * instance, after a change of membership, role or breakout: withdrawn access closes the socket
	 * with 4403, a lower one turns it read-only in place, a higher one lets it write.
	 */
	reauthorize(userId: string | null): void {
		this.cluster.send('sockets.access', { userId });
	}

	private async reauthorizeHere(userId: string | null): Promise<void> {
		for (const room of [...this.rooms.values()]) {
			for (const conn of [...room.conns]) {
				if (userId !== null && conn.identity.id !== userId) continue;
				const access = await this.decide(conn.identity.id, room.docId);
				if (!conn.open || room.state !== 'ready') continue;
				if (access === 'none') conn.close(CloseCode.forbidden, 'access withdrawn');
				else room.setAccess(conn, access);
			}
		}
	}

	/** Closes every open socket of `sessionId` with `code` (sign-out), on every instance. */
	closeSession(sessionId: string, code: number, reason: string): void {
		this.cluster.send('sockets.session', { sessionId, code, reason });
	}

	/** Closes the open sockets of `userId`, except those of `keepSessionId` (revocation, password change), on every instance. */
	closeUser(userId: string, code: number, reason: string, keepSessionId: string | null = null): void {
		this.cluster.send('sockets.user', { userId, code, reason, keepSessionId });
	}

	private closeWhere(match: (conn: Connection) => boolean, code: number, reason: string): void {
		for (const room of this.rooms.values()) {
			for (const conn of room.conns) if (match(conn)) conn.close(code, reason);
		}
	}

	/** SIGTERM: refuse new joins, commit what is queued, snapshot every room, close sockets as "going away". */
	async shutdown(): Promise<void> {
		this.shuttingDown = true;
		clearInterval(this.isolationTimer);
		for (const t of this.unloadTimers.values()) clearTimeout(t);
		this.unloadTimers.clear();
		if (this.touchTimer !== null) clearTimeout(this.touchTimer);
		await this.committer.idle();
		for (const room of [...this.rooms.values()]) {
			await Promise.allSettled([room.ready]);
			await room.compact();
			room.close(CloseCode.goingAway, 'server shutting down');
		}
		this.rooms.clear();
		// Frames that arrived while rooms were closing are in their snapshots; let their commits finish
		// before storage closes.
		await this.committer.idle();
		await this.flushTouches();
	}
}
