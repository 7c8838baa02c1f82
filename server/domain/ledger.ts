import {
	type Escalation,
	type LedgerReportInput,
	type LedgerSettings,
	type LedgerStatus,
	type LedgerTransition,
	daysBetween,
	defaultLedgerSettings,
	escalationOf,
	lagOf,
	ledgerSettingsSchema,
	ledgerTransitions,
	ofResponsibleUnit,
	transitionActor
} from '../../src/lib/shared/ledger.js';
import { beijingDate } from '../../src/lib/shared/beijing-time.js';
import { randomId } from '../auth/tokens.js';
import type { ConferenceStore, EvidenceRecord, ExtensionRecord, LedgerReportRecord, LedgerState, LedgerStore, ProposalStore, SuccessionStore, UserRecord } from '../storage/types.js';
import { type EvidenceFiles, type EvidenceUpload, checkUploads } from './evidence.js';
import { type Resolution, resolutionsOf } from './resolutions.js';

/** A ledger rule was broken; the HTTP layer maps each code to a status and a stable error code. */
export class LedgerError extends Error {
	constructor(
		readonly code: 'wrong_status' | 'evidence_required' | 'deadline_passed' | 'bad_deadline' | 'extension_open' | 'not_responsible' | 'own_unit' | 'bad_file',
		message: string
	) {
		super(message);
	}
}

/** A ledger item: a resolution with its tracking state, as of today. */
export interface LedgerItem {
	resolution: Resolution;
	status: LedgerStatus;
	/** The deadline in force: an approved extension's, else the plan's ('' when the plan gives none). */
	deadline: string;
	percent: number;
	escalation: Escalation;
	/** Days until the deadline (negative: overdue); null without one. */
	daysLeft: number | null;
	/** Points by which the progress trails the time elapsed since the decision (0: on schedule, closed or without a deadline). */
	behind: number;
	/** The latest progress report. */
	latest: LedgerReportRecord | null;
	closedAt: number | null;
	/** An item of an earlier conference carried into this one (上年转入), under this breakout of it; null for its own. */
	carried: { fromConferenceId: string; breakoutId: string } | null;
}

/** The breakout an item is under in the conference listing it: its own, or the one it was carried under. */
export const breakoutIn = (item: LedgerItem) => item.carried?.breakoutId ?? item.resolution.breakout.id;

/**
 * The rectification ledger (整改台账): the resolution list tracked after the conference. Units report
 * progress with evidence; a reviewer outside the responsible unit returns or closes items; organizers
 * decide extensions asked for before the deadline. Every step is conditional on the status it starts
 * from, so concurrent clicks make one step, and is written with its event.
 */
export class Ledger {
	constructor(
		private readonly proposals: ProposalStore,
		private readonly conferences: ConferenceStore,
		private readonly store: LedgerStore,
		private readonly files: EvidenceFiles,
		private readonly successions: SuccessionStore | null = null,
		private readonly now: () => number = Date.now
	) {}

	async settings(conferenceId: string): Promise<LedgerSettings> {
		const json = await this.store.settings(conferenceId);
		const parsed = json ? ledgerSettingsSchema.safeParse(JSON.parse(json)) : null;
		return parsed?.success ? parsed.data : defaultLedgerSettings;
	}

	setSettings(conferenceId: string, settings: LedgerSettings): Promise<void> {
		return this.store.setSettings(conferenceId, JSON.stringify(settings));
	}

	today(): string {
		return beijingDate(this.now());
	}

	/** Every item of the conference, in the resolution list's order, then those carried into it from earlier conferences. */
	async items(conferenceId: string): Promise<LedgerItem[]> {
		const [own, carried, settings] = await Promise.all([this.itemsOf(conferenceId), this.successions?.carriedInto(conferenceId) ?? [], this.settings(conferenceId)]);
		if (carried.length === 0) return own;
		// Each carried item as its own conference tracks it (its states, reports, history), under this conference's breakout.
		const proposals = await Promise.all(carried.map((c) => this.proposals.get(c.proposalId)));
		const origins = new Set(proposals.flatMap((p) => (p === null ? [] : [p.conferenceId])));
		const theirs = new Map((await Promise.all([...origins].map((id) => this.itemsOf(id, settings)))).flat().map((i) => [i.resolution.proposal.id, i]));
		const carriedItems = carried.flatMap((c) => {
			const item = theirs.get(c.proposalId);
			return item === undefined ? [] : [{ ...item, carried: { fromConferenceId: item.resolution.proposal.conferenceId, breakoutId: c.breakoutId } }];
		});
		return [...own, ...carriedItems];
	}

