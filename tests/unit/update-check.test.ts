import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { editorShape } from '../../server/collab/editor-shape.js';
import { hasArrived, inspectUpdate } from '../../server/collab/update-check.js';
import { deleteSetUpdate } from '../helpers/frames.js';

const limits = { maxStructs: 20_000, maxElements: 20_000, maxFormats: 20_000, maxDeleteCuts: 1000, maxDepth: 64, maxRoots: 8 };

/** A document with `n` paragraphs of text, as the server holds one. */
function documentWith(n: number): Y.Doc {
	const doc = new Y.Doc();
	const frag = doc.getXmlFragment('default');
	for (let i = 0; i < n; i++) {
		const p = new Y.XmlElement('paragraph');
		p.insert(0, [new Y.XmlText(`第${i}段`)]);
		frag.insert(frag.length, [p]);
	}
	return doc;
}

/** An update made by another client that knows `base`, with `change` applied. */
function updateFrom(base: Y.Doc, change: (doc: Y.Doc) => void): Uint8Array {
	const other = new Y.Doc();
	Y.applyUpdate(other, Y.encodeStateAsUpdate(base));
	const sv = Y.encodeStateVector(other);
	other.transact(() => change(other));
	return Y.encodeStateAsUpdate(other, sv);
}


describe('inspectUpdate', () => {
	test('ordinary edits apply and name the client ids they write under', () => {
		const doc = documentWith(3);
		const update = updateFrom(doc, (d) => (d.getXmlFragment('default').get(0) as Y.XmlElement).insert(1, [new Y.XmlText('补充')]));
		const v = inspectUpdate(doc, update, limits);
		expect(v.kind).toBe('apply');
		expect(v.kind === 'apply' && v.clients.length).toBe(1);
		// Applying it really is fine.
		Y.applyUpdate(doc, update);
		expect(doc.store.pendingStructs).toBeNull();
	});

	test('a delete set repeating huge ranges is refused before Yjs walks it', () => {
		const doc = documentWith(2000);
		const client = doc.clientID;
		const state = Y.getState(doc.store, client);
		const ranges = Array.from({ length: 100_000 }, () => [0, state] as [number, number]);
		const v = inspectUpdate(doc, deleteSetUpdate(client, ranges), limits);
		expect(v).toEqual({ kind: 'refuse', code: 4400, reason: 'overlapping delete ranges' });
	});

	test('a sorted delete set of the whole document applies (what a reconnecting client sends)', () => {
		const doc = documentWith(50);
		const update = updateFrom(doc, (d) => d.getXmlFragment('default').delete(0, 50));
		expect(inspectUpdate(doc, update, limits).kind).toBe('apply');
	});

	test('types nested deeper than the limit are refused, also when the chain is 10,000 long', () => {
		const doc = documentWith(1);
		const nested = (depth: number) =>
			updateFrom(doc, (d) => {
				let parent: Y.XmlElement | Y.XmlFragment = d.getXmlFragment('default');
				for (let i = 0; i < depth; i++) {
					const el = new Y.XmlElement('blockquote');
					parent.insert(0, [el]);
					parent = el;
				}
			});
		expect(inspectUpdate(doc, nested(64), limits).kind).toBe('apply');
		expect(inspectUpdate(doc, nested(65), limits)).toEqual({ kind: 'refuse', code: 4400, reason: 'types nested 65 deep' });
		expect(inspectUpdate(doc, nested(10_000), limits)).toEqual({ kind: 'refuse', code: 4400, reason: 'types nested 10000 deep' });
	});

	test('nesting counts the depth the document already has', () => {
		const doc = documentWith(0);
		let parent: Y.XmlElement | Y.XmlFragment = doc.getXmlFragment('default');
		for (let i = 0; i < 60; i++) {
			const el = new Y.XmlElement('blockquote');
			parent.insert(0, [el]);
			parent = el;
		}
		const deeper = (n: number) =>
			updateFrom(doc, (d) => {
				let el = d.getXmlFragment('default').get(0) as Y.XmlElement;
				while (el.length > 0) el = el.get(0) as Y.XmlElement;
				for (let i = 0; i < n; i++) {
					const child = new Y.XmlElement('blockquote');
					el.insert(0, [child]);
					el = child;
				}
			});
		expect(inspectUpdate(doc, deeper(4), limits).kind).toBe('apply');
		expect(inspectUpdate(doc, deeper(5), limits).kind).toBe('refuse');
	});

	test('an update that builds on content the document lacks waits, and applies once it is there', () => {
		const doc = documentWith(1);
		const other = new Y.Doc();
		Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
		let sv = Y.encodeStateVector(other);
		other.getXmlFragment('default').insert(1, [new Y.XmlElement('paragraph')]);
		const first = Y.encodeStateAsUpdate(other, sv);
		sv = Y.encodeStateVector(other);
		(other.getXmlFragment('default').get(1) as Y.XmlElement).insert(0, [new Y.XmlText('后续')]);
		const second = Y.encodeStateAsUpdate(other, sv);
		const waiting = inspectUpdate(doc, second, limits);
		expect(waiting.kind).toBe('wait');
		// It says what it waits for, so that a retry costs a look at one clock.
		expect(waiting.kind === 'wait' && hasArrived(doc, waiting.needs)).toBe(false);
		Y.applyUpdate(doc, first);
		expect(waiting.kind === 'wait' && hasArrived(doc, waiting.needs)).toBe(true);
		expect(inspectUpdate(doc, second, limits).kind).toBe('apply');
	});

	test('deleting content the document never had waits (it would sit in Yjs pending state)', () => {
		const doc = documentWith(1);
		expect(inspectUpdate(doc, deleteSetUpdate(123456, [[0, 5]]), limits)).toEqual({ kind: 'wait', needs: new Map([[123456, 5]]) });
	});

	test('too many structs or top-level types are refused', () => {
		const doc = documentWith(1);
		const many = updateFrom(doc, (d) => {
			const t = d.getXmlFragment('default').get(0) as Y.XmlElement;
			for (let i = 0; i < 20; i++) t.insert(0, [new Y.XmlElement('paragraph')]);
		});
		expect(inspectUpdate(doc, many, { ...limits, maxStructs: 10 }).kind).toBe('refuse');
		const roots = updateFrom(doc, (d) => {
			for (let i = 0; i < 10; i++) d.getMap(`m${i}`).set('k', i);
		});
		expect(inspectUpdate(doc, roots, limits).kind).toBe('refuse');
	});

	test('new elements beyond the limit are refused as too large; text of any length is not', () => {
		const doc = documentWith(1);
		const elements = (n: number) => updateFrom(doc, (d) => d.getXmlFragment('default').insert(1, Array.from({ length: n }, () => new Y.XmlElement('cause'))));
		expect(inspectUpdate(doc, elements(100), { ...limits, maxElements: 100 }).kind).toBe('apply');
		expect(inspectUpdate(doc, elements(101), { ...limits, maxElements: 100 })).toEqual({ kind: 'refuse', code: 4413, reason: '101 new elements in one update' });
		const text = updateFrom(doc, (d) => ((d.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText).insert(0, '长'.repeat(100_000)));
		expect(inspectUpdate(doc, text, { ...limits, maxElements: 100 }).kind).toBe('apply');
	});

	test('delete ranges that would cut live text at too many places are refused; ranges over deleted text cost nothing', () => {
		const doc = new Y.Doc();
		doc.getText('t').insert(0, 'a'.repeat(10_000));
		const client = doc.clientID;
		const every = (step: number, n: number) => Array.from({ length: n }, (_, i) => [i * step + 1, 1] as [number, number]);
		expect(inspectUpdate(doc, deleteSetUpdate(client, every(4, 400)), limits).kind).toBe('apply');
		expect(inspectUpdate(doc, deleteSetUpdate(client, every(4, 600)), limits)).toEqual({
			kind: 'refuse',
			code: 4413,
			reason: 'delete ranges cutting content at more than 1000 places'
		});
		// Once those characters are deleted, the same ranges (a reconnecting client's delete set) pass.
		Y.applyUpdate(doc, deleteSetUpdate(client, every(4, 400)));
		Y.applyUpdate(doc, deleteSetUpdate(client, every(4, 600).slice(400)));
		expect(inspectUpdate(doc, deleteSetUpdate(client, every(4, 600)), limits).kind).toBe('apply');
	});

	test('the editor’s shape: what the editor writes passes, attributes changed again included; a value where the editor keeps none is refused', () => {
		const doc = documentWith(2);
		const first = (d: Y.Doc) => d.getXmlFragment('default').get(0) as Y.XmlElement;
		const apply = (change: (d: Y.Doc) => void) => {
			const update = updateFrom(doc, change);
			const v = inspectUpdate(doc, update, limits, editorShape);
			if (v.kind === 'apply') Y.applyUpdate(doc, update);
			return v.kind === 'refuse' ? v.reason : v.kind;
		};
		expect(apply((d) => first(d).setAttribute('deadline', '2025-08-31'))).toBe('apply');
		// Written next to the value it replaces, the new value carries neither its element nor its key.
		expect(apply((d) => first(d).setAttribute('deadline', '2025-09-30'))).toBe('apply');
		expect(apply((d) => (first(d).get(0) as Y.XmlText).insert(0, '补充', { bold: true }))).toBe('apply');
		expect(apply((d) => first(d).insert(0, [new Y.XmlText('新段落')]))).toBe('apply');
		expect(apply((d) => d.getXmlFragment('default').insert(0, [new Y.XmlText('顶层文字')]))).toBe('content other than a block at the top of the document');
		expect(apply((d) => d.getXmlFragment('default').insert(0, [new Y.XmlElement('script')]))).toBe('an element the editor does not know (script)');
		expect(apply((d) => (d.getXmlFragment('default') as unknown as Y.Array<number>).insert(0, [7]))).toBe('content other than a block at the top of the document');
		expect(first(doc).getAttribute('deadline')).toBe('2025-09-30');
	});

	test('bytes that are not an update are refused', () => {
		expect(inspectUpdate(documentWith(1), new Uint8Array([200, 1, 2, 3]), limits).kind).toBe('refuse');
	});
});
