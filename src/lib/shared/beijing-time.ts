/**
 * Beijing time for everything a person reads: pages, the minutes, exports, the audit CSV. China keeps
 * UTC+8 all year (no daylight saving since 1991), so the offset is explicit: the result is the same
 * in every browser and server whatever its own time zone or Intl data. Pure, isomorphic.
 */

/** A moment: epoch milliseconds, an ISO 8601 string (as the API sends), or a Date. */
export type Moment = number | string | Date;

const offsetMs = 8 * 3_600_000;

const epochOf = (t: Moment) => (typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime());

/** "YYYY-MM-DDTHH:MM:SS" on the Beijing wall clock; '' for something that is no moment. */
function wallClock(t: Moment): string {
	const ms = epochOf(t);
	return Number.isFinite(ms) ? new Date(ms + offsetMs).toISOString().slice(0, 19) : '';
}

/** The Beijing wall clock of `t` as a Date whose UTC fields read as Beijing time (a spreadsheet cell stores wall-clock time). */
export const beijingWallClock = (t: Moment) => new Date(epochOf(t) + offsetMs);

/** The calendar day of `t` in Beijing, YYYY-MM-DD (deadlines and "today" are days there). */
export const beijingDate = (t: Moment) => wallClock(t).slice(0, 10);

/** "YYYY-MM-DD HH:MM" (or with seconds) in Beijing. */
export const beijingDateTime = (t: Moment, seconds = false) => wallClock(t).slice(0, seconds ? 19 : 16).replace('T', ' ');

/** "2025年7月18日" of a calendar date YYYY-MM-DD (GB/T 9704 7.3.5: full year, no zero padding); '' for ''. */
export function officialDate(d: string): string {
	if (!d) return '';
	const [y, m, day] = d.split('-').map(Number);
	return `${y}年${m}月${day}日`;
}

/** "2025年7月17日至18日", "2025年7月30日至8月1日", or one day. */
export function officialDateRange(start: string, end: string): string {
	if (!start || !end || start === end) return officialDate(start || end);
	const [y1, m1] = start.split('-').map(Number);
	const [y2, m2, d2] = end.split('-').map(Number);
	return `${officialDate(start)}至${y1 !== y2 ? `${y2}年${m2}月` : m1 !== m2 ? `${m2}月` : ''}${d2}日`;
}
