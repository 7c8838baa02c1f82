import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../helpers/api.js';
import { type SyncClient, syncedClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { awarenessFrame, closeCodeOf, openRaw, syncFrame } from '../helpers/frames.js';

/**
 * A Yjs client id belongs to the account that first wrote under it: an update or a presence state
 * under someone else's id is refused, so nobody's edits can collide with (and silently replace)
 * another's, and nobody appears in another's place. The binding survives a restart.
 */
const f = useUsers();

/** An update under `clientId`, continuing from what `from` holds, that inserts `text`. */
function updateAs(from: SyncClient, clientId: number, text: string): Uint8Array {
	const d = new Y.Doc();
	Y.applyUpdate(d, Y.encodeStateAsUpdate(from.doc));
	// Set after loading: Yjs picks a new id for itself when it loads content under its own.
	d.clientID = clientId;
	const sv = Y.encodeStateVector(d);
	d.getText('t').insert(0, text);
	return Y.encodeStateAsUpdate(d, sv);
}

test("writing under another account's client id is refused, and its owner's next edit is kept", async () => {
	const docId = await createDocument(f.server.url, f.alice, '客户端标识');
	const alice = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	alice.text.insert(0, '李华的内容');
	const watcher = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	await waitFor(() => watcher.text.toString() === '李华的内容', 'stored');

	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const closed = closeCodeOf(attacker);
	attacker.send(syncFrame(2, updateAs(watcher, alice.doc.clientID, '冒名')));
	expect(await closed).toBe(4403);
	alice.text.insert(alice.text.length, '，续写');
	await waitFor(() => watcher.text.toString() === '李华的内容，续写', 'Alice goes on');

	// Presence under Alice's id is ignored: Alice stays Alice.
	const impostor = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	impostor.send(awarenessFrame([{ clientId: alice.doc.clientID, clock: 999, state: JSON.stringify({ cursor: null, note: 'impostor' }) }]));
	alice.provider.awareness.setLocalStateField('cursor', { mark: 'real' });
	await waitFor(() => watcher.provider.awareness.getStates().get(alice.doc.clientID)?.cursor?.mark === 'real', 'Alice\'s own state');
	expect(watcher.provider.awareness.getStates().get(alice.doc.clientID)?.note).toBeUndefined();
	impostor.close();

	// After a restart the binding holds.
	alice.destroy();
	watcher.destroy();
	f.server = await f.server.stop().then(() => f.server.restart());
	const reader = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	const again = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const closedAgain = closeCodeOf(again);
	again.send(syncFrame(2, updateAs(reader, alice.doc.clientID, '重启后冒名')));
	expect(await closedAgain).toBe(4403);
	const check = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	expect(check.text.toString()).toBe('李华的内容，续写');
	check.destroy();
	reader.destroy();
});

test('one connection may take only a few new client ids', async () => {
	const docId = await createDocument(f.server.url, f.alice, '标识数量');
	const base = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	const raw = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const closed = closeCodeOf(raw);
	for (let i = 0; i < 5; i++) raw.send(syncFrame(2, updateAs(base, 8_000_000 + i, `第${i}`)));
	expect(await closed).toBe(4403);
	await waitFor(() => base.text.length === 8, 'the first four apply');
	for (let i = 0; i < 4; i++) expect(base.text.toString()).toContain(`第${i}`);
	expect(base.text.toString()).not.toContain('第4');
	base.destroy();
});
