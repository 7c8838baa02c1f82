import * as Y from 'yjs';

/**
 * Text that someone else's change moved, and this client's own text that the move left behind.
 *
 * The editor's binding (y-tiptap) writes a paragraph split or join as "delete the moved characters,
 * insert a copy of them in the other paragraph": Yjs 13 cannot move. Whatever another person typed
 * into the moved characters at the same moment (before the move reached them) stays where the
 * originals were: at the end of the wrong paragraph after a split, or deleted with a joined paragraph.
 * Each client, on receiving such a change, finds the moves in it (a run of characters the change
 * deleted and the same characters it inserted) and puts its own concurrent text back beside the copy
 * of the character it was typed after. Only the author of the text does this, so it happens once.
 */

/** A character, by the id of its first UTF-16 unit. */
export type CharId = { client: number; clock: number };

const key = (client: number, clock: number) => `${client}:${clock}`;

/** A maximal run of text items in one Y.XmlText, in document order, with their characters' ids. */
interface TextRun {
	parent: Y.XmlText;
	items: Y.Item[];
	text: string;
	/** The id of each UTF-16 unit of `text`. */
	units: CharId[];
}

/** Own text to put back beside the copy of the character it followed, and where the copy is. */
export interface Rescue {
	text: string;
	/** The id of each UTF-16 unit of our text as it was, for a caret inside it. */
	units: CharId[];
	/** The own characters still visible in the wrong place (to delete); empty when the move deleted them. */
	strays: Y.ID[];
	strayLength: number;
	/** Insert after this character of the copy (`after`), or before it when the text led the run. */
	anchor: Y.ID;
	after: boolean;
}

/** What a remote change moved, and what this client must put back. */
export interface MoveAnalysis {
	/** Where each moved character's copy is: "client:clock" of the original → id of the copy. */
	moved: Map<string, Y.ID>;
	/** The texts whose moved characters start them: a caret at their very start follows the first copy. */
	movedStarts: Map<Y.XmlText, Y.ID>;
	rescues: Rescue[];
}

function unitsOf(item: Y.Item): CharId[] {
	const units: CharId[] = [];
	for (let i = 0; i < item.length; i++) units.push({ client: item.id.client, clock: item.id.clock + i });
	return units;
}

function isText(item: Y.Item): boolean {
	return item.content instanceof Y.ContentString && item.parent instanceof Y.XmlText;
}

/** The highest clock + 1 of `client` that the update refers to: a lower bound of what its author knew of us. */
function knownClock(update: ReturnType<typeof Y.decodeUpdate>, client: number): number {
	let known = 0;
	const see = (id: Y.ID | null | undefined | string | Y.AbstractType<unknown>) => {
		if (id instanceof Y.ID && id.client === client) known = Math.max(known, id.clock + 1);
	};
	for (const s of update.structs) {
		if (!(s instanceof Y.Item)) continue;
		see(s.origin);
		see(s.rightOrigin);
		see(s.parent as Y.ID | null);
	}
	for (const d of update.ds.clients.get(client) ?? []) known = Math.max(known, d.clock + d.len);
	return known;
}

/**
 * Finds the moves in the remote transaction `tr` (which applied `update`) and the rescues this client
 * (`own`) must make. Call it from `afterTransaction`: deleted content is still readable there.
 * Partial copies (a deletion across a line break) are looked for only in texts where they matter:
 * those holding our concurrent text, and those `focus` names (where our caret is).
 */
