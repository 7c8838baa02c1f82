import * as Y from 'yjs';
import { editorField } from '$lib/shared/blocks';

/** A stretch of text with one writer: added or removed between the two states compared, or (unchanged) neither. */
export interface Run {
	text: string;
	change: 'added' | 'removed' | null;
	/** The Yjs client id that wrote it (the server binds each id to an account), null when unknown. */
	client: number | null;
}

/** One top-level block of the comparison, its runs in order. */
export interface ComparedBlock {
	key: string;
	change: 'added' | 'removed' | null;
	runs: Run[];
}

/** Yjs's item internals that the comparison reads (the public API has no way to a type's item). */
type WithItem = { _item: Y.Item | null };

/**
 * Compares two states of one document character by character: what `target` has that `base` had not
 * (added) and what `base` had that `target` has not (removed), each stretch with the client id that
 * wrote it. Without `base`, every character of `target` is "added" by its writer: who wrote what.
 * Works on a copy that keeps deleted text (gc off); the document itself is not touched.
 */
export function compareStates(target: Uint8Array, base: Uint8Array | null): ComparedBlock[] {
	const snapshotOf = (state: Uint8Array) => {
		const d = new Y.Doc({ gc: false });
		Y.applyUpdate(d, state);
		const s = Y.snapshot(d);
		d.destroy();
		return s;
	};
	const targetSnap = snapshotOf(target);
	const baseSnap = base === null ? Y.emptySnapshot : snapshotOf(base);
	// The older state goes in first: the newer one holds what it deleted only as collected stubs, and
	// whichever arrives first keeps its content.
	const merged = new Y.Doc({ gc: false });
	const states = base === null ? [target] : within(target, base) ? [target, base] : [base, target];
	for (const state of states) Y.applyUpdate(merged, state);
	// An element is in a state when the state had written it and had not deleted it.
	const visible = (el: Y.XmlElement, snap: Y.Snapshot) => {
		const item = (el as unknown as WithItem)._item;
		return item !== null && (snap.sv.get(item.id.client) ?? 0) > item.id.clock && !Y.isDeleted(snap.ds, item.id);
	};
	const change = (type: Y.XmlElement) => {
		const inTarget = visible(type, targetSnap);
		const inBase = base !== null && visible(type, baseSnap);
		return inTarget && !inBase ? 'added' : !inTarget && inBase ? 'removed' : inTarget ? null : 'gone';
	};
	const runsOf = (el: Y.XmlElement, into: Run[]) => {
		for (const child of el.toArray()) {
			if (child instanceof Y.XmlText) {
				const ops = child.toDelta(targetSnap, baseSnap, (type: 'added' | 'removed', id: Y.ID) => ({ type, user: id.client })) as Array<{
					insert: unknown;
					attributes?: { ychange?: { type: 'added' | 'removed'; user: number } };
				}>;
				for (const op of ops) {
					if (typeof op.insert !== 'string') continue;
					const y = op.attributes?.ychange;
					into.push({ text: op.insert, change: base === null ? null : (y?.type ?? null), client: y?.user ?? null });
				}
			} else if (child instanceof Y.XmlElement && change(child) !== 'gone') {
				if (into.length > 0) into.push({ text: ' ', change: null, client: null });
				runsOf(child, into);
			}
		}
	};
	const blocks: ComparedBlock[] = [];
	merged
		.getXmlFragment(editorField)
		.toArray()
		.forEach((el, i) => {
			if (!(el instanceof Y.XmlElement)) return;
			const c = change(el);
			if (c === 'gone') return;
			const runs: Run[] = [];
			runsOf(el, runs);
			blocks.push({ key: `${i}`, change: base === null ? null : c, runs });
		});
	merged.destroy();
	return blocks;
}

/** Whether every change `a` holds is also in `b` (its state vector is within b's). */
function within(a: Uint8Array, b: Uint8Array): boolean {
	const sb = Y.decodeStateVector(Y.encodeStateVectorFromUpdate(b));
	for (const [client, clock] of Y.decodeStateVector(Y.encodeStateVectorFromUpdate(a))) if ((sb.get(client) ?? 0) < clock) return false;
	return true;
}

/** A unit's colour in the history, the same on every screen: a hue from its name. */
export function unitHue(unit: string): number {
	let h = 0;
	for (const ch of unit) h = (h * 31 + ch.codePointAt(0)!) % 360;
	return h;
}
