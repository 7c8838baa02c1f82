import type { ConferenceDetails, ConferenceRecord, ConferenceStore, ProjectRecord, SuccessionStore, UserRecord, UserStore } from '../storage/types.js';
import { mayBelong } from '../auth/policy.js';
import { randomId } from '../auth/tokens.js';
import type { ConferenceService } from './conferences.js';
import type { Exclusive } from './exclusive.js';
import type { StageOne } from './dashboard.js';
import { type Ledger, breakoutIn } from './ledger.js';
import type { ProjectReports } from './reports.js';

/** A conference has one next-year conference: asked again, this is the one it has. */
export class SuccessorExists extends Error {
	constructor(readonly successorId: string) {
		super('This conference already has its next-year conference.');
	}
}

/** What came over into next year's conference. */
export interface Succession {
	conference: ConferenceRecord;
	breakouts: number;
	members: number;
	projects: number;
	carried: number;
}

/**
 * Next year's conference from this one (后续跟踪): its breakouts, members (accounts of their own;
 * invite guests belong to this conference only), projects (the same 项目代码, under the same
 * breakouts), lamp, 红黑榜 and ledger rules; the open ledger items are carried over — linked, not
 * copied, so each keeps its number, its history and its evidence, and goes on being reported on from
 * either conference. The person who asks becomes its organizer.
 */
export class Successions {
	constructor(
		private readonly service: ConferenceService,
		private readonly conferences: ConferenceStore,
		private readonly users: UserStore,
		private readonly store: SuccessionStore,
		private readonly ledger: Ledger,
		private readonly reports: ProjectReports,
		private readonly stageOne: StageOne,
		private readonly exclusive: Exclusive,
		private readonly now: () => number = Date.now
	) {}

	predecessorOf(conferenceId: string) {
		return this.store.predecessorOf(conferenceId);
	}

	/** Makes it, once: of two requests at once (two tabs, two organizers, two instances) one makes it, the other is told it exists. */
	create(source: ConferenceRecord, user: UserRecord, details: ConferenceDetails): Promise<Succession> {
		return this.exclusive(`successor:${source.id}`, async () => {
			const existing = await this.store.successorOf(source.id);
			if (existing !== null) throw new SuccessorExists(existing);
			return this.make(source, user, details);
		});
	}

	private async make(source: ConferenceRecord, user: UserRecord, details: ConferenceDetails): Promise<Succession> {
		const conference = await this.service.create({ ...details, hosts: details.hosts || source.hosts, venue: details.venue || source.venue }, user.id, user.id);
		const breakoutOf = new Map<string, string>();
		for (const b of await this.conferences.listBreakouts(source.id)) {
			breakoutOf.set(b.id, (await this.service.createBreakout(conference.id, { name: b.name, sector: b.sector, region: b.region })).id);
		}
		let members = 0;
		for (const m of await this.conferences.listMembers(source.id)) {
			const account = await this.users.findById(m.userId);
			if (m.userId === user.id || account === null || !mayBelong(account, conference.id)) continue;
			await this.service.putMember(conference.id, m.userId, { role: m.role, unitType: m.unitType, breakoutIds: m.breakoutIds.flatMap((id) => breakoutOf.get(id) ?? []) });
			members++;
		}
		const projects = await this.conferences.listProjects(source.id);
		for (const p of projects) {
			const breakoutId = breakoutOf.get(p.breakoutId);
			if (breakoutId === undefined) continue;
			const copy: ProjectRecord = { ...p, id: randomId(12), conferenceId: conference.id, breakoutId, createdAt: this.now() };
			await this.conferences.createProject(copy);
		}
		const [lamps, honor, ledgerSettings, items] = await Promise.all([this.reports.thresholds(source.id), this.stageOne.honorSettings(source.id), this.ledger.settings(source.id), this.ledger.items(source.id)]);
		if (lamps.custom) await this.reports.setThresholds(conference.id, user, lamps);
		// The rule carries over; excusals are of one year's projects and do not.
		if (honor.custom) await this.stageOne.setHonorSettings(conference.id, user, { rules: honor.rules, excused: [] });
		await this.ledger.setSettings(conference.id, ledgerSettings);
		const at = this.now();
		const carried = items
			.filter((i) => i.status !== 'closed' && breakoutOf.has(breakoutIn(i)))
			.map((i) => ({ conferenceId: conference.id, proposalId: i.resolution.proposal.id, breakoutId: breakoutOf.get(breakoutIn(i))!, carriedAt: at }));
		await this.store.link(conference.id, source.id, user.id, at, carried);
		return { conference, breakouts: breakoutOf.size, members, projects: projects.length, carried: carried.length };
	}
}
