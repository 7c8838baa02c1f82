import type { ClientClaim, UpdateLog } from '../storage/types.js';
import type { Connection } from './connection.js';
import { encodeSaved } from './protocol.js';

/** What the committer needs from a room: told when its updates are durable, or that they never will be. */
export interface CommitTarget {
	readonly docId: string;
	onCommitted(updates: Uint8Array[], origins: unknown[], lastId: number): void;
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
 * in one transaction, then handed back to their rooms to relay. One flush runs at a time, so the log
 * order is the order of arrival.
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
		let ids: number[] = [];
		if (updates.length > 0) {
			try {
				ids = await this.log.append(targets.map((t, i) => ({ docId: t.docId, data: updates[i], claims: batch.claims[i] })));
			} catch (err) {
				this.storageFailure = { at: Date.now(), message: err instanceof Error ? err.message : String(err) };
				this.onError(err);
				for (const t of new Set(targets)) t.onCommitFailed(err);
				return;
			}
			this.storageFailure = null;
		}
		// Hand each room its own updates, in order, in one call.
		const perTarget = new Map<CommitTarget, { updates: Uint8Array[]; origins: unknown[]; lastId: number }>();
		for (let i = 0; i < targets.length; i++) {
			let group = perTarget.get(targets[i]);
			if (group === undefined) {
				group = { updates: [], origins: [], lastId: 0 };
				perTarget.set(targets[i], group);
			}
			group.updates.push(updates[i]);
			group.origins.push(origins[i]);
			group.lastId = ids[i];
		}
		for (const [target, g] of perTarget) target.onCommitted(g.updates, g.origins, g.lastId);
		for (const [conn, count] of batch.acks) conn.send(encodeSaved(count));
	}

	private wakeIdle(): void {
		const waiters = this.idleWaiters;
		this.idleWaiters = [];
		for (const w of waiters) w();
	}
}
