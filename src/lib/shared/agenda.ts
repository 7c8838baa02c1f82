import { z } from 'zod';

/**
 * The conference agenda (议程): stages holding sessions and breaks, each on a date with a start and an
 * end time (Beijing time, as printed on the programme). Shared by the server, which stores and
 * validates it, and the browser, which edits it and shows the same warnings as you type.
 */

/** A real calendar date, YYYY-MM-DD: 2025-02-30 is refused. */
export const dateSchema = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
	.refine((d) => {
		const t = Date.parse(`${d}T00:00:00Z`);
		return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
	}, 'not a calendar date');

export const timeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'HH:MM');
const itemIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,32}$/);

export const agendaItemSchema = z
	.object({
		id: itemIdSchema,
		kind: z.enum(['session', 'break']),
		title: z.string().trim().min(1).max(100),
		date: dateSchema,
		start: timeSchema,
		end: timeSchema
	})
	.refine((i) => i.end > i.start, { message: 'end must be after start', path: ['end'] });
export type AgendaItem = z.infer<typeof agendaItemSchema>;

export const agendaStageSchema = z.object({
	id: itemIdSchema,
	title: z.string().trim().min(1).max(60),
	items: z.array(agendaItemSchema).max(40)
});
export type AgendaStage = z.infer<typeof agendaStageSchema>;

export const agendaSchema = z
	.object({ stages: z.array(agendaStageSchema).min(1).max(8) })
	.refine((a) => new Set(a.stages.flatMap((s) => [s.id, ...s.items.map((i) => i.id)])).size === a.stages.reduce((n, s) => n + 1 + s.items.length, 0), {
		message: 'stage and item ids must be unique'
	});
export type Agenda = z.infer<typeof agendaSchema>;

