import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { compareStates } from '$lib/collab/attribution';

/** Two writers on one paragraph, each with their own client id, kept in step. */
function writers() {
	const a = new Y.Doc({ gc: true });
	const b = new Y.Doc({ gc: true });
	a.clientID = 101;
	b.clientID = 202;
	a.on('update', (u: Uint8Array) => Y.applyUpdate(b, u));
	b.on('update', (u: Uint8Array) => Y.applyUpdate(a, u));
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText('征拆滞后是主要原因')]);
	a.getXmlFragment('default').insert(0, [p]);
	const text = (d: Y.Doc) => (d.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
	return { a, b, text };
}

test('who wrote what: each run of the document carries its writer’s client id, nothing marked as changed', () => {
	const { a, b, text } = writers();
	text(b).insert(text(b).length, '，资金未到位');
	const [block] = compareStates(Y.encodeStateAsUpdate(a), null);
	expect(block.change).toBeNull();
	expect(block.runs).toEqual([
		{ text: '征拆滞后是主要原因', change: null, client: 101 },
		{ text: '，资金未到位', change: null, client: 202 }
	]);
});

test('a comparison marks the deleted characters with their writer and the inserted ones with theirs, even after the deleted text was collected', () => {
	const { a, b, text } = writers();
	const base = Y.encodeStateAsUpdate(a);
	text(b).delete(5, 2);
	text(b).insert(5, '首要');
	const p2 = new Y.XmlElement('paragraph');
	p2.insert(0, [new Y.XmlText('新增一段')]);
	b.getXmlFragment('default').insert(1, [p2]);
	// The live document collects deleted content; the comparison still shows what was deleted.
	const [first, second] = compareStates(Y.encodeStateAsUpdate(a), base);
	expect(first.runs).toEqual([
		{ text: '征拆滞后是', change: null, client: null },
		{ text: '主要', change: 'removed', client: 101 },
		{ text: '首要', change: 'added', client: 202 },
		{ text: '原因', change: null, client: null }
	]);
	expect(second).toMatchObject({ change: 'added', runs: [{ text: '新增一段', change: 'added', client: 202 }] });
	// The other way round (the newer as the base), the same characters swap roles.
	const now = Y.encodeStateAsUpdate(a);
	expect(compareStates(base, now)[0].runs.filter((r) => r.change !== null)).toEqual([
		{ text: '主要', change: 'added', client: 101 },
		{ text: '首要', change: 'removed', client: 202 }
	]);
});
