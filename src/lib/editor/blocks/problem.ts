import { Node, mergeAttributes } from '@tiptap/core';
import { blockView } from './block-view';
import { dataAttr } from './context';

/** The problem: which project, the quantified symptom, and the statement. */
export const Problem = Node.create({
	name: 'problem',
	group: 'block',
	content: 'paragraph+',
	defining: true,
	isolating: true,
	addAttributes: () => ({ project: dataAttr('project', ''), symptom: dataAttr('symptom', ''), author: dataAttr('author', null) }),
	parseHTML: () => [{ tag: 'section[data-type="problem"]' }],
	renderHTML: ({ HTMLAttributes }) => ['section', mergeAttributes(HTMLAttributes, { 'data-type': 'problem' }), 0],
	addNodeView() {
		return ({ node, editor, getPos }) =>
			blockView(node, editor, getPos, {
				className: 'block-problem',
				fields: [
					{ name: 'project', kind: 'text', wide: true },
					{ name: 'symptom', kind: 'text', wide: true }
				],
				showAuthor: false
			});
	}
});
