import { z } from 'zod';
import { type FigureValue, type Lamp, derivedIndicators, lampOf, timeElapsedPercent } from './project-report';

/**
 * The stage-one indicators (第一阶段 宏观回顾与总体评价, domain.md §4.1) of a set of accepted reports,
 * each with the counts it is made of, so that a chart's number can always be checked by its 口径:
 * - 开工率 = 计划新开工且已开工的项目数 ÷ 本年计划新开工项目数
 * - 竣工率 = 计划年内竣工且已竣工（建成投产）的项目数 ÷ 本年计划竣工项目数
 * - 年度投资完成率 = Σ本年累计完成投资 ÷ Σ年度计划投资, against 序时进度 in points
 * - 资金拨付（支付）率 = Σ中央资金已支付 ÷ Σ中央资金已下达
 * A rate is null where its denominator is zero (no project planned to start; no central funds).
 */
export interface KpiSet {
	/** Accepted reports counted. */
	projects: number;
	annualPlan: number;
	ytdDone: number;
	annualRate: number | null;
	/** Points against 序时 (negative = behind). */
	deviation: number | null;
	plannedStart: number;
	startedOfPlanned: number;
	startRate: number | null;
	plannedCompletion: number;
	completedOfPlanned: number;
	completionRate: number | null;
	centralAllocated: number;
	centralPaid: number;
	paymentRate: number | null;
	lamps: Record<Lamp, number>;
}

/** The default lamp rule (domain.md §7): amber below −5 points against 序时, red below −15. */
export const defaultThresholds = { amberBelow: -5, redBelow: -15 } as const;
export interface LampThresholds {
	amberBelow: number;
	redBelow: number;
}

/** A number with at most one decimal as written (−99.99999999999 is not −100.0). */
export const oneDecimal = (v: number) => Number(v.toFixed(1)) === v;

/** Points to one decimal, within ±100; amber's bound above red's. */
const point = z.number().min(-100).max(100).refine(oneDecimal, 'one decimal at most');
export const lampThresholdsSchema = z
	.object({ amberBelow: point, redBelow: point })
	.refine((t) => t.redBelow < t.amberBelow, { message: 'the red bound is below the amber bound', path: ['redBelow'] });

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;
const rate = (part: number, whole: number) => (whole > 0 ? round((part / whole) * 100, 1) : null);
const num = (v: FigureValue | undefined) => (typeof v === 'number' ? v : 0);

/** The indicators of the reports' figures at `periodEnd`, their lamps by `thresholds`. */
export function kpiSet(reports: readonly Readonly<Record<string, FigureValue>>[], periodEnd: string, thresholds: LampThresholds): KpiSet {
	const sum = (key: string) => round(reports.reduce((s, r) => s + num(r[key]), 0), 4);
	const count = (f: (r: Readonly<Record<string, FigureValue>>) => boolean) => reports.filter(f).length;
	const annualPlan = sum('annualPlan');
	const ytdDone = sum('ytdDone');
	const annualRate = rate(ytdDone, annualPlan);
	const plannedStart = count((r) => r.plannedStart === 1);
	const startedOfPlanned = count((r) => r.plannedStart === 1 && r.started === 1);
	const plannedCompletion = count((r) => r.plannedCompletion === 1);
	const completedOfPlanned = count((r) => r.plannedCompletion === 1 && r.completed === 1);
	const centralAllocated = sum('centralAllocated');
	const centralPaid = sum('centralPaid');
	const lamps: Record<Lamp, number> = { green: 0, amber: 0, red: 0 };
	for (const r of reports) {
		const lamp = lampOf(derivedIndicators(r, periodEnd).deviation, thresholds.amberBelow, thresholds.redBelow);
		if (lamp !== null) lamps[lamp]++;
	}
	return {
		projects: reports.length,
		annualPlan,
		ytdDone,
		annualRate,
		deviation: annualRate === null ? null : round(annualRate - timeElapsedPercent(periodEnd), 1),
		plannedStart,
		startedOfPlanned,
		startRate: rate(startedOfPlanned, plannedStart),
		plannedCompletion,
		completedOfPlanned,
		completionRate: rate(completedOfPlanned, plannedCompletion),
		centralAllocated,
		centralPaid,
		paymentRate: rate(centralPaid, centralAllocated),
		lamps
	};
}

/** The reports grouped by a label (sector, region), in the order labels first appear in `order`, then by name. */
export function groupKpis<T>(items: readonly T[], labelOf: (item: T) => string, valuesOf: (item: T) => Readonly<Record<string, FigureValue>>, periodEnd: string, thresholds: LampThresholds, order: readonly string[] = []) {
	const groups = new Map<string, Readonly<Record<string, FigureValue>>[]>();
	for (const item of items) {
		const label = labelOf(item).trim() || '—';
		const group = groups.get(label) ?? [];
		group.push(valuesOf(item));
		groups.set(label, group);
	}
	const rank = (label: string) => (order.includes(label) ? order.indexOf(label) : order.length);
	return [...groups.entries()]
		.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b, 'zh-CN'))
		.map(([label, reports]) => ({ label, ...kpiSet(reports, periodEnd, thresholds) }));
}
