import { expect, test } from 'vitest';
import { beijingDate, beijingDateTime, beijingWallClock, officialDate, officialDateRange } from '../../src/lib/shared/beijing-time.js';

// 2025-07-17T15:59:59Z is 23:59:59 in Beijing; one second later it is the next day there, still the 17th in UTC.
const beforeMidnight = Date.UTC(2025, 6, 17, 15, 59, 59);
const afterMidnight = Date.UTC(2025, 6, 17, 16, 0, 0);

test('a moment is read on the Beijing wall clock: UTC+8, the next day from 16:00 UTC', () => {
	expect(beijingDate(beforeMidnight)).toBe('2025-07-17');
	expect(beijingDate(afterMidnight)).toBe('2025-07-18');
	expect(beijingDateTime(beforeMidnight)).toBe('2025-07-17 23:59');
	expect(beijingDateTime(afterMidnight)).toBe('2025-07-18 00:00');
	expect(beijingDateTime(beforeMidnight, true)).toBe('2025-07-17 23:59:59');
	// Just after UTC midnight is morning in Beijing, the same calendar day.
	expect(beijingDateTime(Date.UTC(2025, 6, 18, 0, 0, 1), true)).toBe('2025-07-18 08:00:01');
	// The last moment of a year in UTC is already New Year's Day in Beijing.
	expect(beijingDate(Date.UTC(2025, 11, 31, 20, 0))).toBe('2026-01-01');
});

test('the same moment however it arrives: epoch milliseconds, an ISO string from the API, a Date', () => {
	const iso = new Date(afterMidnight).toISOString();
	expect(beijingDateTime(iso)).toBe('2025-07-18 00:00');
	expect(beijingDateTime(new Date(afterMidnight))).toBe('2025-07-18 00:00');
	expect(beijingDateTime('2025-07-18T00:30:00+08:00')).toBe('2025-07-18 00:30');
	// Something that is no moment shows nothing rather than "Invalid Date" or a throw.
	expect(beijingDateTime('')).toBe('');
	expect(beijingDate('not a time')).toBe('');
	expect(beijingDate(Number.NaN)).toBe('');
});

test('China keeps UTC+8 all year: no daylight saving in winter or summer', () => {
	expect(beijingDateTime(Date.UTC(2025, 0, 15, 4, 0))).toBe('2025-01-15 12:00');
	expect(beijingDateTime(Date.UTC(2025, 6, 15, 4, 0))).toBe('2025-07-15 12:00');
});

test('the wall clock as a Date whose UTC fields read as Beijing time (what a spreadsheet cell stores)', () => {
	const d = beijingWallClock(afterMidnight);
	expect([d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes()]).toEqual([2025, 7, 18, 0, 0]);
});

test('official dates (GB/T 9704 7.3.5): full year, no zero padding, ranges shortened', () => {
	expect(officialDate('2025-07-08')).toBe('2025年7月8日');
	expect(officialDate('')).toBe('');
	expect(officialDate(beijingDate(afterMidnight))).toBe('2025年7月18日');
	expect(officialDateRange('2025-07-17', '2025-07-18')).toBe('2025年7月17日至18日');
	expect(officialDateRange('2025-07-30', '2025-08-01')).toBe('2025年7月30日至8月1日');
	expect(officialDateRange('2025-12-31', '2026-01-01')).toBe('2025年12月31日至2026年1月1日');
	expect(officialDateRange('2025-07-17', '')).toBe('2025年7月17日');
});
