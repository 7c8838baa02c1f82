import { CloseCode } from '$lib/shared/close-codes';
import * as decoding from 'lib0/decoding';
import { IndexeddbPersistence } from 'y-indexeddb';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { ApiError, api } from '$lib/api/client';
import { editorSchemaVersion, schemaParam } from '$lib/shared/blocks';
import { MessageType, SyncStep, ackParam } from '$lib/shared/sync-protocol';
import { backoffDelay, closeVerdict } from './reconnect';

/** The browser asks the server for presence this often, and gives a socket up after this long without a word. */
const askEveryMs = 3000;
const deadAfterMs = 9000;
/** How long a writer waits for its browser copy (IndexedDB) before connecting without it. */
const localCopyWaitMs = 3000;

export type ConnectionStatus =
	| 'connecting'
	| 'saving'
	| 'saved'
	| 'reconnecting'
	| 'signed-out'
	| 'forbidden'
	| 'not-found'
	/** Synced and read-only: other people's changes arrive live; nothing of ours to save. */
	| 'following'
	/** The page's editor is older than the document: reload (never reconnected, never allowed to drop content). */
	| 'outdated'
	/** The server cannot store changes now (4507): ours stay here and are sent again until it can. */
	| 'storage-failed'
	/** A change of ours is larger than the server takes (4413): kept here, not retried. */
	| 'too-large'
	/** The document is at its size limit (4414): our changes are kept here, not retried. */
	| 'document-full';

/**
 * A document's live connection: the Y.Doc, the y-websocket provider and a status that tells the
 * truth. "Saved" means the server acknowledged (message `saved`) that every change this browser made
 * is committed to storage, including changes made while offline.
 */
export class CollabSession {
	readonly doc = new Y.Doc();
	readonly provider: WebsocketProvider;
	/** The server said it cannot store changes (4507); cleared once everything is saved again. */
	private storageFailing = false;
	status = $state<ConnectionStatus>('connecting');
	/** True once the server refused a change: this connection may only read. */
	readOnly = $state(false);
	/** How many read-only attendees follow the document (announced by the server's presence state). */
	watching = $state(0);
	/** True while something typed here is not yet acknowledged as stored. */
	unsaved = $state(false);
	/** Milliseconds until the next reconnect attempt, while reconnecting. */
	retryInMs = $state(0);
	/** When (epoch ms) the next reconnect attempt is due, while one is scheduled; 0 otherwise. */
	retryAt = $state(0);

	/** Change-carrying messages sent on the current socket, and how many the server has acknowledged. */
	private sent = 0;
	private acked = 0;
	/** Local changes made while no socket could carry them; cleared once the catch-up is acknowledged. */
	private offlineDirty = false;
	private catchUpAt = 0;
	private attempt = 0;
	private retryTimer: ReturnType<typeof setTimeout> | null = null;
	private holding = false;
	private held: Array<() => void> = [];
	private destroyed = false;
	/** When the socket last heard anything, and when we last asked (see `checkAlive`). */
	private lastHeard = 0;
	private lastAsked = 0;
	private readonly watchdog: ReturnType<typeof setInterval>;
	private readonly onOnline = () => this.reconnectNow();

