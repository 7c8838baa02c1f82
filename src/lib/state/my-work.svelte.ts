import { api } from '$lib/api/client';
import { onLiveChanges } from '$lib/collab/live-events';
import type { BreakoutView } from '$lib/shared/schemas';
import { coalesced } from './coalesce';

/**
 * What waits for the caller in one conference: proposals to decide, ledger items to report on or to
 * review, near deadlines, and (for those who run a breakout) raised hands. Live, kept up by the
 * conference's event stream; or, where many conferences are listed at once (the home page), with
 * `live: false`, counted only by `refresh()`, when the page chooses: a page of ten conferences must not open
 * ten streams (browsers allow six connections per server). Each count runs once at a time, however
 * many events ask for it.
 */
export class MyWork {
	toDecide = $state(0);
	toReport = $state(0);
	toReview = $state(0);
	dueSoon = $state(0);
	/** Execution reports of the caller's unit still to submit, those past their deadline, and the nearest deadline. */
	reportsToFill = $state(0);
	reportsOverdue = $state(0);
	reportsDeadline = $state('');
	/** Submitted execution reports the caller may review. */
	reportsToReview = $state(0);
	/** The window of "deadlines near", in days: the ledger's blue band. */
	nearDays = $state(0);
	hands = $state<{ breakoutId: string; name: string; count: number }[]>([]);
	loaded = $state(false);
	private readonly stop: () => void;

	constructor(
		readonly conferenceId: string,
		private readonly runBreakouts: Pick<BreakoutView, 'id' | 'name'>[],
		{ live = true }: { live?: boolean } = {}
	) {
		if (!live) {
			this.stop = () => undefined;
			return;
		}
		this.stop = onLiveChanges(conferenceId, (change) => {
			const all = change === null;
			const tasks: Promise<void>[] = [];
			if (all || change.type === 'proposals') tasks.push(this.loadProposals());
			if (all || change.type === 'ledger') tasks.push(this.loadLedger());
			if (all || change.type === 'hands') tasks.push(this.loadHands());
			if (all || change.type === 'reports') tasks.push(this.loadReports());
			void Promise.all(tasks).then(() => (this.loaded = true));
		});
	}

	/** Counts everything again. */
	async refresh(): Promise<void> {
		await Promise.all([this.loadProposals(), this.loadLedger(), this.loadHands(), this.loadReports()]);
		this.loaded = true;
	}

	get total(): number {
		return this.toDecide + this.toReport + this.toReview + this.dueSoon + this.reportsToFill + this.reportsToReview + this.hands.reduce((n, h) => n + h.count, 0);
	}

	private readonly loadProposals = coalesced(async () => {
		const r = await api.proposals(this.conferenceId, { status: 'pending' }).catch(() => null);
		if (r !== null) this.toDecide = r.proposals.filter((p) => p.mayDecide).length;
	});

	private readonly loadLedger = coalesced(async () => {
		const r = await api.ledger(this.conferenceId).catch(() => null);
		if (r === null) return;
		const open = r.items.filter((i) => i.status !== 'closed');
		this.toReport = open.filter((i) => i.responsible && i.status !== 'pending_review').length;
		this.toReview = open.filter((i) => i.mayReview && i.status === 'pending_review').length;
		// "Deadlines near" is the ledger's own blue band (蓝色提醒), as the organizer set it.
		this.nearDays = r.settings.blueDays;
		this.dueSoon = open.filter((i) => (i.responsible || i.mayReview) && i.daysLeft !== null && i.daysLeft <= this.nearDays).length;
	});

	private readonly loadReports = coalesced(async () => {
		const r = await api.reportRounds(this.conferenceId).catch(() => null);
		if (r === null) return;
		const open = r.rounds.filter((x) => x.mineOpen > 0);
		this.reportsToFill = open.reduce((n, x) => n + x.mineOpen, 0);
		this.reportsOverdue = open.filter((x) => x.deadline < r.today).reduce((n, x) => n + x.mineOpen, 0);
		this.reportsDeadline = open.map((x) => x.deadline).sort()[0] ?? '';
		this.reportsToReview = r.rounds.reduce((n, x) => n + x.toReview, 0);
	});

	private readonly loadHands = coalesced(async () => {
		const counts = await Promise.all(
			this.runBreakouts.map(async (b) => {
				const r = await api.hands(this.conferenceId, b.id).catch(() => null);
				return { breakoutId: b.id, name: b.name, count: r?.hands.length ?? 0 };
			})
		);
		this.hands = counts.filter((h) => h.count > 0);
	});

	destroy(): void {
		this.stop();
	}
}
