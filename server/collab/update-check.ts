import * as Y from 'yjs';
import { CloseCode } from '../../src/lib/shared/close-codes.js';

/** What one client update may cost and contain before the document applies it (config: CONCORD_MAX_UPDATE_*). */
export interface UpdateLimits {
	/** Structs (runs of inserted content) in one update. */
	maxStructs: number;
	/** New elements (shared types) in one update: each costs the server far more than text does. */
	maxElements: number;
	/** New formatting marks (bold, links …: the start and end of each formatted run) in one update. */
	maxFormats: number;
	/** Delete ranges that cut a live run of content in two (each cut moves the client's whole struct list). */
	maxDeleteCuts: number;
	/** Nesting of types (elements inside elements) in the document. */
	maxDepth: number;
	/** Top-level shared types a document may have (the editor uses two). */
	maxRoots: number;
}

/** What an update deletes, per client: sorted ranges of clocks. */
export type DeleteSet = ReturnType<typeof Y.decodeUpdate>['ds'];

export type UpdateVerdict =
	/**
	 * Apply it. `clients`: the client ids it adds content under (to check who owns them); `elements`:
	 * how many new elements it brings (the server stamps each, which the size limit must count); `ds`:
	 * what it deletes itself (applying it may delete more: what others wrote inside a deleted element).
	 */
	| { kind: 'apply'; clients: number[]; elements: number; ds: DeleteSet }
	/**
	 * It builds on content the document does not have (yet): keep it aside, charged to its sender,
	 * until the document holds `needs` (per client, the clock it must reach).
	 */
	| { kind: 'wait'; needs: Map<number, number> }
	/** Refused; `code` closes the sender: 4400 for what no honest client sends, 4413 for what is too big. */
	| { kind: 'refuse'; code: number; reason: string };

interface Range {
	start: number;
	end: number;
}

const malformed = (reason: string): UpdateVerdict => ({ kind: 'refuse', code: CloseCode.badMessage, reason });
const tooLarge = (reason: string): UpdateVerdict => ({ kind: 'refuse', code: CloseCode.tooLarge, reason });

/**
 * Decides about a client's update before it touches the document, in time proportional to its size:
 * Yjs applies a delete set range by range, struct by struct, so an update that repeats huge ranges
 * stalls the event loop for every room; cutting one run of text at 600,000 places moves the struct
 * list as often; nesting thousands of elements deep defeats every recursive reader; an update built on
 * content the server never had would sit in Yjs's pending state, which the whole document shares.
 * Honest Yjs encoders write each client's delete ranges sorted and merged, so overlapping ranges are
 * refused outright; the rest is bounded by `limits`. With `shape`, what goes under one top-level type
 * must also fit its rule (the editor's document: a bare value there empties every editor that opens it).
 */
export function inspectUpdate(doc: Y.Doc, update: Uint8Array, limits: UpdateLimits, shape?: ShapeRule): UpdateVerdict {
	let decoded: ReturnType<typeof Y.decodeUpdate>;
	try {
		decoded = Y.decodeUpdate(update);
	} catch (err) {
		return malformed(`undecodable update: ${err instanceof Error ? err.message : String(err)}`);
	}
	const { structs, ds } = decoded;
	if (structs.length > limits.maxStructs) return tooLarge(`${structs.length} structs in one update`);

	const store = doc.store;
	const ranges = new Map<number, Range[]>();
	for (const s of structs) {
		if (s instanceof Y.Skip) continue;
		let list = ranges.get(s.id.client);
		if (list === undefined) ranges.set(s.id.client, (list = []));
		list.push({ start: s.id.clock, end: s.id.clock + s.length });
	}
	// How far each client's content reaches once the update is applied, without gaps; and what is missing.
	const reach = new Map<number, number>();
	const needs = new Map<number, number>();
	const need = (client: number, clock: number) => needs.set(client, Math.max(needs.get(client) ?? 0, clock));
	const clients: number[] = [];
	for (const [client, list] of ranges) {
		const state = Y.getState(store, client);
		let covered = state;
		for (const r of list) {
			if (r.end <= covered) continue;
			if (r.start > covered) need(client, r.start);
			covered = Math.max(covered, r.end);
		}
		reach.set(client, covered);
		if (covered > state) clients.push(client);
	}
	const reachOf = (client: number) => reach.get(client) ?? Y.getState(store, client);

	let elements = 0;
	let formats = 0;
	for (const s of structs) {
		if (!(s instanceof Y.Item)) continue;
		if (s.id.clock >= Y.getState(store, s.id.client)) {
			if (s.content instanceof Y.ContentType) elements++;
			else if (s.content instanceof Y.ContentFormat) formats++;
		}
		for (const ref of [s.origin, s.rightOrigin, s.parent]) if (ref instanceof Y.ID && ref.clock >= reachOf(ref.client)) need(ref.client, ref.clock + 1);
	}
	if (elements > limits.maxElements) return tooLarge(`${elements} new elements in one update`);
	if (formats > limits.maxFormats) return tooLarge(`${formats} new formatting marks in one update`);
	let cuts = 0;
	for (const [client, deletes] of ds.clients) {
		let end = -1;
		for (const d of deletes) {
			if (d.clock < end) return malformed('overlapping delete ranges');
			end = d.clock + d.len;
		}
		if (end > reachOf(client)) need(client, end);
		cuts += deleteCuts(store, client, deletes, limits.maxDeleteCuts - cuts);
		if (cuts > limits.maxDeleteCuts) return tooLarge(`delete ranges cutting content at more than ${limits.maxDeleteCuts} places`);
	}
	if (needs.size > 0) return { kind: 'wait', needs };

	if (!resolvable(structs, store)) return malformed('references that can never be resolved');

	const roots = new Set<string>();
	for (const s of structs) if (s instanceof Y.Item && typeof s.parent === 'string' && !doc.share.has(s.parent)) roots.add(s.parent);
	if (doc.share.size + roots.size > limits.maxRoots) return malformed(`${doc.share.size + roots.size} top-level types`);

	const places = placesOf(structs, doc);
	if (places === null) return malformed('cyclic references');
	let deepest = 0;
	for (const [item, place] of places) {
		const depth = place.depth + (item.content instanceof Y.ContentType ? 1 : 0);
		if (depth > deepest) deepest = depth;
		if (shape !== undefined && place.root === shape.root && item.id.clock >= Y.getState(store, item.id.client)) {
			const problem = shape.problem(item, place.container, place.attribute);
			if (problem !== null) return malformed(problem);
		}
	}
	if (deepest > limits.maxDepth) return malformed(`types nested ${deepest} deep`);
	return { kind: 'apply', clients, elements, ds };
}

