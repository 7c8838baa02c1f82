import { z } from 'zod';
import type { DerivedIndicators, FigureValue } from './project-report';
import { hasControlCharacters, isBlank } from './text';

/**
 * The case library (案例库, domain.md §7.10 and §8): an analysis, a measure and its ledger outcome
 * turned into a case — a good practice (优秀实践) or a lesson (失败教训) — with five sections and the
 * project's figures before and after, frozen from accepted execution reports. Shared by the server,
 * which validates every case with these schemas, and the browser, which draws its form from them.
 */
export const caseKinds = ['good', 'lesson'] as const;
export type CaseKind = (typeof caseKinds)[number];

/** 背景 → 做法/问题 → 成效/损失 → 经验启示 → 可推广条款, in the order they are printed. */
export const caseSections = ['background', 'practice', 'outcome', 'lessons', 'clauses'] as const;
export type CaseSection = (typeof caseSections)[number];
export type CaseSections = Record<CaseSection, string>;

export const maxCaseTitle = 100;
export const maxCaseSector = 40;
/** One section of a case: a few pages of text at most. */
export const maxCaseSection = 5000;
/** Cases one search answers with, newest first. */
export const maxCaseResults = 200;
/** Cases one 案例汇编 may name with ?ids=. */
export const maxExportIds = 200;

const noControls = (s: string) => !hasControlCharacters(s);
const title = z.string().trim().max(maxCaseTitle).refine((s) => !isBlank(s), 'empty').refine(noControls, 'control characters');
const sector = z.string().trim().max(maxCaseSector).refine(noControls, 'control characters');
const section = z.string().max(maxCaseSection).refine(noControls, 'control characters');
const sectionsSchema = z.object(Object.fromEntries(caseSections.map((s) => [s, section])) as Record<CaseSection, typeof section>);
const sourceId = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/u);

/** What a case is drawn from: an analysis of the conference, one of its breakout's approved measures, and a project; each optional. */
export const caseSourcesSchema = z.object({
	kind: z.enum(caseKinds),
	sourceDocId: sourceId.nullable().default(null),
	proposalId: sourceId.nullable().default(null),
	projectId: sourceId.nullable().default(null)
});
export type CaseSourcesInput = z.infer<typeof caseSourcesSchema>;

/** A new case: its sources (the server freezes the measure and the figures from them) and the edited text. */
export const caseCreateSchema = caseSourcesSchema.extend({ title, sector: sector.default(''), sections: sectionsSchema });
export type CaseCreateInput = z.infer<typeof caseCreateSchema>;

/** An edit: the text, conditional on the version it was based on (sources and frozen figures stay). */
export const caseUpdateSchema = z.object({ version: z.number().int().min(0), kind: z.enum(caseKinds), title, sector, sections: sectionsSchema });
export type CaseUpdateInput = z.infer<typeof caseUpdateSchema>;

/** Search and filters, of one conference's list or across every conference the caller may read. */
export const caseQuerySchema = z.object({
	q: z.string().trim().max(100).refine(noControls, 'control characters').default(''),
	sector: sector.default(''),
	kind: z.union([z.enum(caseKinds), z.literal('')]).default(''),
	conference: z.union([sourceId, z.literal('')]).default('')
});
export type CaseQuery = z.infer<typeof caseQuerySchema>;

/** One accepted execution report's figures as a case keeps them: where they came from, the values, the derived indicators. */
export interface CaseFigureSet {
	reportId: string;
	roundId: string;
	roundTitle: string;
	/** 报告期截止 (YYYY-MM-DD). */
	periodEnd: string;
	values: Record<string, FigureValue>;
	derived: DerivedIndicators;
}

/** Before (the earliest accepted report of the project in the conference's rounds) and after (the latest, when another). */
export interface CaseFigures {
	before: CaseFigureSet | null;
	after: CaseFigureSet | null;
}

/** The measure of a case as approved, with its numbers and its ledger outcome when the case was made. */
export interface CaseMeasure {
	proposalId: string;
	text: string;
	/** JY-01 … and ZG-JT-001 …: the stored numbers (一事一号). */
	number: string;
	ledgerNumber: string;
	leadUnit: string;
	deadline: string;
	/** The ledger's status, 累计完成 % and the close-out date (YYYY-MM-DD, Beijing), as of `asOf`. */
	status: string;
	percent: number;
	closedOn: string | null;
	asOf: string;
}

/** The figures a case's before/after table shows, in order: the derived indicators first, then the reported ones. */
export const caseFigureRows = [
	{ key: 'annualRate', from: 'derived' },
	{ key: 'deviation', from: 'derived' },
	{ key: 'cumulativeRate', from: 'derived' },
	{ key: 'spi', from: 'derived' },
	{ key: 'paymentRate', from: 'derived' },
	{ key: 'hazardFixRate', from: 'derived' },
	{ key: 'annualPlan', from: 'values' },
	{ key: 'ytdDone', from: 'values' },
	{ key: 'physicalPlanned', from: 'values' },
	{ key: 'physicalActual', from: 'values' },
	{ key: 'accidents', from: 'values' }
] as const;
export type CaseFigureRow = (typeof caseFigureRows)[number];

/** A row's value in a figure set, or null when it was not reported (or cannot be derived). */
export function caseFigureValue(set: CaseFigureSet | null, row: CaseFigureRow): number | null {
	if (set === null) return null;
	const v = row.from === 'derived' ? set.derived[row.key] : set.values[row.key];
	return typeof v === 'number' && Number.isFinite(v) ? v : null;
}
