import type { Editor } from '@tiptap/core';

/** What the page gives the blocks: labels in the page's language, the conference's units, causes to link. */
export interface BlockContext {
	labels: Record<string, string>;
	units: string[];
	causes: { id: string; text: string; key: boolean }[];
	/** Proposes blocks of this document for the minutes; absent where that is not possible. */
	propose?: (blockIds: string[]) => void;
	/** Takes a changed source into the minutes (approvers, in the minutes). */
	updateMinutes?: (proposalId: string) => void;
}

/** The context the page gave the blocks (kept in the storage of the `blockIds` extension). */
export const context = (editor: Editor): BlockContext => (editor.storage as unknown as { blockIds: { context: BlockContext } }).blockIds.context;

/** An attribute kept in the HTML as data-*, so that copy and paste keep it. */
export const dataAttr = (name: string, fallback: string | boolean | null) => {
	const html = `data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
	return {
		default: fallback,
		parseHTML: (el: HTMLElement) => {
			const v = el.getAttribute(html);
			if (v === null) return fallback;
			return typeof fallback === 'boolean' ? v === 'true' : v;
		},
		renderHTML: (attrs: Record<string, unknown>) => (attrs[name] === null || attrs[name] === undefined ? {} : { [html]: String(attrs[name]) })
	};
};
