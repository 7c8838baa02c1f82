import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import { inspectUpdate } from '../../server/collab/update-check.js';
import { deleteSetUpdate } from '../helpers/frames.js';

const limits = { maxStructs: 10_000, maxDepth: 64, maxRoots: 8 };

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
		expect(v).toEqual({ kind: 'refuse', reason: 'overlapping delete ranges' });
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
		expect(inspectUpdate(doc, nested(65), limits)).toEqual({ kind: 'refuse', reason: 'types nested 65 deep' });
		expect(inspectUpdate(doc, nested(10_000), limits)).toEqual({ kind: 'refuse', reason: 'types nested 10000 deep' });
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
		expect(inspectUpdate(doc, second, limits)).toEqual({ kind: 'wait' });
		Y.applyUpdate(doc, first);
		expect(inspectUpdate(doc, second, limits).kind).toBe('apply');
	});

	test('deleting content the document never had waits (it would sit in Yjs pending state)', () => {
		const doc = documentWith(1);
		expect(inspectUpdate(doc, deleteSetUpdate(123456, [[0, 5]]), limits)).toEqual({ kind: 'wait' });
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

	test('bytes that are not an update are refused', () => {
		expect(inspectUpdate(documentWith(1), new Uint8Array([200, 1, 2, 3]), limits).kind).toBe('refuse');
	});
});