export function analyseMoves(tr: Y.Transaction, update: Uint8Array, own: number, focus?: (text: Y.XmlText) => boolean): MoveAnalysis | null {
	// Cheap checks first: most changes delete no text, or insert none.
	const deletedNow = new Set<Y.Item>();
	Y.iterateDeletedStructs(tr, tr.deleteSet, (s) => {
		if (s instanceof Y.Item && isText(s)) deletedNow.add(s);
	});
	if (deletedNow.size === 0) return null;
	const inserted = insertedRuns(tr, own);
	if (inserted.length === 0) return null;

	const decoded = Y.decodeUpdate(update);
	const explicit = new Set<Y.Item>();
	Y.iterateDeletedStructs(tr, decoded.ds, (s) => {
		if (s instanceof Y.Item && isText(s)) explicit.add(s);
	});
	const known = knownClock(decoded, own);
	const parents = new Set<Y.XmlText>();
	for (const item of explicit) parents.add(item.parent as Y.XmlText);

	const analysis: MoveAnalysis = { moved: new Map(), movedStarts: new Map(), rescues: [] };
	const concurrent = ownConcurrent(own, known, explicit, deletedNow);
	const pool = new Pool(inserted);
	for (const parent of parents) {
		// What the change deleted here, and which of those runs reappear among what it inserted.
		const runs = deletedRuns(parent, explicit, concurrent);
		const partial = inDeletedType(parent) && (holds(parent, concurrent) || focus?.(parent) === true);
		const inRun = new Map<Y.Item, Moved>();
		for (const run of runs) {
			const copy = findCopy(run, pool, partial);
			if (copy === null) continue;
			run.units.forEach((u, i) => {
				const c = copy[i];
				if (c !== null) analysis.moved.set(key(u.client, u.clock), Y.createID(c.client, c.clock));
			});
			for (const item of run.items) inRun.set(item, { run, copy });
			if (startsText(parent, run)) analysis.movedStarts.set(parent, firstCopied(copy));
		}
		if (inRun.size === 0) continue;
		for (const rescue of ownRescues(parent, concurrent, explicit, deletedNow, inRun)) analysis.rescues.push(rescue);
	}
	return analysis.moved.size === 0 ? null : analysis;
}

/** The text runs `tr` inserted (by others), alive, per Y.XmlText, in document order. */
function insertedRuns(tr: Y.Transaction, own: number): TextRun[] {
	const parents = new Set<Y.XmlText>();
	const fresh = new Set<Y.Item>();
	tr.afterState.forEach((after, client) => {
		const before = tr.beforeState.get(client) ?? 0;
		if (client === own || after <= before) return;
		const structs = tr.doc.store.clients.get(client) ?? [];
		for (let i = Y.findIndexSS(structs, before); i < structs.length; i++) {
			const s = structs[i];
			if (s instanceof Y.Item && !s.deleted && isText(s)) {
				fresh.add(s);
				parents.add(s.parent as Y.XmlText);
			}
		}
	});
	return [...parents].flatMap((parent) =>
		runsOf(
			parent,
			(n) => fresh.has(n),
			(n) => !n.deleted && n.countable
		)
	);
}

/** The runs of `parent`'s items that are `member`s, in document order; an item that `breaks` ends a run. */
function runsOf(parent: Y.XmlText, member: (n: Y.Item) => boolean, breaks: (n: Y.Item) => boolean): TextRun[] {
	const runs: TextRun[] = [];
	let run: TextRun | null = null;
	for (let n = parent._start; n !== null; n = n.right) {
		if (member(n)) {
			run ??= { parent, items: [], text: '', units: [] };
			run.items.push(n);
			run.text += (n.content as Y.ContentString).str;
			run.units.push(...unitsOf(n));
		} else if (breaks(n) && run !== null) {
			runs.push(run);
			run = null;
		}
	}
	if (run !== null) runs.push(run);
	return runs;
}

/**
 * Our text that the change did not see: not deleted by it itself, and either deleted only because its
 * paragraph was, or visible and newer than anything of ours the change refers to.
 */
function ownConcurrent(own: number, known: number, explicit: Set<Y.Item>, deletedNow: Set<Y.Item>): (n: Y.Item) => boolean {
	return (n) => isText(n) && n.id.client === own && !explicit.has(n) && (deletedNow.has(n) || (!n.deleted && n.id.clock >= known));
}

