import * as encoding from 'lib0/encoding';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../helpers/api.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { closeCodeOf, openRaw, syncFrame } from '../helpers/frames.js';

/**
 * Review of issue 12 (outside attack) of the update inspection (server/collab/update-check.ts): an
 * update the server refuses as malformed changes nothing (common.md: bad input "changes nothing").
 */
const f = useUsers();

test('an update whose item follows a later item of its own client is refused whole: nothing of it is stored or relayed', async () => {
	const docId = await createDocument(f.server.url, f.alice, '自指更新');
	const watcher = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	// Two clients in one update: X inserts 伪造内容 (harmless on its own); Y's first item has its origin
	// at Y's clock 7, an item of the same update that comes after it. The inspection sees every id
	// "known"; Yjs integrates X, then throws on Y.
	// A top-level type by its name, as decoded updates hold it (Yjs's typings only know ids and types there).
	const root = 't' as unknown as Y.ID;
	const x = 900_000_002;
	const y = 900_000_001;
	const e = new Y.UpdateEncoderV1();
	encoding.writeVarUint(e.restEncoder, 2);
	encoding.writeVarUint(e.restEncoder, 1);
	e.writeClient(x);
	encoding.writeVarUint(e.restEncoder, 0);
	new Y.Item(Y.createID(x, 0), null, null, null, null, root, null, new Y.ContentString('伪造内容')).write(e, 0);
	encoding.writeVarUint(e.restEncoder, 2);
	e.writeClient(y);
	encoding.writeVarUint(e.restEncoder, 0);
	new Y.Item(Y.createID(y, 0), null, Y.createID(y, 7), null, null, null, null, new Y.ContentString('aaaaa')).write(e, 0);
	new Y.Item(Y.createID(y, 5), null, null, null, null, root, null, new Y.ContentString('bbb')).write(e, 0);
	encoding.writeVarUint(e.restEncoder, 0);

	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const closed = closeCodeOf(attacker);
	attacker.send(syncFrame(2, e.toUint8Array()));
	expect(await closed).toBe(4400);
	// A round trip through the room: an honest edit after the refusal.
	const honest = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	honest.text.insert(0, '正常');
	await waitFor(() => watcher.text.toString().includes('正常'), 'the honest edit arrives');
	const reader = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const stored = reader.text.toString();
	const relayed = watcher.text.toString();
	reader.destroy();
	honest.destroy();
	watcher.destroy();
	expect(relayed, 'what a watcher was sent').toBe('正常');
	expect(stored, 'what is stored').toBe('正常');
});
