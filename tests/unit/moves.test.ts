import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { analyseMoves, applyRescues } from '../../src/lib/collab/moves.js';

/**
 * A split or join written as the editor's binding writes it (delete the moved characters, insert a
 * copy), arriving at a client that typed into the moved characters meanwhile: the client puts its
 * text back beside the copy of the character it followed.
 */
function paragraph(text: string): Y.XmlElement {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	return p;
}
const textOf = (p: Y.XmlElement) => (p.get(0) as Y.XmlText).toString();
const lines = (d: Y.Doc) => d.getXmlFragment('default').toArray().map((p) => textOf(p as Y.XmlElement));

/** Two clients with `initial` paragraphs in common. */
function twoClients(initial: string[]): [Y.Doc, Y.Doc] {
	const a = new Y.Doc();
	a.getXmlFragment('default').insert(0, initial.map(paragraph));
	const b = new Y.Doc();
	Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
	return [a, b];
}

/** Applies `update` to `doc` as from the server, rescuing `doc`'s own concurrent text. */
function receive(doc: Y.Doc, update: Uint8Array): void {
	const server = Symbol('server');
	const onAfter = (tr: Y.Transaction) => {
		if (tr.origin !== server) return;
		const analysis = analyseMoves(tr, update, doc.clientID);
		if (analysis !== null && analysis.rescues.length > 0) applyRescues(doc, analysis.rescues, 'rescue');
	};
	doc.on('afterTransaction', onAfter);
	Y.applyUpdate(doc, update, server);
	doc.off('afterTransaction', onAfter);
}

/** What `doc` does in `change`, as an update. */
function change(doc: Y.Doc, f: () => void): Uint8Array {
	const sv = Y.encodeStateVector(doc);
	doc.transact(f);
	return Y.encodeStateAsUpdate(doc, sv);
}

/** A join as the binding writes it: the second line's text appended to the first, the second deleted. */
function join(doc: Y.Doc): Uint8Array {
	return change(doc, () => {
		const frag = doc.getXmlFragment('default');
		const second = frag.get(1) as Y.XmlElement;
		const moved = textOf(second);
		const first = (frag.get(0) as Y.XmlElement).get(0) as Y.XmlText;
		first.insert(first.length, moved);
		frag.delete(1, 1);
	});
}

/** A split as the binding writes it: the text after `at` deleted and inserted as a new next line. */
function split(doc: Y.Doc, at: number): Uint8Array {
	return change(doc, () => {
		const frag = doc.getXmlFragment('default');
		const text = (frag.get(0) as Y.XmlElement).get(0) as Y.XmlText;
		const moved = text.toString().slice(at);
		text.delete(at, moved.length);
		frag.insert(1, [paragraph(moved)]);
	});
}

test.each([
	[0, '征地拆迁滞后，乙方资金缺口较大'],
	[2, '征地拆迁滞后，资金乙方缺口较大'],
	[6, '征地拆迁滞后，资金缺口较大乙方']
])('a join of the line someone types in at %i keeps their text where they typed it', (at, expected) => {
	const [a, b] = twoClients(['征地拆迁滞后，', '资金缺口较大']);
	const typed = change(b, () => ((b.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(at, '乙方'));
	const joined = join(a);
	receive(b, joined);
	// The rescue travels to the joiner like any edit; whatever order the server saw, both agree.
	const rescue = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(a, typed);
	Y.applyUpdate(a, rescue);
	expect(lines(b)).toEqual([expected]);
	expect(lines(a)).toEqual([expected]);
});

test.each([
	[4, 6, ['县级配套', '资金乙方到位']],
	[1, 8, ['县', '级配套资金到位乙方']],
	[2, 4, ['县级', '配套乙方资金到位']],
	// Before the split point: it stays.
	[5, 1, ['县乙方级配套资', '金到位']]
])('a split at %i while someone types at %i moves their text along when it was in the moved part', (at, typedAt, expected) => {
	const [a, b] = twoClients(['县级配套资金到位']);
	change(b, () => ((b.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(typedAt, '乙方'));
	receive(b, split(a, at));
	expect(lines(b)).toEqual(expected);
});

/**
 * A deletion from the middle of the first line into the middle of the second, as the binding writes
 * it: the first line's tail deleted and the second line's rest inserted there, the second line deleted.
 */
function deleteAcross(doc: Y.Doc, from: number, to: number): Uint8Array {
	return change(doc, () => {
		const frag = doc.getXmlFragment('default');
		const first = (frag.get(0) as Y.XmlElement).get(0) as Y.XmlText;
		const rest = textOf(frag.get(1) as Y.XmlElement).slice(to);
		first.delete(from, first.length - from);
		first.insert(from, rest);
		frag.delete(1, 1);
	});
}

test.each([
	// In the part of the second line that was kept: beside its copy.
	[6, '征地拆迁配套资金乙方到位。'],
	[9, '征地拆迁配套资金到位。乙方'],
	// In the part that was deleted: where the deletion was.
	[1, '征地拆迁乙方配套资金到位。']
])('a deletion across the line break while someone types at %i of the second line keeps their text', (typedAt, expected) => {
	const [a, b] = twoClients(['征地拆迁滞后，', '县级配套资金到位。']);
	const typed = change(b, () => ((b.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(typedAt, '乙方'));
	receive(b, deleteAcross(a, 4, 2));
	const rescue = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a));
	Y.applyUpdate(a, typed);
	Y.applyUpdate(a, rescue);
	expect(lines(b)).toEqual([expected]);
	expect(lines(a)).toEqual([expected]);
});

test('a deletion across the line break is followed where the caret is, even with nothing of ours to put back', () => {
	const [a, b] = twoClients(['征地拆迁滞后，', '县级配套资金到位。']);
	const second = (b.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText;
	const update = deleteAcross(a, 4, 2);
	const seen: Array<ReturnType<typeof analyseMoves>> = [];
	const onAfter = (tr: Y.Transaction) => {
		seen.push(analyseMoves(tr, update, b.clientID));
		seen.push(analyseMoves(tr, update, b.clientID, (text) => text === second));
	};
	b.on('afterTransaction', onAfter);
	Y.applyUpdate(b, update);
	b.off('afterTransaction', onAfter);
	// Elsewhere only whole moves are looked for; in the caret's line, the kept part maps to its copy.
	expect(seen[0]).toBeNull();
	expect(seen[1]?.moved.size).toBe('配套资金到位。'.length);
});

test('text the mover already had is not touched (it moved with the copy)', () => {
	const [a, b] = twoClients(['征地拆迁滞后，', '资金缺口较大']);
	const typed = change(b, () => ((b.getXmlFragment('default').get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(2, '乙方'));
	Y.applyUpdate(a, typed);
	receive(b, join(a));
	expect(lines(b)).toEqual(['征地拆迁滞后，资金乙方缺口较大']);
});

test('an ordinary remote edit is no move', () => {
	const [a, b] = twoClients(['县级配套资金']);
	const update = change(a, () => ((a.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).delete(0, 2));
	const seen: unknown[] = [];
	b.on('afterTransaction', (tr: Y.Transaction) => seen.push(analyseMoves(tr, update, b.clientID)));
	Y.applyUpdate(b, update);
	expect(seen).toEqual([null]);
});
