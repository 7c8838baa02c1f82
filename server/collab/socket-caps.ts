import type { ClusterBus } from './relay.js';

/** How often an instance tells the others how many sockets it holds per address and account. */
const shareEveryMs = 1000;
/** Counts an instance stopped telling (it died) no longer count after this. */
const forgetAfterMs = 5000;

interface Counts {
	addresses: Record<string, number>;
	users: Record<string, number>;
}

/**
 * Caps on open sync sockets per client address and per account, so that one address or one account
 * cannot exhaust the server. A socket's place is reserved when its upgrade is accepted and given back
 * when it closes, or when its handshake never completes. With several instances (`share`), each
 * counts the sockets the others told it about (every second, addresses and accounts with two or
 * more), so the caps hold for the cluster within a second or so.
 */
export class SocketCaps {
	private readonly byAddress = new Map<string, number>();
	private readonly byUser = new Map<string, number>();
	private readonly elsewhere = new Map<string, { at: number; addresses: Map<string, number>; users: Map<string, number> }>();

	constructor(
		readonly perAddress: number,
		readonly perUser: number,
		private readonly now: () => number = Date.now
	) {}

	/** A release function, or null when either cap is reached (nothing is reserved then). */
	reserve(address: string, userId: string): (() => void) | null {
		if (this.count(this.byAddress, 'addresses', address) >= this.perAddress || this.count(this.byUser, 'users', userId) >= this.perUser) return null;
		this.bump(this.byAddress, address, 1);
		this.bump(this.byUser, userId, 1);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.bump(this.byAddress, address, -1);
			this.bump(this.byUser, userId, -1);
		};
	}

	/** Shares this instance's counts with the others on `bus` and counts theirs; returns a stop function. */
	share(bus: ClusterBus, instance: string): () => void {
		bus.on('sockets.counts', (p) => {
			const { from, counts } = p as { from: string; counts: Counts };
			if (from === instance) return;
			this.elsewhere.set(from, { at: this.now(), addresses: new Map(Object.entries(counts.addresses)), users: new Map(Object.entries(counts.users)) });
		});
		const timer = setInterval(() => bus.send('sockets.counts', { from: instance, counts: this.ownCounts() }), shareEveryMs);
		timer.unref();
		return () => clearInterval(timer);
	}

	/** This instance's addresses and accounts with two sockets or more (singles change nothing that matters). */
	private ownCounts(): Counts {
		const many = (map: Map<string, number>) => Object.fromEntries([...map].filter(([, n]) => n >= 2));
		return { addresses: many(this.byAddress), users: many(this.byUser) };
	}

	private count(map: Map<string, number>, kind: 'addresses' | 'users', key: string): number {
		let n = map.get(key) ?? 0;
		const now = this.now();
		for (const [from, other] of this.elsewhere) {
			if (now - other.at > forgetAfterMs) this.elsewhere.delete(from);
			else n += other[kind].get(key) ?? 0;
		}
		return n;
	}

	private bump(map: Map<string, number>, key: string, by: number): void {
		const n = (map.get(key) ?? 0) + by;
		if (n <= 0) map.delete(key);
		else map.set(key, n);
	}
}
