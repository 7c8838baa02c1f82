import type { Editor, KeyboardShortcutCommand } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import type { NodeView } from '@tiptap/pm/view';
import { type MeasureField, measureFieldValid, parseAuthor, personLabel } from '$lib/shared/blocks';
import { context } from './context';

export type FieldSpec = { name: string; kind: 'text' | 'date' | 'select' | 'unit'; options?: readonly string[]; wide?: boolean };

/**
 * A block with a bar above its text: fields bound to node attributes, the author stamped by the
 * server, and buttons. The text stays ProseMirror's; the bar is the node view's own.
 */
export function blockView(
	node: PMNode,
	editor: Editor,
	getPos: () => number | undefined,
	spec: { className: string; fields: FieldSpec[]; showAuthor: boolean; buttons?: (bar: HTMLElement, current: () => PMNode) => (n: PMNode) => void }
): NodeView {
	let current = node;
	const ctx = context(editor);
	const label = (k: string) => ctx.labels[k] ?? k;
	const dom = document.createElement('div');
	dom.className = `block ${spec.className}`;
	const bar = document.createElement('div');
	bar.className = 'block-bar';
	bar.contentEditable = 'false';
	const content = document.createElement('div');
	content.className = 'block-content';
	dom.append(bar, content);

	const setAttr = (name: string, value: unknown) => {
		const pos = getPos();
		if (pos === undefined || current.attrs[name] === value) return;
		editor.view.dispatch(editor.view.state.tr.setNodeMarkup(pos, undefined, { ...current.attrs, [name]: value }));
	};

	type Input = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
	const inputs = new Map<string, { input: Input; wrap: HTMLElement }>();
	for (const f of spec.fields) {
		const wrap = document.createElement('label');
		wrap.className = `field${f.wide ? ' wide' : ''}`;
		const caption = document.createElement('span');
		caption.textContent = label(f.name);
		let input: Input;
		if (f.kind === 'select') {
			input = document.createElement('select');
			for (const o of ['', ...(f.options ?? [])]) input.append(new Option(o === '' ? '—' : (ctx.labels[`option:${o}`] ?? o), o));
		} else if (f.kind === 'text' && f.wide) {
			// A long value (量化表现, 考核标准) shows whole: one line that wraps and grows, never cut off.
			const area = document.createElement('textarea');
			area.rows = 1;
			area.addEventListener('keydown', (e) => {
				if (e.key === 'Enter' && !e.isComposing) e.preventDefault();
			});
			input = area;
			widthWatch()?.observe(area);
		} else {
			input = document.createElement('input');
			input.type = f.kind === 'date' ? 'date' : 'text';
			if (f.kind === 'unit') {
				const list = document.createElement('datalist');
				list.id = `units-${Math.random().toString(36).slice(2)}`;
				for (const u of ctx.units) list.append(new Option(u, u));
				wrap.append(list);
				input.setAttribute('list', list.id);
			}
		}
		input.name = f.name;
		input.addEventListener(f.kind === 'text' || f.kind === 'unit' ? 'input' : 'change', () => {
			// A value is one line: a pasted line break or tab becomes a space.
			if (!(input instanceof HTMLSelectElement) && /\p{Cc}/u.test(input.value)) input.value = input.value.replace(/\p{Cc}+/gu, ' ');
			fit(input);
			const valid = current.type.name !== 'measure' || measureFieldValid(f.name as MeasureField, input.value);
			input.classList.toggle('invalid', !valid);
			input.title = valid ? '' : label('invalid');
			if (valid) setAttr(f.name, input.value);
		});
		wrap.append(caption, input);
		bar.append(wrap);
		inputs.set(f.name, { input, wrap });
	}
	// A click on a bar button must not take the selection away from the text.
	bar.addEventListener('mousedown', (e) => {
		if ((e.target as HTMLElement).closest('button')) e.preventDefault();
	});
	const refreshButtons = spec.buttons?.(bar, () => current) ?? (() => undefined);
	const author = document.createElement('span');
	author.className = 'author';
	if (spec.showAuthor) bar.append(author);

	const render = (n: PMNode) => {
		const editable = editor.isEditable;
		for (const [name, { input, wrap }] of inputs) {
			// Text stays selectable for readers; only what cannot be read-only is disabled.
			if (input instanceof HTMLSelectElement || input.type === 'date') input.disabled = !editable;
			else input.readOnly = !editable;
			const value = String(n.attrs[name] ?? '');
			if (document.activeElement !== input && input.value !== value) input.value = value;
			// A reader is not shown empty fields (shown before it is measured: a hidden field measures 0).
			wrap.hidden = !editable && value === '';
			fit(input);
			const unknownUnit = name === 'responsibleUnit' && value !== '' && ctx.units.length > 0 && !ctx.units.includes(value);
			input.classList.toggle('warn', unknownUnit);
			if (unknownUnit) input.title = label('unknownUnit');
		}
		const a = parseAuthor(n.attrs.author);
		author.textContent = a ? personLabel(a.name, a.unit, a.unitType) : '';
		author.hidden = a === null;
		dom.dataset.blockId = String(n.attrs.blockId ?? '');
		refreshButtons(n);
		// Nothing to show in the bar (a reader's view of a block without values): no empty band.
		bar.hidden = ![...bar.children].some((c) => c instanceof HTMLElement && !c.hidden && c.tagName !== 'DATALIST');
	};
	render(node);

	return {
		dom,
		contentDOM: content,
		update(n) {
			if (n.type !== current.type) return false;
			current = n;
			render(n);
			return true;
		},
		destroy() {
			for (const { input } of inputs.values()) if (input instanceof HTMLTextAreaElement) widthWatch()?.unobserve(input);
		},
		stopEvent: (event) => bar.contains(event.target as globalThis.Node),
		ignoreMutation: (mutation) => bar.contains(mutation.target) || mutation.target === dom
	};
}

