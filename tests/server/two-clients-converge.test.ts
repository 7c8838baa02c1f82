import { expect, test } from 'vitest';
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import { createDocument } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { deleteSetUpdate, syncFrame } from '../helpers/frames.js';

const f = useUsers();

test('two y-websocket clients converge on the same text, rare characters included', async () => {
	const docId = await createDocument(f.server.url, f.alice, '交通组根因分析');
	const a = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	const b = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	try {
		await waitFor(() => a.provider.synced && b.provider.synced, 'both synced');
		a.text.insert(0, '征地拆迁滞后𠮷');
		b.text.insert(0, '架桥机不足；');
		await waitFor(() => a.text.toString() === b.text.toString() && a.text.length === 14, 'convergence');
		expect(a.text.toString()).toContain('征地拆迁滞后𠮷');
		expect(b.text.toString()).toContain('架桥机不足；');
	} finally {
		a.destroy();
		b.destroy();
	}
});

test('bursts from three clients at once (relayed merged) converge with every character present', async () => {
	const docId = await createDocument(f.server.url, f.alice, '并发输入');
	const clients = [f.alice, f.bob, f.alice].map((s) => connectClient(f.server.wsUrl, docId, s.cookie));
	try {
		await waitFor(() => clients.every((c) => c.provider.synced), 'all synced');
		const expected: string[] = [];
		for (let round = 0; round < 60; round++) {
			clients.forEach((c, i) => {
				const ch = String.fromCodePoint(0x4e00 + round * 3 + i);
				expected.push(ch);
				c.text.insert(0, ch);
			});
		}
		const done = () => clients.every((c) => c.text.length === expected.length);
		await waitFor(done, 'every client has every character');
		const text = clients[0].text.toString();
		expect(clients.map((c) => c.text.toString())).toEqual([text, text, text]);
		expect([...text].sort()).toEqual([...expected].sort());
	} finally {
		for (const c of clients) c.destroy();
	}
});

test('a line joined by someone who never saw the text typed in it reaches the others with only the joiner’s own deletions', async () => {
	const docId = await createDocument(f.server.url, f.alice, '合并段落');
	const bob = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	const watcher = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	const lines = (doc: Y.Doc) =>
		doc
			.getXmlFragment('notes')
			.toArray()
			.map((p) => ((p as Y.XmlElement).get(0) as Y.XmlText).toString());
	let alice: ReturnType<typeof connectClient> | null = null;
	try {
		await waitFor(() => bob.provider.synced && watcher.provider.synced, 'both synced');
		bob.doc.getXmlFragment('notes').insert(0, ['征地拆迁滞后，', '县级配套资金到位。'].map(paragraph));
		await waitFor(() => lines(watcher.doc).length === 2, 'the lines are stored');
		// Alice goes offline with the two lines; Bob types in the second meanwhile.
		const offline = new Y.Doc();
		Y.applyUpdate(offline, Y.encodeStateAsUpdate(bob.doc));
		const typedFrom = Y.getState(bob.doc.store, bob.doc.clientID);
		((bob.doc.getXmlFragment('notes').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(6, '乙方');
		await waitFor(() => lines(watcher.doc)[1] === '县级配套资金乙方到位。', 'Bob’s text is stored');
		// Her join, as the editor writes it: the second line's text copied to the first, the second deleted.
		offline.transact(() => {
			const frag = offline.getXmlFragment('notes');
			((frag.get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(7, '县级配套资金到位。');
			frag.delete(1, 1);
		});
		const received = relayedTo(watcher);
		alice = connectClient(f.server.wsUrl, docId, f.alice.cookie, {}, offline);
		await waitFor(() => lines(watcher.doc).length === 1, 'the join reaches the watcher');
		// The server deleted Bob's text with the line, but what it relays deletes only what Alice saw:
		// so Bob's editor can tell his text was lost in a move and put it back.
		const deletesBobsText = received.some((u) =>
			(Y.decodeUpdate(u).ds.clients.get(bob.doc.clientID) ?? []).some((d) => d.clock < typedFrom + 2 && d.clock + d.len > typedFrom)
		);
		expect(received.length).toBeGreaterThan(0);
		expect(deletesBobsText).toBe(false);
		expect(lines(watcher.doc)).toEqual(['征地拆迁滞后，县级配套资金到位。']);
		await waitFor(() => lines(bob.doc).join() === lines(watcher.doc).join(), 'Bob agrees');
	} finally {
		alice?.destroy();
		bob.destroy();
		watcher.destroy();
	}
});

/** The updates the server sends `client` from now on, as it sends them (the client's own 'update' event re-encodes them). */
function relayedTo(client: ReturnType<typeof connectClient>): Uint8Array[] {
	const updates: Uint8Array[] = [];
	client.provider.ws!.addEventListener('message', (m: MessageEvent) => {
		const d = decoding.createDecoder(new Uint8Array(m.data as ArrayBuffer));
		if (decoding.readVarUint(d) === 0 && decoding.readVarUint(d) === 2) updates.push(decoding.readVarUint8Array(d));
	});
	return updates;
}

function paragraph(text: string): Y.XmlElement {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	return p;
}

test('an update that repeats what the document has is not relayed again, even when it deletes a line with someone else’s text', async () => {
	const docId = await createDocument(f.server.url, f.alice, '重复内容');
	const bob = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	const alice = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	try {
		await waitFor(() => bob.provider.synced && alice.provider.synced, 'both synced');
		const big = '征地拆迁补偿款已拨付到位。'.repeat(4000);
		alice.doc.getXmlFragment('notes').insert(0, [paragraph(big), paragraph('县级配套资金到位。')]);
		await waitFor(() => bob.doc.getXmlFragment('notes').length === 2, 'Bob has the lines');
		const everything = Y.encodeStateAsUpdate(alice.doc);
		((bob.doc.getXmlFragment('notes').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '乙方');
		await waitFor(() => alice.doc.getXmlFragment('notes').toArray().some((p) => p.toString().includes('乙方')), 'Alice has Bob’s text');
		const relayed = relayedTo(bob);
		// All of Alice's content again, with the second line deleted (its element only: what is inside
		// goes with it, Bob's text too).
		const line = alice.doc.getXmlFragment('notes').get(1) as Y.XmlElement;
		const id = line._item!.id;
		const replay = Y.mergeUpdates([everything, deleteSetUpdate(id.client, [[id.clock, 1]])]);
		expect(replay.byteLength).toBeGreaterThan(big.length);
		alice.provider.ws!.send(new Uint8Array(syncFrame(2, replay)));
		await waitFor(() => bob.doc.getXmlFragment('notes').length === 1, 'the deletion reaches Bob');
		expect(Math.max(...relayed.map((u) => u.byteLength)), 'bytes relayed').toBeLessThan(1000);
	} finally {
		alice.destroy();
		bob.destroy();
	}
});
