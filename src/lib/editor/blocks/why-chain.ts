import { Node, mergeAttributes } from '@tiptap/core';
import { dataAttr } from './context';

/** The 5-why chain under a key cause: each "why" answers the one before it. */
export const WhyChain = Node.create({
	name: 'whyChain',
	content: 'why+',
	defining: true,
	parseHTML: () => [{ tag: 'ol[data-type="why-chain"]' }],
	renderHTML: ({ HTMLAttributes }) => ['ol', mergeAttributes(HTMLAttributes, { 'data-type': 'why-chain' }), 0]
});

export const Why = Node.create({
	name: 'why',
	content: 'inline*',
	defining: true,
	addAttributes: () => ({ author: dataAttr('author', null) }),
	parseHTML: () => [{ tag: 'li[data-type="why"]' }],
	renderHTML: ({ HTMLAttributes }) => ['li', mergeAttributes(HTMLAttributes, { 'data-type': 'why' }), 0]
});
