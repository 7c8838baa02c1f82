import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { CloseCode } from '../../src/lib/shared/close-codes.js';
import { MessageType, SyncStep } from '../../src/lib/shared/sync-protocol.js';
import { Refusal } from './refusal.js';

/**
 * Framing of the y-websocket protocol. Every frame from a client is parsed here, strictly: a bad
 * varint, a truncated payload, trailing bytes or an unknown type is a `MalformedFrame`, and the caller
 * closes only that connection.
 */
export class MalformedFrame extends Refusal {
	constructor(reason: string) {
		super(CloseCode.badMessage, reason);
	}
}

export type ClientMessage =
	| { kind: 'sync-step1'; stateVector: Uint8Array }
	| { kind: 'sync-step2'; update: Uint8Array }
	| { kind: 'update'; update: Uint8Array }
	| { kind: 'awareness'; update: Uint8Array }
	| { kind: 'query-awareness' }
	| { kind: 'auth' };

/** Parses one frame. The returned arrays are views into `frame`: copy before keeping them. */
export function parseClientMessage(frame: Uint8Array): ClientMessage {
	try {
		const d = decoding.createDecoder(frame);
		const type = decoding.readVarUint(d);
		let msg: ClientMessage;
		switch (type) {
			case MessageType.sync: {
				const step = decoding.readVarUint(d);
				const payload = decoding.readVarUint8Array(d);
				if (step === SyncStep.step1) msg = { kind: 'sync-step1', stateVector: payload };
				else if (step === SyncStep.step2) msg = { kind: 'sync-step2', update: payload };
				else if (step === SyncStep.update) msg = { kind: 'update', update: payload };
				else throw new MalformedFrame(`unknown sync step ${step}`);
				break;
			}
			case MessageType.awareness:
				msg = { kind: 'awareness', update: decoding.readVarUint8Array(d) };
				break;
			case MessageType.queryAwareness:
				msg = { kind: 'query-awareness' };
				break;
			case MessageType.auth:
				// Clients have nothing to say in the auth channel; accept and ignore its payload.
				decoding.readVarUint(d);
				decoding.readVarString(d);
				msg = { kind: 'auth' };
				break;
			default:
				throw new MalformedFrame(`unknown message type ${type}`);
		}
		if (decoding.hasContent(d)) throw new MalformedFrame('trailing bytes after message');
		return msg;
	} catch (err) {
		if (err instanceof MalformedFrame) throw err;
		throw new MalformedFrame(err instanceof Error ? err.message : 'undecodable frame');
	}
}

type Bytes = Uint8Array<ArrayBuffer>;

function frameOf(write: (e: encoding.Encoder) => void): Bytes {
	const e = encoding.createEncoder();
	write(e);
	return encoding.toUint8Array(e) as Bytes;
}

export function encodeSyncStep1(stateVector: Uint8Array): Bytes {
	return frameOf((e) => {
		encoding.writeVarUint(e, MessageType.sync);
		encoding.writeVarUint(e, SyncStep.step1);
		encoding.writeVarUint8Array(e, stateVector);
	});
}

export function encodeSyncStep2(update: Uint8Array): Bytes {
	return frameOf((e) => {
		encoding.writeVarUint(e, MessageType.sync);
		encoding.writeVarUint(e, SyncStep.step2);
		encoding.writeVarUint8Array(e, update);
	});
}

export function encodeUpdate(update: Uint8Array): Bytes {
	return frameOf((e) => {
		encoding.writeVarUint(e, MessageType.sync);
		encoding.writeVarUint(e, SyncStep.update);
		encoding.writeVarUint8Array(e, update);
	});
}

export function encodeAwareness(update: Uint8Array): Bytes {
	return frameOf((e) => {
		encoding.writeVarUint(e, MessageType.awareness);
		encoding.writeVarUint8Array(e, update);
	});
}

/** The protocol's permission-denied message (y-protocols/auth), sent when a read-only client writes. */
export function encodePermissionDenied(reason: string): Bytes {
	return frameOf((e) => {
		encoding.writeVarUint(e, MessageType.auth);
		encoding.writeVarUint(e, 0);
		encoding.writeVarString(e, reason);
	});
}

/** Concord's acknowledgement: the first `count` change-carrying messages of this connection are durable. */
export function encodeSaved(count: number): Bytes {
	return frameOf((e) => {
		encoding.writeVarUint(e, MessageType.saved);
		encoding.writeVarUint(e, count);
	});
}
