import * as Y from 'yjs';

/** What one client update may cost and contain before the document applies it (config: CONCORD_MAX_UPDATE_*). */
export interface UpdateLimits {
	/** Structs (runs of inserted content) in one update. */
	maxStructs: number;
	/** Nesting of types (elements inside elements) in the document. */
	maxDepth: number;
	/** Top-level shared types a document may have (the editor uses two). */
	maxRoots: number;
}

export type UpdateVerdict =
	/** Apply it; `clients` are the client ids it adds content under (to check who owns them). */
	| { kind: 'apply'; clients: number[] }
	/** It builds on content the document does not have (yet): keep it aside, charged to its sender. */
	| { kind: 'wait' }
	| { kind: 'refuse'; reason: string };

interface Range {
	start: number;
	end: number;
}

/**
 * Decides about a client's update before it touches the document, in time proportional to its size:
 * Yjs applies a delete set range by range, struct by struct, so an update that repeats huge ranges
 * stalls the event loop for every room; nesting thousands of elements deep defeats every recursive
 * reader; an update built on content the server never had would sit in Yjs's pending state, which
 * is shared by the whole document. Honest Yjs encoders write each client's delete ranges sorted and
 * merged, so overlapping ranges are refused outright; the rest is bounded by `limits`.
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array, limits: UpdateLimits): UpdateVerdict {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch (err) {
		return { kind: 'refuse', reason: `undecodable update: ${err instanceof Error ? err.message : String(err)}` };
	}
	const { structs, ds } = decoded;
	if (structs.length > limits.maxStructs) return { kind: 'refuse', reason: `${structs.length} structs in one update` };

	const store = doc.store;
	const ranges = new Map<number, Range[]>();
	for (const s of structs) {
		if (s instanceof Y.Skip) continue;
		let list = ranges.get(s.id.client);
		if (list === undefined) ranges.set(s.id.client, (list = []));
		list.push({ start: s.id.clock, end: s.id.clock + s.length });
	}
	// How far each client's content reaches once the update is applied, without gaps.
	const reach = new Map<number, number>();
	const clients: number[] = [];
	let missing = false;
	for (const [client, list] of ranges) {
		const state = Y.getState(store, client);
		let covered = state;
		for (const r of list) {
			if (r.end <= covered) continue;
			if (r.start > covered) missing = true;
			covered = Math.max(covered, r.end);
		}
		reach.set(client, covered);
		if (covered > state) clients.push(client);
	}
	const known = (id: Y.ID) => id.clock < (reach.get(id.client) ?? Y.getState(store, id.client));

	for (const s of structs) {
		if (!(s instanceof Y.Item)) continue;
		for (const ref of [s.origin, s.rightOrigin, s.parent]) if (ref instanceof Y.ID && !known(ref)) missing = true;
	}
	for (const [client, deletes] of ds.clients) {
		let end = -1;
		for (const d of deletes) {
			if (d.clock < end) return { kind: 'refuse', reason: 'overlapping delete ranges' };
			end = d.clock + d.len;
		}
		if (end > (reach.get(client) ?? Y.getState(store, client))) missing = true;
	}
	if (missing) return { kind: 'wait' };

	const roots = new Set<string>();
	for (const s of structs) if (s instanceof Y.Item && typeof s.parent === 'string' && !doc.share.has(s.parent)) roots.add(s.parent);
	if (doc.share.size + roots.size > limits.maxRoots) return { kind: 'refuse', reason: `${doc.share.size + roots.size} top-level types` };

	const deepest = depthOf(structs, store);
	if (deepest === null) return { kind: 'refuse', reason: 'cyclic references' };
	if (deepest > limits.maxDepth) return { kind: 'refuse', reason: `types nested ${deepest} deep` };
	return { kind: 'apply', clients };
}

/** The depth of the deepest type the update creates (1 = a child of a top-level type); null on a cycle. */
function depthOf(structs: Array<Y.Item | Y.GC | Y.Skip>, store: Y.Doc["store"]): number | null {
	const items = new Map<number, Y.Item[]>();
	for (const s of structs) {
		if (!(s instanceof Y.Item)) continue;
		let list = items.get(s.id.client);
		if (list === undefined) items.set(s.id.client, (list = []));
		list.push(s);
	}
	/** The update's item holding `id`, if any (ids point anywhere inside a run). */
	const local = (id: Y.ID): Y.Item | null => {
		const list = items.get(id.client);
		if (list === undefined) return null;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const it = list[mid];
			if (id.clock < it.id.clock) hi = mid - 1;
			else if (id.clock >= it.id.clock + it.length) lo = mid + 1;
			else return it;
		}
		return null;
	};
	const existingDepth = (type: Y.AbstractType<unknown> | null): number => {
		let depth = 0;
		for (let t = type; t !== null && t._item !== null; t = t._item.parent as Y.AbstractType<unknown> | null) depth++;
		return depth;
	};
	const storedStruct = (id: Y.ID): Y.Item | null => {
		if (id.clock >= Y.getState(store, id.client)) return null;
		const s = Y.getItem(store, id);
		return s instanceof Y.Item ? s : null;
	};
	/** The depth of the type an existing struct created (its content). */
	const storedTypeDepth = (id: Y.ID): number => {
		const s = storedStruct(id);
		return s !== null && s.content instanceof Y.ContentType ? existingDepth(s.content.type) : 0;
	};
	/** The depth of the type an existing struct is in. */
	const storedParentDepth = (id: Y.ID): number => {
		const s = storedStruct(id);
		return s === null ? 0 : existingDepth(s.parent as Y.AbstractType<unknown> | null);
	};
	// The depth of each update item's parent type (0: a top-level type), resolved without recursion:
	// chains of parents and neighbours inside one update can be as long as the update.
	const parentDepth = new Map<Y.Item, number>();
	let deepest = 0;
	for (const list of items.values()) {
		for (const item of list) {
			/** Links whose parent depth is their successor's plus `add` (1 when the successor is the parent). */
			const chain: Array<{ item: Y.Item; add: number }> = [];
			const seen = new Set<Y.Item>();
			let cur = item;
			let value: number;
			for (;;) {
				const memo = parentDepth.get(cur);
				if (memo !== undefined) {
					value = memo;
					break;
				}
				if (seen.has(cur)) return null;
				seen.add(cur);
				const parent = cur.parent as Y.ID | string | null;
				const next = parent instanceof Y.ID ? local(parent) : parent === null && (cur.origin ?? cur.rightOrigin) !== null ? local((cur.origin ?? cur.rightOrigin)!) : null;
				if (next === null) {
					if (typeof parent === 'string') value = 0;
					else if (parent instanceof Y.ID) value = storedTypeDepth(parent);
					else value = cur.origin === null && cur.rightOrigin === null ? 0 : storedParentDepth((cur.origin ?? cur.rightOrigin)!);
					parentDepth.set(cur, value);
					break;
				}
				chain.push({ item: cur, add: parent instanceof Y.ID ? 1 : 0 });
				cur = next;
			}
			for (let i = chain.length - 1; i >= 0; i--) {
				value += chain[i].add;
				parentDepth.set(chain[i].item, value);
			}
			const d = parentDepth.get(item)! + (item.content instanceof Y.ContentType ? 1 : 0);
			if (d > deepest) deepest = d;
		}
	}
	return deepest;
}