/**
 * Whether Yjs can integrate every new struct of the update: each needs the structs it refers to
 * (origin, right origin, parent) and the one before it of its own client; one that refers, directly or
 * round about, to a later struct of its own client never can, and Yjs would throw half way, after
 * integrating (and announcing) the rest. A topological pass over the update, without recursion.
 */
function resolvable(structs: Array<Y.Item | Y.GC | Y.Skip>, store: Y.Doc['store']): boolean {
	const fresh: Array<Y.Item | Y.GC> = [];
	for (const s of structs) {
		if (s instanceof Y.Skip || s.id.clock + s.length <= Y.getState(store, s.id.client)) continue;
		fresh.push(s);
	}
	const { byClient, holder } = indexed(fresh);
	const waiting = new Map<Y.Item | Y.GC, number>();
	const dependents = new Map<Y.Item | Y.GC, Array<Y.Item | Y.GC>>();
	const depend = (s: Y.Item | Y.GC, on: Y.Item | Y.GC | null) => {
		if (on === null) return;
		waiting.set(s, (waiting.get(s) ?? 0) + 1);
		let list = dependents.get(on);
		if (list === undefined) dependents.set(on, (list = []));
		list.push(s);
	};
	for (const list of byClient.values()) for (let i = 1; i < list.length; i++) depend(list[i], list[i - 1]);
	for (const s of fresh) {
		if (!(s instanceof Y.Item)) continue;
		for (const ref of [s.origin, s.rightOrigin, s.parent]) {
			if (!(ref instanceof Y.ID)) continue;
			const on = holder(ref);
			if (on === s) return false;
			depend(s, on);
		}
	}
	const ready = fresh.filter((s) => !waiting.has(s));
	let done = 0;
	while (ready.length > 0) {
		const s = ready.pop()!;
		done++;
		for (const d of dependents.get(s) ?? []) {
			const left = waiting.get(d)! - 1;
			waiting.set(d, left);
			if (left === 0) ready.push(d);
		}
	}
	return done === fresh.length;
}

/** Whether the document holds what a parked update waited for. */
export function hasArrived(doc: Y.Doc, needs: ReadonlyMap<number, number>): boolean {
	for (const [client, clock] of needs) if (Y.getState(doc.store, client) < clock) return false;
	return true;
}

/**
 * How many of `deletes` (sorted, of `client`) start or end inside a live struct the document has,
 * which Yjs must then split: one binary search per range end, stopping once past `limit`.
 */
function deleteCuts(store: Y.Doc['store'], client: number, deletes: Array<{ clock: number; len: number }>, limit: number): number {
	const structs = store.clients.get(client);
	if (structs === undefined || structs.length === 0) return 0;
	const state = Y.getState(store, client);
	const cutsAt = (clock: number) => {
		if (clock <= 0 || clock >= state) return 0;
		const s = structs[Y.findIndexSS(structs, clock)];
		return s.id.clock < clock && !s.deleted ? 1 : 0;
	};
	let cuts = 0;
	for (const d of deletes) {
		// Past the limit the answer is known: no need to look at the rest of a hostile list.
		if (d.clock >= state || cuts > limit) break;
		cuts += cutsAt(d.clock) + cutsAt(d.clock + d.len);
	}
	return cuts;
}

/** Where an item of an update lands: the kind of type it goes into, under which top-level type, how deep. */
export type Container = 'root' | 'text' | 'other' | { element: string };

