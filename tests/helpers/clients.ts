import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { withOrigin } from './origin.js';

/** Polls `check` until it returns true; fails with `what` after `timeoutMs`. Tests poll, never sleep. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		if (await check()) return;
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

/**
 * A `ws` WebSocket that sends the session cookie and the server's Origin, as a browser does, for
 * y-websocket in Node (which has neither a cookie jar nor a page).
 */
function webSocketWithCookie(cookie: string) {
	return class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: withOrigin(String(url), { cookie }) });
		}
	};
}

export interface SyncClient {
	doc: Y.Doc;
	provider: WebsocketProvider;
	text: Y.Text;
	destroy(): void;
}

/** A stock y-websocket client signed in with `cookie` (on `doc`, e.g. one that keeps deleted content with `gc: false`). */
export function connectClient(wsBase: string, docId: string, cookie: string, params: Record<string, string> = {}, doc = new Y.Doc()): SyncClient {
	const provider = new WebsocketProvider(wsBase, docId, doc, {
		WebSocketPolyfill: webSocketWithCookie(cookie) as unknown as typeof globalThis.WebSocket,
		disableBc: true,
		params,
		maxBackoffTime: 500
	});
	return {
		doc,
		provider,
		text: doc.getText('t'),
		destroy() {
			provider.destroy();
			doc.destroy();
		}
	};
}

/**
 * Opens a raw WebSocket to /sync/<docId> with `headers` and the server's Origin (`origin: undefined`
 * leaves it out); resolves with the socket once open, or the HTTP status on refusal.
 */
export function rawSocket(
	wsBase: string,
	docId: string,
	headers: Record<string, string | undefined>
): Promise<{ ws: WebSocket } | { status: number }> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(`${wsBase}/${docId}`, { headers: withOrigin(wsBase, headers) });
		ws.binaryType = 'nodebuffer';
		ws.once('open', () => resolve({ ws }));
		ws.once('unexpected-response', (_req, res) => {
			resolve({ status: res.statusCode ?? 0 });
			ws.terminate();
		});
		ws.once('error', (err) => reject(err));
	});
}

/** The elements below `parent` (depth first), or only those named `name`. */
export function xmlElements(parent: Y.XmlElement | Y.XmlFragment, name?: string): Y.XmlElement[] {
	const out: Y.XmlElement[] = [];
	for (const child of parent.toArray()) {
		if (child instanceof Y.XmlElement) {
			if (name === undefined || child.nodeName === name) out.push(child);
			out.push(...xmlElements(child, name));
		}
	}
	return out;
}

/** A stock client on `docId` with `cookie`, once it has synced. */
export async function syncedClient(wsBase: string, docId: string, cookie: string): Promise<SyncClient> {
	const c = connectClient(wsBase, docId, cookie);
	await waitFor(() => c.provider.synced, 'synced');
	return c;
}
