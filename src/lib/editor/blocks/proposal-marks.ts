import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

/** Where a block stands with the minutes: a proposal on its way (`busy`), or proposed and awaiting a decision. */
export type ProposalMark = 'busy' | 'pending';

/** Set with `tr.setMeta(proposalMarksKey, { [blockId]: mark })`: the page's whole picture, replacing the last one. */
export const proposalMarksKey = new PluginKey<Record<string, ProposalMark>>('proposalMarks');

/**
 * Marks each proposed block on the block itself, where the proposer looks: "正在提议…" while the
 * request runs, "已提议，待审定" until an approver decides (then the block's promoted link takes over).
 * The mark is a decoration: it never enters the shared document.
 */
export function proposalMarks(labels: Record<string, string>): Plugin {
	return new Plugin<Record<string, ProposalMark>>({
		key: proposalMarksKey,
		state: {
			init: () => ({}),
			apply: (tr, value) => (tr.getMeta(proposalMarksKey) as Record<string, ProposalMark> | undefined) ?? value
		},
		props: {
			decorations(state) {
				const marks = proposalMarksKey.getState(state) ?? {};
				if (Object.keys(marks).length === 0) return DecorationSet.empty;
				const found: Decoration[] = [];
				state.doc.descendants((node, pos) => {
					const mark = typeof node.attrs.blockId === 'string' ? marks[node.attrs.blockId] : undefined;
					if (mark !== undefined && !node.attrs.promoted) {
						found.push(
							Decoration.node(pos, pos + node.nodeSize, {
								class: `proposal-${mark}`,
								'data-proposal-state': (mark === 'busy' ? labels.proposing : labels.proposalPending) ?? ''
							})
						);
					}
					return true;
				});
				return DecorationSet.create(state.doc, found);
			}
		}
	});
}
