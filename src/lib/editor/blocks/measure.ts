import { type Editor, Node, mergeAttributes } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { measureTypes } from '$lib/shared/blocks';
import { backspaceRemovesEmpty, blockView, enterMakesSibling, proposeButton } from './block-view';
import { context, dataAttr } from './context';

/** A measure of a remediation plan: its text and its fields, edited in place and checked as typed (and by the server). */
export const Measure = Node.create({
	name: 'measure',
	group: 'block',
	content: 'paragraph',
	defining: true,
	isolating: true,
	addAttributes: () => ({
		responsibleUnit: dataAttr('responsibleUnit', ''),
		supportingUnits: dataAttr('supportingUnits', ''),
		deadline: dataAttr('deadline', ''),
		criteria: dataAttr('criteria', ''),
		type: dataAttr('type', ''),
		causes: dataAttr('causes', ''),
		author: dataAttr('author', null)
	}),
	parseHTML: () => [{ tag: 'section[data-type="measure"]' }],
	renderHTML: ({ HTMLAttributes }) => ['section', mergeAttributes(HTMLAttributes, { 'data-type': 'measure' }), 0],
	addKeyboardShortcuts() {
		return { Enter: enterMakesSibling('measure'), Backspace: backspaceRemovesEmpty('measure') };
	},
	addNodeView() {
		return ({ node, editor, getPos }) =>
			blockView(node, editor, getPos, {
				className: 'block-measure',
				fields: [
					{ name: 'responsibleUnit', kind: 'unit' },
					{ name: 'supportingUnits', kind: 'text' },
					{ name: 'deadline', kind: 'date' },
					{ name: 'type', kind: 'select', options: measureTypes },
					{ name: 'criteria', kind: 'text', wide: true }
				],
				showAuthor: true,
				buttons: (bar, current) => {
					const refreshCauses = linkedCauses(bar, editor, getPos, current);
					const propose = proposeButton(editor, current);
					bar.append(propose.button);
					return (n) => {
						refreshCauses(n);
						propose.refresh(n);
					};
				}
			});
	}
});

/** The causes a measure answers: chosen from the breakout's analyses. */
function linkedCauses(bar: HTMLElement, editor: Editor, getPos: () => number | undefined, current: () => PMNode): (n: PMNode) => void {
	const ctx = context(editor);
	const details = document.createElement('details');
	details.className = 'causes';
	const summary = document.createElement('summary');
	const list = document.createElement('div');
	details.append(summary, list);
	bar.append(details);
	return (n) => {
		const chosen = new Set(String(n.attrs.causes ?? '').split(',').filter(Boolean));
		summary.textContent = `${ctx.labels.causes ?? ''}（${chosen.size}）`;
		list.replaceChildren();
		const offered = ctx.causes.filter((c) => c.text.trim() !== '' || chosen.has(c.id));
		if (offered.length === 0) list.textContent = ctx.labels.noCauses ?? '';
		for (const c of offered) {
			const row = document.createElement('label');
			const box = document.createElement('input');
			box.type = 'checkbox';
			box.checked = chosen.has(c.id);
			box.disabled = !editor.isEditable;
			box.addEventListener('change', () => {
				const next = new Set(String(current().attrs.causes ?? '').split(',').filter(Boolean));
				if (box.checked) next.add(c.id);
				else next.delete(c.id);
				const pos = getPos();
				if (pos !== undefined) editor.view.dispatch(editor.view.state.tr.setNodeMarkup(pos, undefined, { ...current().attrs, causes: [...next].join(',') }));
			});
			row.append(box, ` ${c.key ? '△ ' : ''}${c.text || '—'}`);
			list.append(row);
		}
	};
}
