import { describe, expect, test } from 'vitest';
import { type Agenda, agendaSchema, agendaWarnings, applyCountdown, defaultAgenda, nextDay, remaining } from '../../src/lib/shared/agenda.js';

describe('agenda', () => {
	test('the default programme has the three stages over two days, a break in every half-day, and passes its own schema', () => {
		const agenda = defaultAgenda('2025-07-17');
		expect(agenda.stages.map((s) => s.title)).toEqual(['第一阶段 宏观回顾与总体评价', '第二阶段 分组专题研讨', '第三阶段 政策反馈与决策输出']);
		expect(new Set(agenda.stages.flatMap((s) => s.items.map((i) => i.date)))).toEqual(new Set(['2025-07-17', '2025-07-18']));
		expect(agendaSchema.safeParse(agenda).success).toBe(true);
		expect(agendaWarnings(agenda)).toEqual([]);
	});

	test('a third day, a half-day without a break and overlapping items are each named', () => {
		const agenda: Agenda = structuredClone(defaultAgenda('2025-07-17'));
		agenda.stages[2].items.push({ id: 'extra', kind: 'session', title: '补充议题', date: '2025-07-19', start: '09:00', end: '10:00' });
		agenda.stages[0].items = agenda.stages[0].items.filter((i) => i.kind !== 'break');
		agenda.stages[1].items.push({ id: 'clash', kind: 'session', title: '专题报告', date: '2025-07-17', start: '15:00', end: '16:00' });
		expect(agendaWarnings(agenda)).toEqual([
			{ code: 'longer_than_two_days', days: 3 },
			{ code: 'half_day_without_break', date: '2025-07-17', half: 'am' },
			{ code: 'half_day_without_break', date: '2025-07-19', half: 'am' },
			{ code: 'overlap', first: '分组研讨：问题与根因分析', second: '专题报告' },
			{ code: 'overlap', first: '专题报告', second: '茶歇' },
			{ code: 'overlap', first: '专题报告', second: '分组研讨：整改措施' }
		]);
	});

	test('items end after they start and ids are unique', () => {
		const agenda = structuredClone(defaultAgenda('2025-07-17'));
		agenda.stages[0].items[0].end = '08:00';
		expect(agendaSchema.safeParse(agenda).success).toBe(false);
		const dup = structuredClone(defaultAgenda('2025-07-17'));
		dup.stages[1].items[0].id = dup.stages[0].items[0].id;
		expect(agendaSchema.safeParse(dup).success).toBe(false);
	});

	test('dates roll over months and years', () => {
		expect(nextDay('2025-12-31')).toBe('2026-01-01');
		expect(nextDay('2024-02-28')).toBe('2024-02-29');
	});
});

describe('countdown', () => {
	const minute = 60_000;
	test('start, pause, resume, extend and stop keep the time left right', () => {
		let c = applyCountdown(null, { action: 'start', minutes: 10, label: '分组发言' }, 0);
		expect(c && remaining(c, 4 * minute)).toBe(6 * minute);
		c = applyCountdown(c, { action: 'pause' }, 4 * minute);
		expect(c && remaining(c, 100 * minute)).toBe(6 * minute);
		c = applyCountdown(c, { action: 'extend', minutes: 5 }, 50 * minute);
		expect(c && remaining(c, 60 * minute)).toBe(11 * minute);
		c = applyCountdown(c, { action: 'resume' }, 60 * minute);
		expect(c && remaining(c, 61 * minute)).toBe(10 * minute);
		c = applyCountdown(c, { action: 'extend', minutes: 2 }, 61 * minute);
		expect(c && remaining(c, 61 * minute)).toBe(12 * minute);
		expect(c && remaining(c, 200 * minute)).toBe(0);
		expect(applyCountdown(c, { action: 'stop' }, 62 * minute)).toBeNull();
	});

	test('pausing a paused countdown or extending none changes nothing', () => {
		const paused = applyCountdown(applyCountdown(null, { action: 'start', minutes: 3, label: '' }, 0), { action: 'pause' }, minute);
		expect(applyCountdown(paused, { action: 'pause' }, 2 * minute)).toBe(paused);
		expect(applyCountdown(null, { action: 'extend', minutes: 5 }, 0)).toBeNull();
	});
});
