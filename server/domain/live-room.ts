import type { Question } from '../../src/lib/shared/schemas.js';
import { randomId } from '../auth/tokens.js';
import type { LiveRoomStore, QuestionRecord, UserRecord, UserStore } from '../storage/types.js';

/** What changed in a conference's live room; clients fetch what they may see. `scope`: 'plenary' or a breakout id. */
export interface LiveEvent {
	/** dashboard: an accepted or returned report, a lamp or 红黑榜 rule, a published board, a document's project. */
	type: 'questions' | 'hands' | 'grants' | 'presence' | 'proposals' | 'ledger' | 'reports' | 'dashboard' | 'cases' | 'document-full' | 'comments' | 'mentions';
	scope: string;
	/** comments, mentions: the document. */
	doc?: string;
	/** Only this account's streams hear it (mentions). */
	user?: string;
}

/**
 * Per-conference fan-out of live-room events to the open event streams of this process. `publish`
 * goes through `send` (which, with several instances, reaches every instance's `deliver`).
 */
export class EventHub {
	private readonly subscribers = new Map<string, Set<(e: LiveEvent) => void>>();

	constructor(private readonly send: (conferenceId: string, event: LiveEvent) => void = (c, e) => this.deliver(c, e)) {}

	subscribe(conferenceId: string, listener: (e: LiveEvent) => void): () => void {
		let set = this.subscribers.get(conferenceId);
		if (set === undefined) {
			set = new Set();
			this.subscribers.set(conferenceId, set);
		}
		set.add(listener);
		return () => {
			set.delete(listener);
			if (set.size === 0) this.subscribers.delete(conferenceId);
		};
	}

	publish(conferenceId: string, event: LiveEvent): void {
		this.send(conferenceId, event);
	}

	/** Hands an event to this process's streams of the conference. */
	deliver(conferenceId: string, event: LiveEvent): void {
		for (const listener of this.subscribers.get(conferenceId) ?? []) listener(event);
	}

	get streams(): number {
		let n = 0;
		for (const set of this.subscribers.values()) n += set.size;
		return n;
	}
}

/** How long a moderator's grant of edit rights lasts unless withdrawn: the working day of a session. */
export const grantHours = 12;

/**
 * The live room's rules: anyone who may read a scope asks (optionally privately: only they and the
 * moderators see it) and upvotes once; moderators answer, pin and hide (hidden is gone for everyone
 * else at once); a watcher raises a hand and a moderator grants edit rights for the breakout.
 */
export class LiveRoom {
	constructor(
		private readonly store: LiveRoomStore,
		private readonly users: UserStore,
		private readonly hub: EventHub,
		private readonly onAccessChanged: (userId: string) => void,
		private readonly now: () => number = Date.now
	) {}

	async ask(conferenceId: string, scope: string, asker: UserRecord, text: string, isPrivate: boolean): Promise<QuestionRecord> {
		const q: QuestionRecord = {
			id: randomId(12),
			conferenceId,
			scope,
			askerId: asker.id,
			text,
			private: isPrivate,
			hidden: false,
			pinned: false,
			answer: '',
			answeredBy: null,
			createdAt: this.now()
		};
		await this.store.ask(q);
		this.hub.publish(conferenceId, { type: 'questions', scope });
		return q;
	}

	/** The questions `viewer` may see, pinned first, then by votes, then oldest first. */
	async questions(conferenceId: string, scope: string, viewer: UserRecord, moderator: boolean): Promise<Question[]> {
		const rows = await this.store.listQuestions(conferenceId, scope, viewer.id);
		const visible = rows.filter((q) => moderator || (!q.hidden && (!q.private || q.askerId === viewer.id)));
		const views = await Promise.all(
			visible.map(async (q) => {
				const asker = await this.users.findById(q.askerId);
				return {
					id: q.id,
					scope: q.scope,
					text: q.text,
					askerName: asker?.displayName ?? '',
					askerUnit: asker?.unit ?? '',
					mine: q.askerId === viewer.id,
					private: q.private,
					hidden: q.hidden,
					pinned: q.pinned,
					answer: q.answer,
					votes: q.votes,
					votedByMe: q.votedByMe,
					createdAt: new Date(q.createdAt).toISOString()
				};
			})
		);
		return views.sort((a, b) => Number(b.pinned) - Number(a.pinned) || b.votes - a.votes || a.createdAt.localeCompare(b.createdAt));
	}

	/** One vote per person; a second one changes nothing. */
	async vote(q: QuestionRecord, voter: UserRecord): Promise<void> {
		if (await this.store.vote(q.id, voter.id)) this.hub.publish(q.conferenceId, { type: 'questions', scope: q.scope });
	}

	async moderate(q: QuestionRecord, moderator: UserRecord, change: { hidden?: boolean; pinned?: boolean; answer?: string }): Promise<void> {
		await this.store.moderate(q.id, { ...change, ...(change.answer !== undefined ? { answeredBy: moderator.id } : {}) });
		this.hub.publish(q.conferenceId, { type: 'questions', scope: q.scope });
	}

	async raiseHand(conferenceId: string, breakoutId: string, user: UserRecord): Promise<void> {
		await this.store.raiseHand(conferenceId, breakoutId, user.id, this.now());
		this.hub.publish(conferenceId, { type: 'hands', scope: breakoutId });
	}

	async lowerHand(conferenceId: string, breakoutId: string, userId: string): Promise<void> {
		await this.store.lowerHand(breakoutId, userId);
		this.hub.publish(conferenceId, { type: 'hands', scope: breakoutId });
	}

	/** Raised hands and current grants of a breakout, with names and units. */
	async handsAndGrants(breakoutId: string) {
		const person = async (userId: string) => {
			const u = await this.users.findById(userId);
			return { userId, displayName: u?.displayName ?? '', unit: u?.unit ?? '' };
		};
		const [hands, grants] = await Promise.all([this.store.listHands(breakoutId), this.store.listGrants(breakoutId, this.now())]);
		return {
			hands: await Promise.all(hands.map(async (h) => ({ ...(await person(h.userId)), raisedAt: new Date(h.raisedAt).toISOString() }))),
			grants: await Promise.all(grants.map(async (g) => ({ ...(await person(g.userId)), expiresAt: new Date(g.expiresAt).toISOString() })))
		};
	}

	/** Edit rights in the breakout for `grantHours`; the person's open connections can write at once, and stop when it ends. */
	async grant(conferenceId: string, breakoutId: string, userId: string, by: UserRecord): Promise<void> {
		const expiresAt = this.now() + grantHours * 3_600_000;
		await this.store.grant({ conferenceId, breakoutId, userId, grantedBy: by.id, expiresAt });
		await this.store.lowerHand(breakoutId, userId);
		this.onAccessChanged(userId);
		setTimeout(() => this.onAccessChanged(userId), expiresAt - this.now() + 1000).unref();
		this.hub.publish(conferenceId, { type: 'grants', scope: breakoutId });
		this.hub.publish(conferenceId, { type: 'hands', scope: breakoutId });
	}

	async revoke(conferenceId: string, breakoutId: string, userId: string): Promise<boolean> {
		const had = await this.store.revokeGrant(breakoutId, userId);
		this.onAccessChanged(userId);
		this.hub.publish(conferenceId, { type: 'grants', scope: breakoutId });
		return had;
	}
}
