import { expect, test } from 'vitest';
import { defaultThresholds, groupKpis, kpiSet, lampThresholdsSchema } from '../../src/lib/shared/kpi.js';
import { figureProblems, parseFigure, timeElapsedPercent } from '../../src/lib/shared/project-report.js';

/** Figures of domain.md §7.3 as a unit would give them: [plan, done, allocated, paid, plannedStart, started, plannedCompletion, completed]. */
const project = (plan: number, done: number, allocated: number, paid: number, year: [number, number, number, number] = [0, 1, 0, 0]) => ({
	annualPlan: plan,
	ytdDone: done,
	centralAllocated: allocated,
	centralPaid: paid,
	plannedStart: year[0],
	started: year[1],
	plannedCompletion: year[2],
	completed: year[3]
});

test('序时进度 is the share of the year at the end of the period', () => {
	expect(timeElapsedPercent('2025-06-30')).toBe(50);
	expect(timeElapsedPercent('2025-03-31')).toBe(25);
	expect(timeElapsedPercent('2025-12-31')).toBe(100);
	expect(timeElapsedPercent('2024-02-29')).toBe(16.7);
});

test('the indicators sum the figures before dividing, count projects for 开工率 and 竣工率, and give no rate without a denominator', () => {
	// 交通 of §7.3: T1, T2, T3 (T3 new this year and started; T2 planned to finish this year, not yet).
	const reports = [project(42, 13.2, 18, 12), project(60, 32.4, 40, 34, [0, 1, 1, 0]), project(25, 10.6, 12, 8.1, [1, 1, 0, 0])];
	const k = kpiSet(reports, '2025-06-30', defaultThresholds);
	expect(k).toMatchObject({ projects: 3, annualPlan: 127, ytdDone: 56.2, annualRate: 44.3, deviation: -5.7 });
	expect(k).toMatchObject({ plannedStart: 1, startedOfPlanned: 1, startRate: 100, plannedCompletion: 1, completedOfPlanned: 0, completionRate: 0 });
	expect(k).toMatchObject({ centralAllocated: 70, centralPaid: 54.1, paymentRate: 77.3, lamps: { red: 1, amber: 1, green: 1 } });
	// A project planned to start that did not: 1 of 2.
	expect(kpiSet([...reports, project(8, 3.1, 4, 2.3, [1, 0, 0, 0])], '2025-06-30', defaultThresholds)).toMatchObject({ plannedStart: 2, startedOfPlanned: 1, startRate: 50 });
	// Enterprise investment (no central funds) and no projects planned to start: no rate, not 0 %.
	expect(kpiSet([project(70, 40.6, 0, 0)], '2025-06-30', defaultThresholds)).toMatchObject({ paymentRate: null, startRate: null, completionRate: null, annualRate: 58, deviation: 8 });
	expect(kpiSet([], '2025-06-30', defaultThresholds)).toMatchObject({ projects: 0, annualRate: null, deviation: null, lamps: { red: 0, amber: 0, green: 0 } });
	// Sums are kept to the 万元: 0.1 + 0.2 is 0.3.
	expect(kpiSet([project(1, 0.1, 0, 0), project(1, 0.2, 0, 0)], '2025-06-30', defaultThresholds).ytdDone).toBe(0.3);
});

test('lamps follow the thresholds given; groups come in the sectors’ order, the rest by name', () => {
	const t1 = project(42, 13.2, 18, 12);
	expect(kpiSet([t1], '2025-06-30', { amberBelow: -10, redBelow: -30 }).lamps).toEqual({ red: 0, amber: 1, green: 0 });
	expect(kpiSet([t1], '2025-06-30', { amberBelow: -5, redBelow: -18.6 }).lamps).toEqual({ red: 0, amber: 1, green: 0 });
	expect(kpiSet([t1], '2025-06-30', { amberBelow: -5, redBelow: -18.5 }).lamps).toEqual({ red: 1, amber: 0, green: 0 });
	const rows = [
		{ sector: '生态环保', v: t1 },
		{ sector: '市政', v: t1 },
		{ sector: '交通', v: t1 },
		{ sector: ' ', v: t1 },
		{ sector: '交通', v: t1 }
	];
	const groups = groupKpis(rows, (r) => r.sector, (r) => r.v, '2025-06-30', defaultThresholds, ['交通', '水利', '能源', '市政']);
	expect(groups.map((g) => [g.label, g.projects])).toEqual([
		['交通', 2],
		['市政', 1],
		['—', 1],
		['生态环保', 1]
	]);
});

test('a lamp rule is two points to a tenth within ±100, red below amber', () => {
	expect(lampThresholdsSchema.safeParse({ amberBelow: -5, redBelow: -15 }).success).toBe(true);
	expect(lampThresholdsSchema.safeParse({ amberBelow: 0, redBelow: -0.1 }).success).toBe(true);
	expect(lampThresholdsSchema.safeParse({ amberBelow: -7.3, redBelow: -18.6 }).success).toBe(true);
	for (const bad of [{ amberBelow: -15, redBelow: -5 }, { amberBelow: -5, redBelow: -5 }, { amberBelow: -5.05, redBelow: -15 }, { amberBelow: 101, redBelow: -15 }, { amberBelow: -5, redBelow: -101 }, { amberBelow: -5 }]) {
		expect(lampThresholdsSchema.safeParse(bad).success, JSON.stringify(bad)).toBe(false);
	}
});

test('是/否 figures: typed or imported as 是, 否, 1 or 0; nothing else; nothing finished that never started', () => {
	expect(parseFigure('flag', ' 是 ')).toBe(1);
	expect(parseFigure('flag', '否')).toBe(0);
	expect(parseFigure('flag', '1')).toBe(1);
	expect(parseFigure('flag', '')).toBeNull();
	expect(parseFigure('flag', '对')).toBe('对');
	expect(figureProblems({ started: '对' }, false)).toEqual([{ key: 'started', reason: 'not_yes_no' }]);
	expect(figureProblems({ started: 2 }, false)).toEqual([{ key: 'started', reason: 'not_yes_no' }]);
	expect(figureProblems({ started: 0, completed: 1 }, false)).toEqual([{ key: 'completed', reason: 'completed_not_started' }]);
	expect(figureProblems({ started: 1, completed: 1 }, false)).toEqual([]);
	expect(figureProblems({}, true).filter((p) => ['plannedStart', 'started', 'plannedCompletion', 'completed'].includes(p.key)).map((p) => p.reason)).toEqual(['missing', 'missing', 'missing', 'missing']);
});
