import * as Y from 'yjs';
import { syncedClient, waitFor } from './clients.js';

/** Replaces a document's content with paragraphs of the given block ids and texts, and waits until the server holds them. */
export async function writeParagraphs(wsUrl: string, cookie: string, docId: string, paragraphs: ReadonlyArray<readonly [string, string]>): Promise<void> {
	const c = await syncedClient(wsUrl, docId, cookie);
	const frag = c.doc.getXmlFragment('default');
	frag.delete(0, frag.length);
	frag.insert(
		0,
		paragraphs.map(([id, text]) => {
			const p = new Y.XmlElement('paragraph');
			p.setAttribute('blockId', id);
			p.insert(0, [new Y.XmlText(text)]);
			return p;
		})
	);
	const last = paragraphs.at(-1)?.[1] ?? '';
	await waitFor(async () => {
		const check = await syncedClient(wsUrl, docId, cookie);
		const ok = check.doc.getXmlFragment('default').toString().includes(last);
		check.destroy();
		return ok;
	}, 'the paragraphs are stored');
	c.destroy();
}

/** A measure block (整改措施) with `fields` as its attributes and one paragraph of `text`, ready to insert. */
export function measureElement(blockId: string, fields: Record<string, string>, text: string): Y.XmlElement {
	const measure = new Y.XmlElement('measure');
	measure.setAttribute('blockId', blockId);
	for (const [k, v] of Object.entries(fields)) measure.setAttribute(k, v);
	const p = new Y.XmlElement('paragraph');
	p.setAttribute('blockId', `${blockId}p`);
	p.insert(0, [new Y.XmlText(text)]);
	measure.insert(0, [p]);
	return measure;
}
