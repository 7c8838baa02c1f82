import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import type { ClientIds } from './client-ids.js';
import type { Connection } from './connection.js';
import { editorShape } from './editor-shape.js';
import { MalformedFrame } from './protocol.js';
import { Refusal } from './refusal.js';
import { type DeleteSet, type UpdateLimits, type UpdateVerdict, hasArrived, inspectUpdate } from './update-check.js';

/**
 * What the block guard may add to a client's new element (its author's name and unit, its id): counted
 * against the size limit before the element is accepted.
 */
const stampAllowance = 256;

/** What the intake needs of its room. */
export interface IntakeHost {
	readonly doc: Y.Doc;
	readonly conns: Iterable<Connection>;
	readonly clientIds: ClientIds;
	limits: { update: UpdateLimits; maxParkedBytes: number; maxDocumentBytes: number };
	/** What the document takes in storage now. */
	storedBytes(): number;
	/** The document is full (called at most every ten minutes). */
	onFull(): void;
	/** An update parked earlier was applied: its sender may be told what is stored. */
	onApplied(conn: Connection): void;
}

/** How the room stores and relays one transaction of the document (see UpdateIntake.recordOf). */
export interface TransactionRecord {
	update: Uint8Array;
	/** Client ids to store with it (first written under by it). */
	claims: ReturnType<ClientIds['take']>;
}

type Accepted = Extract<UpdateVerdict, { kind: 'apply' }>;

/**
 * Clients' updates into one room's document: each is checked before it touches the document (see
 * inspectUpdate), parked with its sender while it builds on content the document lacks, refused when
 * it writes under someone else's client id or would grow the document past its limit. Every update
 * applied may complete parked ones, which are then applied too.
 */
export class UpdateIntake {
	/** Updates parked over all connections. */
	private parked = 0;
	private fullNoticeAt = 0;
	private claimsOfApply: ReturnType<ClientIds['take']> = null;
	/** The client's update being applied, and what it deletes itself. */
	private sentOfApply: { conn: Connection; update: Uint8Array; ds: DeleteSet } | null = null;

	constructor(private readonly host: IntakeHost) {}

	/** The update of `conn`'s message number `message`; throws a Refusal or MalformedFrame to close it. */
	apply(update: Uint8Array, conn: Connection, message: number): void {
		const verdict = inspectUpdate(this.host.doc, update, this.host.limits.update, editorShape);
		if (verdict.kind === 'refuse') throw new Refusal(verdict.code, verdict.reason);
		if (verdict.kind === 'wait') return this.park(conn, update.slice(), message, verdict.needs);
		this.integrate(conn, update, verdict);
		if (this.parked > 0) this.retryParked();
	}

	/**
	 * What to store and relay for a transaction the document just made (call it from the document's
	 * 'update' event, once per transaction). Deleting an element deletes what is inside it here,
	 * including text others typed there that the sender never saw. Stored and relayed as sent, the
	 * update leaves that text out of its deletions, so its author's editor can tell it was lost in a move
	 * and put it back (see $lib/collab/moves). Only the sender's own transaction: the block guard's
	 * corrections that follow it are the server's.
	 */
	recordOf(transactionUpdate: Uint8Array, origin: unknown, tr: Y.Transaction): TransactionRecord {
		const claims = this.claimsOfApply;
		this.claimsOfApply = null;
		const sent = this.sentOfApply !== null && origin === this.sentOfApply.conn ? this.sentOfApply : null;
		this.sentOfApply = null;
		// No bigger than the transaction's own (give or take how its deletions are split into ranges): an
		// update repeating content or deletions the document has is not stored or relayed again.
		const asSent = sent !== null && sent.update.byteLength <= transactionUpdate.byteLength + 64 && deletesBeyond(tr.deleteSet, sent.ds);
		return { update: asSent ? sent.update : transactionUpdate, claims };
	}

	/** Drops the connection's parked updates: they were never applied, so they are never acknowledged. */
	unpark(conn: Connection): void {
		if (conn.parked.length > 0) conn.lostFrom = Math.min(conn.lostFrom, conn.parked[0].message);
		this.parked -= conn.parked.length;
		conn.parked.length = 0;
		conn.parkedBytes = 0;
	}

