import { type Editor, Extension, type KeyboardShortcutCommand, Node, mergeAttributes } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type NodeView } from '@tiptap/pm/view';
import { isChangeOrigin } from '@tiptap/extension-collaboration';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import {
	type BlockSnapshot,
	type MeasureField,
	blockIdNodes,
	measureFieldValid,
	measureTypes,
	minutesItemNode,
	newBlockId,
	parseAuthor,
	personLabel,
	promotableNodes
} from '$lib/shared/blocks';
import { beijingDateTime } from '$lib/shared/beijing-time';
import { diffText } from '$lib/shared/diff';

/**
 * The structured blocks of analyses (problem, fishbone groups, causes, 5-why chains) and plans
 * (measures with their fields), and stable block ids. The server writes their templates and stamps
 * their authors; the browser edits them.
 */

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

const context = (editor: Editor): BlockContext => (editor.storage as unknown as { blockIds: { context: BlockContext } }).blockIds.context;

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
			// A promoted block links to its item in the minutes.
			new Plugin({
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
			}),
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

/** An attribute kept in the HTML as data-*, so that copy and paste keep it. */
const dataAttr = (name: string, fallback: string | boolean | null) => {
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

type FieldSpec = { name: string; kind: 'text' | 'date' | 'select' | 'unit'; options?: readonly string[]; wide?: boolean };

/**
 * A block with a bar above its text: fields bound to node attributes, the author stamped by the
 * server, and buttons. The text stays ProseMirror's; the bar is the node view's own.
 */
function blockView(
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

	const inputs = new Map<string, HTMLInputElement | HTMLSelectElement>();
	for (const f of spec.fields) {
		const wrap = document.createElement('label');
		wrap.className = `field${f.wide ? ' wide' : ''}`;
		const caption = document.createElement('span');
		caption.textContent = label(f.name);
		let input: HTMLInputElement | HTMLSelectElement;
		if (f.kind === 'select') {
			input = document.createElement('select');
			for (const o of ['', ...(f.options ?? [])]) input.append(new Option(o === '' ? '—' : o, o));
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
			const valid = current.type.name !== 'measure' || measureFieldValid(f.name as MeasureField, input.value);
			input.classList.toggle('invalid', !valid);
			input.title = valid ? '' : label('invalid');
			if (valid) setAttr(f.name, input.value);
		});
		wrap.append(caption, input);
		bar.append(wrap);
		inputs.set(f.name, input);
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
		for (const [name, input] of inputs) {
			input.disabled = !editor.isEditable;
			const value = String(n.attrs[name] ?? '');
			if (document.activeElement !== input && input.value !== value) input.value = value;
			const unknownUnit = name === 'responsibleUnit' && value !== '' && ctx.units.length > 0 && !ctx.units.includes(value);
			input.classList.toggle('warn', unknownUnit);
			if (unknownUnit) input.title = label('unknownUnit');
		}
		const a = parseAuthor(n.attrs.author);
		author.textContent = a ? personLabel(a.name, a.unit, a.unitType) : '';
		author.hidden = a === null;
		dom.dataset.blockId = String(n.attrs.blockId ?? '');
		refreshButtons(n);
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
		stopEvent: (event) => bar.contains(event.target as globalThis.Node),
		ignoreMutation: (mutation) => bar.contains(mutation.target) || mutation.target === dom
	};
}

/** Enter at the end of the block's text starts the next block of the same kind. */
function enterMakesSibling(name: string): KeyboardShortcutCommand {
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
function backspaceRemovesEmpty(name: string): KeyboardShortcutCommand {
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
						key.textContent = n.attrs.key ? '△' : '○';
						key.title = n.attrs.key ? (labels.unmarkKey ?? '') : (labels.markKey ?? '');
						key.classList.toggle('on', Boolean(n.attrs.key));
						key.disabled = !editor.isEditable;
						why.hidden = !editor.isEditable || !n.attrs.key || n.childCount > 1;
						blockOf(bar).classList.toggle('is-key', Boolean(n.attrs.key));
						propose.refresh(n);
					};
				}
			});
	}
});

