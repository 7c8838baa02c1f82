import * as Y from 'yjs';
import { type BlockSnapshot, editorField } from '../../src/lib/shared/blocks.js';

/** A text node's characters without its formatting. */
const plain = (t: Y.XmlText) => (t.toDelta() as { insert: unknown }[]).map((d) => (typeof d.insert === 'string' ? d.insert : '')).join('');

/** The text of an element: its text nodes and those below, in order. */
export function textOf(el: Y.XmlElement | Y.XmlFragment): string {
	return el
		.toArray()
		.map((child) => (child instanceof Y.XmlText ? plain(child) : child instanceof Y.XmlElement ? textOf(child) : ''))
		.join('');
}

/** Every element under `parent`, depth first, in document order. */
export function* elements(parent: Y.XmlElement | Y.XmlFragment): Generator<Y.XmlElement> {
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

/**
 * An attribute as text: a string or a number as written, anything else (an object a raw client
 * wrote into a document stored before the guard refused it) as `fallback`, so that no reader throws.
 */
export function attrText(el: Y.XmlElement, key: string, fallback = ''): string {
	const value: unknown = el.getAttribute(key);
	return typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : fallback;
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
				id: attrText(cause, 'blockId'),
				text: first instanceof Y.XmlElement ? textOf(first) : '',
				key: (cause.getAttribute('key') as unknown) === true,
				category: attrText(group, 'category')
			});
		}
	}
	return out;
}

/** The element of `doc` with block id `blockId`, or null. */
export function findBlock(doc: Y.Doc, blockId: string): Y.XmlElement | null {
	for (const el of elements(doc.getXmlFragment(editorField))) if (el.getAttribute('blockId') === blockId) return el;
	return null;
}

/** What the minutes keep of a block. A cause's text is its own paragraph, not its 5-why chain. */
export function snapshotOf(el: Y.XmlElement): BlockSnapshot {
	const kind = el.nodeName;
	if (kind === 'cause') {
		const first = el.toArray()[0];
		return { kind, text: first instanceof Y.XmlElement ? textOf(first) : '', key: (el.getAttribute('key') as unknown) === true };
	}
	if (kind === 'measure') {
		const f = (k: string) => attrText(el, k);
		return {
			kind,
			text: textOf(el),
			fields: { responsibleUnit: f('responsibleUnit'), supportingUnits: f('supportingUnits'), deadline: f('deadline'), type: f('type'), criteria: f('criteria') }
		};
	}
	return { kind, text: textOf(el) };
}
