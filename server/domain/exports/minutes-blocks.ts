import * as Y from 'yjs';
import { officialDate } from '../../../src/lib/shared/beijing-time.js';
import { type BlockSnapshot, editorField, minutesItemNode } from '../../../src/lib/shared/blocks.js';
import { attrText, textOf } from '../block-reader.js';
import { chineseNumber } from '../promotion.js';

/** What the minutes print, block by block, read from the minutes document. */
export type MinutesBlock =
	| { kind: 'title' | 'level1' | 'level2' | 'level3' | 'body'; text: string }
	/** An approved item: its text and, for a measure, its resolution number, owner and deadline inline (domain.md §1.5). */
	| { kind: 'item'; text: string; note: string }
	/** A paragraph of a list item: `marker` ("（1）", "•") on its first paragraph only, `depth` 0 for a top-level list. */
	| { kind: 'listItem'; text: string; marker: string; depth: number }
	/** A table, row by row; a header row (its cells are 表头) repeats on each page. */
	| { kind: 'table'; rows: { header: boolean; cells: string[] }[] };

/** "2025年9月30日前" for a measure's deadline note. */
const deadlineNote = (d: string) => (d ? `${officialDate(d)}前` : '');

/** The inline note of an item: a measure's resolution number (to match the list), owners, deadline and criteria. */
function itemNote(snap: BlockSnapshot, number: string): string {
	if (snap.kind !== 'measure' || typeof snap.fields !== 'object' || snap.fields === null) return '';
	// The snapshot is the server's, but a damaged one must not throw: only text is printed.
	const f = Object.fromEntries(Object.entries(snap.fields).map(([k, v]) => [k, typeof v === 'string' ? v : ''])) as Record<keyof NonNullable<BlockSnapshot['fields']>, string>;
	const parts = [
		number && `决议编号：${number}`,
		f.responsibleUnit && `牵头单位：${f.responsibleUnit}`,
		f.supportingUnits && `配合单位：${f.supportingUnits}`,
		f.deadline && `完成时限：${deadlineNote(f.deadline)}`,
		f.criteria && `考核标准：${f.criteria}`
	].filter(Boolean);
	return parts.length ? `（${parts.join('；')}）` : '';
}

const circled = '①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳';
/** A list item's marker: （1） for a numbered list (① one level down, as 公文 number their fourth level and below), • otherwise. */
function listMarker(ordered: boolean, n: number, depth: number): string {
	if (!ordered) return '•';
	if (depth === 0) return `（${n}）`;
	return n <= circled.length ? [...circled][n - 1] : `${n})`;
}

/** An attribute a client wrote, read as a whole number (a number or a numeric string), else `fallback`. */
function wholeNumber(value: unknown, fallback: number): number {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	return Number.isSafeInteger(n) ? n : fallback;
}

const elementsOf = (parent: Y.XmlFragment | Y.XmlElement) => parent.toArray().filter((el): el is Y.XmlElement => el instanceof Y.XmlElement);

function tableRows(table: Y.XmlElement): { header: boolean; cells: string[] }[] {
	return elementsOf(table)
		.filter((row) => row.nodeName === 'tableRow')
		.map((row) => {
			const cells = elementsOf(row).filter((c) => c.nodeName === 'tableCell' || c.nodeName === 'tableHeader');
			return {
				header: cells.length > 0 && cells.every((c) => c.nodeName === 'tableHeader'),
				cells: cells.map((c) => elementsOf(c).map((p) => textOf(p).trim()).filter(Boolean).join('\n'))
			};
		})
		.filter((row) => row.cells.length > 0);
}

