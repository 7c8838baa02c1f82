/**
 * Counts failed sign-ins per account and per address in a fixed window. Held in memory: a restart
 * forgives, which is acceptable for a single-process intranet server and keeps failures off the disk.
 */
/** Failed sign-ins counted per account and per address; one process's memory, or shared by several instances. */
export interface SignInThrottle {
	/** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
	retryAfter(account: string, address: string): number | Promise<number>;
	recordFailure(account: string, address: string): void | Promise<void>;
	recordSuccess(account: string): void | Promise<void>;
}

export interface ThrottleLimits {
	perAccount: number;
	perAddress: number;
	windowMs: number;
}

interface Counter {
	count: number;
	resetAt: number;
}

export class LoginThrottle implements SignInThrottle {
	private readonly accounts = new Map<string, Counter>();
	private readonly addresses = new Map<string, Counter>();

	constructor(
		private readonly limits: ThrottleLimits,
		private readonly now: () => number = Date.now
	) {}

	/** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
	retryAfter(account: string, address: string): number {
		const now = this.now();
		const wait = (map: Map<string, Counter>, key: string, max: number) => {
			const c = map.get(key);
			if (!c || c.resetAt <= now) return 0;
			return c.count >= max ? c.resetAt - now : 0;
		};
		return Math.max(
			wait(this.accounts, account.toLowerCase(), this.limits.perAccount),
			wait(this.addresses, address, this.limits.perAddress)
		);
	}

	recordFailure(account: string, address: string): void {
		this.bump(this.accounts, account.toLowerCase());
		this.bump(this.addresses, address);
	}

	recordSuccess(account: string): void {
		this.accounts.delete(account.toLowerCase());
	}

	private bump(map: Map<string, Counter>, key: string): void {
		const now = this.now();
		const c = map.get(key);
		if (!c || c.resetAt <= now) {
			map.set(key, { count: 1, resetAt: now + this.limits.windowMs });
			if (map.size > 100_000) this.sweep(map, now);
		} else {
			c.count++;
		}
	}

	private sweep(map: Map<string, Counter>, now: number): void {
		for (const [k, c] of map) if (c.resetAt <= now) map.delete(k);
	}
}
