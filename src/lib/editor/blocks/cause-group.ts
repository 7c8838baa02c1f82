import { Node, mergeAttributes } from '@tiptap/core';
import { blockView } from './block-view';
import { context, dataAttr } from './context';

/** A bone of the fishbone: a category (人 机 料 法 环 测, or the project-delivery set) and its causes. */
export const CauseGroup = Node.create({
	name: 'causeGroup',
	group: 'block',
	content: 'cause+',
	defining: true,
	isolating: true,
	addAttributes: () => ({ category: dataAttr('category', '') }),
	parseHTML: () => [{ tag: 'section[data-type="cause-group"]' }],
	renderHTML: ({ HTMLAttributes }) => ['section', mergeAttributes(HTMLAttributes, { 'data-type': 'cause-group' }), 0],
	addNodeView() {
		return ({ node, editor, getPos }) =>
			blockView(node, editor, getPos, {
				className: 'block-group',
				fields: [],
				showAuthor: false,
				buttons: (bar, current) => {
					const title = document.createElement('strong');
					const add = document.createElement('button');
					add.type = 'button';
					add.textContent = context(editor).labels.addCause ?? '+';
					add.addEventListener('click', () => {
						const pos = getPos();
						if (pos === undefined) return;
						const end = pos + current().nodeSize - 1;
						editor.chain().insertContentAt(end, { type: 'cause', content: [{ type: 'paragraph' }] }).focus(end + 2).run();
					});
					bar.append(title, add);
					return (n) => {
						title.textContent = String(n.attrs.category ?? '');
						add.hidden = !editor.isEditable;
					};
				}
			});
	}
});
