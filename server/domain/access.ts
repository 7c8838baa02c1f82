import { type Scope, type Subject, can, syncAccess } from '../auth/policy.js';
import type { BreakoutRecord, ConferenceStore, DocumentRecord, LiveRoomStore, MemberRecord, UserRecord } from '../storage/types.js';

/**
 * Turns a document into the scope the policy decides on, and a user into a subject with their
 * membership of that scope's conference. Every route and every sync connection goes through here.
 */
export class AccessResolver {
	constructor(
		private readonly conferences: ConferenceStore,
		private readonly liveRoom: LiveRoomStore,
		private readonly now: () => number = Date.now
	) {}

	/** The scope of a document, or null when what it belongs to no longer exists. */
	async scopeOf(doc: DocumentRecord): Promise<Scope | null> {
		switch (doc.parent.kind) {
			case 'workspace':
				return { kind: 'workspace' };
			case 'conference':
				return (await this.conferences.get(doc.parent.id)) ? { kind: 'conference', conferenceId: doc.parent.id } : null;
			case 'breakout': {
				const b = await this.conferences.getBreakout(doc.parent.id);
				return b ? { kind: 'breakout', conferenceId: b.conferenceId, breakoutId: b.id, closed: b.closed } : null;
			}
		}
	}

	async subject(user: UserRecord, scope: Scope): Promise<Subject> {
		const conferenceId = scope.kind === 'conference' || scope.kind === 'breakout' ? scope.conferenceId : null;
		if (conferenceId === null) return { user, membership: null };
		const [membership, grants] = await Promise.all([
			this.conferences.getMember(conferenceId, user.id),
			scope.kind === 'breakout' ? this.liveRoom.grantedBreakouts(conferenceId, user.id, this.now()) : Promise.resolve([])
		]);
		return { user, membership, grants };
	}

	/** The breakouts of a conference whose documents `user` may read (the membership is read once). */
	async readableBreakouts(user: UserRecord, conferenceId: string): Promise<Map<string, BreakoutRecord>> {
		const [breakouts, membership, grants] = await Promise.all([
			this.conferences.listBreakouts(conferenceId),
			this.conferences.getMember(conferenceId, user.id),
			this.liveRoom.grantedBreakouts(conferenceId, user.id, this.now())
		]);
		const subject: Subject = { user, membership, grants };
		return new Map(
			breakouts
				.filter((b) => can(subject, 'document.read', { kind: 'breakout', conferenceId, breakoutId: b.id, closed: b.closed }))
				.map((b) => [b.id, b])
		);
	}

	/** What `user` may do with `doc` over sync, and their membership of its conference (if any). */
	async documentGrant(
		user: UserRecord,
		doc: DocumentRecord
	): Promise<{ access: 'write' | 'read' | 'none'; membership: MemberRecord | null; presenter: boolean }> {
		const scope = await this.scopeOf(doc);
		if (scope === null) return { access: 'none', membership: null, presenter: false };
		const subject = await this.subject(user, scope);
		const access = syncAccess(subject, scope);
		// Who runs the room may present: viewers follow their position.
		const presenter =
			(scope.kind === 'breakout' && can(subject, 'breakout.manage', scope)) || (scope.kind === 'conference' && can(subject, 'conference.manage', scope));
		// A conference's live document is written by the server alone.
		return { access: doc.kind === 'live' && access === 'write' ? 'read' : access, membership: subject.membership, presenter };
	}

	async documentAccess(user: UserRecord, doc: DocumentRecord): Promise<'write' | 'read' | 'none'> {
		return (await this.documentGrant(user, doc)).access;
	}
}