/**
 * The runs of characters the change deleted itself (`explicit`) in `parent`. Characters deleted
 * earlier, formatting, and text typed concurrently (ours, or a third person's that went down with the
 * paragraph) do not break a run: the change's author did not see them.
 */
function deletedRuns(parent: Y.XmlText, explicit: Set<Y.Item>, concurrent: (n: Y.Item) => boolean): TextRun[] {
	return runsOf(
		parent,
		(n) => explicit.has(n),
		(n) => !(n.deleted || !n.countable || concurrent(n))
	);
}

/** The text runs a change inserted, also as one string (separated by U+0000) to search once. */
class Pool {
	readonly joined: string;
	/** Where each run starts in `joined`. */
	private readonly starts: number[] = [];

	constructor(readonly runs: TextRun[]) {
		let at = 0;
		for (const r of runs) {
			this.starts.push(at);
			at += r.text.length + 1;
		}
		this.joined = runs.map((r) => r.text).join('\u0000');
	}

	/** The ids of `length` units from `at` in `joined` (within one run). */
	units(at: number, length: number): CharId[] {
		let i = this.starts.length - 1;
		while (this.starts[i] > at) i--;
		const from = at - this.starts[i];
		return this.runs[i].units.slice(from, from + length);
	}
}

function holds(parent: Y.XmlText, member: (n: Y.Item) => boolean): boolean {
	for (let n = parent._start; n !== null; n = n.right) if (member(n)) return true;
	return false;
}

/**
 * The copy of `run` among the inserted runs: per unit of the run, the id of its copy, or null for a
 * unit that was deleted without one. A split or a join copies the whole run. A deletion across a line
 * break copies only part of the later line (what followed the selection), so with `partial` (in a
 * paragraph the change deleted) the longest stretch the run shares with inserted text, of two units or
 * more, is its copy.
 */
function findCopy(run: TextRun, pool: Pool, partial: boolean): Array<CharId | null> | null {
	if (run.text === '') return null;
	const whole = pool.joined.indexOf(run.text);
	if (whole >= 0) return pool.units(whole, run.text.length);
	if (!partial) return null;
	const shared = longestShared(run.text, pool.joined);
	if (shared === null || shared.length < 2) return null;
	const copy = pool.units(shared.atB, shared.length);
	return run.units.map((_, i) => (i >= shared.atA && i < shared.atA + shared.length ? copy[i - shared.atA] : null));
}

/**
 * The longest stretch of text `a` and `b` share, by binary search on its length with rolling hashes:
 * time proportional to (|a| + |b|) × log, whatever the texts (a paragraph pasted over a whole report).
 */
function longestShared(a: string, b: string): { atA: number; atB: number; length: number } | null {
	let found: { atA: number; atB: number; length: number } | null = null;
	let low = 1;
	let high = Math.min(a.length, b.length);
	while (low <= high) {
		const length = (low + high) >> 1;
		const hit = sharedOfLength(a, b, length);
		if (hit === null) high = length - 1;
		else {
			found = { ...hit, length };
			low = length + 1;
		}
	}
	return found;
}

const hashBase = 0x01000193;

/** A stretch of `length` units both texts have, found by hashing every window (hits are compared). */
function sharedOfLength(a: string, b: string, length: number): { atA: number; atB: number } | null {
	let drop = 1;
	for (let i = 0; i < length; i++) drop = Math.imul(drop, hashBase);
	const windows = (text: string, each: (hash: number, start: number) => boolean) => {
		let h = 0;
		for (let i = 0; i < text.length; i++) {
			h = (Math.imul(h, hashBase) + text.charCodeAt(i)) | 0;
			if (i >= length) h = (h - Math.imul(text.charCodeAt(i - length), drop)) | 0;
			if (i >= length - 1 && each(h, i - length + 1)) return;
		}
	};
	const first = new Map<number, number>();
	windows(a, (h, start) => {
		if (!first.has(h)) first.set(h, start);
		return false;
	});
	let hit: { atA: number; atB: number } | null = null;
	windows(b, (h, start) => {
		const atA = first.get(h);
		if (atA !== undefined && a.startsWith(b.slice(start, start + length), atA)) hit = { atA, atB: start };
		return hit !== null;
	});
	return hit;
}

