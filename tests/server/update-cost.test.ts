import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../helpers/api.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { closeCodeOf, deleteSetUpdate, openRaw, syncFrame } from '../helpers/frames.js';

/**
 * One participant must not stall a room: the work an update may cost is bounded before it is applied.
 * The sender of a costly update is closed; everyone else goes on as if nothing happened.
 */
const f = useUsers({ env: { CONCORD_MAX_UPDATE_STRUCTS: '5000' } });


/** Alice's text reaches Bob: the server is answering messages. */
async function stillLive(docId: string, mark: string): Promise<void> {
	const a = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const b = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	try {
		a.text.insert(0, mark);
		await waitFor(() => b.text.toString().startsWith(mark), 'an edit to reach the other editor', 5000);
	} finally {
		a.destroy();
		b.destroy();
	}
}

test('100,000 huge delete ranges over a 20,000-item document close the sender and stall nobody', async () => {
	const docId = await createDocument(f.server.url, f.alice, '删除集攻击');
	const seed = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	// 20,000 separate items (inserted before each other, so Yjs cannot merge them), 2,000 per update.
	for (let batch = 0; batch < 10; batch++) {
		seed.doc.transact(() => {
			for (let i = 0; i < 2000; i++) seed.text.insert(0, '字');
		});
	}
	const client = seed.doc.clientID;
	await waitFor(async () => {
		const r = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
		const n = r.text.length;
		r.destroy();
		return n === 20_000;
	}, 'the document is stored', 20_000);
	seed.destroy();

	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const closed = closeCodeOf(attacker);
	attacker.send(syncFrame(2, deleteSetUpdate(client, Array.from({ length: 100_000 }, () => [0, 20_000] as [number, number]))));
	// Without the bound Yjs walks 20,000 items 100,000 times on the event loop: minutes, for every room.
	await stillLive(docId, '仍在协作：');
	expect(await closed).toBe(4400);
	const reader = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	expect(reader.text.length).toBe(20_000 + '仍在协作：'.length);
	reader.destroy();
});

test('an update nesting elements 4,000 deep is refused whole (malformed: 4400); the document stays as it was', async () => {
	const docId = await createDocument(f.server.url, f.alice, '嵌套攻击');
	const honest = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const hostile = new Y.Doc();
	Y.applyUpdate(hostile, Y.encodeStateAsUpdate(honest.doc));
	const sv = Y.encodeStateVector(hostile);
	hostile.transact(() => {
		let parent: Y.XmlElement | Y.XmlFragment = hostile.getXmlFragment('default');
		for (let i = 0; i < 4000; i++) {
			const el = new Y.XmlElement('blockquote');
			parent.insert(0, [el]);
			parent = el;
		}
	});
	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const closed = closeCodeOf(attacker);
	attacker.send(syncFrame(2, Y.encodeStateAsUpdate(hostile, sv)));
	expect(await closed).toBe(4400);
	await stillLive(docId, '正常');
	const reader = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	expect(reader.doc.getXmlFragment('default').length).toBe(0);
	expect(reader.text.toString()).toBe('正常');
	reader.destroy();
	honest.destroy();
});

test('an update with more structs than allowed is refused; a large ordinary paste within the limit is not', async () => {
	const docId = await createDocument(f.server.url, f.alice, '结构数量');
	const writer = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const make = (n: number) => {
		const d = new Y.Doc();
		Y.applyUpdate(d, Y.encodeStateAsUpdate(writer.doc));
		const sv = Y.encodeStateVector(d);
		d.transact(() => {
			for (let i = 0; i < n; i++) d.getText('t').insert(0, '段');
		});
		return Y.encodeStateAsUpdate(d, sv);
	};
	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const closed = closeCodeOf(attacker);
	attacker.send(syncFrame(2, make(5001)));
	// Too large, not malformed: the browser keeps the change and says so instead of retrying it.
	expect(await closed).toBe(4413);
	// A paste of 100,000 characters is one struct, however long.
	writer.text.insert(0, '很长的粘贴内容'.repeat(15_000));
	await waitFor(async () => {
		const r = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
		const n = r.text.length;
		r.destroy();
		return n === 105_000;
	}, 'the paste is stored');
	writer.destroy();
});
