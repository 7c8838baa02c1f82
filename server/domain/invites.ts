import type { Role } from '../../src/lib/shared/roles.js';
import { hashSecret, randomId, secretMatches } from '../auth/tokens.js';
import { createUser } from '../auth/users.js';
import type { ConferenceRecord, ConferenceStore, InviteRecord, InviteStore, UserRecord, UserStore } from '../storage/types.js';
import type { ConferenceService } from './conferences.js';

export type InviteProblem = 'invalid' | 'unusable';

/** Thrown when a token is unknown ('invalid') or expired, revoked or used up ('unusable'). */
export class InviteError extends Error {
	constructor(readonly problem: InviteProblem) {
		super(problem === 'invalid' ? 'No such invite.' : 'This invite link has expired, was revoked or has no uses left.');
	}
}

/**
 * Invite links: `<id>-<secret>`, like session tokens (only a hash of the secret is stored), with a dash
 * because a dot would make the `/join/…` path look like a file to the static server. Accepting
 * one creates a guest account bound to the conference — name and unit, no password — with the
 * invite's role and breakouts.
 */
export class InviteService {
	constructor(
		private readonly invites: InviteStore,
		private readonly conferences: ConferenceStore,
		private readonly members: ConferenceService,
		private readonly users: UserStore,
		private readonly now: () => number = Date.now
	) {}

	async create(
		conferenceId: string,
		createdBy: string,
		o: { role: Role; breakoutIds: string[]; expiresInHours: number; maxUses: number }
	): Promise<{ invite: InviteRecord; token: string }> {
		const secret = randomId();
		const invite: InviteRecord = {
			id: randomId(12),
			conferenceId,
			secretHash: hashSecret(secret),
			role: o.role,
			breakoutIds: [...new Set(o.breakoutIds)],
			expiresAt: this.now() + o.expiresInHours * 3_600_000,
			maxUses: o.maxUses,
			uses: 0,
			revoked: false,
			createdBy,
			createdAt: this.now()
		};
		await this.invites.create(invite);
		return { invite, token: `${invite.id}-${secret}` };
	}

	usable(invite: InviteRecord): boolean {
		return !invite.revoked && invite.uses < invite.maxUses && invite.expiresAt > this.now();
	}

	/** The invite and its conference for a token; throws InviteError. */
	async resolve(token: string): Promise<{ invite: InviteRecord; conference: ConferenceRecord }> {
		const dash = token.indexOf('-');
		if (dash <= 0 || token.length > 200) throw new InviteError('invalid');
		const invite = await this.invites.get(token.slice(0, dash));
		if (invite === null || !secretMatches(token.slice(dash + 1), invite.secretHash)) throw new InviteError('invalid');
		const conference = await this.conferences.get(invite.conferenceId);
		if (conference === null) throw new InviteError('invalid');
		if (!this.usable(invite)) throw new InviteError('unusable');
		return { invite, conference };
	}

	/** Creates the guest and their membership; the use is counted atomically first. */
	async accept(token: string, person: { displayName: string; unit: string }): Promise<{ user: UserRecord; invite: InviteRecord }> {
		const { invite } = await this.resolve(token);
		if (!(await this.invites.use(invite.id, this.now()))) throw new InviteError('unusable');
		const user = await createUser(this.users, {
			username: `guest-${randomId(6)}`,
			// Nobody knows this password: guests come back through a session, not a sign-in.
			password: randomId(),
			displayName: person.displayName,
			unit: person.unit,
			isAdmin: false,
			guestConferenceId: invite.conferenceId
		});
		if (user === null) throw new Error('guest username collision');
		const existing = new Set((await this.conferences.listBreakouts(invite.conferenceId)).map((b) => b.id));
		await this.members.putMember(invite.conferenceId, user.id, {
			role: invite.role,
			unitType: '',
			breakoutIds: invite.breakoutIds.filter((b) => existing.has(b))
		});
		return { user, invite };
	}
}
