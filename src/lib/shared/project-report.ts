import { z } from 'zod';
import { hasControlCharacters, hasUnsafeCharacters } from './text';

/**
 * The project execution report (项目执行报告, domain.md §5.4): the figures a reporting unit gives for
 * one project in a reporting round, by section, each with its unit and 口径 (what is counted), and the
 * indicators derived from them (§4.1). The server validates against this list and the browser draws
 * its form from it, so the two never disagree.
 */
export const reportSections = ['progress', 'investment', 'quality', 'safety', 'environment', 'problems'] as const;
export type ReportSection = (typeof reportSections)[number];

/** A flag is 是 (1) or 否 (0). */
export type FigureKind = 'amount' | 'percent' | 'count' | 'flag' | 'text';

export interface FigureDef {
	key: string;
	section: ReportSection;
	kind: FigureKind;
	/** Required before submission (text figures may be left empty unless required). */
	required: boolean;
}

export const figureDefs = [
	{ key: 'totalInvestment', section: 'progress', kind: 'amount', required: true },
	{ key: 'annualPlan', section: 'progress', kind: 'amount', required: true },
	{ key: 'ytdDone', section: 'progress', kind: 'amount', required: true },
	{ key: 'cumulativeDone', section: 'progress', kind: 'amount', required: true },
	// The project's year as 开工率 and 竣工率 count it (domain.md §4.1): planned to start or finish this year, and whether it did.
	{ key: 'plannedStart', section: 'progress', kind: 'flag', required: true },
	{ key: 'started', section: 'progress', kind: 'flag', required: true },
	{ key: 'plannedCompletion', section: 'progress', kind: 'flag', required: true },
	{ key: 'completed', section: 'progress', kind: 'flag', required: true },
	{ key: 'physicalPlanned', section: 'progress', kind: 'percent', required: true },
	{ key: 'physicalActual', section: 'progress', kind: 'percent', required: true },
	{ key: 'centralAllocated', section: 'investment', kind: 'amount', required: true },
	{ key: 'centralPaid', section: 'investment', kind: 'amount', required: true },
	{ key: 'designChanges', section: 'investment', kind: 'amount', required: true },
	{ key: 'firstPassRate', section: 'quality', kind: 'percent', required: true },
	{ key: 'qualityIssues', section: 'quality', kind: 'count', required: true },
	{ key: 'qualityIssuesFixed', section: 'quality', kind: 'count', required: true },
	{ key: 'accidents', section: 'safety', kind: 'count', required: true },
	{ key: 'hazards', section: 'safety', kind: 'count', required: true },
	{ key: 'hazardsFixed', section: 'safety', kind: 'count', required: true },
	{ key: 'environmentStatus', section: 'environment', kind: 'text', required: true },
	{ key: 'problems', section: 'problems', kind: 'text', required: true },
	{ key: 'suggestions', section: 'problems', kind: 'text', required: false }
] as const satisfies readonly FigureDef[];

export type FigureKey = (typeof figureDefs)[number]['key'];
export const figureKeys = figureDefs.map((f) => f.key) as FigureKey[];
export const figureDef = (key: string): FigureDef | undefined => figureDefs.find((f) => f.key === key);


/**
 * A typed or imported number as the checks take it: full-width digits become ASCII, commas only as
 * thousands separators (1,234.5), a trailing % on a percentage; anything else stays text and is refused.
 */
export function parseFigureNumber(typed: string, percent: boolean): number | string {
	const ascii = typed.trim().replace(/[０-９．]/gu, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0));
	const bare = percent ? ascii.replace(/[%％]$/u, '') : ascii;
	if (/^-?(\d+|\d{1,3}(,\d{3})+)(\.\d+)?$/u.test(bare)) return Number(bare.replaceAll(',', ''));
	return typed.trim();
}

/** A typed or imported 是/否 (or 1/0) as a flag's value; anything else stays text and is refused. */
export function parseFlag(typed: string): number | string {
	const t = typed.trim();
	return t === '是' || t === '1' ? 1 : t === '否' || t === '0' ? 0 : t;
}

/** A typed value of a figure as the checks take it ('' is none). */
export function parseFigure(kind: FigureKind, typed: string): FigureValue {
	const t = typed.trim();
	if (t === '') return null;
	return kind === 'text' ? t : kind === 'flag' ? parseFlag(t) : parseFigureNumber(t, kind === 'percent');
}

/** 亿元 with at most four decimals, below a bound no project reaches. */
export const maxAmount = 100_000;
export const maxCount = 1_000_000;
export const maxFigureText = 2000;

