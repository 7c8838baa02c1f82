/**
 * The fault suite's sizes. CI runs the counts the README states; `CONCORD_FAULT_SCALE=10 npm run
 * test:fault` multiplies every count for the long version (and the PostgreSQL run, fault-pg, runs a
 * fraction of them: it repeats the guarantees on the other store, not the search).
 */
export const faultScale = Math.max(0.1, Number(process.env.CONCORD_FAULT_SCALE ?? 1) || 1);
export const scaled = (n: number) => Math.max(1, Math.round(n * faultScale));

/** A deterministic pseudo-random stream (mulberry32), so a failing run can be replayed with its seed. */
export function seeded(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const faultSeed = Number(process.env.CONCORD_FAULT_SEED ?? Date.now() % 1_000_000);

/** Lets time pass on purpose: the fault suite types, kills and waits at chosen moments. */
export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