	constructor(
		docId: string,
		private readonly onSignedOut: () => void,
		/** Known read-only from the start (a watcher): never "saving". */
		startReadOnly = false,
		/** The IndexedDB database for this browser's copy (see local-copies.ts); null keeps none. */
		localCopy: string | null = null
	) {
		this.readOnly = startReadOnly;
		const session = this;
		// One subclass per session so that the socket reports to this session only.
		class ConcordSocket extends WebSocket {
			constructor(url: string | URL, protocols?: string | string[]) {
				super(url, protocols);
				session.sent = 0;
				session.acked = 0;
				session.lastHeard = Date.now();
			}
			send(data: Parameters<WebSocket['send']>[0]) {
				if (data instanceof Uint8Array && data[0] === MessageType.sync && (data[1] === SyncStep.step2 || data[1] === SyncStep.update)) {
					session.sent++;
					if (data[1] === SyncStep.step2 && session.offlineDirty) session.catchUpAt = session.sent;
				}
				super.send(data);
			}
			set onmessage(handler: ((ev: MessageEvent) => void) | null) {
				super.onmessage = handler === null ? null : (ev: MessageEvent) => session.deliver(ev, handler);
			}
			get onmessage() {
				return super.onmessage;
			}
		}
		const origin = location.origin.replace(/^http/, 'ws');
		// Writers keep a copy in the browser; watchers have nothing of their own to keep.
		const copy = localCopy !== null && !startReadOnly ? new IndexeddbPersistence(localCopy, this.doc) : null;
		this.provider = new WebsocketProvider(`${origin}/sync`, docId, this.doc, {
			WebSocketPolyfill: ConcordSocket,
			connect: copy === null,
			params: { [ackParam]: '1', [schemaParam]: String(editorSchemaVersion) },
			// Concord decides when to reconnect (with jitter, and never after 401/403/404).
			shouldReconnect: () => false,
			disableBc: true
		});
		this.provider.messageHandlers[MessageType.saved] = (_encoder, decoder) => {
			this.acked = decoding.readVarUint(decoder);
			if (this.offlineDirty && this.catchUpAt > 0 && this.acked >= this.catchUpAt) this.offlineDirty = false;
			this.refresh();
		};
		this.provider.messageHandlers[MessageType.auth] = (_encoder, decoder) => {
			// y-protocols/auth: 0 = permission denied, followed by a reason.
			if (decoding.readVarUint(decoder) === 0) {
				this.readOnly = true;
				this.refresh();
			}
		};
		this.provider.awareness.on('change', () => {
			let n = 0;
			for (const state of this.provider.awareness.getStates().values()) {
				if (typeof state.watching === 'number') n = state.watching;
			}
			this.watching = n;
		});
		this.provider.on('sync', (synced: boolean) => {
			if (synced) this.attempt = 0;
			this.refresh();
		});
		this.provider.on('status', () => this.refresh());
		this.provider.on('closed', ({ code }: { code: number }) => void this.onClosed(code));
		if (copy !== null) {
			// Connect once the browser's copy is in the document, so that the sync sends the server only
			// what it lacks (the unsent changes), never the whole document as one update. A browser whose
			// IndexedDB does not answer (some private windows) connects after a short wait all the same.
			const connect = () => {
				if (!this.destroyed && !this.provider.shouldConnect) this.provider.connect();
			};
			void copy.whenSynced.then(connect);
			setTimeout(connect, localCopyWaitMs);
		}
		this.watchdog = setInterval(() => this.checkAlive(), 1000);
		addEventListener('online', this.onOnline);
		this.doc.on('update', (_u: Uint8Array, origin: unknown) => {
			if (origin === this.provider) return;
			if (!this.provider.wsconnected) {
				this.offlineDirty = true;
				this.catchUpAt = 0;
			}
			this.refresh();
		});
	}


	/**
	 * Holds incoming document updates (during an IME composition, when a remote change would rebuild
	 * the text being composed) until `release`. Presence still flows. The caller must write its own
	 * pending changes to the document before releasing, or the remote change would rebuild the editor
	 * without them.
	 */
	hold(): void {
		this.holding = true;
	}

	release(): void {
		this.holding = false;
		const queued = this.held;
		this.held = [];
		for (const deliver of queued) deliver();
	}

	/** The document update being applied from the server, while it is (for `followMoves`); else null. */
	incomingUpdate: Uint8Array | null = null;

	private deliver(ev: MessageEvent, handler: (ev: MessageEvent) => void): void {
		this.lastHeard = Date.now();
		const data = new Uint8Array(ev.data as ArrayBuffer);
		const run = () => {
			this.incomingUpdate = syncPayload(data);
			try {
				handler(ev);
			} finally {
				this.incomingUpdate = null;
			}
		};
		if (this.holding && data[0] === MessageType.sync) this.held.push(run);
		else run();
	}

	private refresh(): void {
		this.unsaved = this.offlineDirty || this.acked < this.sent;
		if (this.destroyed || this.stopped) return;
		if (this.storageFailing && !this.unsaved && this.provider.synced) this.storageFailing = false;
		if (this.storageFailing) {
			this.status = 'storage-failed';
		} else if (!this.provider.wsconnected) {
			this.status = this.retryTimer === null && this.attempt === 0 ? 'connecting' : 'reconnecting';
		} else if (!this.provider.synced) {
			this.status = 'connecting';
		} else {
			this.status = this.readOnly ? 'following' : this.unsaved ? 'saving' : 'saved';
		}
	}

