import { Extension } from '@tiptap/core';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { blockIdNodes, newBlockId, promotableNodes } from '$lib/shared/blocks';
import type { BlockContext } from './context';
import { promotedMarks } from './promoted-marks';
import { proposalMarks } from './proposal-marks';

/** Every block has a `blockId`, unique in the document: a copy, a paste or a split gets a fresh one. */
export const BlockIds = Extension.create<{ context: BlockContext }, { context: BlockContext }>({
	name: 'blockIds',
	addOptions: () => ({ context: { labels: {}, units: [], causes: [] } }),
	addStorage() {
		return { context: this.options.context };
	},
	addGlobalAttributes() {
		return [
			{
				types: [...blockIdNodes],
				attributes: {
					blockId: {
						default: null,
						keepOnSplit: true,
						parseHTML: (el) => el.getAttribute('data-block-id'),
						renderHTML: (a) => (a.blockId ? { 'data-block-id': a.blockId } : {})
					}
				}
			},
			{
				// Set by the server when the block is approved for the minutes: `<minutesDocId>#<itemId>`.
				types: [...promotableNodes],
				attributes: {
					promoted: {
						default: null,
						keepOnSplit: false,
						parseHTML: () => null,
						renderHTML: (a) => (a.promoted ? { 'data-promoted': a.promoted } : {})
					}
				}
			}
		];
	},
	addProseMirrorPlugins() {
		const editor = this.editor;
		const types = new Set<string>(blockIdNodes);
		const labels = this.options.context.labels;
		return [
			promotedMarks(labels),
			proposalMarks(labels),
			new Plugin({
				key: new PluginKey('blockIds'),
				appendTransaction(transactions, _old, state) {
					// A read-only view never writes (the server would refuse it and the copies would differ),
					// and a change that came from the shared document (someone else's edit, or the editor
					// filling an empty document with its first line on opening) is not ours to stamp: writing
					// ids then would make opening a document change it.
					if (!editor.isEditable || !transactions.some((tr) => tr.docChanged && !isChangeOrigin(tr))) return null;
					const seen = new Set<string>();
					let tr: ReturnType<typeof state.tr.setNodeMarkup> | null = null;
					state.doc.descendants((node, pos) => {
						if (!types.has(node.type.name)) return true;
						const id = node.attrs.blockId;
						if (typeof id !== 'string' || id === '' || seen.has(id)) {
							tr ??= state.tr;
							tr.setNodeMarkup(pos, undefined, { ...node.attrs, blockId: newBlockId() });
						} else seen.add(id);
						return true;
					});
					return tr;
				}
			})
		];
	}
});
