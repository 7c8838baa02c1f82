import type { Role } from '../../src/lib/shared/roles.js';
import { newLinkToken, randomId, secretMatches, splitLinkToken } from '../auth/tokens.js';
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
 * Invite links (a link token, see `newLinkToken`). Accepting one creates a guest account bound to the conference — name and unit, no password — with the
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
		const { id, secretHash, token } = newLinkToken();
		const invite: InviteRecord = {
			id,
			conferenceId,
			secretHash,
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
		return { invite, token };
	}

	usable(invite: InviteRecord): boolean {
		return !invite.revoked && invite.uses < invite.maxUses && invite.expiresAt > this.now();
	}

	/** The invite and its conference for a token; throws InviteError. */
	async resolve(token: string): Promise<{ invite: InviteRecord; conference: ConferenceRecord }> {
		const parts = splitLinkToken(token);
		const invite = parts === null ? null : await this.invites.get(parts.id);
		if (parts === null || invite === null || !secretMatches(parts.secret, invite.secretHash)) throw new InviteError('invalid');
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
			// Guests come back through a session or a one-time link, never a password.
			password: null,
			displayName: person.displayName,
			unit: person.unit,
			unitDeclared: true,
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
