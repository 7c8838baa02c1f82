import { type Editor, Extension } from '@tiptap/core';
import type { Node as PmNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { absolutePositionToRelativePosition, relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import { fromBase64, toBase64 } from '$lib/shared/base64';

/** What the editor needs of a comment thread (or a pending suggestion) to mark where it hangs. */
export interface AnchoredThread {
	id: string;
	blockId: string | null;
	start: string | null;
	end: string | null;
	/** A pending suggestion's proposed text: shown after its range, or at its point. */
	suggestion?: { text: string; decision: string | null } | null;
}

/** Where a thread hangs now: a text range, a whole block, or (a suggested insertion) a point. */
export interface PlacedAnchor {
	from: number;
	to: number;
	kind: 'range' | 'block' | 'point';
}

interface AnchorState {
	threads: AnchoredThread[];
	active: string | null;
	decorations: DecorationSet;
}

/** Set with `tr.setMeta(commentAnchorsKey, { threads, active })`: the page's whole picture. */
export const commentAnchorsKey = new PluginKey<AnchorState>('commentAnchors');

type Binding = { type: Y.XmlFragment; mapping: Map<unknown, unknown>; doc: Y.Doc };
const bindingOf = (state: EditorState) => ySyncPluginKey.getState(state)?.binding as Binding | undefined;

/** The block with `blockId`: its position and node. */
function findBlock(doc: PmNode, blockId: string): { pos: number; node: PmNode } | null {
	let found: { pos: number; node: PmNode } | null = null;
	doc.descendants((node, pos) => {
		if (found !== null) return false;
		if (node.attrs.blockId === blockId) found = { pos, node };
		return true;
	});
	return found;
}

/**
 * Where a thread hangs in the editor now: its text range, followed through everyone's edits by its
 * Yjs relative positions; its block when the range is gone or there is none; null when both are gone.
 */
export function anchorRange(state: EditorState, thread: AnchoredThread): PlacedAnchor | null {
	const binding = bindingOf(state);
	if (binding !== undefined && thread.start !== null) {
		try {
			const abs = (b64: string) => relativePositionToAbsolutePosition(binding.doc, binding.type, Y.decodeRelativePosition(fromBase64(b64)), binding.mapping as never);
			const from = abs(thread.start);
			if (thread.end === null) {
				if (from !== null && from <= state.doc.content.size) return { from, to: from, kind: 'point' };
			} else {
				// `end` is the range's last character (so that text typed right after it stays outside).
				const last = abs(thread.end);
				const to = last === null ? null : last + 1;
				if (from !== null && to !== null && from < to && to <= state.doc.content.size) return { from, to, kind: 'range' };
			}
		} catch {
			// A position this document cannot place: fall back to the block.
		}
	}
	const block = thread.blockId === null ? null : findBlock(state.doc, thread.blockId);
	return block === null ? null : { from: block.pos, to: block.pos + block.node.nodeSize, kind: 'block' };
}

/** The proposed text of a suggestion, drawn in the text (never in the shared document). */
function proposal(text: string, threadId: string, active: boolean): HTMLElement {
	const span = document.createElement('span');
	span.className = `suggest-insert${active ? ' comment-active' : ''}`;
	span.dataset.thread = threadId;
	span.contentEditable = 'false';
	span.textContent = text;
	return span;
}

function build(state: EditorState, threads: AnchoredThread[], active: string | null): DecorationSet {
	const found: Decoration[] = [];
	for (const t of threads) {
		const at = anchorRange(state, t);
		if (at === null) continue;
		const on = t.id === active ? ' comment-active' : '';
		const suggested = t.suggestion ?? null;
		if (suggested !== null && at.kind !== 'block') {
			if (at.kind === 'range') found.push(Decoration.inline(at.from, at.to, { class: `suggest-range${on}`, 'data-thread': t.id }));
			if (suggested.text !== '') found.push(Decoration.widget(at.to, () => proposal(suggested.text, t.id, on !== ''), { side: 1, key: `s-${t.id}-${suggested.text}-${on}` }));
			continue;
		}
		const attrs = { class: `${at.kind === 'range' ? 'comment-anchor' : 'comment-block'}${on}`, 'data-thread': t.id };
		found.push(at.kind === 'range' ? Decoration.inline(at.from, at.to, attrs) : Decoration.node(at.from, at.to, attrs));
	}
	return DecorationSet.create(state.doc, found);
}

/**
 * Marks the text (or block) each open comment thread hangs on, as decorations that never enter the
 * shared document, and tells `onPick` (set in the extension's storage by the page) which thread a
 * click on a mark chose. Local edits move the marks with the text; remote ones place them again from
 * the relative positions. Part of the editor from its creation: a plugin registered later would
 * rebuild the Yjs binding's view, resetting the caret of someone typing.
 */
export const CommentAnchors = Extension.create<Record<string, never>, { onPick: ((threadId: string) => void) | null }>({
	name: 'commentAnchors',
	addStorage: () => ({ onPick: null }),
	addProseMirrorPlugins() {
		const storage = this.storage;
		return [
			new Plugin<AnchorState>({
				key: commentAnchorsKey,
				state: {
					init: () => ({ threads: [], active: null, decorations: DecorationSet.empty }),
					apply(tr, value, _old, next) {
						const set = tr.getMeta(commentAnchorsKey) as { threads: AnchoredThread[]; active: string | null } | undefined;
						const remote = (tr.getMeta(ySyncPluginKey) as { isChangeOrigin?: boolean } | undefined)?.isChangeOrigin === true;
						if (set !== undefined) return { ...set, decorations: build(next, set.threads, set.active) };
						if (remote && value.threads.length > 0) return { ...value, decorations: build(next, value.threads, value.active) };
						return tr.docChanged ? { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) } : value;
					}
				},
				props: {
					decorations: (state) => commentAnchorsKey.getState(state)?.decorations ?? DecorationSet.empty,
					handleClick(_view, _pos, event) {
						const mark = (event.target as HTMLElement | null)?.closest?.('[data-thread]');
						const id = mark?.getAttribute('data-thread');
						if (id) storage.onPick?.(id);
						return false;
					}
				}
			})
		];
	}
});

/** Tells the page which thread a click on a mark chose; returns the stop. */
export function onThreadPicked(editor: Editor, pick: (threadId: string) => void): () => void {
	const storage = (editor.storage as unknown as { commentAnchors: { onPick: ((id: string) => void) | null } }).commentAnchors;
	storage.onPick = pick;
	return () => {
		if (storage.onPick === pick) storage.onPick = null;
	};
}

/** Shows `threads` in the editor, `active` marked apart. */
export function showAnchors(editor: Editor, threads: AnchoredThread[], active: string | null): void {
	if (!editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta(commentAnchorsKey, { threads, active }).setMeta('addToHistory', false));
}

/**
 * The anchor of a new thread from the selection: the innermost block with an id around its start and,
 * for a non-empty selection inside one block's text, the range as relative positions and its text.
 */
export function selectionAnchor(editor: Editor): { blockId: string | null; start: string | null; end: string | null; quote: string } | null {
	const { state } = editor;
	const { from, to, $from } = state.selection;
	let blockId: string | null = null;
	for (let d = $from.depth; d > 0 && blockId === null; d--) {
		const id = $from.node(d).attrs.blockId;
		if (typeof id === 'string' && id !== '') blockId = id;
	}
	const binding = bindingOf(state);
	const quote = state.doc.textBetween(from, to, ' ').trim();
	if (from === to || binding === undefined || quote === '') return blockId === null ? null : { blockId, start: null, end: null, quote: '' };
	const rel = (pos: number) => toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never)));
	return { blockId, start: rel(from), end: rel(to - 1), quote: quote.length > 200 ? `${quote.slice(0, 199)}…` : quote };
}

/**
 * The anchor of a suggestion from the selection: its exact text within one paragraph (or the caret,
 * to insert at); null when the selection spans paragraphs or is not in text.
 */
export function suggestionAnchor(editor: Editor): { blockId: string | null; start: string; end: string | null; quote: string } | null {
	const { state } = editor;
	const { from, to, $from, $to } = state.selection;
	const binding = bindingOf(state);
	if (binding === undefined || !$from.parent.isTextblock || $from.parent !== $to.parent) return null;
	const quote = state.doc.textBetween(from, to);
	if (quote.length > 2000) return null;
	const blockId = typeof $from.parent.attrs.blockId === 'string' ? $from.parent.attrs.blockId : null;
	const rel = (pos: number) => toBase64(Y.encodeRelativePosition(absolutePositionToRelativePosition(pos, binding.type, binding.mapping as never)));
	return { blockId, start: rel(from), end: from === to ? null : rel(to - 1), quote: from === to ? '' : quote };
}
