import type { Session } from './api.js';
import { waitFor } from './clients.js';

/** A conference's event stream as one caller hears it: everything received so far, as text. */
export async function listenToEvents(baseUrl: string, conferenceId: string, session: Session): Promise<{ text: () => string; stop: () => void; response: Response }> {
	const controller = new AbortController();
	const response = await fetch(`${baseUrl}/api/conferences/${conferenceId}/events`, { headers: { cookie: session.cookie }, signal: controller.signal });
	const chunks: string[] = [];
	const reader = response.body!.getReader();
	void (async () => {
		const decoder = new TextDecoder();
		for (;;) {
			const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
			if (done) return;
			chunks.push(decoder.decode(value));
		}
	})();
	const text = () => chunks.join('');
	await waitFor(() => text().includes('event: ready'), 'the stream is ready');
	return { text, stop: () => controller.abort(), response };
}
