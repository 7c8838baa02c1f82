import { z } from 'zod';
import { hasUnsafeCharacters, isBlank } from './text';
import { type LampThresholds, oneDecimal } from './kpi';
import { sectors } from './schemas';
import { type FigureValue, derivedIndicators, lampOf } from './project-report';

/**
 * 红黑榜 by rule (domain.md §7.9, §8): computed from the accepted reports, never typed. A project is
 * a 红榜 candidate when it is ahead of 序时 by at least `redMinPoints`, with no safety accident (if
 * asked) and its hazards fixed to at least `redMinHazardFix` %; a 黑榜 candidate when its lamp is red
 * (if asked) or it had a safety accident (if asked). Candidates are ranked by their score (points
 * against 序时, plus `spiWeight` × (SPI − 1) × 100); the top `topN` make 红榜 and the bottom `bottomN`
 * 黑榜, in each track (all projects, or each sector). A project excused for documented force majeure
 * (不可抗力) never makes 黑榜; it is listed apart with its reason. Every entry carries its computation.
 */
export const honorRulesSchema = z.object({
	redMinPoints: z.number().min(-100).max(100).refine(oneDecimal, 'one decimal at most'),
	redNoAccident: z.boolean(),
	redMinHazardFix: z.number().min(0).max(100).refine(oneDecimal, 'one decimal at most'),
	blackRedLamp: z.boolean(),
	blackAccident: z.boolean(),
	topN: z.number().int().min(1).max(50),
	bottomN: z.number().int().min(1).max(50),
	track: z.enum(['all', 'sector']),
	spiWeight: z.number().min(0).max(10).refine(oneDecimal, 'one decimal at most')
});
export type HonorRules = z.infer<typeof honorRulesSchema>;

/** The demo rule of domain.md §7.9. */
export const defaultHonorRules: HonorRules = { redMinPoints: 3, redNoAccident: true, redMinHazardFix: 97, blackRedLamp: true, blackAccident: true, topN: 3, bottomN: 3, track: 'all', spiWeight: 0 };

/** Projects excused from 黑榜, each with its documented reason. */
export const excusalSchema = z.object({
	projectId: z.string().min(1).max(64),
	reason: z
		.string()
		.trim()
		.max(300)
		.refine((r) => !isBlank(r), 'say why')
		.refine((r) => !hasUnsafeCharacters(r), 'control characters')
});
export const honorSettingsSchema = z.object({ rules: honorRulesSchema, excused: z.array(excusalSchema).max(200) });
export type HonorSettings = z.infer<typeof honorSettingsSchema>;

/** Why a project qualifies: ahead of 序时 by the points asked, no accident, hazards fixed; or a red lamp, an accident. */
export type HonorReason = 'ahead' | 'no_accident' | 'hazards_fixed' | 'red_lamp' | 'accident';

export interface HonorEntry {
	projectId: string;
	/** The accepted report the figures come from. */
	reportId: string;
	code: string;
	name: string;
	sector: string;
	/** Points against 序时, SPI, accidents, 隐患整改率 — the figures the rule reads. */
	deviation: number | null;
	spi: number | null;
	accidents: number;
	hazardFixRate: number | null;
	score: number;
	/** Place among the track's candidates of its list (1 = first). */
	rank: number;
	reasons: HonorReason[];
	/** Only for excused projects. */
	excuse?: string;
}

export interface HonorTrack {
	/** '' for all projects; else the sector. */
	label: string;
	red: HonorEntry[];
	black: HonorEntry[];
	/** Candidates past the top or bottom N: qualified, not listed. */
	alsoRed: HonorEntry[];
	alsoBlack: HonorEntry[];
	excused: HonorEntry[];
}

export interface HonorProject {
	projectId: string;
	reportId: string;
	code: string;
	name: string;
	sector: string;
	values: Readonly<Record<string, FigureValue>>;
}

const round1 = (v: number) => Math.round(v * 10) / 10;