	/** The conference's own items (escalating by `settings`, else its own). */
	private async itemsOf(conferenceId: string, settings?: LedgerSettings): Promise<LedgerItem[]> {
		const [resolutions, states, reports, own] = await Promise.all([
			resolutionsOf(conferenceId, this.proposals, this.conferences),
			this.store.states(conferenceId),
			this.store.reportsOf(conferenceId),
			settings ?? this.settings(conferenceId)
		]);
		const byId = new Map(states.map((s) => [s.proposalId, s]));
		const latest = new Map<string, LedgerReportRecord>();
		for (const r of reports) latest.set(r.proposalId, r);
		const today = this.today();
		return resolutions.map((r) => this.view(r, byId.get(r.proposal.id) ?? null, latest.get(r.proposal.id) ?? null, today, own));
	}

	/** The conferences an item is carried into, each with the breakout it is under there. */
	carriersOf(proposalId: string) {
		return this.successions?.carriersOf(proposalId) ?? Promise.resolve([]);
	}

	async item(proposalId: string): Promise<LedgerItem | null> {
		const p = await this.proposals.get(proposalId);
		if (p === null) return null;
		return (await this.items(p.conferenceId)).find((i) => i.resolution.proposal.id === proposalId) ?? null;
	}

	private view(r: Resolution, state: LedgerState | null, latest: LedgerReportRecord | null, today: string, settings: LedgerSettings): LedgerItem {
		const status = state?.status ?? 'not_started';
		const deadline = state?.deadline || r.deadline;
		const percent = state?.percent ?? 0;
		const start = beijingDate(r.proposal.decidedAt ?? r.proposal.proposedAt);
		return {
			resolution: r,
			status,
			deadline,
			percent,
			escalation: escalationOf({ status, deadline, percent, start }, today, settings),
			daysLeft: deadline ? daysBetween(today, deadline) : null,
			behind: status === 'closed' || deadline === '' ? 0 : Math.max(0, lagOf(percent, start, deadline, today)),
			latest,
			closedAt: state?.closedAt ?? null,
			carried: null
		};
	}

	/** True when `user` is of the item's responsible units (lead or supporting). */
	isResponsible(item: LedgerItem, user: UserRecord): boolean {
		// A unit typed by the person themselves (an invite guest) is not proof they speak for it.
		return !user.unitDeclared && ofResponsibleUnit(user.unit, item.resolution.leadUnit, item.resolution.supportingUnits);
	}

	/** A progress report by the responsible unit, with its evidence; the files are checked and written before anything is recorded. */
	async report(item: LedgerItem, user: UserRecord, input: LedgerReportInput, uploads: readonly EvidenceUpload[]): Promise<void> {
		if (!this.isResponsible(item, user)) throw new LedgerError('not_responsible', 'Only the responsible units report progress.');
		if (item.status !== 'not_started' && item.status !== 'in_progress') throw new LedgerError('wrong_status', `An item ${item.status} takes no reports.`);
		const proposalId = item.resolution.proposal.id;
		const reportId = randomId(12);
		const checked = checkUploads(uploads, (why) => new LedgerError('bad_file', why));
		const evidence: EvidenceRecord[] = checked.map((u) => ({ id: randomId(16), proposalId, reportId, name: u.name, mime: u.mime, size: u.size, sha256: u.sha256 }));
		const at = this.now();
		await this.files.saveThen(
			evidence.map((e, i) => ({ id: e.id, bytes: checked[i].bytes })),
			async () => {
				const report = { id: reportId, proposalId, ...input, byUser: user.id, at };
				const event = { id: randomId(12), proposalId, kind: 'report', fromStatus: item.status, toStatus: 'in_progress' as const, reason: '', byUser: user.id, at };
				if (!(await this.store.report(item.resolution.proposal.conferenceId, report, evidence, event))) {
					throw new LedgerError('wrong_status', 'The item no longer takes reports.');
				}
			}
		);
	}

