import * as Y from 'yjs';
import { officialDateRange } from '../../src/lib/shared/beijing-time.js';
import { type BlockSnapshot, editorField, minutesItemId, minutesItemNode, promotableNodes } from '../../src/lib/shared/blocks.js';
import { resolutionNumber, sectorCode } from '../../src/lib/shared/decision-numbers.js';
import { randomId } from '../auth/tokens.js';
import type {
	BreakoutRecord,
	ConferenceRecord,
	ConferenceStore,
	DocumentRecord,
	DocumentStore,
	ProposalRecord,
	ProposalStore,
	UserRecord,
	UserStore
} from '../storage/types.js';
import { findBlock, snapshotOf } from './block-reader.js';
import type { Exclusive } from './exclusive.js';
import type { DocumentService, EditDocument } from './documents.js';
import { type Block, element, seedBlocks } from './templates.js';

export type ReadDocument = <T>(docId: string, look: (doc: Y.Doc) => T) => Promise<T>;

/** A rule of promotion was broken; the HTTP layer maps `reason` to a status. */
export class PromotionError extends Error {
	constructor(
		readonly reason: 'no_block' | 'not_promotable' | 'decided',
		message: string
	) {
		super(message);
	}
}

/** The id of a conference's consolidated minutes (会议纪要). */
export const minutesDocId = (conferenceId: string) => `minutes_${conferenceId}`;

const promotable = new Set<string>(promotableNodes);
const cnDigits = '〇一二三四五六七八九';
const cnUnits = ['', '十', '百', '千'];
/** 1 → 一, 12 → 十二, 20 → 二十, 101 → 一百零一, 110 → 一百一十 (to 9999; larger as digits). */
export function chineseNumber(n: number): string {
	if (!Number.isSafeInteger(n) || n < 0 || n > 9999) return String(n);
	if (n < 10) return cnDigits[n];
	if (n < 20) return `十${n === 10 ? '' : cnDigits[n % 10]}`;
	const digits = String(n);
	let out = '';
	let gap = false;
	for (let i = 0; i < digits.length; i++) {
		const d = Number(digits[i]);
		if (d === 0) {
			gap = true;
			continue;
		}
		out += `${gap ? '零' : ''}${cnDigits[d]}${cnUnits[digits.length - 1 - i]}`;
		gap = false;
	}
	return out;
}

const sectionId = (breakoutId: string) => `sec-${breakoutId}`;
const person = (u: UserRecord | null) => JSON.stringify({ id: u?.id ?? '', name: u?.displayName ?? '', unit: u?.unit ?? '', unitType: '' });

/**
 * Promotion: members propose blocks of a breakout's analyses and plans for the consolidated minutes;
 * an approver's decision makes the server write a frozen copy, with its provenance, under the
 * breakout's section of the minutes (domain.md §1.5 outline), and mark the source block with a link to
 * it. One live proposal per block and a conditional decision make it idempotent and race-free; the
 * writes are idempotent too, so `publish` can run again after a crash (see `reconcile`).
 */
export class Promotion {
	constructor(
		private readonly store: ProposalStore,
		private readonly conferences: ConferenceStore,
		private readonly users: UserStore,
		private readonly documents: DocumentStore,
		private readonly documentService: DocumentService,
		private readonly edit: EditDocument,
		private readonly read: ReadDocument,
		/** Writing a conference's minutes is done by one process at a time (several instances), on the document as stored. */
		private readonly exclusive: Exclusive,
		private readonly now: () => number = Date.now
	) {}

	/** Proposes each block; a block already proposed (or approved) gives back its proposal. */
	async propose(doc: DocumentRecord, breakout: BreakoutRecord, blockIds: string[], by: UserRecord): Promise<ProposalRecord[]> {
		const kinds = await this.read(doc.id, (d) => blockIds.map((id) => findBlock(d, id)?.nodeName ?? null));
		kinds.forEach((kind, i) => {
			if (kind === null) throw new PromotionError('no_block', `No block ${blockIds[i]} in this document.`);
			if (!promotable.has(kind)) throw new PromotionError('not_promotable', `A ${kind} cannot be proposed.`);
		});
		const out: ProposalRecord[] = [];
		for (const blockId of new Set(blockIds)) {
			out.push(
				await this.store.proposeOnce({
					id: randomId(12),
					conferenceId: breakout.conferenceId,
					breakoutId: breakout.id,
					sourceDocId: doc.id,
					blockId,
					status: 'pending',
					proposedBy: by.id,
					proposedAt: this.now(),
					decidedBy: null,
					decidedAt: null,
					reason: '',
					snapshot: '',
					numbers: null
				})
			);
		}
		return out;
	}