let watch: ResizeObserver | null = null;
const lastWidth = new WeakMap<Element, number>();
/**
 * The one observer of every wide field's width: a field that gets narrower or wider (a phone turned,
 * a window resized, a field first shown) is fitted again, as its text wraps differently. Its own
 * change of height is no change of width, so fitting never feeds back.
 */
function widthWatch(): ResizeObserver | null {
	if (watch === null && typeof ResizeObserver !== 'undefined') {
		watch = new ResizeObserver((entries) => {
			for (const { target, contentRect } of entries) {
				if (lastWidth.get(target) === contentRect.width) continue;
				lastWidth.set(target, contentRect.width);
				fit(target as HTMLElement);
			}
		});
	}
	return watch;
}

/** A one-line text area as tall as its wrapped text (measured once it is on the page). */
function fit(input: HTMLElement) {
	if (!(input instanceof HTMLTextAreaElement)) return;
	if (!input.isConnected) {
		requestAnimationFrame(() => input.isConnected && fit(input));
		return;
	}
	input.style.height = 'auto';
	input.style.height = `${input.scrollHeight + 2}px`;
}

/** Enter at the end of the block's text starts the next block of the same kind. */
export function enterMakesSibling(name: string): KeyboardShortcutCommand {
	return ({ editor }) => {
		const { $from, empty } = editor.state.selection;
		if (!empty || $from.depth < 2) return false;
		const d = $from.depth - 1;
		if ($from.node(d).type.name !== name || $from.index(d) !== 0 || $from.parentOffset !== $from.parent.content.size) return false;
		if ($from.parent.content.size === 0 && name !== 'why') return false;
		const after = $from.after(d);
		return editor
			.chain()
			.insertContentAt(after, { type: name, content: [{ type: 'paragraph' }] })
			.setTextSelection(after + 2)
			.run();
	};
}

/** Backspace in an empty block removes it, if its container keeps at least one. */
export function backspaceRemovesEmpty(name: string): KeyboardShortcutCommand {
	return ({ editor }) => {
		const { $from, empty } = editor.state.selection;
		if (!empty || $from.depth < 2 || $from.parentOffset !== 0) return false;
		const d = $from.depth - 1;
		const block = $from.node(d);
		if (block.type.name !== name || block.textContent !== '' || block.childCount > 1) return false;
		if ($from.node(d - 1).childCount < 2) return true;
		return editor.chain().deleteRange({ from: $from.before(d), to: $from.after(d) }).run();
	};
}

export const blockOf = (bar: HTMLElement) => bar.parentElement as HTMLElement;

/** "提议纳入纪要" for a block, where the page can propose and the block is not in the minutes yet. */
export function proposeButton(editor: Editor, current: () => PMNode): { button: HTMLButtonElement; refresh: (n: PMNode) => void } {
	const ctx = context(editor);
	const button = document.createElement('button');
	button.type = 'button';
	button.className = 'propose';
	button.textContent = ctx.labels.propose ?? '';
	button.addEventListener('click', () => {
		const id = current().attrs.blockId;
		if (typeof id === 'string') ctx.propose?.([id]);
	});
	return {
		button,
		refresh: (n) => {
			button.hidden = ctx.propose === undefined || !editor.isEditable || Boolean(n.attrs.promoted);
		}
	};
}
