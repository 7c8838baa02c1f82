import { Editor } from '@tiptap/core';
import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { TableKit } from '@tiptap/extension-table';
import StarterKit from '@tiptap/starter-kit';
import type { CollabSession } from '$lib/collab/collab-session.svelte';
import { personLabel } from '$lib/shared/blocks';
import { type BlockContext, blockExtensions } from './blocks';
import { CommentAnchors } from './comment-anchors';
import { guardCompositions } from './composition';
import { followMoves } from './follow-moves';

export interface CaretUser {
	name: string;
	unit: string;
	unitType?: string;
	color: string;
}

/** "name · unit（unit type）", from whatever a presence state holds. */
export function presenceLabel(user: Record<string, unknown>): string {
	const text = (v: unknown) => (typeof v === 'string' ? v : '');
	return personLabel(text(user.name), text(user.unit), text(user.unitType));
}

/** A caret labelled with `presenceLabel`, built from text nodes only: names are untrusted input. */
function renderCaret(user: Record<string, unknown>): HTMLElement {
	const color = typeof user.color === 'string' && /^#[0-9a-fA-F]{3,8}$/.test(user.color) ? user.color : '#64748b';
	const caret = document.createElement('span');
	caret.classList.add('collaboration-carets__caret');
	caret.style.borderColor = color;
	const label = document.createElement('div');
	label.classList.add('collaboration-carets__label');
	label.style.backgroundColor = color;
	label.textContent = presenceLabel(user);
	caret.append(label);
	return caret;
}

/**
 * The collaborative editor: rich text (headings, lists, bold/italic, quotes, tables, links) and the
 * structured blocks of analyses and plans (see ./blocks), bound to
 * the session's Y.Doc, with other people's carets. Undo/redo come from the Yjs binding so that each
 * user undoes only their own changes.
 */
export function createEditor(element: HTMLElement, session: CollabSession, user: CaretUser, editable: boolean, blocks: BlockContext): Editor {
	const editor = new Editor({
		element,
		editable,
		extensions: [
			StarterKit.configure({
				undoRedo: false,
				// It appends an empty paragraph whenever the document does not end in one, on every
				// transaction, a remote one or the first render included: opening a document that ends in a
				// heading or a block would write. The gap cursor still lets people type after a last block.
				trailingNode: false,
				link: { openOnClick: false, autolink: true, protocols: ['http', 'https'], defaultProtocol: 'https' }
			}),
			TableKit.configure({ table: { resizable: false } }),
			...blockExtensions(blocks),
			CommentAnchors,
			Collaboration.configure({ document: session.doc, field: 'default' }),
			CollaborationCaret.configure({ provider: session.provider, user, render: renderCaret })
		],
		editorProps: { attributes: { class: 'concord-editor', spellcheck: 'false' } }
	});
	const stops = [guardCompositions(editor, session), followMoves(editor, session)];
	editor.on('destroy', () => stops.forEach((stop) => stop()));
	return editor;
}