interface Place {
	/** Depth of the type the item is in (0: a top-level type). */
	depth: number;
	/** The top-level type above it (its name), or null when it cannot be told (content garbage-collected). */
	root: string | null;
	container: Container;
	/**
	 * Whether the item is an attribute (a map entry). An item written next to another one carries
	 * neither parent nor key in the update (both are its neighbour's), so this comes from the neighbour.
	 */
	attribute: boolean;
}

/** Rules for what may go where under one top-level type (the editor's document: see editor-shape.ts). */
export interface ShapeRule {
	root: string;
	/** Why `item` may not go into `container` (as an attribute of it, or as content), or null. */
	problem(item: Y.Item, container: Container, attribute: boolean): string | null;
}

function containerOf(type: Y.AbstractType<unknown>): Container {
	if (type instanceof Y.XmlElement) return { element: type.nodeName };
	if (type instanceof Y.XmlText) return 'text';
	if (type._item === null) return 'root';
	return 'other';
}

/**
 * `structs` (in update order) per client, and a lookup of the one that holds an id (ids point anywhere
 * inside a run).
 */
function indexed<T extends Y.Item | Y.GC>(structs: T[]): { byClient: Map<number, T[]>; holder: (id: Y.ID) => T | null } {
	const byClient = new Map<number, T[]>();
	for (const s of structs) {
		let list = byClient.get(s.id.client);
		if (list === undefined) byClient.set(s.id.client, (list = []));
		list.push(s);
	}
	const holder = (id: Y.ID): T | null => {
		const list = byClient.get(id.client);
		if (list === undefined) return null;
		let lo = 0;
		let hi = list.length - 1;
		while (lo <= hi) {
			const mid = (lo + hi) >> 1;
			const s = list[mid];
			if (id.clock < s.id.clock) hi = mid - 1;
			else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
			else return s;
		}
		return null;
	};
	return { byClient, holder };
}

/**
 * Where each item of the update lands (see Place), resolved without recursion: chains of parents and
 * neighbours inside one update can be as long as the update. Null when they form a cycle.
 */
function placesOf(structs: Array<Y.Item | Y.GC | Y.Skip>, doc: Y.Doc): Map<Y.Item, Place> | null {
	const store = doc.store;
	const { byClient: items, holder: local } = indexed(structs.filter((s): s is Y.Item => s instanceof Y.Item));
	const unknown = (attribute: boolean): Place => ({ depth: 0, root: null, container: 'other', attribute });
	/** The place of content inside an existing type. */
	const inside = (type: Y.AbstractType<unknown> | null, attribute: boolean): Place => {
		if (type === null) return unknown(attribute);
		let depth = 0;
		let top = type;
		while (top._item !== null) {
			depth++;
			top = top._item.parent as Y.AbstractType<unknown>;
		}
		const root = [...doc.share].find(([, t]) => t === top)?.[0] ?? null;
		return { depth, root, container: containerOf(type), attribute };
	};
	const stored = (id: Y.ID): Y.Item | null => {
		if (id.clock >= Y.getState(store, id.client)) return null;
		const s = Y.getItem(store, id);
		return s instanceof Y.Item ? s : null;
	};
	const places = new Map<Y.Item, Place>();
	for (const list of items.values()) {
		for (const item of list) {
			/** Links to resolve backwards: in the same place as `via`, or inside the type `via` creates. */
			const chain: Array<{ item: Y.Item; via: Y.Item; insideVia: boolean }> = [];
			const seen = new Set<Y.Item>();
			let cur = item;
			let place: Place;
			for (;;) {
				const memo = places.get(cur);
				if (memo !== undefined) {
					place = memo;
					break;
				}
				if (seen.has(cur)) return null;
				seen.add(cur);
				const parent = cur.parent as Y.ID | string | null;
				const neighbour = (cur.origin ?? cur.rightOrigin) as Y.ID | null;
				const next = parent instanceof Y.ID ? local(parent) : parent === null && neighbour !== null ? local(neighbour) : null;
				if (next !== null) {
					chain.push({ item: cur, via: next, insideVia: parent instanceof Y.ID });
					cur = next;
					continue;
				}
				const attribute = cur.parentSub !== null;
				if (typeof parent === 'string') place = { depth: 0, root: parent, container: 'root', attribute };
				else if (parent instanceof Y.ID) {
					const s = stored(parent);
					place = s !== null && s.content instanceof Y.ContentType ? inside(s.content.type, attribute) : unknown(attribute);
				} else {
					const s = neighbour === null ? null : stored(neighbour);
					place = s === null ? unknown(attribute) : inside((s.parent as Y.AbstractType<unknown> | null) ?? null, s.parentSub !== null);
				}
				places.set(cur, place);
				break;
			}
			for (let i = chain.length - 1; i >= 0; i--) {
				const { item: it, via, insideVia } = chain[i];
				if (insideVia) {
					const type = via.content instanceof Y.ContentType ? via.content.type : null;
					place = { depth: place.depth + 1, root: place.root, container: type === null ? 'other' : containerOf(type), attribute: it.parentSub !== null };
				}
				places.set(it, place);
			}
		}
	}
	return places;
}