/** The board of the accepted reports' `projects` at `periodEnd`, by `settings` and the lamp rule. */
export function honorBoard(projects: readonly HonorProject[], periodEnd: string, settings: HonorSettings, thresholds: LampThresholds): HonorTrack[] {
	const { rules } = settings;
	const excuses = new Map(settings.excused.map((e) => [e.projectId, e.reason]));
	const entries = projects.map((p) => {
		const d = derivedIndicators(p.values, periodEnd);
		const accidents = typeof p.values.accidents === 'number' ? p.values.accidents : 0;
		const score = d.deviation === null ? null : round1(d.deviation + (d.spi === null ? 0 : rules.spiWeight * (d.spi - 1) * 100));
		return { p, d, accidents, score };
	});
	const groups = new Map<string, typeof entries>();
	for (const e of entries) {
		const label = rules.track === 'sector' ? e.p.sector.trim() || '—' : '';
		const group = groups.get(label) ?? [];
		group.push(e);
		groups.set(label, group);
	}
	const entry = (e: (typeof entries)[number], reasons: HonorReason[], rank: number): HonorEntry => ({
		projectId: e.p.projectId,
		reportId: e.p.reportId,
		code: e.p.code,
		name: e.p.name,
		sector: e.p.sector,
		deviation: e.d.deviation,
		spi: e.d.spi,
		accidents: e.accidents,
		hazardFixRate: e.d.hazardFixRate,
		score: e.score ?? 0,
		rank,
		reasons,
		...(excuses.has(e.p.projectId) ? { excuse: excuses.get(e.p.projectId) } : {})
	});
	// Sectors in the taxonomy's order (交通 水利 能源 市政, as the dashboard), others after them by name.
	const rank = (label: string) => (sectors.includes(label as (typeof sectors)[number]) ? sectors.indexOf(label as (typeof sectors)[number]) : sectors.length);
	return [...groups.entries()]
		.sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b, 'zh-CN'))
		.map(([label, group]) => {
			const scored = group.filter((e) => e.score !== null);
			const redReasons = (e: (typeof entries)[number]): HonorReason[] | null => {
				if (e.d.deviation === null || e.d.deviation < rules.redMinPoints) return null;
				if (rules.redNoAccident && e.accidents > 0) return null;
				if (e.d.hazardFixRate !== null && e.d.hazardFixRate < rules.redMinHazardFix) return null;
				return ['ahead', ...(rules.redNoAccident ? (['no_accident'] as const) : []), ...(e.d.hazardFixRate !== null ? (['hazards_fixed'] as const) : [])];
			};
			const blackReasons = (e: (typeof entries)[number]): HonorReason[] | null => {
				const reasons: HonorReason[] = [];
				if (rules.blackRedLamp && lampOf(e.d.deviation, thresholds.amberBelow, thresholds.redBelow) === 'red') reasons.push('red_lamp');
				if (rules.blackAccident && e.accidents > 0) reasons.push('accident');
				return reasons.length > 0 ? reasons : null;
			};
			// Best first for 红榜, worst first for 黑榜; ties by 项目代码, so the order never depends on input order.
			// A project on 黑榜's conditions is never on 红榜 (an accident when accidents do not bar 红榜).
			const red = scored
				.filter((e) => blackReasons(e) === null)
				.map((e) => ({ e, reasons: redReasons(e) }))
				.filter((x) => x.reasons !== null)
				.sort((a, b) => b.e.score! - a.e.score! || a.e.p.code.localeCompare(b.e.p.code))
				.map((x, i) => entry(x.e, x.reasons!, i + 1));
			const blackAll = group
				.map((e) => ({ e, reasons: blackReasons(e) }))
				.filter((x) => x.reasons !== null)
				.sort((a, b) => (a.e.score ?? 0) - (b.e.score ?? 0) || a.e.p.code.localeCompare(b.e.p.code));
			const black = blackAll.filter((x) => !excuses.has(x.e.p.projectId)).map((x, i) => entry(x.e, x.reasons!, i + 1));
			return {
				label,
				red: red.slice(0, rules.topN),
				alsoRed: red.slice(rules.topN),
				black: black.slice(0, rules.bottomN),
				alsoBlack: black.slice(rules.bottomN),
				excused: blackAll.filter((x) => excuses.has(x.e.p.projectId)).map((x) => entry(x.e, x.reasons!, 0))
			};
		});
}
