import type { Editor } from '@tiptap/core';
import type { CollabSession } from '$lib/collab/collab-session.svelte';

/** The longest one composition may hold back other people's changes; then it is ended (blur commits it). */
const maxCompositionMs = 30_000;

/**
 * Chinese input (pinyin, wubi) arrives through IME compositions. While one is open, nothing of it is
 * written to the shared document (the patched y-tiptap skips updates while `view.composing`: see
 * patches/), so unfinished pinyin is never relayed or stored; and other people's changes wait, because
 * applying one rebuilds the editor's text and would split or double the characters being composed.
 * When it ends, the chosen characters are written first, then the waiting changes are applied (in the
 * other order the rebuild would drop the characters just chosen).
 */
export function guardCompositions(editor: Editor, session: CollabSession): () => void {
	const view = editor.view;
	const dom = view.dom;
	let timer: ReturnType<typeof setTimeout> | null = null;
	const stopTimer = () => {
		if (timer !== null) clearTimeout(timer);
		timer = null;
	};
	const flush = () => {
		// A new composition began in the meantime (IMEs chain them): its own end flushes.
		if (editor.isDestroyed || view.composing) return;
		stopTimer();
		// Any transaction runs y-tiptap's view update, which now writes the composed text.
		view.dispatch(view.state.tr);
		session.release();
	};
	const tooLong = () => {
		timer = null;
		// A composition whose end never comes (focus lost in some IMEs) must not freeze the document.
		if (view.composing) {
			dom.blur();
			timer = setTimeout(tooLong, maxCompositionMs);
		}
		setTimeout(flush, 0);
	};
	const onStart = () => {
		session.hold();
		timer ??= setTimeout(tooLong, maxCompositionMs);
	};
	// ProseMirror reads the committed text on compositionend (its handler runs first, then a microtask).
	const onEnd = () => setTimeout(flush, 0);
	dom.addEventListener('compositionstart', onStart);
	dom.addEventListener('compositionend', onEnd);
	return () => {
		stopTimer();
		dom.removeEventListener('compositionstart', onStart);
		dom.removeEventListener('compositionend', onEnd);
	};
}
