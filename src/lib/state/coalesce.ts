/**
 * `task`, run at most once at a time: a call while it runs asks for one more run when it ends, and
 * any number of such calls make that one run. A burst of live events (ten decisions in a second)
 * costs two requests, not ten, and the last run always starts after the last event.
 */
export function coalesced(task: () => Promise<void>): () => Promise<void> {
	let running: Promise<void> | null = null;
	let again = false;
	const run = (): Promise<void> => {
		if (running !== null) {
			again = true;
			return running;
		}
		running = (async () => {
			try {
				do {
					again = false;
					await task().catch(() => undefined);
				} while (again);
			} finally {
				running = null;
			}
		})();
		return running;
	};
	return run;
}

/** `work` for each of `items`, at most `limit` at a time (a page of thirty conferences must not send a hundred requests at once). */
export async function inTurns<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < items.length) await work(items[next++]).catch(() => undefined);
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
