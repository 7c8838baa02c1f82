import { Node, mergeAttributes } from '@tiptap/core';
import { backspaceRemovesEmpty, blockOf, blockView, enterMakesSibling, proposeButton } from './block-view';
import { context, dataAttr } from './context';

/** A cause: its text, the author's unit (stamped by the server), a key-cause mark (△) and, under a key cause, a 5-why chain. */
export const Cause = Node.create({
	name: 'cause',
	content: 'paragraph whyChain?',
	defining: true,
	addAttributes: () => ({ key: dataAttr('key', false), author: dataAttr('author', null) }),
	parseHTML: () => [{ tag: 'div[data-type="cause"]' }],
	renderHTML: ({ HTMLAttributes }) => ['div', mergeAttributes(HTMLAttributes, { 'data-type': 'cause' }), 0],
	addKeyboardShortcuts() {
		return { Enter: enterMakesSibling('cause'), Backspace: backspaceRemovesEmpty('cause') };
	},
	addNodeView() {
		return ({ node, editor, getPos }) =>
			blockView(node, editor, getPos, {
				className: 'block-cause',
				fields: [],
				showAuthor: true,
				buttons: (bar, current) => {
					const labels = context(editor).labels;
					const key = document.createElement('button');
					key.type = 'button';
					key.className = 'key-toggle';
					key.addEventListener('click', () => {
						const pos = getPos();
						if (pos === undefined) return;
						editor.view.dispatch(editor.view.state.tr.setNodeMarkup(pos, undefined, { ...current().attrs, key: !current().attrs.key }));
					});
					const why = document.createElement('button');
					why.type = 'button';
					why.textContent = labels.addWhy ?? '5Why';
					why.addEventListener('click', () => {
						const pos = getPos();
						if (pos === undefined) return;
						const end = pos + current().nodeSize - 1;
						editor.chain().insertContentAt(end, { type: 'whyChain', content: [{ type: 'why' }] }).focus(end + 2).run();
					});
					bar.prepend(key);
					bar.append(why);
					const propose = proposeButton(editor, current);
					bar.append(propose.button);
					return (n) => {
						// Labelled, not a bare ○/△: "○ 关键原因" to mark, "△ 关键原因" (pressed) once marked.
						const on = Boolean(n.attrs.key);
						key.textContent = `${on ? '△' : '○'} ${labels.keyCause ?? ''}`;
						key.title = on ? (labels.unmarkKey ?? '') : (labels.markKey ?? '');
						key.setAttribute('aria-pressed', String(on));
						key.classList.toggle('on', on);
						key.disabled = !editor.isEditable;
						// A reader sees the mark where there is one, and no disabled button where there is not.
						key.hidden = !editor.isEditable && !on;
						why.hidden = !editor.isEditable || !n.attrs.key || n.childCount > 1;
						blockOf(bar).classList.toggle('is-key', Boolean(n.attrs.key));
						propose.refresh(n);
					};
				}
			});
	}
});
