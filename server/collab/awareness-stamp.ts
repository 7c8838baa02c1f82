import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { MalformedFrame } from './protocol.js';

/** Who a connection is, as the server knows it from the session; never taken from the client. */
export interface PresenceIdentity {
	id: string;
	name: string;
	unit: string;
	/** The unit type (设计, 施工, 地方政府 …) in the document's conference; '' outside one. */
	unitType: string;
	/** Runs this document's room (moderator, organizer): viewers may follow their position. */
	presenter: boolean;
	color: string;
}

/**
 * Rewrites an awareness update so that every state's `user` field is the connection's identity, and
 * returns the client ids it speaks for. A client cannot appear under another's name, whatever it sends.
 * `oversized` is true when a state's JSON, as sent, is longer than `maxStateBytes` (UTF-8).
 */
export function stampAwareness(
	update: Uint8Array,
	identity: PresenceIdentity,
	maxStateBytes = Infinity
): { update: Uint8Array; clientIds: number[]; oversized: boolean } {
	try {
		const d = decoding.createDecoder(update);
		const e = encoding.createEncoder();
		const count = decoding.readVarUint(d);
		if (count > 64) throw new MalformedFrame('too many awareness states in one update');
		encoding.writeVarUint(e, count);
		const clientIds: number[] = [];
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(d);
			const clock = decoding.readVarUint(d);
			const raw = decoding.readVarString(d);
			if (Buffer.byteLength(raw) > maxStateBytes) return { update, clientIds: [], oversized: true };
			const state: unknown = JSON.parse(raw);
			let out = raw;
			if (state !== null) {
				if (typeof state !== 'object' || Array.isArray(state)) throw new MalformedFrame('awareness state is not an object');
				out = JSON.stringify({ ...state, user: identity });
			}
			clientIds.push(clientId);
			encoding.writeVarUint(e, clientId);
			encoding.writeVarUint(e, clock);
			encoding.writeVarString(e, out);
		}
		if (decoding.hasContent(d)) throw new MalformedFrame('trailing bytes after awareness update');
		return { update: encoding.toUint8Array(e), clientIds, oversized: false };
	} catch (err) {
		if (err instanceof MalformedFrame) throw err;
		throw new MalformedFrame(`bad awareness update: ${err instanceof Error ? err.message : String(err)}`);
	}
}
