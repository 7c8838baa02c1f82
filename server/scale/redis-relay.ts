import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import type { ClusterBus, DocRelay, RelayedUpdate, RelayListener } from '../collab/relay.js';
import type { ClientClaim } from '../storage/types.js';

/** Messages a document's stream keeps (a reader further behind catches up from storage). */
const streamLength = 1000;
/** A stream nobody wrote to for this long goes (documents nobody has open). */
const streamIdleMs = 3_600_000;
/** How long one blocking read waits before it looks at the set of documents again. */
const blockMs = 2000;
const busChannel = 'concord:bus';
/** Redis is asked this often whether it answers; one that has not answered for `stallMs` counts as away (a paused or hung server keeps its connections open). */
const heartbeatMs = 1000;
const stallMs = 3000;

const streamKey = (docId: string) => `concord:doc:${docId}`;
const docOfKey = (key: string) => key.slice('concord:doc:'.length);

type Fields = Map<string, Buffer>;

function fieldsOf(flat: Buffer[]): Fields {
	const fields: Fields = new Map();
	for (let i = 0; i + 1 < flat.length; i += 2) fields.set(flat[i].toString(), flat[i + 1]);
	return fields;
}

function claimsOf(raw: Buffer | undefined): ClientClaim[] {
	if (raw === undefined || raw.length === 0) return [];
	try {
		const parsed = JSON.parse(raw.toString()) as unknown;
		return Array.isArray(parsed) ? parsed.filter((c): c is ClientClaim => typeof c?.clientId === 'number' && typeof c?.userId === 'string') : [];
	} catch {
		return [];
	}
}

interface Heard {
	listener: RelayListener;
	/** The last stream entry read (or, before the first read, the last one there when the room opened). */
	lastId: string;
}

/**
 * The relay between instances on Redis (REDIS_URL). Each document has a stream: an instance appends
 * its committed updates (with their numbers) and its editors' presence, and reads the streams of the
 * documents it has open with one blocking read. Cluster messages (access changes, events) go over one
 * pub/sub channel. Redis holds no data: a stream is trimmed and expires, a message missed (Redis down,
 * a stream trimmed under a slow reader) is found again in storage by the room, which is told to catch
 * up whenever the relay's connection came back. Publishing never waits and never queues while Redis
 * is away (the rooms catch up instead), so editing goes on without it.
 */
export class RedisRelay implements DocRelay, ClusterBus {
	readonly shared = true;
	/** This process, to skip its own messages. */
	readonly instance = randomBytes(6).toString('hex');
	private readonly cmd: Redis;
	private readonly reader: Redis;
	private readonly sub: Redis;
	private readonly docs = new Map<string, Heard>();
	private readonly handlers = new Map<string, Array<(payload: unknown) => void>>();
	private readonly resyncHandlers: Array<() => void> = [];
	private readerId: number | null = null;
	private closed = false;
	/** A connection was lost since the last catch-up: rooms may have missed messages. */
	private lost = false;
	private resyncTimer: NodeJS.Timeout | null = null;
	private readonly loop: Promise<void>;
	private readonly heartbeat: NodeJS.Timeout;
	/** Redis has not answered the heartbeat for `stallMs`. */
	private stalled = false;
	private lastAnswer = Date.now();
	/** What Redis (or the network) said last, for the log line of an outage. */
	private lastError = '';
	private wake: (() => void) | null = null;

	constructor(
		url: string,
		private readonly logError: (message: string, err: unknown) => void
	) {
		const options: RedisOptions = {
			enableOfflineQueue: false,
			maxRetriesPerRequest: 0,
			connectTimeout: 2000,
			retryStrategy: (attempt) => Math.min(100 * attempt, 1000),
			lazyConnect: false
		};
		this.cmd = new Redis(url, { ...options, connectionName: 'concord-cmd' });
		this.reader = new Redis(url, { ...options, connectionName: 'concord-reader' });
		this.sub = new Redis(url, { ...options, enableOfflineQueue: true, connectionName: 'concord-bus' });
		for (const conn of [this.cmd, this.reader, this.sub]) {
			// ioredis reports each failed attempt; the state is in /healthz, the log gets one line per outage.
			conn.on('error', (err: Error) => (this.lastError = err.message));
			conn.on('close', () => this.connectionLost());
			conn.on('ready', () => this.connectionReady());
		}
		this.reader.on('ready', () => {
			this.reader
				.client('ID')
				.then((id) => (this.readerId = Number(id)))
				.catch(() => (this.readerId = null));
		});
		this.sub.on('messageBuffer', (_channel: Buffer, message: Buffer) => this.onBusMessage(message));
		void this.sub.subscribe(busChannel).catch(() => undefined);
		this.loop = this.readLoop();
		this.heartbeat = setInterval(() => this.beat(), heartbeatMs);
		this.heartbeat.unref();
	}

