import type { Redis } from 'ioredis';
import { LoginThrottle, type SignInThrottle, type ThrottleLimits } from '../auth/login-throttle.js';

/**
 * Failed sign-ins counted in Redis, so that the limits hold for the cluster (a guesser spreading
 * attempts over three instances gets no more tries than on one). A counter lives for the window from
 * its first failure, as in memory. While Redis does not answer, each instance counts in its own
 * memory: sign-in stays throttled, per instance, rather than open or refused.
 */
export class RedisThrottle implements SignInThrottle {
	private readonly local: LoginThrottle;

	constructor(
		private readonly redis: Redis,
		private readonly limits: ThrottleLimits,
		private readonly available: () => boolean
	) {
		this.local = new LoginThrottle(limits);
	}

	private keys(account: string, address: string): [string, string] {
		return [`concord:signin:account:${account.toLowerCase()}`, `concord:signin:address:${address}`];
	}

	async retryAfter(account: string, address: string): Promise<number> {
		if (!this.available()) return this.local.retryAfter(account, address);
		const [a, b] = this.keys(account, address);
		try {
			const res = await this.redis.pipeline().get(a).pttl(a).get(b).pttl(b).exec();
			const value = (i: number) => Number(res?.[i]?.[1] ?? 0);
			const wait = (count: number, ttl: number, max: number) => (count >= max && ttl > 0 ? ttl : 0);
			return Math.max(wait(value(0), value(1), this.limits.perAccount), wait(value(2), value(3), this.limits.perAddress), this.local.retryAfter(account, address));
		} catch {
			return this.local.retryAfter(account, address);
		}
	}

	async recordFailure(account: string, address: string): Promise<void> {
		this.local.recordFailure(account, address);
		if (!this.available()) return;
		const pipeline = this.redis.pipeline();
		for (const key of this.keys(account, address)) pipeline.incr(key).pexpire(key, this.limits.windowMs, 'NX');
		await pipeline.exec().catch(() => undefined);
	}

	async recordSuccess(account: string): Promise<void> {
		this.local.recordSuccess(account);
		if (!this.available()) return;
		await this.redis.del(this.keys(account, '')[0]).catch(() => undefined);
	}
}
