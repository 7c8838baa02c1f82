import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { createDocument } from '../helpers/api.js';
import { type SyncClient, connectClient, syncedClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { closeCodeOf, openRaw, syncFrame } from '../helpers/frames.js';

/**
 * Review of issue 12 (outside attack) of the document size limit (CONCORD_MAX_DOCUMENT_BYTES):
 * nobody grows a document past it, by any route; and at the limit, editors who change nothing can
 * still open (and reconnect to) the document.
 */
const limit = 64 * 1024;
const f = useUsers({ env: { CONCORD_MAX_DOCUMENT_BYTES: String(limit) } });

/** The close codes `c` gets, in order. */
function closeCodes(c: SyncClient): number[] {
	const codes: number[] = [];
	c.provider.on('connection-close', (e: { code: number } | null) => codes.push(e?.code ?? 0));
	return codes;
}

test('a client cannot grow a document past its limit through the block guard’s corrections', async () => {
	const docId = await createDocument(f.server.url, f.alice, '守卫放大');
	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	const local = new Y.Doc();
	const sv = Y.encodeStateVector(local);
	// Empty cause blocks without id or author: the server stamps both on each (about 150 bytes).
	local.transact(() => local.getXmlFragment('default').insert(0, Array.from({ length: 1500 }, () => new Y.XmlElement('cause'))));
	const update = Y.encodeStateAsUpdate(local, sv);
	expect(update.byteLength).toBeLessThan(limit / 2);
	const closed = closeCodeOf(attacker);
	attacker.send(syncFrame(2, update));

	let code: number | null = null;
	void closed.then((c) => (code = c));
	const reader = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	// Whatever the server decides (refuse the update as filling the document, or stamp less), the
	// stored document stays within the limit.
	const first = () => reader.doc.getXmlFragment('default').toArray()[0] as Y.XmlElement | undefined;
	await waitFor(() => code === 4414 || first()?.getAttribute('author') !== undefined, 'refused, or stamped');
	const size = Y.encodeStateAsUpdate(reader.doc).byteLength;
	attacker.close();
	await closed;
	reader.destroy();
	expect(size, `document bytes after one ${update.byteLength}-byte update (limit ${limit})`).toBeLessThanOrEqual(limit);
});

test('at the limit, an editor who changed nothing reconnects without being closed as “document full”', async () => {
	const docId = await createDocument(f.server.url, f.alice, '满额重连');
	const writer = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	// An ordinary edited document: text, and scattered deletions (its delete set: about 3 KB).
	writer.text.insert(0, '项目资本金到位情况说明。'.repeat(400));
	writer.doc.transact(() => {
		for (let i = 0; i < 1000; i++) writer.text.delete(3 + i * 3, 1);
	});
	const editor = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	await waitFor(() => editor.text.toString() === writer.text.toString(), 'the editor has the document');
	const editorCodes = closeCodes(editor);

	// The writer goes on, a paragraph (about 1 KB) at a time, until the document is full (4414).
	const writerCodes = closeCodes(writer);
	for (let i = 0; writerCodes.length === 0 && i < 200; i++) {
		writer.text.insert(writer.text.length, `第${i}条：征地拆迁补偿款已拨付到位。`.repeat(18));
		const expected = writer.text.length;
		await waitFor(() => editor.text.length === expected || writerCodes.length > 0, 'the paragraph is relayed, or refused');
	}
	await waitFor(() => writerCodes.length > 0, 'the writer reaches the limit', 30_000);
	expect(writerCodes[0]).toBe(4414);
	writer.destroy();
	expect(editorCodes).toEqual([]);

	// A network blip: the editor, who typed nothing, reconnects.
	editor.provider.disconnect();
	editor.provider.connect();
	await waitFor(() => editor.provider.synced || editorCodes.length > 1, 'the editor is back, or closed again');
	// A round trip after its answer to the server's sync step 1 (a fresh reader's presence) shows whether it is still in.
	const probe = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	probe.provider.awareness.setLocalStateField('cursor', { probe: true });
	await waitFor(() => editor.provider.awareness.getStates().has(probe.doc.clientID) || editorCodes.length > 1, 'the probe or a close');
	// Read before our own destroy closes the socket.
	const afterReconnect = editorCodes.slice(1);
	probe.destroy();
	editor.destroy();
	expect(afterReconnect, 'close codes after the reconnect').toEqual([]);
});
