import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey, yUndoPluginKey } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { CollabSession } from '$lib/collab/collab-session.svelte';
import { type MoveAnalysis, analyseMoves, applyRescues, followCaret } from '$lib/collab/moves';

/** The origin of our own text put back after a move: not the editor's, so the editor redraws it. */
const rescueOrigin = Symbol('rescue');

interface RelativeSelection {
	anchor: Y.RelativePosition | null;
	head: Y.RelativePosition | null;
}

/**
 * Someone else splitting or joining the paragraph we type in moves its characters (see
 * $lib/collab/moves): our text typed meanwhile is put back beside the copies, and our caret follows
 * the characters it was at.
 */
export function followMoves(editor: Editor, session: CollabSession): () => void {
	const doc = session.doc;
	const onAfter = (tr: Y.Transaction) => {
		const update = session.incomingUpdate;
		if (tr.origin !== session.provider || update === null || editor.isDestroyed) return;
		const binding = ySyncPluginKey.getState(editor.state)?.binding as
			| { beforeTransactionSelection: RelativeSelection | null; type: Y.XmlFragment; mapping: Map<unknown, unknown> }
			| undefined;
		const before = binding?.beforeTransactionSelection ?? null;
		// Looked up only when a change moves text (most remote changes end analyseMoves at its first check).
		let carets: Set<Y.XmlText | null> | null = null;
		const atCaret = (text: Y.XmlText) => (carets ??= new Set([before?.anchor, before?.head].map((rel) => (rel ? textOf(doc, rel) : null)))).has(text);
		const analysis = analyseMoves(tr, update, doc.clientID, atCaret);
		if (analysis === null) return;
		const placed = analysis.rescues.length > 0 && editor.isEditable ? applyRescues(doc, analysis.rescues, rescueOrigin) : [];
		carryUndo(editor, doc.clientID, analysis, placed);
		if (binding === undefined || before === null || before.anchor === null || before.head === null) return;
		const anchor = followCaret(doc, before.anchor, analysis, placed);
		const head = followCaret(doc, before.head, analysis, placed);
		if (anchor === null && head === null) return;
		// After this update and the rescue have been drawn (both within this message).
		queueMicrotask(() => {
			if (editor.isDestroyed) return;
			const abs = (rel: Y.RelativePosition | null, fallback: number) =>
				rel === null ? fallback : (relativePositionToAbsolutePosition(doc, binding.type, rel, binding.mapping as never) ?? fallback);
			const sel = editor.state.selection;
			const a = abs(anchor ?? before.anchor, sel.anchor);
			const h = abs(head ?? before.head, sel.head);
			const size = editor.state.doc.content.size;
			if (a > size || h > size) return;
			editor.view.dispatch(editor.state.tr.setSelection(TextSelection.create(editor.state.doc, a, h)).setMeta('addToHistory', false));
		});
	};
	doc.on('afterTransaction', onAfter);
	return () => doc.off('afterTransaction', onAfter);
}

/** The text a caret (a relative position) is in, if it is in one. */
function textOf(doc: Y.Doc, rel: Y.RelativePosition): Y.XmlText | null {
	const id = rel.item ?? rel.type;
	if (id === null || id.clock >= Y.getState(doc.store, id.client)) return null;
	const item = Y.getItem(doc.store, id);
	if (!(item instanceof Y.Item)) return null;
	const type = rel.item !== null ? item.parent : item.content instanceof Y.ContentType ? item.content.type : null;
	return type instanceof Y.XmlText ? type : null;
}

/**
 * Undo undoes only our own changes, by the characters they inserted: after a move those are deleted
 * and live on as copies (someone else's, or our rescued text). Each undo step that inserted moved
 * characters takes their copies along, so Ctrl+Z still takes back what we typed.
 */
function carryUndo(editor: Editor, own: number, analysis: MoveAnalysis, placed: Array<Y.ID | null>): void {
	const undoManager = yUndoPluginKey.getState(editor.state)?.undoManager as Y.UndoManager | undefined;
	if (undoManager === undefined || undoManager.undoStack.length === 0) return;
	const pairs: Array<[Y.ID, Y.ID]> = [];
	for (const [original, copy] of analysis.moved) {
		const [client, clock] = original.split(':').map(Number);
		if (client === own) pairs.push([Y.createID(client, clock), copy]);
	}
	analysis.rescues.forEach((r, i) => {
		const start = placed[i];
		if (start !== null && start !== undefined) r.units.forEach((u, k) => pairs.push([Y.createID(u.client, u.clock), Y.createID(start.client, start.clock + k)]));
	});
	for (const step of undoManager.undoStack) {
		const copies = pairs.filter(([original]) => Y.isDeleted(step.insertions, original)).map(([, copy]) => copy);
		if (copies.length === 0) continue;
		const extra = Y.createDeleteSet();
		for (const c of copies) {
			const list = extra.clients.get(c.client) ?? [];
			extra.clients.set(c.client, list);
			// A DeleteSet's entries are plain { clock, len } ranges; merging sorts and joins them.
			list.push({ clock: c.clock, len: 1 } as (typeof list)[number]);
		}
		step.insertions = Y.mergeDeleteSets([step.insertions, extra]);
	}
}
