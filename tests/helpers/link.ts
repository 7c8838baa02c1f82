import type { Page, WebSocketRoute } from 'playwright-core';

type Message = string | Buffer;

/**
 * The network between a page and the sync server, under the test's control: while held, messages in
 * both directions wait (in order) and are delivered on `release`; `delayDown` slows what the server
 * sends. Set up before the page opens its document.
 */
export class Link {
	private held = false;
	private up: Array<() => void> = [];
	private down: Array<() => void> = [];
	private downDelayMs = 0;
	private sockets = 0;

	private constructor() {}

	static async on(page: Page): Promise<Link> {
		const link = new Link();
		await page.routeWebSocket(/\/sync\//, (ws: WebSocketRoute) => {
			link.sockets++;
			const server = ws.connectToServer();
			ws.onMessage((m: Message) => link.pass(link.up, () => server.send(m)));
			server.onMessage((m: Message) => {
				const deliver = () => link.pass(link.down, () => ws.send(m));
				if (link.downDelayMs > 0) setTimeout(deliver, link.downDelayMs);
				else deliver();
			});
		});
		return link;
	}

	/** Sync sockets the page has opened through this link. */
	get opened(): number {
		return this.sockets;
	}

	private pass(queue: Array<() => void>, send: () => void): void {
		if (this.held) queue.push(send);
		else send();
	}

	/** From now on messages wait. */
	hold(): void {
		this.held = true;
	}

	/** Delivers what waited, the page's messages first (the server sees them before the page hears back). */
	release(): void {
		this.held = false;
		for (const send of this.up.splice(0)) send();
		for (const send of this.down.splice(0)) send();
	}

	/** What the server sends arrives `ms` later (a slow link). */
	delayDown(ms: number): void {
		this.downDelayMs = ms;
	}
}
