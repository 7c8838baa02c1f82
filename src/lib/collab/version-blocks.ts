import * as Y from 'yjs';
import { fromBase64 } from '$lib/shared/base64';
import { editorField } from '$lib/shared/blocks';

/** A top-level block of a version, compared with the document as it is now (by block id). */
export interface VersionBlock {
	id: string;
	kind: string;
	/** A heading's level; 0 for other blocks. */
	level: number;
	text: string;
	/** same: as now; changed: its text differs now; gone: deleted since. */
	change: 'same' | 'changed' | 'gone';
}

/** The text of a node and everything under it, its blocks separated by spaces. */
function textOf(node: Y.XmlElement | Y.XmlText): string {
	if (node instanceof Y.XmlText) return (node.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');
	return node
		.toArray()
		.map((c) => (c instanceof Y.XmlElement || c instanceof Y.XmlText ? textOf(c) : ''))
		.filter((t) => t !== '')
		.join(' ');
}

const topBlocks = (doc: Y.Doc) => doc.getXmlFragment(editorField).toArray().filter((c): c is Y.XmlElement => c instanceof Y.XmlElement);
const idOf = (el: Y.XmlElement) => {
	const id: unknown = el.getAttribute('blockId');
	return typeof id === 'string' ? id : '';
};

/** A version's state (base64, as the API gives it) as a document. */
export function versionDoc(base64: string): Y.Doc {
	const doc = new Y.Doc();
	Y.applyUpdate(doc, fromBase64(base64));
	return doc;
}

/** The version's top-level blocks, each marked against `now`, and how many blocks were added since. */
export function versionBlocks(version: Y.Doc, now: Y.Doc): { blocks: VersionBlock[]; addedSince: number } {
	const current = new Map(topBlocks(now).map((el) => [idOf(el), textOf(el)]));
	const blocks = topBlocks(version).map((el): VersionBlock => {
		const id = idOf(el);
		const text = textOf(el);
		const level = el.nodeName === 'heading' ? Number(el.getAttribute('level')) || 1 : 0;
		const change = !current.has(id) ? 'gone' : current.get(id) === text ? 'same' : 'changed';
		return { id, kind: el.nodeName, level, text, change };
	});
	const inVersion = new Set(blocks.map((b) => b.id));
	return { blocks, addedSince: [...current.keys()].filter((id) => !inVersion.has(id)).length };
}
