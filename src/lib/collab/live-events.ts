/** A change in a conference's live room or proposals, as the server announces it. */
export interface LiveChange {
	type: 'questions' | 'hands' | 'grants' | 'presence' | 'proposals' | 'ledger' | 'reports' | 'dashboard' | 'cases' | 'document-full' | 'comments' | 'mentions';
	scope: string;
	/** comments, mentions: the document. */
	doc?: string;
}

const streams = new Map<string, { source: EventSource; listeners: Set<(change: LiveChange | null) => void> }>();

/**
 * Listens to the conference's event stream, one stream per page however many parts listen (a
 * browser allows few open connections per server). The listener is called with `null` at once
 * ("fetch everything") and again after a dropped stream reconnects, since changes may have been
 * missed meanwhile. Returns the unsubscribe function.
 */
export function onLiveChanges(conferenceId: string, listener: (change: LiveChange | null) => void): () => void {
	let stream = streams.get(conferenceId);
	if (stream === undefined) {
		const source = new EventSource(`/api/conferences/${encodeURIComponent(conferenceId)}/events`);
		const listeners = new Set<(change: LiveChange | null) => void>();
		source.addEventListener('live', (e) => {
			const change = JSON.parse((e as MessageEvent<string>).data) as LiveChange;
			for (const l of listeners) l(change);
		});
		let connectedBefore = false;
		source.addEventListener('ready', () => {
			if (connectedBefore) for (const l of listeners) l(null);
			connectedBefore = true;
		});
		stream = { source, listeners };
		streams.set(conferenceId, stream);
	}
	const s = stream;
	s.listeners.add(listener);
	queueMicrotask(() => {
		if (s.listeners.has(listener)) listener(null);
	});
	return () => {
		s.listeners.delete(listener);
		if (s.listeners.size === 0) {
			s.source.close();
			streams.delete(conferenceId);
		}
	};
}