/** Whether `text` or a type above it is deleted (its paragraph went away). */
function inDeletedType(text: Y.XmlText): boolean {
	for (let item = text._item; item !== null; item = (item.parent as { _item: Y.Item | null })._item) if (item.deleted) return true;
	return false;
}

/** Whether nothing visible precedes `run` in its text (a caret at the text's start was before it). */
function startsText(parent: Y.XmlText, run: TextRun): boolean {
	for (let n = parent._start; n !== null && n !== run.items[0]; n = n.right) {
		if (!n.deleted && n.countable) return false;
	}
	return true;
}

/**
 * Our own text in `parent` that the move left behind: typed concurrently, just after a moved
 * character (or at the very start of the text, just before one) — or, when the move deleted it with
 * its paragraph, anywhere among the moved characters.
 */
function ownRescues(
	parent: Y.XmlText,
	concurrent: (n: Y.Item) => boolean,
	explicit: Set<Y.Item>,
	deletedNow: Set<Y.Item>,
	inRun: Map<Y.Item, Moved>
): Rescue[] {
	const rescues: Rescue[] = [];
	const items: Y.Item[] = [];
	for (let n = parent._start; n !== null; n = n.right) items.push(n);
	for (let first = 0; first < items.length; first++) {
		if (!concurrent(items[first])) continue;
		// A run of our concurrent text (what was deleted earlier, or formatting, does not break it).
		const group: Y.Item[] = [];
		let last = first;
		for (let j = first; j < items.length; j++) {
			const n = items[j];
			if (concurrent(n)) {
				group.push(n);
				last = j;
			} else if (!(n.deleted && !deletedNow.has(n)) && n.countable) break;
		}
		const lost = group.every((n) => deletedNow.has(n));
		const anchor = anchorFor(items, first, last, deletedNow, explicit, inRun, lost);
		first = last;
		if (anchor === null) continue;
		const strays = group.filter((n) => !n.deleted);
		rescues.push({
			text: group.map((n) => (n.content as Y.ContentString).str).join(''),
			units: group.flatMap(unitsOf),
			strays: strays.map((n) => n.id),
			strayLength: strays.reduce((sum, n) => sum + n.length, 0),
			anchor: anchor.id,
			after: anchor.after
		});
	}
	return rescues;
}

/** A run of deleted characters and, per unit, its copy (null: deleted without one). */
interface Moved {
	run: TextRun;
	copy: Array<CharId | null>;
}

function firstCopied(copy: Array<CharId | null>): Y.ID {
	const c = copy.find((u) => u !== null)!;
	return Y.createID(c.client, c.clock);
}

/**
 * Where text next to the unit of `n` at its end (text after it) or start (text before it) goes: beside
 * that unit's copy; for a unit deleted without a copy, before the copy's first unit when it came
 * before the copied stretch (that is where the deletion was), after its last one when it came after.
 */
function besideCopy(n: Y.Item, moved: Moved, end: boolean): { id: Y.ID; after: boolean } {
	const clock = end ? n.id.clock + n.length - 1 : n.id.clock;
	const unit = moved.run.units.findIndex((u) => u.client === n.id.client && u.clock === clock);
	const own = moved.copy[unit];
	if (own !== null) return { id: Y.createID(own.client, own.clock), after: end };
	const first = moved.copy.findIndex((u) => u !== null);
	if (unit < first) return { id: firstCopied(moved.copy), after: false };
	const last = moved.copy.findLastIndex((u) => u !== null);
	return { id: Y.createID(moved.copy[last]!.client, moved.copy[last]!.clock), after: true };
}

