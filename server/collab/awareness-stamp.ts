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
 * States of ids `mayUse` refuses are left out unread: stock y-websocket clients send back every state
 * they receive, so an editor's message usually carries everyone's (dropped) beside its own.
 * `oversized` is true when a usable state's JSON, as sent, is longer than `maxStateBytes` (UTF-8).
 */
export function stampAwareness(
	update: Uint8Array,
	identity: PresenceIdentity,
	maxStateBytes = Infinity,
	mayUse: (clientId: number) => boolean = () => true
): { update: Uint8Array; clientIds: number[]; oversized: boolean } {
	try {
		const d = decoding.createDecoder(update);
		const count = decoding.readVarUint(d);
		const kept: Array<{ clientId: number; clock: number; state: string }> = [];
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(d);
			const clock = decoding.readVarUint(d);
			const raw = decoding.readVarString(d);
			if (!mayUse(clientId)) continue;
			if (Buffer.byteLength(raw) > maxStateBytes) return { update, clientIds: [], oversized: true };
			const state: unknown = JSON.parse(raw);
			let out = raw;
			if (state !== null) {
				if (typeof state !== 'object' || Array.isArray(state)) throw new MalformedFrame('awareness state is not an object');
				out = JSON.stringify({ ...state, user: identity });
			}
			kept.push({ clientId, clock, state: out });
		}
		if (decoding.hasContent(d)) throw new MalformedFrame('trailing bytes after awareness update');
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, kept.length);
		for (const k of kept) {
			encoding.writeVarUint(e, k.clientId);
			encoding.writeVarUint(e, k.clock);
			encoding.writeVarString(e, k.state);
		}
		return { update: encoding.toUint8Array(e), clientIds: kept.map((k) => k.clientId), oversized: false };
	} catch (err) {
		if (err instanceof MalformedFrame) throw err;
		throw new MalformedFrame(`bad awareness update: ${err instanceof Error ? err.message : String(err)}`);
	}
}