	/**
	 * Approves (once: of two approvers at the same moment, one decides and both get the same item) and
	 * publishes it. A measure gets its resolution and ledger numbers in the same step, for good.
	 */
	async approve(p: ProposalRecord, by: UserRecord): Promise<ProposalRecord> {
		const snapshot = await this.snapshot(p);
		const breakout = await this.conferences.getBreakout(p.breakoutId);
		const ledgerSeries = snapshot.kind === 'measure' && breakout !== null ? sectorCode(breakout.sector) : undefined;
		await this.store.decide(p.id, { status: 'approved', by: by.id, at: this.now(), reason: '', snapshot: JSON.stringify(snapshot), ledgerSeries });
		// Whoever decided first, an approved proposal is published (idempotently) and answered alike.
		const current = await this.store.get(p.id);
		if (current === null || current.status !== 'approved') throw new PromotionError('decided', 'This proposal was already decided.');
		await this.publish(current);
		return current;
	}

	async decline(p: ProposalRecord, by: UserRecord, reason: string): Promise<void> {
		if (!(await this.store.decide(p.id, { status: 'declined', by: by.id, at: this.now(), reason, snapshot: '' }))) {
			throw new PromotionError('decided', 'This proposal was already decided.');
		}
	}

	/** The source block as it stands now, or null when it was deleted from its document. */
	async current(p: ProposalRecord): Promise<BlockSnapshot | null> {
		return this.snapshot(p).catch((err: unknown) => {
			if (err instanceof PromotionError && err.reason === 'no_block') return null;
			throw err;
		});
	}

	/** The source block as it stands now. */
	async snapshot(p: ProposalRecord): Promise<BlockSnapshot> {
		const snap = await this.read(p.sourceDocId, (d) => {
			const el = findBlock(d, p.blockId);
			return el === null ? null : snapshotOf(el);
		});
		if (snap === null) throw new PromotionError('no_block', 'The proposed block no longer exists.');
		return snap;
	}

	/** Takes the source block as it stands now into the minutes (the source changed after approval); approved again by `by`. */
	async update(p: ProposalRecord, by: UserRecord): Promise<ProposalRecord> {
		if (p.status !== 'approved') throw new PromotionError('decided', 'Only an approved proposal is updated.');
		const snapshot = await this.snapshot(p);
		// Withdrawn meanwhile (another request, another instance): the update lost, and says so.
		if (!(await this.store.resnapshot(p.id, JSON.stringify(snapshot), by.id, this.now()))) throw new PromotionError('decided', 'The proposal was withdrawn meanwhile.');
		const current = await this.store.get(p.id);
		if (current === null) throw new PromotionError('decided', 'The proposal is gone.');
		await this.publish(current);
		return current;
	}

	/**
	 * Writes the minutes item and the source mark of an approved proposal, where they are missing: one
	 * process at a time per conference, on the minutes as stored, for the proposal as it stands then (two
	 * instances completing one approval at once, or one withdrawing it meanwhile, never double it or
	 * bring it back).
	 */
	async publish(p: ProposalRecord): Promise<void> {
		await this.exclusive(`minutes:${p.conferenceId}`, async () => {
			const current = await this.store.get(p.id);
			if (current?.status === 'approved') await this.writeItem(current);
		});
	}

	private async writeItem(p: ProposalRecord): Promise<void> {
		const conference = await this.conferences.get(p.conferenceId);
		const breakout = await this.conferences.getBreakout(p.breakoutId);
		if (conference === null || breakout === null) return;
		const minutesId = minutesDocId(conference.id);
		await this.ensureMinutes(conference);
		const [source, proposer, approver] = await Promise.all([
			this.documents.get(p.sourceDocId),
			this.users.findById(p.proposedBy),
			p.decidedBy ? this.users.findById(p.decidedBy) : Promise.resolve(null)
		]);
		const itemId = minutesItemId(p.id);
		await this.edit(minutesId, (doc) => {
			const frag = doc.getXmlFragment(editorField);
			const existing = findBlock(doc, itemId);
			const attrs: Record<string, string> = {
				blockId: itemId,
				proposal: p.id,
				sourceDoc: p.sourceDocId,
				sourceBlock: p.blockId,
				sourceTitle: source?.title ?? '',
				breakout: breakout.name,
				snapshot: p.snapshot,
				proposedBy: person(proposer),
				approvedBy: person(approver),
				approvedAt: new Date(p.decidedAt ?? this.now()).toISOString(),
				// The resolution number (JY-05) a measure keeps for good, so that the minutes and the list match.
				number: p.numbers === null ? '' : resolutionNumber(p.numbers.resolution)
			};
			if (existing !== null) {
				for (const [k, v] of Object.entries(attrs)) if (existing.getAttribute(k) !== v) existing.setAttribute(k, v);
				return;
			}
			const at = this.sectionEnd(frag, breakout);
			frag.insert(at, [element({ type: minutesItemNode, attrs })]);
		});
		await this.edit(p.sourceDocId, (doc) => {
			const el = findBlock(doc, p.blockId);
			const mark = `${minutesId}#${itemId}`;
			if (el !== null && el.getAttribute('promoted') !== mark) el.setAttribute('promoted', mark);
		});
	}

	/**
	 * Takes an approved item out of the minutes (and so off the resolution list and the ledger), with
	 * the reason; the source block loses its mark and may be proposed again.
	 */
	async withdraw(p: ProposalRecord, by: UserRecord, reason: string): Promise<ProposalRecord> {
		if (!(await this.store.withdraw(p.id, by.id, this.now(), reason))) throw new PromotionError('decided', 'Only an approved proposal is withdrawn.');
		const current = await this.store.get(p.id);
		if (current === null) throw new PromotionError('decided', 'The proposal is gone.');
		await this.unpublish(current);
		return current;
	}