const blockOf = (bar: HTMLElement) => bar.parentElement as HTMLElement;

/** "提议纳入纪要" for a block, where the page can propose and the block is not in the minutes yet. */
function proposeButton(editor: Editor, current: () => PMNode): { button: HTMLButtonElement; refresh: (n: PMNode) => void } {
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

/** A minutes item whose source changed after approval (the approved and the current text), or whose source was deleted. */
export interface MinutesChange {
	proposalId: string;
	before: string;
	after: string;
	/** The source block is gone: nothing to compare or take in; the item keeps the approved copy. */
	deleted: boolean;
	mayUpdate: boolean;
}

/** Set with `tr.setMeta(minutesChangesKey, { [itemId]: change })` when the page learns of changes. */
export const minutesChangesKey = new PluginKey<Record<string, MinutesChange>>('minutesChanges');

const minutesItemsIn = (doc: PMNode) => {
	let n = 0;
	doc.forEach((node) => {
		if (node.type.name === minutesItemNode) n++;
	});
	return n;
};

/**
 * Minutes items are the server's: an edit of one's own that would delete one (a selection deleted
 * across it, a cut) is refused, so the minutes and the resolution list keep agreeing. Approvers take an
 * item out with 撤回 on the conference page; changes from sync (the server's) always apply.
 */
function keepMinutesItems() {
	return new Plugin({
		filterTransaction: (tr, state) => !tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined || minutesItemsIn(tr.doc) >= minutesItemsIn(state.doc)
	});
}

/** Says under each minutes item whose source changed what changed, and offers the update to approvers. */
function minutesChangesPlugin(ctx: BlockContext) {
	return new Plugin<Record<string, MinutesChange>>({
		key: minutesChangesKey,
		state: {
			init: () => ({}),
			apply: (tr, value) => (tr.getMeta(minutesChangesKey) as Record<string, MinutesChange> | undefined) ?? value
		},
		props: {
			decorations(state) {
				const changes = minutesChangesKey.getState(state) ?? {};
				const notes: Decoration[] = [];
				state.doc.forEach((node, pos) => {
					const change = node.type.name === minutesItemNode ? changes[String(node.attrs.blockId)] : undefined;
					if (change === undefined) return;
					notes.push(
						Decoration.widget(pos + node.nodeSize, () => changeNote(change, ctx), {
							side: -1,
							key: `change-${change.proposalId}-${change.deleted ? 'deleted' : `${change.after.length}-${change.after.slice(0, 16)}`}`
						})
					);
				});
				return DecorationSet.create(state.doc, notes);
			}
		}
	});
}

function changeNote(change: MinutesChange, ctx: BlockContext): HTMLElement {
	const box = document.createElement('div');
	box.className = change.deleted ? 'minutes-changed minutes-source-deleted' : 'minutes-changed';
	box.contentEditable = 'false';
	box.dataset.proposal = change.proposalId;
	const title = document.createElement('strong');
	if (change.deleted) {
		title.textContent = ctx.labels.sourceDeleted ?? '';
		box.append(title);
		return box;
	}
	title.textContent = ctx.labels.sourceChanged ?? '';
	const diff = document.createElement('p');
	for (const part of diffText(change.before, change.after)) {
		const span = document.createElement(part.op === '+' ? 'ins' : part.op === '-' ? 'del' : 'span');
		span.textContent = part.text;
		diff.append(span);
	}
	box.append(title, diff);
	if (change.mayUpdate && ctx.updateMinutes) {
		const button = document.createElement('button');
		button.type = 'button';
		button.textContent = ctx.labels.updateMinutes ?? '';
		button.addEventListener('mousedown', (e) => e.preventDefault());
		button.addEventListener('click', () => ctx.updateMinutes?.(change.proposalId));
		box.append(button);
	}
	return box;
}

/**
 * An approved block in the consolidated minutes: a frozen copy written by the server, with its
 * resolution number (a measure's JY-05, as on the resolution list), its provenance (breakout,
 * document, who proposed, who approved, when, in Beijing time) and a link back to the source.
 */
export const MinutesItem = Node.create({
	name: minutesItemNode,
	group: 'block',
	atom: true,
	selectable: true,
	draggable: false,
	addAttributes: () =>
		Object.fromEntries(
			['blockId', 'proposal', 'sourceDoc', 'sourceBlock', 'sourceTitle', 'breakout', 'snapshot', 'proposedBy', 'approvedBy', 'approvedAt', 'number'].map((k) => [k, dataAttr(k, '')])
		),
	parseHTML: () => [{ tag: 'section[data-type="minutes-item"]' }],
	renderHTML: ({ HTMLAttributes }) => ['section', mergeAttributes(HTMLAttributes, { 'data-type': 'minutes-item' })],
	addNodeView() {
		return ({ node, editor }) => {
			const labels = context(editor).labels;
			const dom = document.createElement('section');
			dom.className = 'minutes-item';
			dom.contentEditable = 'false';
			const render = (n: PMNode) => {
				dom.replaceChildren();
				dom.dataset.blockId = String(n.attrs.blockId);
				let snap: BlockSnapshot | null = null;
				try {
					snap = JSON.parse(String(n.attrs.snapshot)) as BlockSnapshot;
				} catch {
					snap = null;
				}
				if (n.attrs.number) {
					const number = document.createElement('p');
					number.className = 'minutes-number';
					number.textContent = `${labels.resolutionNumber} ${n.attrs.number}`;
					dom.append(number);
				}
				const text = document.createElement('p');
				text.className = 'minutes-text';
				text.textContent = `${snap?.key ? '△ ' : ''}${snap?.text ?? ''}`;
				dom.append(text);
				if (snap?.fields) {
					const f = snap.fields;
					const line = document.createElement('p');
					line.className = 'minutes-fields';
					line.textContent = [
						f.responsibleUnit && `${labels.responsibleUnit}：${f.responsibleUnit}`,
						f.supportingUnits && `${labels.supportingUnits}：${f.supportingUnits}`,
						f.deadline && `${labels.deadline}：${f.deadline}`,
						f.type && `${labels.type}：${f.type}`,
						f.criteria && `${labels.criteria}：${f.criteria}`
					]
						.filter(Boolean)
						.join('；');
					dom.append(line);
				}
				const proposer = parseAuthor(n.attrs.proposedBy);
				const approver = parseAuthor(n.attrs.approvedBy);
				const meta = document.createElement('p');
				meta.className = 'minutes-provenance';
				const when = Object.assign(document.createElement('time'), { className: 'minutes-approved-at', dateTime: String(n.attrs.approvedAt), textContent: beijingDateTime(String(n.attrs.approvedAt)) });
				meta.append(
					`${n.attrs.breakout} · `,
					Object.assign(document.createElement('a'), {
						href: `/d/${encodeURIComponent(String(n.attrs.sourceDoc))}#${encodeURIComponent(String(n.attrs.sourceBlock))}`,
						textContent: String(n.attrs.sourceTitle || labels.source)
					}),
					` · ${labels.proposedBy}：${proposer ? personLabel(proposer.name, proposer.unit, '') : '—'} · ${labels.approvedBy}：${approver ? personLabel(approver.name, approver.unit, '') : '—'} · `,
					when
				);
				dom.append(meta);
			};
			render(node);
			return {
				dom,
				update(n) {
					if (n.type.name !== minutesItemNode) return false;
					render(n);
					return true;
				},
				ignoreMutation: () => true,
				stopEvent: (e) => e.type !== 'mousedown' || !(e.target instanceof HTMLAnchorElement)
			};
		};
	}
});

/** The block nodes and ids, with what the page knows about the conference. */
export const blockExtensions = (context: BlockContext) => [
	BlockIds.configure({ context }),
	Problem,
	CauseGroup,
	Cause,
	WhyChain,
	Why,
	Measure,
	MinutesItem.extend({ addProseMirrorPlugins: () => [minutesChangesPlugin(context), keepMinutesItems()] })
];