/** The blocks of the minutes document, in order: headings by level, paragraphs, lists, tables and the approved items. */
export function minutesBlocks(doc: Y.Doc): MinutesBlock[] {
	const out: MinutesBlock[] = [];
	const list = (el: Y.XmlElement, depth: number) => {
		const ordered = el.nodeName === 'orderedList';
		let n = wholeNumber(el.getAttribute('start'), 1);
		if (n < 1) n = 1;
		for (const item of elementsOf(el)) {
			if (item.nodeName !== 'listItem') continue;
			let marker = listMarker(ordered, n++, depth);
			for (const child of elementsOf(item)) {
				if (child.nodeName === 'bulletList' || child.nodeName === 'orderedList') list(child, depth + 1);
				else {
					const text = textOf(child).trim();
					if (!text) continue;
					out.push({ kind: 'listItem', text, marker, depth });
					marker = '';
				}
			}
		}
	};
	const walk = (parent: Y.XmlFragment | Y.XmlElement) => {
		for (const el of elementsOf(parent)) {
			const name = el.nodeName;
			if (name === 'heading') {
				const level = wholeNumber(el.getAttribute('level'), 2);
				const text = textOf(el).trim();
				if (text) out.push({ kind: level <= 1 ? 'title' : level === 2 ? 'level1' : level === 3 ? 'level2' : 'level3', text });
			} else if (name === minutesItemNode) {
				let snap: BlockSnapshot = { kind: '', text: '' };
				try {
					snap = JSON.parse(attrText(el, 'snapshot', '{}')) as BlockSnapshot;
				} catch {
					// A damaged snapshot still prints what it can: nothing.
				}
				const number = attrText(el, 'number');
				if (typeof snap.text === 'string' && snap.text.trim()) out.push({ kind: 'item', text: snap.text.trim(), note: itemNote(snap, number) });
			} else if (name === 'bulletList' || name === 'orderedList') {
				list(el, 0);
			} else if (name === 'table') {
				const rows = tableRows(el);
				if (rows.length > 0) out.push({ kind: 'table', rows });
			} else if (name === 'blockquote' || name === 'listItem' || name === 'tableRow') {
				walk(el);
			} else {
				const text = textOf(el).trim();
				if (text) out.push({ kind: 'body', text });
			}
		}
	};
	walk(doc.getXmlFragment(editorField));
	return printable(out);
}

const rank = { title: 0, level1: 1, level2: 2, level3: 3 } as const;
const isHeading = (b: MinutesBlock): b is MinutesBlock & { kind: keyof typeof rank } => b.kind in rank;

/** 一、 at level 1 and （一） at level 2: the numbers a writer types, renumbered once empty sections are gone. */
const numbering = {
	level1: { pattern: /^[〇零一二三四五六七八九十百千]+、/u, make: (n: number) => `${chineseNumber(n)}、` },
	level2: { pattern: /^（[〇零一二三四五六七八九十百千]+）/u, make: (n: number) => `（${chineseNumber(n)}）` }
} as const;

/**
 * What is printed: a heading only with something under it (an empty section, such as a breakout that
 * promoted nothing, is left out rather than printed bare), and the 一、/（一） numbers of the
 * headings that remain counted again so that none is skipped.
 */
export function printable(blocks: readonly MinutesBlock[]): MinutesBlock[] {
	// One pass from the end: `filled[r]` says whether content follows before the next heading of rank r or higher.
	const filled = [true, false, false, false];
	const keep = new Array<boolean>(blocks.length);
	for (let i = blocks.length - 1; i >= 0; i--) {
		const b = blocks[i];
		if (!isHeading(b)) {
			filled.fill(true);
			keep[i] = true;
			continue;
		}
		const r = rank[b.kind];
		keep[i] = r === 0 || filled[r];
		for (let q = Math.max(r, 1); q < filled.length; q++) filled[q] = false;
	}
	const kept = blocks.filter((_, i) => keep[i]);
	const count = { level1: 0, level2: 0 };
	return kept.map((b) => {
		if (b.kind === 'title' || b.kind === 'level1') count.level2 = 0;
		if (b.kind !== 'level1' && b.kind !== 'level2') return b;
		const { pattern, make } = numbering[b.kind];
		if (!pattern.test(b.text)) return b;
		return { ...b, text: b.text.replace(pattern, make(++count[b.kind])) };
	});
}
