import type { ClientClaim, UpdateLog } from '../storage/types.js';
import type { Connection } from './connection.js';
import { encodeSaved } from './protocol.js';
import type { DocRelay, RelayedUpdate } from './relay.js';

/** What the committer needs from a room: told when its updates are durable, or that they never will be. */
export interface CommitTarget {
	readonly docId: string;
	/** `seqs`: each update's sequence number in the document. */
	onCommitted(updates: Uint8Array[], origins: unknown[], seqs: number[]): void;
	onCommitFailed(err: unknown): void;
}

interface Batch {
	targets: CommitTarget[];
	updates: Uint8Array[];
	origins: unknown[];
	claims: Array<readonly ClientClaim[] | undefined>;
	acks: Map<Connection, number>;
}

const emptyBatch = (): Batch => ({ targets: [], updates: [], origins: [], claims: [], acks: new Map() });

/**
 * Group commit for every room of the process: updates that arrive in one event-loop turn are written
 * in one transaction, then handed back to their rooms to relay and published to the other instances
 * (one message batch per commit). One flush runs at a time, so the log order is the order of arrival.
 */
export class GroupCommitter {
	/** The last failure to store, until a write succeeds again; null while storage works. */
	storageFailure: { at: number; message: string } | null = null;
	private pending: Batch = emptyBatch();
	private scheduled = false;
	private flushing: Promise<void> | null = null;
	private idleWaiters: Array<() => void> = [];

	constructor(
		private readonly log: UpdateLog,
		private readonly relay: DocRelay,
		private readonly onError: (err: unknown) => void
	) {}

	/** Queues `update` for the next commit; `claims` are stored with it, in the same transaction. */
	enqueue(target: CommitTarget, update: Uint8Array, origin: unknown, claims?: readonly ClientClaim[]): void {
		this.pending.targets.push(target);
		this.pending.updates.push(update);
		this.pending.origins.push(origin);
		this.pending.claims.push(claims);
		this.schedule();
	}

	/** Sends `conn` a `saved` acknowledgement of its changes so far (those in the document) once they are durable. */
	requestAck(conn: Connection): void {
		this.pending.acks.set(conn, conn.settled);
		this.schedule();
	}

	/** Resolves when nothing is queued or being written. */
	idle(): Promise<void> {
		if (!this.scheduled && this.flushing === null) return Promise.resolve();
		return new Promise((resolve) => this.idleWaiters.push(resolve));
	}

	private schedule(): void {
		if (this.scheduled || this.flushing !== null) return;
		this.scheduled = true;
		setImmediate(() => {
			this.scheduled = false;
			this.flushing = this.flush().finally(() => {
				this.flushing = null;
				if (this.pending.updates.length > 0 || this.pending.acks.size > 0) this.schedule();
				else this.wakeIdle();
			});
		});
	}

	private async flush(): Promise<void> {
		const batch = this.pending;
		this.pending = emptyBatch();
		const { targets, updates, origins } = batch;
		let seqs: number[] = [];
		if (updates.length > 0) {
			try {
				seqs = await this.log.append(targets.map((t, i) => ({ docId: t.docId, data: updates[i], claims: batch.claims[i] })));
			} catch (err) {
				this.storageFailure = { at: Date.now(), message: err instanceof Error ? err.message : String(err) };
				this.onError(err);
				for (const t of new Set(targets)) t.onCommitFailed(err);
				return;
			}
			this.storageFailure = null;
		}
		// Hand each room its own updates, in order, in one call; the other instances get them too.
		const perTarget = new Map<CommitTarget, { updates: Uint8Array[]; origins: unknown[]; seqs: number[] }>();
		const published = new Map<string, RelayedUpdate[]>();
		for (let i = 0; i < targets.length; i++) {
			let group = perTarget.get(targets[i]);
			if (group === undefined) {
				group = { updates: [], origins: [], seqs: [] };
				perTarget.set(targets[i], group);
			}
			group.updates.push(updates[i]);
			group.origins.push(origins[i]);
			group.seqs.push(seqs[i]);
			if (!this.relay.shared) continue;
			let out = published.get(targets[i].docId);
			if (out === undefined) published.set(targets[i].docId, (out = []));
			out.push({ seq: seqs[i], data: updates[i], claims: batch.claims[i] ?? [] });
		}
		if (published.size > 0) this.relay.publishUpdates(published);
		for (const [target, g] of perTarget) target.onCommitted(g.updates, g.origins, g.seqs);
		for (const [conn, count] of batch.acks) conn.send(encodeSaved(count));
	}

	private wakeIdle(): void {
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const w of waiters) w();
	}
}