	/**
	 * A step of the workflow. The unit submits (with evidence on file); a reviewer who is not of the
	 * responsible unit returns, closes or reopens (separation of duties, domain.md §2.4).
	 */
	async transition(item: LedgerItem, user: UserRecord, action: LedgerTransition, reason: string): Promise<LedgerStatus> {
		const rule = ledgerTransitions[action];
		const proposalId = item.resolution.proposal.id;
		if (transitionActor[action] === 'unit' && !this.isResponsible(item, user)) throw new LedgerError('not_responsible', 'Only the responsible units submit their item.');
		// A unit typed by the person themselves proves nothing for them, but counts against them as a reviewer.
		if (transitionActor[action] === 'reviewer' && ofResponsibleUnit(user.unit, item.resolution.leadUnit, item.resolution.supportingUnits)) {
			throw new LedgerError('own_unit', 'A reviewer of the responsible unit cannot review its own item.');
		}
		if (!(rule.from as readonly LedgerStatus[]).includes(item.status)) throw new LedgerError('wrong_status', `${action} is not possible from ${item.status}.`);
		if (action === 'submit' && (await this.store.evidenceOf(proposalId)).length === 0) {
			throw new LedgerError('evidence_required', 'Attach evidence (佐证材料) to a progress report before asking for close-out.');
		}
		const event = { id: randomId(12), proposalId, kind: action, fromStatus: item.status, toStatus: rule.to, reason, byUser: user.id, at: this.now() };
		if (!(await this.store.transition(item.resolution.proposal.conferenceId, rule.from, event))) {
			throw new LedgerError('wrong_status', 'Someone else changed the item first.');
		}
		return rule.to;
	}

	/** An extension (申请延期), asked by the responsible unit on or before the deadline in force. */
	async requestExtension(item: LedgerItem, user: UserRecord, deadline: string, reason: string): Promise<ExtensionRecord> {
		if (!this.isResponsible(item, user)) throw new LedgerError('not_responsible', 'Only the responsible units ask for an extension.');
		if (item.status === 'closed') throw new LedgerError('wrong_status', 'A closed item needs no extension.');
		if (item.deadline === '') throw new LedgerError('bad_deadline', 'The item has no deadline to extend.');
		if (daysBetween(this.today(), item.deadline) < 0) throw new LedgerError('deadline_passed', 'An extension is asked for before the deadline, not after.');
		if (deadline <= item.deadline) throw new LedgerError('bad_deadline', 'The new deadline must be later than the one in force.');
		const at = this.now();
		const proposalId = item.resolution.proposal.id;
		const ext: ExtensionRecord = {
			id: randomId(12),
			proposalId,
			oldDeadline: item.deadline,
			newDeadline: deadline,
			reason,
			status: 'pending',
			requestedBy: user.id,
			requestedAt: at,
			decidedBy: null,
			decidedAt: null,
			decisionReason: ''
		};
		const event = { id: randomId(12), proposalId, kind: 'extension_requested', fromStatus: item.status, toStatus: item.status, reason: `${deadline}：${reason}`, byUser: user.id, at };
		if (!(await this.store.requestExtension(item.resolution.proposal.conferenceId, ext, event))) {
			throw new LedgerError('extension_open', 'An extension is already awaiting a decision.');
		}
		return ext;
	}

	/** The organizer's decision on an open extension; an approval moves the deadline. */
	async decideExtension(conferenceId: string, ext: ExtensionRecord, user: UserRecord, approve: boolean, reason: string): Promise<ExtensionRecord> {
		const at = this.now();
		const status = approve ? 'approved' : 'declined';
		const event = { id: randomId(12), proposalId: ext.proposalId, kind: `extension_${status}`, reason: approve ? ext.newDeadline : reason, byUser: user.id, at };
		const decided = await this.store.decideExtension(conferenceId, ext.id, { status, by: user.id, at, reason }, event);
		if (decided === null) throw new LedgerError('wrong_status', 'The extension was already decided.');
		return { ...decided, status, decidedBy: user.id, decidedAt: at, decisionReason: reason };
	}

	reports(proposalId: string) {
		return this.store.reports(proposalId);
	}
	evidenceOf(proposalId: string) {
		return this.store.evidenceOf(proposalId);
	}
	evidence(id: string) {
		return this.store.evidence(id);
	}
	events(proposalId: string) {
		return this.store.events(proposalId);
	}
	extensions(proposalId: string) {
		return this.store.extensions(proposalId);
	}
	extension(id: string) {
		return this.store.extension(id);
	}
	evidenceOfConference(conferenceId: string) {
		return this.store.evidenceOfConference(conferenceId);
	}
	reportsOf(conferenceId: string) {
		return this.store.reportsOf(conferenceId);
	}
	readEvidence(id: string) {
		return this.files.read(id);
	}
}
