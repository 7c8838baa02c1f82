import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { openDocument } from '../helpers/browser.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { pageParagraphs, placeCaret } from '../helpers/co-editing.js';
import { documentWith, useArrangements } from '../helpers/arrangements.js';

/**
 * Review of issue 12 (outside attack): one participant with a plain Yjs client writes a few bytes of
 * content the editor never writes — a bare value or a text at the top of the document, a value inside
 * a paragraph. Every browser that opens the document afterwards must still show it, and the next
 * person's keystroke must not wipe it ("one participant must not poison a room").
 */
const a = useArrangements();

/** The text of each top-level element of the stored document (anything else left out). */
async function storedElements(docId: string): Promise<string[]> {
	const reader = await syncedClient(a.f.server.wsUrl, docId, a.f.alice.cookie);
	const text = (n: unknown): string =>
		n instanceof Y.XmlText
			? n.toDelta().map((d: { insert: unknown }) => (typeof d.insert === 'string' ? d.insert : '')).join('')
			: n instanceof Y.XmlElement
				? n.toArray().map(text).join('')
				: '';
	const out = reader.doc
		.getXmlFragment('default')
		.toArray()
		.filter((n) => n instanceof Y.XmlElement)
		.map(text);
	reader.destroy();
	return out;
}

const poisons: Array<{ name: string; write: (fragment: Y.XmlFragment) => void }> = [
	{ name: 'a bare number at the top of the document', write: (fragment) => (fragment as unknown as Y.Array<unknown>).insert(1, [42]) },
	{ name: 'a text node at the top of the document', write: (fragment) => fragment.insert(1, [new Y.XmlText('顶层文本')]) },
	{ name: 'a bare number inside a paragraph', write: (fragment) => (fragment.get(0) as unknown as Y.Array<unknown>).insert(0, [7]) }
];

for (const poison of poisons) {
	test(`after ${poison.name}, the document still opens with its text and the next keystroke keeps it`, async () => {
		const docId = await documentWith(a, ['第一段内容', '第二段内容'], []);
		const hostile = await syncedClient(a.f.server.wsUrl, docId, a.f.bob.cookie);
		poison.write(hostile.doc.getXmlFragment('default'));
		const written = Y.encodeStateVector(hostile.doc);
		await waitFor(async () => {
			const r = await syncedClient(a.f.server.wsUrl, docId, a.f.alice.cookie);
			const same = Buffer.from(Y.encodeStateVector(r.doc)).equals(Buffer.from(written));
			r.destroy();
			return same;
		}, 'the hostile write is stored (or the server refused it)', 5000).catch(() => undefined);
		hostile.destroy();

		// Alice opens the document and types at the start of its first line.
		await openDocument(a.alice, a.f.server.url, docId);
		await placeCaret(a.alice, 0, 0);
		await a.alice.keyboard.type('甲');
		await a.alice.waitForSelector('.status[data-status="saved"]');
		const shown = await pageParagraphs(a.alice);
		expect(await storedElements(docId), 'the stored document').toEqual(['甲第一段内容', '第二段内容']);
		expect(shown, 'Alice’s editor').toEqual(['甲第一段内容', '第二段内容']);
	});
}