	/** Removes the minutes item and the source mark of a withdrawn proposal, where they are still there (one process at a time, as `publish`). */
	async unpublish(p: ProposalRecord): Promise<void> {
		await this.exclusive(`minutes:${p.conferenceId}`, async () => {
			const current = await this.store.get(p.id);
			if (current?.status === 'withdrawn') await this.removeItem(current);
		});
	}

	private async removeItem(p: ProposalRecord): Promise<void> {
		const minutesId = minutesDocId(p.conferenceId);
		const itemId = minutesItemId(p.id);
		if (await this.documents.get(minutesId)) {
			await this.edit(minutesId, (doc) => {
				const el = findBlock(doc, itemId);
				const parent = el?.parent;
				if (el && (parent instanceof Y.XmlFragment || parent instanceof Y.XmlElement)) parent.delete(parent.toArray().indexOf(el), 1);
			});
		}
		await this.edit(p.sourceDocId, (doc) => {
			const el = findBlock(doc, p.blockId);
			if (el !== null && el.getAttribute('promoted') === `${minutesId}#${itemId}`) el.removeAttribute('promoted');
		});
	}

	/** Approved and withdrawn proposals whose writes a crash interrupted get them now (run at start). */
	async reconcile(logError: (message: string, err: unknown) => void): Promise<void> {
		for (const p of await this.store.listByStatus('approved')) {
			await this.publish(p).catch((err) => logError(`publishing proposal ${p.id} failed`, err));
		}
		for (const p of await this.store.listByStatus('withdrawn')) {
			await this.unpublish(p).catch((err) => logError(`withdrawing proposal ${p.id} failed`, err));
		}
	}

	/** The minutes of the conference, created with the outline of a 纪要 at the first promotion. */
	async ensureMinutes(conference: ConferenceRecord): Promise<void> {
		const breakouts = await this.conferences.listBreakouts(conference.id);
		await this.documentService.ensure({
			id: minutesDocId(conference.id),
			kind: 'minutes',
			title: `${conference.title}纪要`,
			ownerId: conference.createdBy,
			parent: { kind: 'conference', id: conference.id },
			seed: (doc) => seedBlocks(doc, minutesOutline(conference, breakouts))
		});
	}

	/**
	 * Where a new item of `breakout` goes: at the end of its section under 二、, the section created
	 * (numbered after the others) before 三、 when the breakout has none yet.
	 */
	private sectionEnd(frag: Y.XmlFragment, breakout: BreakoutRecord): number {
		const children = frag.toArray();
		const idOf = (c: unknown) => (c instanceof Y.XmlElement ? c.getAttribute('blockId') : undefined);
		let start = children.findIndex((c) => idOf(c) === sectionId(breakout.id));
		if (start < 0) {
			const sections = children.filter((c) => String(idOf(c) ?? '').startsWith('sec-') && !['sec-overall', 'sec-breakouts', 'sec-next'].includes(String(idOf(c))));
			const next = children.findIndex((c) => idOf(c) === 'sec-next');
			start = next < 0 ? children.length : next;
			frag.insert(start, [element(sectionHeading(sections.length + 1, breakout))]);
			return start + 1;
		}
		let end = start + 1;
		const all = frag.toArray();
		while (end < all.length && !(all[end] instanceof Y.XmlElement && (all[end] as Y.XmlElement).nodeName === 'heading')) end++;
		return end;
	}
}

const sectionHeading = (n: number, b: BreakoutRecord): Block => ({ type: 'heading', attrs: { level: 3, blockId: sectionId(b.id) }, text: `（${chineseNumber(n)}）${b.name}` });

/** The outline of a 纪要 (domain.md §1.5): opening, 一、会议总体情况, 二、分组研讨情况及整改共识 with a section per breakout, 三、下一步工作要求. */
export function minutesOutline(c: ConferenceRecord, breakouts: BreakoutRecord[]): Block[] {
	const when = officialDateRange(c.startDate, c.endDate);
	const opening = `${when ? `${when}，` : ''}${c.hosts ? `${c.hosts}` : ''}${c.venue ? `在${c.venue}` : ''}召开${c.title}。现将会议主要精神和议定事项纪要如下：`;
	return [
		{ type: 'heading', attrs: { level: 1 }, text: `${c.title}纪要` },
		{ type: 'paragraph', text: opening },
		{ type: 'heading', attrs: { level: 2, blockId: 'sec-overall' }, text: '一、会议总体情况' },
		{ type: 'paragraph', text: '' },
		{ type: 'heading', attrs: { level: 2, blockId: 'sec-breakouts' }, text: '二、分组研讨情况及整改共识' },
		...breakouts.map((b, i) => sectionHeading(i + 1, b)),
		{ type: 'heading', attrs: { level: 2, blockId: 'sec-next' }, text: '三、下一步工作要求' },
		{ type: 'paragraph', text: '' }
	];
}