/** The day after `date` (YYYY-MM-DD), computed in UTC so that no time zone moves it. */
export function nextDay(date: string, days = 1): string {
	const d = new Date(`${date}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}

/**
 * The programme of a 总结会 over two days (domain.md §7.1): 宏观回顾与总体评价 on the first morning,
 * 分组专题研讨 from the first afternoon to the second morning, 政策反馈与决策输出 on the second
 * afternoon, with a break in every half-day. Every line can be changed.
 */
export function defaultAgenda(startDate: string): Agenda {
	const d1 = startDate;
	const d2 = nextDay(startDate);
	const s = (id: string, title: string, date: string, start: string, end: string): AgendaItem => ({ id, kind: 'session', title, date, start, end });
	const b = (id: string, date: string, start: string, end: string): AgendaItem => ({ id, kind: 'break', title: '茶歇', date, start, end });
	return {
		stages: [
			{
				id: 'stage-1',
				title: '第一阶段 宏观回顾与总体评价',
				items: [s('s1-1', '总体情况通报', d1, '09:00', '10:15'), b('s1-b', d1, '10:15', '10:30'), s('s1-2', '分行业进展分析与红黑榜发布', d1, '10:30', '12:00')]
			},
			{
				id: 'stage-2',
				title: '第二阶段 分组专题研讨',
				items: [
					s('s2-1', '分组研讨：问题与根因分析', d1, '14:00', '15:30'),
					b('s2-b1', d1, '15:30', '15:45'),
					s('s2-2', '分组研讨：整改措施', d1, '15:45', '17:30'),
					s('s2-3', '分组研讨：形成整改共识', d2, '09:00', '10:30'),
					b('s2-b2', d2, '10:30', '10:45'),
					s('s2-4', '分组汇报', d2, '10:45', '12:00')
				]
			},
			{
				id: 'stage-3',
				title: '第三阶段 政策反馈与决策输出',
				items: [
					s('s3-1', '专家组建议与管理办法修订意见', d2, '14:00', '15:15'),
					b('s3-b', d2, '15:15', '15:30'),
					s('s3-2', '审议会议决议清单', d2, '15:30', '16:30'),
					s('s3-3', '会议纪要定稿', d2, '16:30', '17:30')
				]
			}
		]
	};
}

export type AgendaWarning =
	| { code: 'longer_than_two_days'; days: number }
	| { code: 'half_day_without_break'; date: string; half: 'am' | 'pm' }
	| { code: 'overlap'; first: string; second: string };

const half = (time: string): 'am' | 'pm' => (time < '12:00' ? 'am' : 'pm');
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / 86_400_000;

/** What an organizer should look at again: nothing here stops the agenda from being saved. */
export function agendaWarnings(agenda: Agenda): AgendaWarning[] {
	const items = agenda.stages.flatMap((s) => s.items);
	const warnings: AgendaWarning[] = [];
	if (items.length === 0) return warnings;
	const dates = items.map((i) => dayNumber(i.date));
	const days = Math.max(...dates) - Math.min(...dates) + 1;
	if (days > 2) warnings.push({ code: 'longer_than_two_days', days });

	const halves = new Map<string, { date: string; half: 'am' | 'pm'; hasBreak: boolean }>();
	for (const i of items) {
		const key = `${i.date} ${half(i.start)}`;
		const h = halves.get(key) ?? { date: i.date, half: half(i.start), hasBreak: false };
		if (i.kind === 'break') h.hasBreak = true;
		halves.set(key, h);
	}
	for (const h of [...halves.values()].sort((a, b) => `${a.date}${a.half}`.localeCompare(`${b.date}${b.half}`))) {
		if (!h.hasBreak) warnings.push({ code: 'half_day_without_break', date: h.date, half: h.half });
	}

	const sorted = [...items].sort((a, b) => `${a.date}${a.start}`.localeCompare(`${b.date}${b.start}`));
	for (let a = 0; a < sorted.length; a++) {
		for (let b = a + 1; b < sorted.length && sorted[b].date === sorted[a].date; b++) {
			if (sorted[b].start < sorted[a].end) warnings.push({ code: 'overlap', first: sorted[a].title, second: sorted[b].title });
		}
	}
	return warnings;
}

/**
 * A countdown as the live state holds it, in server time. Running: it ends at `endsAt`. Paused:
 * `remainingMs` is left.
 */
export interface Countdown {
	label: string;
	durationMs: number;
	running: boolean;
	endsAt: number | null;
	remainingMs: number;
}

export type CountdownAction = { action: 'start'; minutes: number; label: string } | { action: 'pause' } | { action: 'resume' } | { action: 'extend'; minutes: number } | { action: 'stop' };

/** The countdown after `a` at server time `now`; null when it is stopped (or there was none to change). */
export function applyCountdown(current: Countdown | null, a: CountdownAction, now: number): Countdown | null {
	const minute = 60_000;
	switch (a.action) {
		case 'start':
			return { label: a.label, durationMs: a.minutes * minute, running: true, endsAt: now + a.minutes * minute, remainingMs: a.minutes * minute };
		case 'stop':
			return null;
		case 'pause':
			if (current === null || !current.running) return current;
			return { ...current, running: false, endsAt: null, remainingMs: Math.max(0, (current.endsAt ?? now) - now) };
		case 'resume':
			if (current === null || current.running) return current;
			return { ...current, running: true, endsAt: now + current.remainingMs };
		case 'extend':
			if (current === null) return null;
			return current.running
				? { ...current, durationMs: current.durationMs + a.minutes * minute, endsAt: (current.endsAt ?? now) + a.minutes * minute }
				: { ...current, durationMs: current.durationMs + a.minutes * minute, remainingMs: current.remainingMs + a.minutes * minute };
	}
}

/** Milliseconds left at server time `now` (never negative). */
export function remaining(c: Countdown, now: number): number {
	return Math.max(0, c.running ? (c.endsAt ?? now) - now : c.remainingMs);
}

/** The keys of the conference's live document (a Y.Map named `live`), written by the server only. */
export const liveKeys = {
	agenda: 'agenda',
	/** `{ itemId: string | null }`: the session under way, set by an organizer. */
	current: 'current',
	/** `countdown:<scope>`, scope `plenary` or a breakout id. */
	countdown: (scope: string) => `countdown:${scope}`
} as const;

/** The id of a conference's live document. */
export const liveDocId = (conferenceId: string) => `live_${conferenceId}`;
