import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import type { PresenceIdentity } from './awareness-stamp.js';

export type Access = 'read' | 'write';

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
	 * handshake that takes over a second) terminates the socket.
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
		setTimeout(() => this.ws.terminate(), 1000).unref();
	}

	stopTimers(): void {
		if (this.idleTimer) clearTimeout(this.idleTimer);
		this.idleTimer = null;
	}
}