	private async onClosed(code: number): Promise<void> {
		if (this.destroyed) return;
		if (code === CloseCode.storageFailed) this.storageFailing = true;
		let verdict = closeVerdict(code);
		if (verdict === 'probe') verdict = await this.probe();
		if (this.destroyed) return;
		if (verdict === 'sign-in') {
			this.status = 'signed-out';
			this.onSignedOut();
			return;
		}
		if (verdict === 'forbidden' || verdict === 'not-found' || verdict === 'outdated' || verdict === 'too-large' || verdict === 'document-full') {
			this.status = verdict;
			return;
		}
		const delay = backoffDelay(this.attempt++);
		this.retryInMs = delay;
		this.retryAt = Date.now() + delay;
		this.retryTimer = setTimeout(() => {
			this.retryTimer = null;
			this.retryAt = 0;
			if (!this.destroyed) this.provider.connect();
		}, delay);
		this.refresh();
	}

	/**
	 * A connection can die without a close (a dropped Wi-Fi, a sleeping laptop, a stalled proxy): the
	 * socket stays "open" and nothing arrives. Every few seconds the browser asks for presence, which
	 * the server always answers; a socket that has heard nothing for `deadAfterMs` is closed, and the
	 * usual reconnect follows. y-websocket's own timer waits 30 s, too long for "正在保存…".
	 */
	private checkAlive(): void {
		const ws = this.provider.ws;
		if (this.destroyed || ws === null || !this.provider.wsconnected) return;
		const now = Date.now();
		if (now - this.lastHeard > deadAfterMs) {
			// Through the provider's own close handling, at once: a dead network may never deliver
			// the browser's close event.
			ws.onclose?.call(ws, new CloseEvent('close', { code: CloseCode.timeout, reason: 'no answer' }));
			return;
		}
		if (now - this.lastAsked >= askEveryMs) {
			this.lastAsked = now;
			ws.send(Uint8Array.of(MessageType.queryAwareness));
		}
	}

	/** Reconnects at once instead of waiting for the scheduled attempt (立即重连, the network came back). */
	reconnectNow(): void {
		if (this.destroyed || this.retryTimer === null) return;
		clearTimeout(this.retryTimer);
		this.retryTimer = null;
		this.retryAt = 0;
		this.provider.connect();
		this.refresh();
	}

	/** Closed for good: nothing but a page action (sign in, reload, `reconnect`) changes the status. */
	private get stopped(): boolean {
		const s = this.status;
		return s === 'signed-out' || s === 'forbidden' || s === 'not-found' || s === 'outdated' || s === 'too-large' || s === 'document-full';
	}

	/** Tries again after a stop the person can resolve (a change too large, a full document). */
	reconnect(): void {
		if (this.destroyed || (this.status !== 'too-large' && this.status !== 'document-full')) return;
		this.status = 'connecting';
		this.provider.connect();
	}

	/** Asks the API why the socket failed: signed out, no such document, or just unreachable. */
	private async probe(): Promise<'sign-in' | 'not-found' | 'reconnect'> {
		try {
			await api.me();
			await api.getDocument(this.provider.roomname);
			return 'reconnect';
		} catch (err) {
			if (err instanceof ApiError && err.status === 401) return 'sign-in';
			if (err instanceof ApiError && err.status === 404) return 'not-found';
			return 'reconnect';
		}
	}

	destroy(): void {
		this.destroyed = true;
		clearInterval(this.watchdog);
		removeEventListener('online', this.onOnline);
		if (this.retryTimer !== null) clearTimeout(this.retryTimer);
		this.release();
		this.provider.destroy();
		this.doc.destroy();
	}
}

/** The update carried by a sync step 2 or update message, or null for anything else. */
function syncPayload(data: Uint8Array): Uint8Array | null {
	try {
		const d = decoding.createDecoder(data);
		if (decoding.readVarUint(d) !== MessageType.sync) return null;
		const step = decoding.readVarUint(d);
		return step === SyncStep.step2 || step === SyncStep.update ? decoding.readVarUint8Array(d) : null;
	} catch {
		return null;
	}
}
