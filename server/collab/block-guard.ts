import * as Y from 'yjs';
import {
	type MeasureField,
	authoredNodes,
	blockIdNodes,
	blockIdSchema,
	editorField,
	measureFieldNames,
	measureFieldValid,
	metaMap,
	minutesItemNode,
	newBlockId,
	problemFields
} from '../../src/lib/shared/blocks.js';
import type { PresenceIdentity } from './awareness-stamp.js';

/** The origin of the guard's own corrections (never a connection, so they are not guarded again). */
export const guardOrigin = Symbol('block-guard');

const authored = new Set<string>(authoredNodes);
const identified = new Set<string>(blockIdNodes);
const measureFieldSet = new Set<string>(measureFieldNames);
const problemFieldSet = new Set<string>(Object.keys(problemFields));

/** A value the editor's schema can hold in an attribute: a scalar, or a list of numbers (a table cell's column widths). */
const plainValue = (value: unknown) =>
	value === null ||
	['string', 'number', 'boolean'].includes(typeof value) ||
	(Array.isArray(value) && value.length <= 64 && value.every((v) => typeof v === 'number' && Number.isFinite(v)));

/** The numeric attributes of the standard nodes, which the exports read as numbers. */
const numericAttributes: Record<string, Record<string, (n: number) => boolean>> = {
	heading: { level: (n) => n >= 1 && n <= 6 },
	orderedList: { start: (n) => n >= 0 && n <= 1_000_000 }
};

/** Whether `value` is acceptable for attribute `key` of a `nodeName` element. */
function attributeValid(nodeName: string, key: string, value: unknown): boolean {
	if (value === undefined) return true;
	if (nodeName === 'measure' && measureFieldSet.has(key)) return measureFieldValid(key as MeasureField, value);
	if (nodeName === 'problem' && problemFieldSet.has(key)) return problemFields[key as keyof typeof problemFields].safeParse(value).success;
	const numeric = numericAttributes[nodeName]?.[key];
	if (numeric) return typeof value === 'number' && Number.isSafeInteger(value) && numeric(value);
	return plainValue(value);
}

/** The element and every element below it. */
function* elementsIn(el: Y.XmlElement): Generator<Y.XmlElement> {
	yield el;
	for (const child of el.toArray()) if (child instanceof Y.XmlElement) yield* elementsIn(child);
}

/**
 * A copy of a minutes item deleted in transaction `tr`, with the attributes it had before `tr` (a
 * client that changed one and deleted the item in the same step gets back the server's). The item is
 * an atom: its attributes are all it holds. A deleted element no longer lists them, but their values
 * stay in memory until the transaction's garbage collection, which runs after the observers.
 */
function copyOfDeleted(el: Y.XmlElement, tr: Y.Transaction): Y.XmlElement {
	const copy = new Y.XmlElement(el.nodeName);
	const madeInTr = (item: Y.Item) => item.id.clock >= (tr.beforeState.get(item.id.client) ?? 0);
	for (const [key, latest] of el._map) {
		let item: Y.Item | null = latest;
		while (item !== null && madeInTr(item)) item = item.left;
		// A value removed before `tr` was no attribute of the item.
		if (item === null || (item.deleted && !Y.isDeleted(tr.deleteSet, item.id))) continue;
		const content = item.content.getContent();
		if (content.length > 0) copy.setAttribute(key, content[content.length - 1]);
	}
	return copy;
}

const isMinutesItem = (item: Y.Item) => item.content instanceof Y.ContentType && item.content.type instanceof Y.XmlElement && item.content.type.nodeName === minutesItemNode;

/**
 * Puts back the minutes items a client deleted, each where it stood (its index among the live
 * children, counting the items put back before it), with the same attributes: only the server takes
 * an item out (a withdrawal). Runs before any other fix, on the positions as the client left them.
 */
function restorations(events: Y.YEvent<Y.XmlElement | Y.XmlText>[], tr: Y.Transaction): Array<() => void> {
	const fixes: Array<() => void> = [];
	for (const event of events) {
		const parent = event.target;
		if (!(parent instanceof Y.XmlFragment)) continue;
		const gone = new Set([...event.changes.deleted].filter(isMinutesItem));
		if (gone.size === 0) continue;
		const back: { index: number; copy: Y.XmlElement }[] = [];
		let index = 0;
		for (let item = parent._start; item !== null; item = item.right) {
			if (gone.has(item)) back.push({ index: index++, copy: copyOfDeleted((item.content as Y.ContentType).type as Y.XmlElement, tr) });
			else if (!item.deleted && item.countable) index += item.length;
		}
		fixes.push(() => back.forEach((b) => parent.insert(b.index, [b.copy])));
	}
	return fixes;
}