	private integrate(conn: Connection, update: Uint8Array, { clients, elements, ds }: Accepted): void {
		const claims = this.host.clientIds.take(conn, clients, true);
		if (claims === null) throw new Refusal(CloseCode.forbidden, 'writes under a client id of another account');
		// Only new content counts against the size limit (a reconnecting editor's delete set does not),
		// with what the block guard will add to each new element (its author, its id).
		if (clients.length > 0 && this.host.storedBytes() + update.byteLength + elements * stampAllowance > this.host.limits.maxDocumentBytes) {
			const now = Date.now();
			if (now - this.fullNoticeAt > 600_000) {
				this.fullNoticeAt = now;
				this.host.onFull();
			}
			throw new Refusal(CloseCode.documentFull, 'document full');
		}
		this.claimsOfApply = claims;
		this.sentOfApply = { conn, update, ds };
		const doc = this.host.doc;
		try {
			Y.applyUpdate(doc, update, conn);
		} catch (err) {
			throw new MalformedFrame(`undecodable update: ${err instanceof Error ? err.message : String(err)}`);
		} finally {
			this.claimsOfApply = null;
			this.sentOfApply = null;
		}
		// inspectUpdate lets nothing through that Yjs would have to hold back; should it ever, the held
		// part is dropped rather than served or stored as if it were the document.
		if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
			doc.store.pendingStructs = null;
			doc.store.pendingDs = null;
			throw new MalformedFrame('update refers to content the document does not have');
		}
	}

	/** Sets an update aside until the content it builds on arrives, within the sender's budget. */
	private park(conn: Connection, update: Uint8Array, message: number, needs: Map<number, number>): void {
		conn.parked.push({ update, message, needs });
		conn.parkedBytes += update.byteLength;
		this.parked++;
		if (conn.parkedBytes > this.host.limits.maxParkedBytes) {
			this.unpark(conn);
			throw new MalformedFrame('updates waiting for content the server does not have exceed the budget');
		}
	}

	/** Content came from elsewhere (another instance): parked updates waiting for it are applied now. */
	contentArrived(): void {
		if (this.parked > 0) this.retryParked();
	}

	/**
	 * Applies every parked update whose content has arrived, until none moves. Checking one costs a
	 * look at the clocks it waits for; it is inspected again only once they are there.
	 */
	private retryParked(): void {
		const doc = this.host.doc;
		for (let progress = true; progress && this.parked > 0; ) {
			progress = false;
			for (const conn of this.host.conns) {
				for (let i = 0; i < conn.parked.length; ) {
					const parked = conn.parked[i];
					if (!hasArrived(doc, parked.needs)) {
						i++;
						continue;
					}
					const verdict = inspectUpdate(doc, parked.update, this.host.limits.update, editorShape);
					if (verdict.kind === 'wait') {
						parked.needs = verdict.needs;
						i++;
						continue;
					}
					conn.parked.splice(i, 1);
					conn.parkedBytes -= parked.update.byteLength;
					this.parked--;
					try {
						if (verdict.kind === 'refuse') throw new Refusal(verdict.code, verdict.reason);
						this.integrate(conn, parked.update, verdict);
						progress = true;
						this.host.onApplied(conn);
					} catch (err) {
						this.unpark(conn);
						conn.close(err instanceof Refusal ? err.code : CloseCode.badMessage, err instanceof Error ? err.message.slice(0, 120) : 'refused');
						break;
					}
				}
			}
		}
	}
}

/** Whether `deleted` (a transaction's deletions, merged) holds a range `explicit` does not cover. */
function deletesBeyond(deleted: DeleteSet, explicit: DeleteSet): boolean {
	for (const [client, ranges] of deleted.clients) {
		const own = explicit.clients.get(client);
		if (own === undefined) return true;
		for (const r of ranges) {
			// The last explicit range starting at or before r (explicit ranges are sorted: see inspectUpdate).
			let low = 0;
			let high = own.length - 1;
			while (low < high) {
				const mid = (low + high + 1) >> 1;
				if (own[mid].clock <= r.clock) low = mid;
				else high = mid - 1;
			}
			const e = own[low];
			if (e.clock > r.clock || r.clock + r.len > e.clock + e.len) return true;
		}
	}
	return false;
}
