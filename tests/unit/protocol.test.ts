import * as encoding from 'lib0/encoding';
import { describe, expect, test } from 'vitest';
import {
	MalformedFrame,
	encodeAwareness,
	encodePermissionDenied,
	encodeSaved,
	encodeSyncStep1,
	encodeSyncStep2,
	encodeUpdate,
	parseClientMessage
} from '../../server/collab/protocol.js';

const bytes = (...b: number[]) => new Uint8Array(b);

describe('parseClientMessage', () => {
	test('round-trips every sync and awareness message the server encodes', () => {
		const payload = bytes(1, 2, 3);
		expect(parseClientMessage(encodeSyncStep1(payload))).toEqual({ kind: 'sync-step1', stateVector: payload });
		expect(parseClientMessage(encodeSyncStep2(payload))).toEqual({ kind: 'sync-step2', update: payload });
		expect(parseClientMessage(encodeUpdate(payload))).toEqual({ kind: 'update', update: payload });
		expect(parseClientMessage(encodeAwareness(payload))).toEqual({ kind: 'awareness', update: payload });
		expect(parseClientMessage(bytes(3))).toEqual({ kind: 'query-awareness' });
		expect(parseClientMessage(encodePermissionDenied('x'))).toEqual({ kind: 'auth' });
	});

	test.each([
		['an empty frame', bytes()],
		['a varint that never ends', bytes(0x80, 0x80, 0x80)],
		['a truncated payload', bytes(0, 2, 10, 1, 2)],
		['an unknown message type', bytes(9)],
		['an unknown sync step', bytes(0, 7, 0)],
		['trailing bytes', bytes(0, 2, 1, 5, 99)],
		['a length beyond the frame', bytes(1, 0xff, 0xff, 0xff, 0x0f)]
	])('refuses %s', (_name, frame) => {
		expect(() => parseClientMessage(frame)).toThrow(MalformedFrame);
	});

	test('encodes the saved acknowledgement as type 8 with a varuint count', () => {
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 8);
		encoding.writeVarUint(e, 300);
		expect(encodeSaved(300)).toEqual(encoding.toUint8Array(e));
	});
});
