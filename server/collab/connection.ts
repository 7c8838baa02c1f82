import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import type { PresenceIdentity } from './awareness-stamp.js';

export type Access = 'read' | 'write';

/** How long a closing socket has to answer the close frame before it is cut. */
const closeLingerMs = 10_000;

export interface ConnectionLimits {
	maxFrameBytes: number;
	messagesPerSecond: number;
	messageBurst: number;
	sendBufferBytes: number;
	idleTimeoutMs: number;
}

/**
 * One client socket on one document: who it is, what it may do, and the per-connection limits
 * (message rate as a token bucket, send buffer cap, idle timeout).
 */
export class Connection {
	/** Change-carrying messages (sync step 2, update) received so far; acknowledged by `saved`. */
	changeCount = 0;
	/** Awareness client ids this connection speaks for. */
	readonly clientIds = new Set<number>();
	/** Client ids new to the document that this connection took (see `Room.claim`). */
	claimedIds = 0;
	/**
	 * Updates that build on content the document does not have yet, in order, with the number of the
	 * message that carried each: they wait here, charged to this connection, until it arrives.
	 */
	readonly parked: Array<{ update: Uint8Array; message: number; needs: Map<number, number> }> = [];
	parkedBytes = 0;
	/** Messages from this one on were dropped unapplied (parked, then the access fell): never acknowledged. */
	lostFrom = Number.POSITIVE_INFINITY;
	private tokens: number;
	private refilledAt = Date.now();
	private idleTimer: NodeJS.Timeout | null = null;
	private closing = false;

	constructor(
		readonly ws: WebSocket,
		readonly identity: PresenceIdentity,
		readonly sessionId: string,
		public access: Access,
		readonly wantsAck: boolean,
		private readonly limits: ConnectionLimits,
		/** The browser editor's schema version; null for clients that do not say (plain y-websocket). */
		readonly schemaVersion: number | null = null
	) {
		this.tokens = limits.messageBurst;
		this.touch();
	}

	/** How many of this connection's change-carrying messages are in the document (or changed nothing). */
	get settled(): number {
		const applied = this.parked.length > 0 ? this.parked[0].message - 1 : this.changeCount;
		return Math.min(applied, this.lostFrom - 1);
	}

	/**
	 * Keeps the socket within its session's life: at the expiry, `recheck` says whether the session
	 * still stands (and until when: HTTP use and typing slide it) or has ended, which closes the
	 * socket with 4401. Typing here slides the session like HTTP use does (at most once per half
	 * window); presence renewals do not, or an idle open tab would never expire.
	 */
	watchSession(expiresAt: number, idleMs: number, recheck: (active: boolean) => Promise<number | null>): void {
		this.session = { expiresAt, idleMs, recheck, checking: false };
		this.armSession();
	}

	/** Called for every change-carrying message. */
	noteActivity(): void {
		const s = this.session;
		if (s === null || s.checking || s.expiresAt - Date.now() > s.idleMs / 2) return;
		this.recheckSession(true);
	}

	/** Asks the store at once whether the session still stands (messages about it may have been missed). */
	checkSessionNow(): void {
		this.recheckSession(false);
	}

	private session: { expiresAt: number; idleMs: number; recheck: (active: boolean) => Promise<number | null>; checking: boolean } | null = null;
	private sessionTimer: NodeJS.Timeout | null = null;

	private armSession(): void {
		if (this.session === null) return;
		if (this.sessionTimer !== null) clearTimeout(this.sessionTimer);
		// setTimeout takes at most 2^31-1 ms (24.8 days); a longer session is rechecked then.
		const wait = Math.min(Math.max(0, this.session.expiresAt - Date.now()), 2 ** 31 - 1);
		this.sessionTimer = setTimeout(() => this.recheckSession(false), wait);
		this.sessionTimer.unref();
	}

	private recheckSession(active: boolean): void {
		const s = this.session;
		if (s === null || s.checking) return;
		s.checking = true;
		s.recheck(active).then(
			(next) => {
				s.checking = false;
				if (!this.open) return;
				if (next === null) return this.close(CloseCode.unauthorized, 'session expired');
				s.expiresAt = next;
				this.armSession();
			},
			() => {
				// The store could not say: try again shortly rather than cut someone off on a hiccup.
				s.checking = false;
				s.expiresAt = Date.now() + 5000;
				this.armSession();
			}
		);
	}

	get open(): boolean {
		return !this.closing && this.ws.readyState === this.ws.OPEN;
	}

	/** Sends a frame unless the peer has stopped reading, in which case it is dropped. */
	send(frame: Uint8Array): void {
		if (!this.open) return;
		if (this.ws.bufferedAmount > this.limits.sendBufferBytes) {
			this.close(CloseCode.slowConsumer, 'send buffer full', true);
			return;
		}
		this.ws.send(frame);
	}

	/** Sends several frames in one write to the socket. */
	sendAll(frames: Uint8Array[]): void {
		if (frames.length === 0 || !this.open) return;
		const socket = (this.ws as unknown as { _socket?: Socket })._socket;
		socket?.cork();
		for (const frame of frames) this.send(frame);
		socket?.uncork();
	}

	/** Takes one token for an incoming message; false when the rate limit is exceeded. */
	takeToken(): boolean {
		const now = Date.now();
		const elapsed = now - this.refilledAt;
		if (elapsed > 0) {
			this.tokens = Math.min(this.limits.messageBurst, this.tokens + (elapsed * this.limits.messagesPerSecond) / 1000);
			this.refilledAt = now;
		}
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}

	/** Restarts the idle timer; called on every message received. */
	touch(): void {
		if (this.idleTimer) this.idleTimer.refresh();
		else {
			this.idleTimer = setTimeout(() => this.close(CloseCode.timeout, 'idle timeout'), this.limits.idleTimeoutMs);
			this.idleTimer.unref();
		}
	}

	/**
	 * Closes with `code`. A peer that does not read cannot complete a close handshake, so `hard` (or a
	 * handshake that takes over `closeLingerMs`) terminates the socket. The linger is generous: a busy
	 * peer (a phone, a loaded machine) first reads what was queued before the close frame, and a socket
	 * cut while data is still unread is reset, which the peer sees as 1006 instead of the code.
	 */
	close(code: number, reason: string, hard = false): void {
		if (this.closing) return;
		this.closing = true;
		this.stopTimers();
		if (hard) {
			this.ws.terminate();
			return;
		}
		this.ws.close(code, reason);
		setTimeout(() => this.ws.terminate(), closeLingerMs).unref();
	}

	stopTimers(): void {
		if (this.idleTimer) clearTimeout(this.idleTimer);
		this.idleTimer = null;
		if (this.sessionTimer !== null) clearTimeout(this.sessionTimer);
		this.sessionTimer = null;
	}
}
