import type { LeaseStore } from '../storage/types.js';

/** Runs `work` while this process holds the lease `name`, waiting for another holder to finish first. */
export type Exclusive = <T>(name: string, work: () => Promise<T>) => Promise<T>;

export interface ExclusiveOptions {
	/** How long a lease lasts unless released: a holder that died frees it after this. */
	ttlMs: number;
	/** How long to wait for another holder before giving up. */
	waitMs: number;
	/** How often to ask while another holds it. */
	pollMs: number;
}

/**
 * Leases for work one process of several must do at a time (writing a conference's minutes). One
 * instance pays two small writes per use; several instances take turns, and a holder that dies frees
 * the lease after `ttlMs` (5 s; renewed while the work runs).
 */
export function exclusiveWith(store: LeaseStore, holder: string, opts: ExclusiveOptions = { ttlMs: 5000, waitMs: 30_000, pollMs: 25 }, now: () => number = Date.now): Exclusive {
	let uses = 0;
	return async (name, work) => {
		// Each use holds it on its own: a second use in this process waits for the first like any other.
		const me = `${holder}:${++uses}`;
		const deadline = now() + opts.waitMs;
		while (!(await store.take(name, me, now(), now() + opts.ttlMs))) {
			if (now() > deadline) throw new Error(`the lease ${name} stayed taken for ${opts.waitMs} ms`);
			await new Promise((r) => setTimeout(r, opts.pollMs));
		}
		// Renewed while the work runs, so that the lease can be short: a holder that died (SIGKILL
		// mid-approval) keeps the others (and its own restart) waiting for `ttlMs` at most.
		const renew = setInterval(() => {
			void store.take(name, me, now(), now() + opts.ttlMs).catch(() => undefined);
		}, opts.ttlMs / 3);
		renew.unref();
		try {
			return await work();
		} finally {
			clearInterval(renew);
			await store.release(name, me);
		}
	};
}
