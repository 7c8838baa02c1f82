import { expect, test } from 'vitest';
import { LoginThrottle } from '../../server/auth/login-throttle.js';

test('login throttle counts failures per account and per address within a window', () => {
	let t = 0;
	const throttle = new LoginThrottle({ perAccount: 3, perAddress: 5, windowMs: 60_000 }, () => t);
	for (let i = 0; i < 3; i++) throttle.recordFailure('LiHua', '10.0.0.1');
	expect(throttle.retryAfter('lihua', '10.0.0.9')).toBe(60_000);
	expect(throttle.retryAfter('other', '10.0.0.1')).toBe(0);
	for (let i = 0; i < 2; i++) throttle.recordFailure(`user${i}`, '10.0.0.1');
	expect(throttle.retryAfter('someone', '10.0.0.1')).toBeGreaterThan(0);
	t = 60_001;
	expect(throttle.retryAfter('lihua', '10.0.0.1')).toBe(0);
});
