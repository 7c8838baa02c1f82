import * as Y from 'yjs';
import * as awarenessProtocol from 'y-protocols/awareness';
import { expect, test } from 'vitest';
import { stampAwareness } from '../../server/collab/awareness-stamp.js';
import { MalformedFrame } from '../../server/collab/protocol.js';

const identity = { id: 'u1', name: '李华', unit: '甲省交通运输厅', unitType: '行业主管', presenter: false, color: '#1d4ed8' };

test('replaces the user a client claims with the identity of its session', () => {
	const doc = new Y.Doc();
	const awareness = new awarenessProtocol.Awareness(doc);
	awareness.setLocalState({ user: { name: '专家组组长', color: '#000' }, cursor: { anchor: 1 } });
	const { update, clientIds } = stampAwareness(awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]), identity);
	expect(clientIds).toEqual([doc.clientID]);

	const other = new awarenessProtocol.Awareness(new Y.Doc());
	awarenessProtocol.applyAwarenessUpdate(other, update, null);
	expect(other.getStates().get(doc.clientID)).toEqual({ user: identity, cursor: { anchor: 1 } });
	awareness.destroy();
	other.destroy();
});

test('keeps removals (null states) as they are', () => {
	const doc = new Y.Doc();
	const awareness = new awarenessProtocol.Awareness(doc);
	awareness.setLocalState(null);
	const raw = awarenessProtocol.encodeAwarenessUpdate(awareness, [doc.clientID]);
	expect(stampAwareness(raw, identity).update).toEqual(raw);
	awareness.destroy();
});

test('refuses states that are not JSON objects', () => {
	const bad = new Uint8Array([1, 5, 1, 3, ...new TextEncoder().encode('[1]')]);
	expect(() => stampAwareness(bad, identity)).toThrow(MalformedFrame);
	const notJson = new Uint8Array([1, 5, 1, 2, 0x7b, 0x7b]);
	expect(() => stampAwareness(notJson, identity)).toThrow(MalformedFrame);
});
