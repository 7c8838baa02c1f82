import type { Editor } from '@tiptap/core';
import { TextSelection } from '@tiptap/pm/state';
import { relativePositionToAbsolutePosition, ySyncPluginKey } from '@tiptap/y-tiptap';
import type * as Y from 'yjs';
import type { CollabSession } from '$lib/collab/collab-session.svelte';
import { analyseMoves, applyRescues, followCaret } from '$lib/collab/moves';

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
		const analysis = analyseMoves(tr, update, doc.clientID);
		if (analysis === null) return;
		const binding = ySyncPluginKey.getState(editor.state)?.binding as
			| { beforeTransactionSelection: RelativeSelection | null; type: Y.XmlFragment; mapping: Map<unknown, unknown> }
			| undefined;
		const before = binding?.beforeTransactionSelection ?? null;
		const placed = analysis.rescues.length > 0 && editor.isEditable ? applyRescues(doc, analysis.rescues, rescueOrigin) : [];
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
