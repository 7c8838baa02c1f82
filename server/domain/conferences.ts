import type { Role } from '../../src/lib/shared/roles.js';
import { mayBelong } from '../auth/policy.js';
import { randomId } from '../auth/tokens.js';
import { defaultAgenda, nextDay } from '../../src/lib/shared/agenda.js';
import { beijingDate } from '../../src/lib/shared/beijing-time.js';
import type { BreakoutRecord, ConferenceDetails, ConferenceRecord, ConferenceStore, MemberRecord, UserStore } from '../storage/types.js';


/** A rule of the conference domain was broken; the HTTP layer maps `reason` to a status. */
export class ConferenceRuleError extends Error {
	constructor(
		readonly reason: 'unknown_user' | 'unknown_breakout' | 'last_organizer' | 'not_member',
		message: string
	) {
		super(message);
	}
}

const lastOrganizerError = () => new ConferenceRuleError('last_organizer', 'A conference keeps at least one organizer.');

export interface MembershipInput {
	role: Role;
	unitType: string;
	breakoutIds: string[];
}

/**
 * Conferences, their breakouts and members. Every change that can alter someone's access is reported
 * through `onAccessChanged` (a user id, or null for everyone), so open connections follow at once.
 */
export class ConferenceService {
	constructor(
		private readonly store: ConferenceStore,
		private readonly users: UserStore,
		private readonly onAccessChanged: (userId: string | null) => void
	) {}

	/**
	 * Creates a conference with its first organizer. Without dates it starts today (Beijing) and lasts
	 * two days; the agenda starts from the three stages of a 总结会.
	 */
	async create(details: ConferenceDetails, createdBy: string, organizerId: string): Promise<ConferenceRecord> {
		const id = randomId(12);
		await this.eligible(organizerId, id);
		const startDate = details.startDate || beijingDate(Date.now());
		const endDate = details.endDate || nextDay(startDate);
		const conference: ConferenceRecord = {
			...details,
			startDate,
			endDate,
			id,
			createdBy,
			createdAt: Date.now(),
			agenda: defaultAgenda(startDate),
			moderatorsApprove: false
		};
		await this.store.create(conference);
		await this.store.putMember({ conferenceId: conference.id, userId: organizerId, role: 'organizer', unitType: '', breakoutIds: [], addedAt: Date.now() });
		return conference;
	}

	async createBreakout(conferenceId: string, input: { name: string; sector: string; region: string }): Promise<BreakoutRecord> {
		const breakout: BreakoutRecord = { id: randomId(12), conferenceId, ...input, closed: false, createdAt: Date.now() };
		await this.store.createBreakout(breakout);
		return breakout;
	}

	async setBreakoutClosed(breakout: BreakoutRecord, closed: boolean): Promise<void> {
		await this.store.setBreakoutClosed(breakout.id, closed);
		this.onAccessChanged(null);
	}

	/** Adds a member or changes their role, unit type and breakouts. */
	async putMember(conferenceId: string, userId: string, input: MembershipInput): Promise<MemberRecord> {
		await this.eligible(userId, conferenceId);
		const breakouts = new Set((await this.store.listBreakouts(conferenceId)).map((b) => b.id));
		const unknown = input.breakoutIds.find((id) => !breakouts.has(id));
		if (unknown !== undefined) throw new ConferenceRuleError('unknown_breakout', `No breakout ${unknown} in this conference.`);
		const existing = await this.store.getMember(conferenceId, userId);
		const member: MemberRecord = {
			conferenceId,
			userId,
			role: input.role,
			unitType: input.unitType,
			breakoutIds: [...new Set(input.breakoutIds)],
			addedAt: existing?.addedAt ?? Date.now()
		};
		if (!(await this.store.putMember(member))) throw lastOrganizerError();
		this.onAccessChanged(userId);
		return member;
	}

	/** An account bound to another conference looks like no account at all: no existence leak. */
	private async eligible(userId: string, conferenceId: string): Promise<void> {
		const user = await this.users.findById(userId);
		if (user === null || !mayBelong(user, conferenceId)) throw new ConferenceRuleError('unknown_user', 'No such user.');
	}

	async removeMember(conferenceId: string, userId: string): Promise<void> {
		// A conference never loses its last organizer: the store decides, with member changes serialized.
		const outcome = await this.store.removeMember(conferenceId, userId);
		if (outcome === 'not_member') throw new ConferenceRuleError('not_member', 'Not a member of this conference.');
		if (outcome === 'last_organizer') throw lastOrganizerError();
		this.onAccessChanged(userId);
	}
}