/**
 * Keeps the structured blocks honest whatever a client sends: every new cause, measure, why and
 * problem gets its author from the session of the connection that made it ("stamped, not typed"),
 * every new block without a valid id gets one;
 * a client's change to an author or an id is undone; a measure or problem field that fails its
 * schema, and any attribute the editor's schema could not hold (an object, a heading level of "{}"),
 * goes back to what it was; a minutes item a client copied is taken out, one it deleted is put back.
 * Corrections are ordinary server updates, relayed to everyone.
 */
export function guardBlocks(doc: Y.Doc, identityOf: (origin: unknown) => PresenceIdentity | null, logError: (message: string, err: unknown) => void): void {
	// The document's meta (its schema version) is the server's alone.
	doc.getMap(metaMap).observe((event, tr) => {
		if (identityOf(tr.origin) === null) return;
		const restore = [...event.changes.keys].map(([key, change]) => () => {
			if (change.oldValue === undefined) event.target.delete(key);
			else event.target.set(key, change.oldValue);
		});
		doc.transact(() => restore.forEach((r) => r()), guardOrigin);
	});
	doc.getXmlFragment(editorField).observeDeep((events, tr) => {
		const identity = identityOf(tr.origin);
		if (identity === null) return;
		// A fault here must never fail the client's update (it is already applied): log it and move on.
		try {
			correct(doc, events, tr, identity);
		} catch (err) {
			logError('checking blocks failed', err);
		}
	});
}

function correct(doc: Y.Doc, events: Y.YEvent<Y.XmlElement | Y.XmlText>[], tr: Y.Transaction, identity: PresenceIdentity): void {
	const added = new Set<Y.XmlElement>();
	const fixes = restorations(events, tr);
	for (const event of events) {
		for (const item of event.changes.added) {
			const content = item.content;
			if (content instanceof Y.ContentType && content.type instanceof Y.XmlElement) for (const el of elementsIn(content.type)) added.add(el);
		}
	}
	for (const event of events) {
		const target = event.target;
		if (!(event instanceof Y.YXmlEvent) || !(target instanceof Y.XmlElement) || added.has(target) || target._item?.deleted) continue;
		for (const [key, change] of event.changes.keys) {
			const now = target.getAttribute(key);
			// Authors, promotion marks and the minutes' frozen copies are the server's.
			const idBroken = key === 'blockId' && identified.has(target.nodeName) && !blockIdSchema.safeParse(now).success;
			if (key === 'author' || key === 'promoted' || target.nodeName === minutesItemNode || idBroken || !attributeValid(target.nodeName, key, now)) {
				const old = change.oldValue as string | undefined;
				fixes.push(() => (old === undefined ? target.removeAttribute(key) : target.setAttribute(key, old)));
			}
		}
	}
	// A block from a template has no author until someone writes in it: the first writer is its author.
	for (const event of events) {
		for (let node: unknown = event.target; node instanceof Y.AbstractType; node = node.parent) {
			if (node instanceof Y.XmlElement && authored.has(node.nodeName)) {
				if (node.getAttribute('author') === undefined) added.add(node);
				break;
			}
		}
	}
	const stamp = JSON.stringify({ id: identity.id, name: identity.name, unit: identity.unit, unitType: identity.unitType });
	for (const el of added) {
		if (el._item?.deleted) continue;
		if (el.nodeName === minutesItemNode) {
			// Only the server writes a minutes item; a copy made by a client (a paste) is taken out.
			fixes.push(() => {
				const parent = el.parent;
				if (parent instanceof Y.XmlElement || parent instanceof Y.XmlFragment) {
					const index = parent.toArray().indexOf(el);
					if (index >= 0) parent.delete(index, 1);
				}
			});
			continue;
		}
		// A pasted copy of a promoted block is not itself promoted.
		if (el.getAttribute('promoted') !== undefined) fixes.push(() => el.removeAttribute('promoted'));
		// Every block can be pointed at (presenting, proposing, links): one a client wrote without an id
		// (the editor always gives one; a plain Yjs client may not) gets one from the server.
		if (identified.has(el.nodeName) && !blockIdSchema.safeParse(el.getAttribute('blockId')).success) fixes.push(() => el.setAttribute('blockId', newBlockId()));
		if (authored.has(el.nodeName) && el.getAttribute('author') !== stamp) fixes.push(() => el.setAttribute('author', stamp));
		for (const [key, value] of Object.entries(el.getAttributes())) {
			if (!(key === 'blockId' && identified.has(el.nodeName)) && !attributeValid(el.nodeName, key, value)) fixes.push(() => el.removeAttribute(key));
		}
	}
	if (fixes.length > 0) doc.transact(() => fixes.forEach((fix) => fix()), guardOrigin);
}
