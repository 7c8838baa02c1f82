import * as Y from 'yjs';
import { editorField } from '../../src/lib/shared/blocks.js';

/** A text node's characters without its formatting. */
const plain = (t: Y.XmlText) => (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');

/** The text of an element: its text nodes and those below, in order. */
export function textOf(el: Y.XmlElement | Y.XmlFragment): string {
	return el
		.toArray()
		.map((child) => (child instanceof Y.XmlText ? plain(child) : child instanceof Y.XmlElement ? textOf(child) : ''))
		.join('');
}

function* elements(parent: Y.XmlElement | Y.XmlFragment): Generator<Y.XmlElement> {
	for (const child of parent.toArray()) {
		if (child instanceof Y.XmlElement) {
			yield child;
			yield* elements(child);
		}
	}
}

export interface CauseBlock {
	id: string;
	text: string;
	key: boolean;
	category: string;
}

/** The causes of an analysis: id, the text of their first paragraph, the key mark and their category. */
export function readCauses(doc: Y.Doc): CauseBlock[] {
	const out: CauseBlock[] = [];
	for (const group of elements(doc.getXmlFragment(editorField))) {
		if (group.nodeName !== 'causeGroup') continue;
		for (const cause of group.toArray()) {
			if (!(cause instanceof Y.XmlElement) || cause.nodeName !== 'cause') continue;
			const first = cause.toArray()[0];
			out.push({
				id: String(cause.getAttribute('blockId') ?? ''),
				text: first instanceof Y.XmlElement ? textOf(first) : '',
				key: (cause.getAttribute('key') as unknown) === true,
				category: String(group.getAttribute('category') ?? '')
			});
		}
	}
	return out;
}