/** A figure's value: a number for amounts, percents and counts, text for the rest; null = not filled in. */
export type FigureValue = number | string | null;

/** Why a value is refused: its field and a stable reason the browser words. */
export interface FigureProblem {
	key: string;
	reason: 'missing' | 'not_a_number' | 'negative' | 'too_large' | 'not_whole' | 'too_precise' | 'over_100' | 'too_long' | 'bad_characters' | 'paid_over_allocated' | 'fixed_over_found' | 'not_yes_no' | 'completed_not_started';
}

/** The problems of one value on its own (null when it is fine); an empty value is only "missing" when asked. */
export function figureProblem(def: FigureDef, value: unknown): FigureProblem['reason'] | null {
	if (value === null || value === undefined || value === '') return null;
	if (def.kind === 'text') {
		if (typeof value !== 'string') return 'not_a_number';
		if ([...value].length > maxFigureText) return 'too_long';
		// Control characters and non-characters: invisible here, and no spreadsheet or document can hold them.
		return hasControlCharacters(value) ? 'bad_characters' : null;
	}
	if (def.kind === 'flag') return value === 0 || value === 1 ? null : 'not_yes_no';
	if (typeof value !== 'number' || !Number.isFinite(value)) return 'not_a_number';
	if (value < 0) return 'negative';
	if (def.kind === 'percent' && value > 100) return 'over_100';
	if (def.kind === 'count' && !Number.isInteger(value)) return 'not_whole';
	if (value > (def.kind === 'count' ? maxCount : maxAmount)) return 'too_large';
	// Amounts in 亿元 to the 万元 (four decimals); percents to two. Read from the number's shortest form,
	// so that 5e-324 or 1.00000000001 are as imprecise as they look.
	const decimals = def.kind === 'percent' ? 2 : 4;
	const written = String(value);
	if (/e-/u.test(written) || (written.split('.')[1]?.length ?? 0) > decimals) return 'too_precise';
	return null;
}

/**
 * Every problem of a set of figures: each value on its own, then the rules between them (paid cannot
 * exceed what was allocated; no more fixed than found; nothing finished that never started). With
 * `complete`, required figures left empty are problems too (a submission).
 */
export function figureProblems(values: Readonly<Record<string, FigureValue>>, complete: boolean): FigureProblem[] {
	const problems: FigureProblem[] = [];
	for (const def of figureDefs) {
		const v = values[def.key];
		const reason = figureProblem(def, v);
		if (reason !== null) problems.push({ key: def.key, reason });
		else if (complete && def.required && (v === null || v === undefined || (typeof v === 'string' && v.trim() === ''))) problems.push({ key: def.key, reason: 'missing' });
	}
	const num = (k: FigureKey) => (typeof values[k] === 'number' ? (values[k] as number) : null);
	const over = (a: FigureKey, b: FigureKey) => num(a) !== null && num(b) !== null && num(a)! > num(b)!;
	if (over('centralPaid', 'centralAllocated')) problems.push({ key: 'centralPaid', reason: 'paid_over_allocated' });
	if (over('qualityIssuesFixed', 'qualityIssues')) problems.push({ key: 'qualityIssuesFixed', reason: 'fixed_over_found' });
	if (over('hazardsFixed', 'hazards')) problems.push({ key: 'hazardsFixed', reason: 'fixed_over_found' });
	if (num('completed') === 1 && num('started') === 0) problems.push({ key: 'completed', reason: 'completed_not_started' });
	return problems;
}

/** The reasons that come from the rules between figures, not from one value alone. */
export const betweenFigures: ReadonlySet<FigureProblem['reason']> = new Set(['paid_over_allocated', 'fixed_over_found', 'completed_not_started']);

/** The body of a draft save: the figures changed (others keep theirs) and the version it was based on. */
export const reportSaveSchema = z.object({
	version: z.number().int().min(0),
	values: z.record(z.string().max(40), z.union([z.number(), z.string().max(maxFigureText * 4), z.null()])).refine((v) => Object.keys(v).every((k) => figureDef(k) !== undefined), 'unknown figure')
});

export const reportStatuses = ['draft', 'submitted', 'returned', 'accepted'] as const;
export type ReportStatus = (typeof reportStatuses)[number];

export const reportTransitionNames = ['submit', 'return', 'accept'] as const;
export type ReportTransition = (typeof reportTransitionNames)[number];

/** Who takes each step, from which statuses, to which. A submitted report is locked until a reviewer returns or accepts it. */
export const reportTransitions: Record<ReportTransition, { actor: 'unit' | 'reviewer'; from: readonly ReportStatus[]; to: ReportStatus }> = {
	submit: { actor: 'unit', from: ['draft', 'returned'], to: 'submitted' },
	return: { actor: 'reviewer', from: ['submitted'], to: 'returned' },
	accept: { actor: 'reviewer', from: ['submitted'], to: 'accepted' }
};

