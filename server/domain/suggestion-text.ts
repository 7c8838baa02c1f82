import * as Y from 'yjs';
import { fromBase64 } from '../../src/lib/shared/base64.js';

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
