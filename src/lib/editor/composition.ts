import type { Editor } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import type { CollabSession } from '$lib/collab/collab-session.svelte';

/** The longest one composition may hold back other people's changes; then it is dropped, unfinished. */
const maxCompositionMs = 30_000;
/** How long after the browser ends a dropped composition its last DOM changes may still arrive. */
const settleMs = 100;

/**
 * Chinese input (pinyin, wubi) arrives through IME compositions. While one is open, nothing of it is
 * written to the shared document (the patched y-tiptap skips updates while `view.composing`: see
 * patches/), so unfinished pinyin is never relayed or stored; and other people's changes wait, because
 * applying one rebuilds the editor's text and would split or double the characters being composed.
 * When it ends, the chosen characters are written first, then the waiting changes are applied (in the
 * other order the rebuild would drop the characters just chosen).
 *
 * A composition open for longer than `maxCompositionMs` (the person left, or an IME whose end never
 * comes) is dropped rather than committed: what it holds is pinyin, not text. The editor is redrawn
 * from the shared document, the browser's own commit of the pinyin is refused, and the waiting
 * changes are applied.
 */
export function guardCompositions(editor: Editor, session: CollabSession): () => void {
	const view = editor.view;
	const dom = view.dom;
	let timer: ReturnType<typeof setTimeout> | null = null;
	let dropping = false;
	const stopTimer = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
	};
	const redraw = () => {
		const binding = ySyncPluginKey.getState(view.state)?.binding as { _forceRerender(): void } | undefined;
		binding?._forceRerender();
	};
	const flush = () => {
		// A new composition began in the meantime (IMEs chain them): its own end flushes.
		if (editor.isDestroyed || view.composing || dropping) return;
		stopTimer();
		// Any transaction runs y-tiptap's view update, which now writes the composed text.
		view.dispatch(view.state.tr);
		session.release();
	};
	const dropped = () => {
		timer = null;
		if (editor.isDestroyed) return;
		if (view.composing) {
			// The redraw took the composition's text away, so the browser may have no composition left
			// to end on blur: the editor is told it ended.
			dom.dispatchEvent(new CompositionEvent('compositionend', { data: '' }));
			timer = setTimeout(dropped, settleMs);
			return;
		}
		redraw();
		dropping = false;
		session.release();
	};
	const tooLong = () => {
		timer = null;
		if (editor.isDestroyed || !view.composing) return;
		dropping = true;
		// The editor's text becomes the shared document's again (no write: the composition is still open).
		redraw();
		// Ends the composition; the pinyin the browser commits is refused by the filter below.
		dom.blur();
		timer = setTimeout(dropped, settleMs);
	};
	const onStart = () => {
		session.hold();
		timer ??= setTimeout(tooLong, maxCompositionMs);
	};
	// ProseMirror reads the committed text on compositionend (its handler runs first, then a microtask).
	const onEnd = () => setTimeout(flush, 0);
	const key = new PluginKey('dropLongCompositions');
	editor.registerPlugin(
		new Plugin({ key, filterTransaction: (tr) => !dropping || !tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined })
	);
	dom.addEventListener('compositionstart', onStart);
	dom.addEventListener('compositionend', onEnd);
	return () => {
		stopTimer();
		if (!editor.isDestroyed) editor.unregisterPlugin(key);
		dom.removeEventListener('compositionstart', onStart);
		dom.removeEventListener('compositionend', onEnd);
	};
}