/**
 * Where a group of our text at items[first..last] belongs: after the copy of the moved character just
 * before it; or, for text at the start of the paragraph or deleted with it, before the copy of the
 * first moved character after it. Null when our text stays where it is.
 */
function anchorFor(
	items: Y.Item[],
	first: number,
	last: number,
	deletedNow: Set<Y.Item>,
	explicit: Set<Y.Item>,
	inRun: Map<Y.Item, Moved>,
	lost: boolean
): { id: Y.ID; after: boolean } | null {
	// Invisible to the people typing: formatting, text deleted before, a third person's text that went
	// down with the paragraph.
	const invisible = (n: Y.Item) => !n.countable || (n.deleted && !deletedNow.has(n)) || (deletedNow.has(n) && !explicit.has(n));
	let atStart = true;
	for (let k = first - 1; k >= 0; k--) {
		const n = items[k];
		if (invisible(n)) continue;
		const moved = inRun.get(n);
		if (moved !== undefined) return besideCopy(n, moved, true);
		atStart = false;
		break;
	}
	if (!lost && !atStart) return null;
	for (let k = last + 1; k < items.length; k++) {
		const n = items[k];
		if (invisible(n)) continue;
		const moved = inRun.get(n);
		return moved === undefined ? null : besideCopy(n, moved, false);
	}
	return null;
}

/**
 * Puts our text back (deleting the strays, inserting beside the copy) in one transaction with
 * `origin`. Returns, per rescue, the id of the first unit of its new text (the rest follow it).
 */
export function applyRescues(doc: Y.Doc, rescues: Rescue[], origin: unknown): Array<Y.ID | null> {
	const placed: Array<Y.ID | null> = [];
	doc.transact(() => {
		for (const r of rescues) {
			if (r.strays.length > 0) {
				const at = Y.createAbsolutePositionFromRelativePosition(new Y.RelativePosition(null, null, r.strays[0], 0), doc);
				if (at !== null && at.type instanceof Y.XmlText) at.type.delete(at.index, r.strayLength);
			}
			const target = Y.createAbsolutePositionFromRelativePosition(new Y.RelativePosition(null, null, r.anchor, r.after ? -1 : 0), doc);
			if (target === null || !(target.type instanceof Y.XmlText)) {
				placed.push(null);
				continue;
			}
			// Inserted without attributes, the text takes the formatting around it and is one item.
			const start = Y.createID(doc.clientID, Y.getState(doc.store, doc.clientID));
			target.type.insert(target.index, r.text);
			placed.push(start);
		}
	}, origin);
	return placed;
}

/**
 * Where a caret (a relative position as y-tiptap keeps it) goes after the move: beside the copy of the
 * character it followed, into our rescued text, or to the copy's start. Null when it is unaffected.
 */
export function followCaret(doc: Y.Doc, rel: Y.RelativePosition, analysis: MoveAnalysis, placed: Array<Y.ID | null>): Y.RelativePosition | null {
	if (rel.item !== null) {
		const moved = analysis.moved.get(key(rel.item.client, rel.item.clock));
		if (moved !== undefined) return new Y.RelativePosition(null, null, moved, rel.assoc);
		for (let r = 0; r < analysis.rescues.length; r++) {
			const start = placed[r];
			const unit = analysis.rescues[r].units.findIndex((u) => u.client === rel.item!.client && u.clock === rel.item!.clock);
			if (start !== null && start !== undefined && unit >= 0) return new Y.RelativePosition(null, null, Y.createID(start.client, start.clock + unit), rel.assoc);
		}
		return null;
	}
	if (rel.type === null || rel.assoc >= 0) return null;
	const item = Y.getItem(doc.store, rel.type);
	const type = item.content instanceof Y.ContentType ? item.content.type : null;
	const first = type instanceof Y.XmlText ? analysis.movedStarts.get(type) : undefined;
	return first === undefined ? null : new Y.RelativePosition(null, null, first, 0);
}
