import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';

/** A promoted block links to its item in the minutes: "→ 纪要" after its text. */
export function promotedMarks(labels: Record<string, string>): Plugin {
	return new Plugin({
		key: new PluginKey('promotedMarks'),
		props: {
			decorations(state) {
				const marks: Decoration[] = [];
				state.doc.descendants((node, pos) => {
					const target = node.attrs.promoted;
					if (typeof target !== 'string' || !target.includes('#')) return true;
					const [docId, itemId] = target.split('#');
					marks.push(
						Decoration.widget(
							pos + node.nodeSize - 1,
							() => {
								const a = document.createElement('a');
								a.className = 'promoted-mark';
								a.href = `/d/${encodeURIComponent(docId)}#${encodeURIComponent(itemId)}`;
								a.textContent = labels.promoted ?? '→';
								a.contentEditable = 'false';
								return a;
							},
							{ side: 1, key: `promoted-${itemId}` }
						)
					);
					return false;
				});
				return DecorationSet.create(state.doc, marks);
			}
		}
	});
}
