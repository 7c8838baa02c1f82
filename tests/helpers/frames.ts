import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { rawSocket } from './clients.js';

/** Raw y-websocket frames, for clients that send what a stock client never would. */
export function frameOf(type: number, write: (e: encoding.Encoder) => void): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, type);
	write(e);
	return encoding.toUint8Array(e);
}

/** A sync message: step 0 (state vector), 1 (step 2: an update answering it) or 2 (an update). */
export function syncFrame(step: number, payload: Uint8Array): Uint8Array {
	return frameOf(0, (e) => {
		encoding.writeVarUint(e, step);
		encoding.writeVarUint8Array(e, payload);
	});
}

/** An awareness message carrying `states` (JSON text, or null to remove) under the given client ids. */
export function awarenessFrame(states: Array<{ clientId: number; clock: number; state: string }>): Uint8Array {
	const inner = encoding.createEncoder();
	encoding.writeVarUint(inner, states.length);
	for (const s of states) {
		encoding.writeVarUint(inner, s.clientId);
		encoding.writeVarUint(inner, s.clock);
		encoding.writeVarString(inner, s.state);
	}
	return frameOf(1, (e) => encoding.writeVarUint8Array(e, encoding.toUint8Array(inner)));
}

/** A raw socket on `docId` with `cookie`; throws when the upgrade is refused. */
export async function openRaw(wsBase: string, docId: string, cookie: string): Promise<WebSocket> {
	const res = await rawSocket(wsBase, docId, { cookie });
	if (!('ws' in res)) throw new Error(`refused: ${res.status}`);
	return res.ws;
}

/** Resolves with the close code the socket gets. */
export function closeCodeOf(ws: WebSocket): Promise<number> {
	return new Promise((resolve) => ws.once('close', (code) => resolve(code)));
}

/** A Yjs update without structs that deletes `ranges` ([clock, length]) of `client`, as a hostile client writes one. */
export function deleteSetUpdate(client: number, ranges: Array<[number, number]>): Uint8Array {
	const e = new Y.UpdateEncoderV1();
	encoding.writeVarUint(e.restEncoder, 0);
	encoding.writeVarUint(e.restEncoder, 1);
	encoding.writeVarUint(e.restEncoder, client);
	encoding.writeVarUint(e.restEncoder, ranges.length);
	for (const [clock, len] of ranges) {
		e.writeDsClock(clock);
		e.writeDsLen(len);
	}
	return e.toUint8Array();
}
