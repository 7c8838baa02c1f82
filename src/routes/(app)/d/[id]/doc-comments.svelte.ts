import { api } from '$lib/api/client';
import { onLiveChanges } from '$lib/collab/live-events';
import { errorText } from '$lib/i18n/error-text';
import { m } from '$lib/paraglide/messages';
import type { CommentAnchor, CommentThread, SuggestionAnchor } from '$lib/shared/comments';
import { coalesced } from '$lib/state/coalesce';

/**
 * A document's comment threads as this page knows them: loaded once, then again whenever the
 * conference's event stream says they changed (outside a conference: when the tab comes back into
 * view), and after each of the caller's own steps.
 */
export class DocComments {
	threads = $state<CommentThread[]>([]);
	mayComment = $state(false);
	mayModerate = $state(false);
	mayDecide = $state(false);
	/** The outcome of deciding every suggestion at once, said until the next step. */
	notice = $state('');
	loaded = $state(false);
	failure = $state('');

	constructor(
		private readonly docId: string,
		private readonly conferenceId: string | null
	) {}

	readonly load = coalesced(async () => {
		try {
			const r = await api.listComments(this.docId);
			this.threads = r.threads;
			this.mayComment = r.mayComment;
			this.mayModerate = r.mayModerate;
			this.mayDecide = r.mayDecide;
			this.loaded = true;
		} catch (err) {
			this.failure = errorText(err);
		}
	});

	/** Keeps the threads up to date; returns the stop. */
	follow(): () => void {
		if (this.conferenceId !== null) {
			return onLiveChanges(this.conferenceId, (change) => {
				if (change === null || (change.type === 'comments' && change.doc === this.docId)) void this.load();
			});
		}
		void this.load();
		const onVisible = () => document.visibilityState === 'visible' && void this.load();
		document.addEventListener('visibilitychange', onVisible);
		return () => document.removeEventListener('visibilitychange', onVisible);
	}

	/** Runs one of the caller's steps; on failure says why and returns false. */
	async step(run: () => Promise<unknown>): Promise<boolean> {
		this.failure = '';
		this.notice = '';
		try {
			await run();
			await this.load();
			return true;
		} catch (err) {
			this.failure = errorText(err);
			return false;
		}
	}

	open = (anchor: CommentAnchor, body: string, mentions: string[]) => this.step(() => api.openThread(this.docId, anchor, body, mentions));
	reply = (threadId: string, body: string, mentions: string[]) => this.step(() => api.replyThread(this.docId, threadId, body, mentions));
	resolve = (threadId: string, resolved: boolean) => this.step(() => api.resolveThread(this.docId, threadId, resolved));
	hide = (threadId: string, commentId: string, hidden: boolean) => this.step(() => api.hideComment(this.docId, threadId, commentId, hidden));
	suggest = (anchor: SuggestionAnchor, text: string, body: string, mentions: string[]) => this.step(() => api.suggest(this.docId, anchor, text, body, mentions));
	decide = (threadId: string, accept: boolean) => this.step(() => api.decideSuggestion(this.docId, threadId, accept));
	decideAll = (accept: boolean) =>
		this.step(async () => {
			const r = await api.decideAllSuggestions(this.docId, accept);
			this.notice = accept ? m.suggestions_all_accepted(r) : m.suggestions_all_rejected(r);
		});
}
