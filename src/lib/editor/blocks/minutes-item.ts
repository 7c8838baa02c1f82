import { Node, mergeAttributes } from '@tiptap/core';
import type { Node as PMNode } from '@tiptap/pm/model';
import { Plugin, PluginKey } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { ySyncPluginKey } from '@tiptap/y-tiptap';
import { type BlockSnapshot, minutesItemNode, parseAuthor, personLabel } from '$lib/shared/blocks';
import { beijingDateTime } from '$lib/shared/beijing-time';
import { diffText } from '$lib/shared/diff';
import { type BlockContext, context, dataAttr } from './context';

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
export function keepMinutesItems() {
	return new Plugin({
		filterTransaction: (tr, state) => !tr.docChanged || tr.getMeta(ySyncPluginKey) !== undefined || minutesItemsIn(tr.doc) >= minutesItemsIn(state.doc)
	});
}

/** Says under each minutes item whose source changed what changed, and offers the update to approvers. */
export function minutesChangesPlugin(ctx: BlockContext) {
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
						f.type && `${labels.type}：${labels[`option:${f.type}`] ?? f.type}`,
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