	private beat(): void {
		if (this.cmd.status === 'ready') {
			this.cmd.ping().then(
				() => {
					this.lastAnswer = Date.now();
					if (this.stalled) {
						this.stalled = false;
						this.connectionReady();
					}
				},
				() => undefined
			);
		}
		if (!this.stalled && Date.now() - this.lastAnswer > stallMs) {
			this.stalled = true;
			this.connectionLost();
		}
		// Something was not delivered (a refused publish, a catch-up that failed) while the connections
		// stayed up: catch up now rather than at the next outage.
		if (this.lost && this.resyncTimer === null) this.connectionReady();
	}

	/** Resolves once the three connections are up (start-up waits for it, at most `ms`). */
	async connected(ms: number): Promise<boolean> {
		const deadline = Date.now() + ms;
		while (Date.now() < deadline) {
			if (this.degraded() === null) return true;
			await new Promise((r) => setTimeout(r, 50));
		}
		return false;
	}

	/** The last error Redis or the network gave, '' if none. */
	get lastProblem(): string {
		return this.lastError;
	}

	degraded(): string | null {
		const down = [this.cmd, this.reader, this.sub].filter((c) => c.status !== 'ready').length;
		return down === 0 && !this.stalled ? null : 'Redis is unreachable: each instance keeps editing and storing; other instances catch up when it is back';
	}

	private connectionLost(): void {
		if (this.closed) return;
		if (!this.lost) {
			const why = this.lastError === '' ? '' : ` (${this.lastError})`;
			console.error(`[concord] lost the connection to Redis${why}; editing goes on, instances catch up from storage when it is back`);
		}
		this.lost = true;
	}

	private connectionReady(): void {
		if (this.closed || !this.lost || this.degraded() !== null) return;
		this.lost = false;
		console.log('[concord] Redis answers again; catching up from storage');
		if (this.resyncTimer !== null) clearTimeout(this.resyncTimer);
		this.resyncTimer = setTimeout(() => void this.resync(), 50);
		this.resyncTimer.unref();
	}

	/**
	 * After an outage: hear each open document from the end of its stream on, then let its room read
	 * what it missed from storage and tell the others how far this instance's rooms are.
	 */
	private async resync(): Promise<void> {
		this.resyncTimer = null;
		const ids = [...this.docs.keys()];
		try {
			const ends = await Promise.all(ids.map((docId) => this.endOf(docId)));
			ids.forEach((docId, i) => {
				const heard = this.docs.get(docId);
				if (heard !== undefined) heard.lastId = ends[i];
			});
		} catch (err) {
			this.logError('reading the relay streams after reconnecting failed', err);
			this.lost = true;
			return;
		}
		this.interruptRead();
		for (const heard of this.docs.values()) heard.listener.resync();
		for (const handler of this.resyncHandlers) handler();
		const pipeline = this.cmd.pipeline();
		for (const [docId, heard] of this.docs) pipeline.xadd(streamKey(docId), 'MAXLEN', '~', String(streamLength), '*', 'o', this.instance, 't', 'h', 's', String(heard.listener.lastSeq()));
		await pipeline.exec().catch(() => undefined);
	}

	/** The id of the last entry of a document's stream ('0-0' when there is none). */
	private async endOf(docId: string): Promise<string> {
		const last = await this.cmd.xrevrange(streamKey(docId), '+', '-', 'COUNT', 1);
		return last.length > 0 ? last[0][0] : '0-0';
	}

	async open(docId: string, listener: RelayListener): Promise<void> {
		let lastId = '0-0';
		try {
			lastId = await this.endOf(docId);
		} catch {
			// Redis is away: the room reads storage when it is back (see resync).
			this.lost = true;
		}
		this.docs.set(docId, { listener, lastId });
		this.interruptRead();
	}

	close(docId: string, listener: RelayListener): void {
		if (this.docs.get(docId)?.listener === listener) this.docs.delete(docId);
	}

	/** The connection for plain commands (counters shared by the instances). */
	get commands(): Redis {
		return this.cmd;
	}

	/** Whether Redis answers now (nothing is queued for a Redis that does not). */
	get up(): boolean {
		return this.cmd.status === 'ready' && !this.stalled;
	}

	publishUpdates(updates: ReadonlyMap<string, RelayedUpdate[]>): void {
		if (!this.up) return;
		const pipeline = this.cmd.pipeline();
		for (const [docId, list] of updates) {
			const key = streamKey(docId);
			for (const u of list) {
				pipeline.xadd(key, 'MAXLEN', '~', String(streamLength), '*', 'o', this.instance, 't', 'u', 's', String(u.seq), 'd', Buffer.from(u.data.buffer, u.data.byteOffset, u.data.byteLength), 'c', u.claims.length > 0 ? JSON.stringify(u.claims) : '');
			}
			pipeline.pexpire(key, streamIdleMs);
		}
		pipeline.exec().then(
			(results) => {
				if (results?.some(([err]) => err !== null)) this.lost = true;
			},
			() => (this.lost = true)
		);
	}

