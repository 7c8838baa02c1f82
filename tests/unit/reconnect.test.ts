import { expect, test } from 'vitest';
import { backoffDelay, closeVerdict } from '../../src/lib/collab/reconnect.js';

test('backoff grows exponentially up to its cap, jittered within the upper half', () => {
	expect(backoffDelay(0, 500, 15_000, () => 0)).toBe(250);
	expect(backoffDelay(0, 500, 15_000, () => 1)).toBe(500);
	expect(backoffDelay(3, 500, 15_000, () => 0.5)).toBe(3000);
	expect(backoffDelay(40, 500, 15_000, () => 1)).toBe(15_000);
	expect(backoffDelay(40, 500, 15_000, () => 0)).toBe(7_500);
});

test('close codes: sign in again, stop, probe, or reconnect', () => {
	expect(closeVerdict(4401)).toBe('sign-in');
	expect(closeVerdict(4403)).toBe('forbidden');
	expect(closeVerdict(4404)).toBe('not-found');
	expect(closeVerdict(4426)).toBe('outdated');
	expect(closeVerdict(1006)).toBe('probe');
	expect(closeVerdict(1001)).toBe('reconnect');
	expect(closeVerdict(4429)).toBe('reconnect');
});
