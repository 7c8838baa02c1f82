import type { Editor } from '@tiptap/core';
import { api } from '$lib/api/client';
import { onLiveChanges } from '$lib/collab/live-events';
import { type MinutesChange, type ProposalMark, minutesChangesKey, proposalMarksKey } from '$lib/editor/blocks';
import { errorText } from '$lib/i18n/error-text';
import { m } from '$lib/paraglide/messages';
import { coalesced } from '$lib/state/coalesce';
import type { DocumentMeta } from '$lib/shared/schemas';

/**
 * A document's side of promotion, told to its editor. In a breakout's document: proposing blocks and
 * what each proposed block shows (正在提议… while the request runs, 已提议，待审定 until decided). In the
 * minutes: which items' sources changed or were deleted since approval. Both follow the conference's
 * live `proposals` events.
 */
export class DocProposals {
	/** The last outcome of proposing, said for a few seconds. */
	notice = $state('');
	private readonly proposing = new Set<string>();
	private pending: Record<string, ProposalMark> = {};
	private noticeTimer: ReturnType<typeof setTimeout> | undefined;

	constructor(
		private readonly doc: DocumentMeta,
		private readonly editor: () => Editor | null
	) {}

	/** Loads what the editor shows and keeps it up to date; returns the stop. */
	follow(): () => void {
		const d = this.doc;
		if (d.conferenceId === null || (d.kind !== 'minutes' && d.parentKind !== 'breakout')) return () => undefined;
		return onLiveChanges(d.conferenceId, (change) => {
			if (change !== null && change.type !== 'proposals') return;
			void (d.kind === 'minutes' ? this.loadChanges() : this.loadPending());
		});
	}

	/** Proposes blocks of this document for the minutes (a block already on its way is not sent twice). */
	async propose(blockIds: string[]): Promise<void> {
		const ids = blockIds.filter((id) => !this.proposing.has(id));
		if (ids.length === 0) return;
		for (const id of ids) this.proposing.add(id);
		this.show();
		try {
			const { proposals } = await api.propose(this.doc.id, ids);
			for (const p of proposals) if (p.status === 'pending') this.pending[p.blockId] = 'pending';
			this.say(m.doc_proposed());
		} catch (err) {
			this.say(`${m.doc_propose_failed()}${errorText(err)}`);
		} finally {
			for (const id of ids) this.proposing.delete(id);
			this.show();
		}
	}

	/** Takes a changed source into the minutes (approvers). */
	async updateMinutes(proposalId: string): Promise<void> {
		await api.approveUpdate(proposalId).then(() => this.loadChanges(), () => undefined);
	}

	destroy(): void {
		clearTimeout(this.noticeTimer);
	}

	private say(text: string) {
		this.notice = text;
		clearTimeout(this.noticeTimer);
		this.noticeTimer = setTimeout(() => (this.notice = ''), 5000);
	}

	private show() {
		const editor = this.editor();
		if (editor === null) return;
		const marks: Record<string, ProposalMark> = { ...this.pending };
		for (const id of this.proposing) marks[id] = 'busy';
		editor.view.dispatch(editor.state.tr.setMeta(proposalMarksKey, marks));
	}

	private async list(filter: Parameters<typeof api.proposals>[1]) {
		if (this.doc.conferenceId === null) return [];
		return (await api.proposals(this.doc.conferenceId, filter).catch(() => ({ proposals: [] }))).proposals;
	}

	/** This document's blocks waiting for a decision (one request at a time, however many events arrive). */
	private readonly loadPending = coalesced(async () => {
		const proposals = await this.list({ status: 'pending', sourceDocId: this.doc.id });
		this.pending = Object.fromEntries(proposals.map((p) => [p.blockId, 'pending' as const]));
		this.show();
	});

	/** The approved items whose sources changed or went (one request at a time). */
	private readonly loadChanges = coalesced(async () => {
		const proposals = await this.list({ status: 'approved' });
		const changes: Record<string, MinutesChange> = {};
		for (const p of proposals) {
			if (p.sourceChanged && p.minutesItemId && p.current) {
				changes[p.minutesItemId] = { proposalId: p.id, before: p.block?.text ?? '', after: p.current.text, deleted: false, mayUpdate: p.mayUpdate };
			} else if (p.sourceDeleted && p.minutesItemId) {
				changes[p.minutesItemId] = { proposalId: p.id, before: p.block?.text ?? '', after: '', deleted: true, mayUpdate: false };
			}
		}
		this.editor()?.view.dispatch(this.editor()!.state.tr.setMeta(minutesChangesKey, changes));
	});
}

/** The blocks the selection touches (the innermost with an id), for "propose for the minutes". */
export function selectedBlockIds(e: Editor): string[] {
	const ids = new Set<string>();
	const { from, to } = e.state.selection;
	e.state.doc.nodesBetween(from, to, (node) => {
		if (['paragraph', 'cause', 'measure', 'why', 'problem'].includes(node.type.name) && typeof node.attrs.blockId === 'string') {
			ids.add(node.attrs.blockId);
			return node.type.name === 'paragraph' ? false : true;
		}
		return true;
	});
	return [...ids];
}
