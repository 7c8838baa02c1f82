/**
 * Watches a server's event loop from outside: asks `/healthz` one request after another and keeps
 * the longest answer time. A server whose event loop is blocked answers nothing, for every room at
 * once, so a long answer here is what every other user of the instance would feel.
 */
export function watchStalls(baseUrl: string): { stop(): Promise<number> } {
	let running = true;
	let longest = 0;
	const loop = (async () => {
		while (running) {
			const started = Date.now();
			try {
				await fetch(`${baseUrl}/healthz`);
			} catch {
				// A refused or reset request is a stall too: count its time like any other.
			}
			longest = Math.max(longest, Date.now() - started);
			await new Promise((r) => setTimeout(r, 25));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			return longest;
		}
	};
}
