import * as Y from 'yjs';
import { fromBase64 } from '../../src/lib/shared/base64.js';
import { findBlock } from './block-reader.js';

/** Where a suggestion applies in a document now: one text, and the character range in it (an insertion: from = to). */
export interface PlacedRange {
	text: Y.XmlText;
	from: number;
	to: number;
}

/** The plain characters of `text` between `from` and `to` (an embed counts as one character, shown as U+FFFC). */
export function plainSlice(text: Y.XmlText, from: number, to: number): string {
	let out = '';
	let at = 0;
	for (const op of text.toDelta() as Array<{ insert: unknown }>) {
		const piece = typeof op.insert === 'string' ? op.insert : '\ufffc';
		const start = Math.max(from - at, 0);
		const end = Math.min(to - at, piece.length);
		if (end > start) out += piece.slice(start, end);
		at += piece.length;
		if (at >= to) break;
	}
	return out;
}

function absolute(doc: Y.Doc, base64: string): Y.AbsolutePosition | null {
	try {
		return Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(fromBase64(base64)), doc);
	} catch {
		return null;
	}
}

/**
 * The range of a suggestion in `doc` as it stands: `start` at its first character, `end` (if any) at
 * its last, both in one text; null when either is gone or they no longer share a text.
 */
export function placeRange(doc: Y.Doc, start: string, end: string | null): PlacedRange | null {
	const a = absolute(doc, start);
	if (a === null || !(a.type instanceof Y.XmlText)) return null;
	if (end === null) return { text: a.type, from: a.index, to: a.index };
	const b = absolute(doc, end);
	if (b === null || b.type !== a.type || b.index < a.index) return null;
	return { text: a.type, from: a.index, to: b.index + 1 };
}

/** Where a suggestion applies: a text range (or insertion point) by relative positions, or a measure's field. */
export interface SuggestionTarget {
	blockId: string | null;
	start: string | null;
	end: string | null;
	field: string | null;
}

/** The measure a field suggestion names, if the document has it. */
function measureOf(doc: Y.Doc, target: SuggestionTarget): Y.XmlElement | null {
	const el = target.blockId === null ? null : findBlock(doc, target.blockId);
	return el !== null && el.nodeName === 'measure' ? el : null;
}

/** Whether the target holds `quote` now (the text of the range, nothing at an insertion point, the field's value). */
export function holdsQuote(doc: Y.Doc, target: SuggestionTarget, quote: string): boolean {
	if (target.field !== null) {
		const el = measureOf(doc, target);
		return el !== null && String(el.getAttribute(target.field) ?? '') === quote;
	}
	const range = target.start === null ? null : placeRange(doc, target.start, target.end);
	return range !== null && plainSlice(range.text, range.from, range.to) === quote;
}

/** Puts `text` in place of what the target holds, if it still holds `quote`; true when it did. */
export function applySuggestion(doc: Y.Doc, target: SuggestionTarget, quote: string, text: string): boolean {
	if (!holdsQuote(doc, target, quote)) return false;
	if (target.field !== null) {
		measureOf(doc, target)!.setAttribute(target.field, text);
		return true;
	}
	const range = placeRange(doc, target.start!, target.end)!;
	doc.transact(() => {
		if (range.to > range.from) range.text.delete(range.from, range.to - range.from);
		if (text !== '') range.text.insert(range.from, text);
	});
	return true;
}
