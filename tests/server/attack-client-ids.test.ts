import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { api, createDocument } from '../helpers/api.js';
import { connectClient, syncedClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { closeCodeOf, openRaw, syncFrame } from '../helpers/frames.js';

/**
 * Review of issue 12 (outside attack) of client-id ownership (server/collab/client-ids.ts): an id a
 * browser has shown in presence is known to everyone in the document; whoever writes under it first
 * after the room forgot the unstored claim makes the owner's own edits collide with theirs.
 */
const f = useUsers();

test('an id seen in presence stays its owner’s after the room unloads: offline edits under it are not silently replaced', async () => {
	const docId = await createDocument(f.server.url, f.alice, '在线标识抢占');
	// Alice opens the document (presence only: she has not typed yet); Bob sees her client id.
	const alice = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	const bob = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	await waitFor(() => alice.provider.synced, 'Alice synced');
	alice.provider.awareness.setLocalStateField('cursor', null);
	await waitFor(() => bob.provider.awareness.getStates().has(alice.doc.clientID), 'Bob sees Alice’s presence');
	const aliceId = [...bob.provider.awareness.getStates().keys()].find((id) => id === alice.doc.clientID)!;
	bob.destroy();

	// Alice's phone loses the network; she types on. Nobody else is in the document, so it unloads.
	alice.provider.disconnect();
	alice.text.insert(0, '李华离线补充的整改意见');
	await waitFor(async () => (await api(f.server.url, 'GET', '/api/admin/stats', { cookie: f.admin.cookie })).body.rooms === 0, 'the room unloads');

	// Bob writes under Alice's id first.
	const forged = new Y.Doc();
	forged.clientID = aliceId;
	forged.getText('t').insert(0, '冒名写入的另一段完全不同的内容');
	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const attackerClosed = closeCodeOf(attacker);
	attacker.send(syncFrame(2, Y.encodeStateAsUpdate(forged)));
	const watcher = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	await waitFor(() => watcher.text.length > 0 || attacker.readyState !== attacker.OPEN, 'the forged write is stored, or refused');
	watcher.destroy();

	// Alice's network comes back.
	alice.provider.connect();
	await waitFor(() => alice.provider.synced, 'Alice reconnects');
	attacker.close();
	await attackerClosed;
	const reader = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	// What Alice typed is stored, and Alice sees what everyone else sees.
	await waitFor(() => reader.text.toString().includes('李华离线补充的整改意见'), 'Alice’s offline text is stored', 5000).catch(() => undefined);
	const stored = reader.text.toString();
	const seen = alice.text.toString();
	reader.destroy();
	// After the collision Yjs gave Alice's document a new id while her presence keeps the old one;
	// y-websocket's own clean-up then trips over that (a client-side consequence, not what is tested).
	alice.provider.awareness.meta.set(alice.doc.clientID, { clock: 0, lastUpdated: Date.now() });
	alice.destroy();
	expect(stored, 'the stored document').toContain('李华离线补充的整改意见');
	expect(seen, 'Alice’s editor').toBe(stored);
});
