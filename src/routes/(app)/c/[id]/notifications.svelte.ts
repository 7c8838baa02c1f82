import { api } from '$lib/api/client';
import { type LiveChange, onLiveChanges } from '$lib/collab/live-events';
import { m } from '$lib/paraglide/messages';
import type { ConferenceView } from '$lib/shared/schemas';
import { coalesced } from '$lib/state/coalesce';

export interface Notice {
	id: number;
	at: number;
	text: string;
	href: string;
}

/** The most recent notices kept (older ones drop off the list). */
const keep = 30;

/**
 * The bell: what changed in the conference while this page is open, as the server announces it on the
 * conference's event stream, limited to what concerns the caller (hands and questions only for those
 * who run the breakout), and mentions of the caller in comments, which the server keeps until read
 * (so those made while the caller was away are here too). Kept for the page's life; opening the list
 * marks everything read.
 */
export class Notifications {
	list = $state<Notice[]>([]);
	unread = $state(0);
	private next = 1;
	private readonly mentionsShown = new Set<string>();
	private readonly stop: () => void;

	constructor(private readonly conference: ConferenceView) {
		this.stop = onLiveChanges(conference.id, (change) => {
			if (change === null || change.type === 'mentions') void this.loadMentions();
			if (change === null) return;
			const notice = this.describe(change);
			if (notice === null) return;
			this.add({ at: Date.now(), ...notice });
		});
	}

	private add(notice: Omit<Notice, 'id'>) {
		this.list = [{ id: this.next++, ...notice }, ...this.list].slice(0, keep);
		this.unread++;
	}

	/** Unread mentions not on the list yet (one request at a time). */
	private readonly loadMentions = coalesced(async () => {
		const { mentions } = await api.listMentions(this.conference.id);
		for (const x of [...mentions].reverse()) {
			if (this.mentionsShown.has(x.commentId)) continue;
			this.mentionsShown.add(x.commentId);
			this.add({ at: Date.parse(x.createdAt), text: m.notify_mention({ name: x.by?.name ?? '', doc: x.docTitle }), href: `/d/${encodeURIComponent(x.docId)}?thread=${encodeURIComponent(x.threadId)}` });
		}
	});

	private describe(change: LiveChange): Omit<Notice, 'id' | 'at'> | null {
		const c = this.conference;
		const base = `/c/${c.id}`;
		const breakout = c.breakouts.find((b) => b.id === change.scope);
		switch (change.type) {
			case 'proposals':
				return { text: m.notify_proposals(), href: `${base}/minutes` };
			case 'ledger':
				return { text: m.notify_ledger(), href: `${base}/ledger` };
			case 'hands':
				return breakout?.mayManage ? { text: m.notify_hands({ breakout: breakout.name }), href: `${base}/breakouts` } : null;
			case 'questions':
				if (change.scope === 'plenary') return c.mayManage ? { text: m.notify_questions({ scope: m.now_plenary() }), href: base } : null;
				return breakout?.mayManage ? { text: m.notify_questions({ scope: breakout.name }), href: `${base}/breakouts` } : null;
			case 'document-full':
				return c.mayManage ? { text: m.notify_document_full(), href: base } : null;
			default:
				return null;
		}
	}

	markRead(): void {
		if (this.mentionsShown.size > 0) void api.readMentions(this.conference.id).catch(() => undefined);
		this.unread = 0;
	}

	destroy(): void {
		this.stop();
	}
}
