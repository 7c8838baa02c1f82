import * as Y from 'yjs';
import { editorField, minutesItemNode } from '../../src/lib/shared/blocks.js';
import { attrText, elements, findBlock } from './block-reader.js';

type Node = Y.XmlElement | Y.XmlText;

const isItem = (n: unknown): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === minutesItemNode;
const idOf = (n: Node) => (n instanceof Y.XmlElement ? attrText(n, 'blockId') : '');
const levelOf = (n: Node) => (n instanceof Y.XmlElement && n.nodeName === 'heading' ? Number(attrText(n, 'level', '1')) || 1 : 0);

/** Why a block cannot be restored. */
export class RestoreError extends Error {
	constructor(
		readonly code: 'block_missing' | 'server_block',
		message: string
	) {
		super(message);
	}
}

/** A top-level heading's section: the heading and what follows it up to the next heading as high or higher. */
function sectionOf(children: Node[], at: number): number {
	const level = levelOf(children[at]);
	let end = at + 1;
	while (end < children.length && !(levelOf(children[end]) > 0 && levelOf(children[end]) <= level)) end++;
	return end - at;
}

/**
 * The version's nodes to put in place of the current ones, as copies. The minutes' approved items are
 * the server's (changed only by an update from their source or a withdrawal): they stay as they are now
 * — one withdrawn since is not brought back, one approved since stays after the block it follows now.
 */
function merged(version: Node[], current: Node[]): Node[] {
	const items = new Map(current.filter(isItem).map((n) => [idOf(n), n]));
	const out: { node: Node; id: string }[] = [];
	for (const n of version) {
		if (!isItem(n)) out.push({ node: n.clone(), id: idOf(n) });
		else if (items.has(idOf(n))) out.push({ node: items.get(idOf(n))!.clone(), id: idOf(n) });
	}
	current.forEach((n, i) => {
		if (!isItem(n) || out.some((o) => o.id === idOf(n))) return;
		let after = -1;
		for (let j = i - 1; j >= 0 && after < 0; j--) after = idOf(current[j]) === '' ? -1 : out.findIndex((o) => o.id === idOf(current[j]));
		out.splice(after < 0 ? out.length : after + 1, 0, { node: n.clone(), id: idOf(n) });
	});
	return out.map((o) => o.node);
}

/** Links to the minutes (`promoted`) are the server's: after a restore each block keeps the one it has now. */
function keepPromoted(doc: Y.Doc, apply: () => void): void {
	const now = new Map<string, string>();
	for (const el of elements(doc.getXmlFragment(editorField))) {
		const p = attrText(el, 'promoted');
		if (p !== '') now.set(attrText(el, 'blockId'), p);
	}
	apply();
	for (const el of elements(doc.getXmlFragment(editorField))) {
		const want = now.get(attrText(el, 'blockId'));
		if (want === undefined && el.getAttribute('promoted') !== undefined) el.removeAttribute('promoted');
		else if (want !== undefined && attrText(el, 'promoted') !== want) el.setAttribute('promoted', want);
	}
}

/** Puts the whole of `version` in place of `doc`'s content, as one change on top of it. */
export function restoreWhole(doc: Y.Doc, version: Y.Doc): void {
	const cur = doc.getXmlFragment(editorField);
	const next = merged(version.getXmlFragment(editorField).toArray() as Node[], cur.toArray() as Node[]);
	keepPromoted(doc, () => {
		cur.delete(0, cur.length);
		cur.insert(0, next);
	});
}

/** The block of `version` that may be restored; a RestoreError when there is none. */
export function restorableBlock(version: Y.Doc, blockId: string): Y.XmlElement {
	const src = findBlock(version, blockId);
	if (src === null) throw new RestoreError('block_missing', 'The version has no such block.');
	if (isItem(src)) throw new RestoreError('server_block', 'An approved item of the minutes changes only by an update from its source or a withdrawal.');
	return src;
}

/**
 * Puts one block of `version` back (a heading: its whole section), leaving everything else as it is
 * now. A block deleted since goes back after the block it followed, where that still exists.
 */
export function restoreBlock(doc: Y.Doc, version: Y.Doc, blockId: string): void {
	const src = restorableBlock(version, blockId);
	const srcParent = src.parent as Y.XmlElement | Y.XmlFragment;
	const srcSiblings = srcParent.toArray() as Node[];
	const srcAt = srcSiblings.indexOf(src);
	const topLevel = srcParent instanceof Y.XmlFragment;
	const section = topLevel && levelOf(src) > 0;
	const srcNodes = section ? srcSiblings.slice(srcAt, srcAt + sectionOf(srcSiblings, srcAt)) : [src];
	keepPromoted(doc, () => {
		const target = findBlock(doc, blockId);
		if (target !== null) {
			const parent = target.parent as Y.XmlElement | Y.XmlFragment;
			const siblings = parent.toArray() as Node[];
			const at = siblings.indexOf(target);
			const count = section && parent instanceof Y.XmlFragment && levelOf(target) > 0 ? sectionOf(siblings, at) : 1;
			const next = merged(srcNodes, siblings.slice(at, at + count));
			parent.delete(at, count);
			parent.insert(at, next);
			return;
		}
		// Gone since: back after the nearest block before it that is still there, else where its parent is.
		for (let j = srcAt - 1; j >= 0; j--) {
			const before = idOf(srcSiblings[j]) === '' ? null : findBlock(doc, idOf(srcSiblings[j]));
			if (before === null) continue;
			const parent = before.parent as Y.XmlElement | Y.XmlFragment;
			parent.insert(parent.toArray().indexOf(before) + 1, srcNodes.map((n) => n.clone()));
			return;
		}
		const parent = topLevel ? doc.getXmlFragment(editorField) : findBlock(doc, attrText(srcParent as Y.XmlElement, 'blockId'));
		if (parent === null) throw new RestoreError('block_missing', 'The block and what held it are gone; restore the whole version instead.');
		parent.insert(0, srcNodes.map((n) => n.clone()));
	});
}
