import { api } from '$lib/api/client';
import { type Agenda, type AgendaItem, type AgendaStage, type Countdown, liveDocId, liveKeys, remaining } from '$lib/shared/agenda';
import { CollabSession } from './collab-session.svelte';

/**
 * A conference's programme as it happens: the agenda, the session under way and the countdowns,
 * followed read-only from the conference's live document (the server pushes every change), with a
 * clock corrected to the server's so that every screen shows the same time left.
 */
export class LiveProgram {
	agenda = $state<Agenda | null>(null);
	currentItemId = $state<string | null>(null);
	countdowns = $state<Record<string, Countdown>>({});
	/** Server time, ticking. */
	now = $state(Date.now());
	private readonly session: CollabSession;
	private offset = 0;
	private timer: ReturnType<typeof setInterval>;

	constructor(conferenceId: string, onSignedOut: () => void) {
		this.session = new CollabSession(liveDocId(conferenceId), onSignedOut, true);
		const live = this.session.doc.getMap<unknown>('live');
		const read = () => {
			this.agenda = (live.get(liveKeys.agenda) as Agenda | undefined) ?? null;
			this.currentItemId = (live.get(liveKeys.current) as { itemId: string | null } | undefined)?.itemId ?? null;
			const countdowns: Record<string, Countdown> = {};
			const prefix = liveKeys.countdown('');
			for (const [key, value] of live.entries()) if (key.startsWith(prefix)) countdowns[key.slice(prefix.length)] = value as Countdown;
			this.countdowns = countdowns;
		};
		live.observe(read);
		read();
		void this.syncClock();
		this.timer = setInterval(() => (this.now = Date.now() + this.offset), 250);
	}

	/** Half the round trip is the best guess of when the server read its clock. */
	private async syncClock(): Promise<void> {
		const sent = Date.now();
		const { now } = await api.serverTime().catch(() => ({ now: Date.now() }));
		this.offset = now - (sent + Date.now()) / 2;
	}

	/** The current item and its stage. */
	get current(): { stage: AgendaStage; item: AgendaItem } | null {
		for (const stage of this.agenda?.stages ?? []) {
			const item = stage.items.find((i) => i.id === this.currentItemId);
			if (item) return { stage, item };
		}
		return null;
	}

	/** Milliseconds left on the countdown of `scope` ('plenary' or a breakout id), or null when none runs. */
	left(scope: string): number | null {
		const c = this.countdowns[scope];
		return c === undefined ? null : remaining(c, this.now);
	}

	destroy(): void {
		clearInterval(this.timer);
		this.session.destroy();
	}
}

/** 12:05 style, or 1:02:05 past an hour. */
export function formatLeft(ms: number): string {
	const total = Math.ceil(ms / 1000);
	const h = Math.floor(total / 3600);
	const mm = String(Math.floor((total % 3600) / 60)).padStart(h > 0 ? 2 : 1, '0');
	const ss = String(total % 60).padStart(2, '0');
	return h > 0 ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}