/** Reports in one round at most: a unit's template of them all must import back (the import reads 2,000 rows). */
export const maxRoundReports = 2000;

/** A day of the calendar as YYYY-MM-DD (2025-02-30 is none). */
const calendarDate = z
	.string()
	.regex(/^\d{4}-\d{2}-\d{2}$/)
	.refine((d) => {
		const t = Date.parse(`${d}T00:00:00Z`);
		return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === d;
	}, 'not a day of the calendar');

/** The statuses a report is filled in from (and may be submitted from): draft, returned. */
export const openStatuses: readonly ReportStatus[] = reportTransitions.submit.from;
export const isOpen = (status: ReportStatus) => openStatuses.includes(status);

/** A reporting round as an organizer opens it. `periodEnd` is the 报告期截止 (序时进度 is taken there). */
export const roundCreateSchema = z
	.object({
		title: z.string().trim().min(1).max(100),
		periodEnd: calendarDate,
		deadline: calendarDate,
		/** Each project and the unit that reports it; omitted = every project of the conference, by its 建设单位. */
		assignments: z.array(z.object({ projectId: z.string().min(1).max(64), unit: z.string().trim().min(1).max(100) })).max(maxRoundReports).optional()
	})
	.refine((r) => r.deadline >= r.periodEnd, { message: 'the deadline comes on or after the end of the period', path: ['deadline'] })
	.refine((r) => !hasUnsafeCharacters(r.title), { message: 'control characters', path: ['title'] });

/** 序时进度: the share of the year elapsed at the end of the period (30 June = 50 %), in percent with one decimal. */
export function timeElapsedPercent(periodEnd: string): number {
	const month = Number(periodEnd.slice(5, 7));
	const day = Number(periodEnd.slice(8, 10));
	const year = Number(periodEnd.slice(0, 4));
	const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
	// Whole months count as twelfths; the last month by its days (the month's end is a whole month).
	return Math.round(((month - 1 + day / daysInMonth) / 12) * 1000) / 10;
}

/** The indicators §4.1 derives from the figures; null where a denominator is missing or zero. */
export interface DerivedIndicators {
	/** 年度投资完成率 = 本年累计完成投资 ÷ 年度计划投资 (%). */
	annualRate: number | null;
	/** Percentage points against 序时进度 (negative = behind). */
	deviation: number | null;
	/** 开累投资完成率 = 开工累计完成投资 ÷ 总投资 (%). */
	cumulativeRate: number | null;
	/** SPI (proxy) = 实际形象进度 ÷ 计划形象进度. */
	spi: number | null;
	/** 中央资金支付率 = 已支付 ÷ 已下达 (%). */
	paymentRate: number | null;
	/** 隐患整改率 = 已整改隐患 ÷ 隐患数 (%). */
	hazardFixRate: number | null;
}

function ratio(a: FigureValue, b: FigureValue, scale: number, digits: number): number | null {
	if (typeof a !== 'number' || typeof b !== 'number' || b <= 0) return null;
	const r = Math.round((a / b) * scale * 10 ** digits) / 10 ** digits;
	return Number.isFinite(r) ? r : null;
}

export function derivedIndicators(values: Readonly<Record<string, FigureValue>>, periodEnd: string): DerivedIndicators {
	const annualRate = ratio(values.ytdDone ?? null, values.annualPlan ?? null, 100, 1);
	return {
		annualRate,
		deviation: annualRate === null ? null : Math.round((annualRate - timeElapsedPercent(periodEnd)) * 10) / 10,
		cumulativeRate: ratio(values.cumulativeDone ?? null, values.totalInvestment ?? null, 100, 1),
		spi: ratio(values.physicalActual ?? null, values.physicalPlanned ?? null, 1, 2),
		paymentRate: ratio(values.centralPaid ?? null, values.centralAllocated ?? null, 100, 1),
		hazardFixRate: ratio(values.hazardsFixed ?? null, values.hazards ?? null, 100, 1)
	};
}

/** The demo default lamp rule (domain.md §7): green ≥ −5 points against 序时; amber −5 to −15; red below −15. */
export type Lamp = 'green' | 'amber' | 'red';
export function lampOf(deviation: number | null, amberBelow = -5, redBelow = -15): Lamp | null {
	if (deviation === null) return null;
	return deviation < redBelow ? 'red' : deviation < amberBelow ? 'amber' : 'green';
}