	publishPresence(docId: string, update: Uint8Array, claims: readonly ClientClaim[]): void {
		if (!this.up) return;
		this.cmd
			.xadd(streamKey(docId), 'MAXLEN', '~', String(streamLength), '*', 'o', this.instance, 't', 'a', 'd', Buffer.from(update.buffer, update.byteOffset, update.byteLength), 'c', JSON.stringify(claims))
			.catch(() => undefined);
	}

	/** Ends the blocking read at once, so that it reads the documents opened since. */
	private interruptRead(): void {
		this.wake?.();
		if (this.readerId !== null && this.cmd.status === 'ready') this.cmd.client('UNBLOCK', this.readerId).catch(() => undefined);
	}

	private async readLoop(): Promise<void> {
		while (!this.closed) {
			const docs = [...this.docs];
			if (docs.length === 0 || this.reader.status !== 'ready') {
				await new Promise<void>((resolve) => {
					this.wake = resolve;
					setTimeout(resolve, 200).unref();
				});
				this.wake = null;
				continue;
			}
			try {
				const res = await this.reader.xreadBuffer('COUNT', 1000, 'BLOCK', blockMs, 'STREAMS', ...docs.map(([docId]) => streamKey(docId)), ...docs.map(([, h]) => h.lastId));
				if (res !== null) this.dispatch(res);
			} catch (err) {
				if (this.closed) return;
				if (this.reader.status === 'ready') this.logError('reading the relay streams failed', err);
				await new Promise((r) => setTimeout(r, 200));
			}
		}
	}

	private dispatch(res: [Buffer, [Buffer, Buffer[]][]][]): void {
		for (const [rawKey, entries] of res) {
			const docId = docOfKey(rawKey.toString());
			const heard = this.docs.get(docId);
			if (heard === undefined || entries.length === 0) continue;
			heard.lastId = entries[entries.length - 1][0].toString();
			let updates: RelayedUpdate[] = [];
			const flush = () => {
				if (updates.length > 0) heard.listener.heardUpdates(updates);
				updates = [];
			};
			for (const [, flat] of entries) {
				const f = fieldsOf(flat);
				if (f.get('o')?.toString() === this.instance) continue;
				const type = f.get('t')?.toString();
				const data = f.get('d');
				if (type === 'u' && data !== undefined) {
					updates.push({ seq: Number(f.get('s')?.toString()), data: new Uint8Array(data), claims: claimsOf(f.get('c')) });
					continue;
				}
				flush();
				if (type === 'a' && data !== undefined) heard.listener.heardPresence(new Uint8Array(data), claimsOf(f.get('c')));
				else if (type === 'h') heard.listener.heardHead(Number(f.get('s')?.toString()));
			}
			flush();
		}
	}

	// ClusterBus

	on(topic: string, handler: (payload: unknown) => void): void {
		const list = this.handlers.get(topic) ?? [];
		list.push(handler);
		this.handlers.set(topic, list);
	}

	onResync(handler: () => void): void {
		this.resyncHandlers.push(handler);
	}

	send(topic: string, payload: unknown): void {
		this.deliver(topic, payload);
		if (!this.up) {
			this.lost = true;
			return;
		}
		this.cmd.publish(busChannel, JSON.stringify({ o: this.instance, t: topic, p: payload })).catch(() => (this.lost = true));
	}

	private deliver(topic: string, payload: unknown): void {
		for (const handler of this.handlers.get(topic) ?? []) {
			try {
				handler(payload);
			} catch (err) {
				this.logError(`handling the cluster message ${topic} failed`, err);
			}
		}
	}

	private onBusMessage(message: Buffer): void {
		let parsed: { o?: unknown; t?: unknown; p?: unknown };
		try {
			parsed = JSON.parse(message.toString()) as typeof parsed;
		} catch {
			return;
		}
		if (parsed.o === this.instance || typeof parsed.t !== 'string') return;
		this.deliver(parsed.t, parsed.p);
	}

	/** Shutdown: stops reading and closes the connections. */
	async stop(): Promise<void> {
		this.closed = true;
		clearInterval(this.heartbeat);
		if (this.resyncTimer !== null) clearTimeout(this.resyncTimer);
		this.interruptRead();
		this.reader.disconnect();
		await Promise.race([this.loop, new Promise((r) => setTimeout(r, 500))]);
		this.cmd.disconnect();
		this.sub.disconnect();
	}
}
