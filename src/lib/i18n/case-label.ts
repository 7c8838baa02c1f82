import { m } from '$lib/paraglide/messages';
import { type CaseFigureRow, type CaseKind, type CaseSection, caseKinds } from '$lib/shared/case-library';
import type { FigureKey } from '$lib/shared/project-report';
import { figureLabel, figureUnit, percentLabel, pointsLabel } from './report-label';

/** Typed maps: a kind, section or derived indicator without a label fails the type check. */
const kinds: Record<CaseKind, () => string> = { good: m.cases_kind_good, lesson: m.cases_kind_lesson };
const sections: Record<CaseSection, (kind: CaseKind) => string> = {
	background: () => m.cases_section_background(),
	practice: (k) => (k === 'good' ? m.cases_section_practice_good() : m.cases_section_practice_lesson()),
	outcome: (k) => (k === 'good' ? m.cases_section_outcome_good() : m.cases_section_outcome_lesson()),
	lessons: () => m.cases_section_lessons(),
	clauses: () => m.cases_section_clauses()
};
const derived: Record<Extract<CaseFigureRow, { from: 'derived' }>['key'], () => string> = {
	annualRate: m.reports_derived_annual,
	deviation: m.reports_derived_deviation,
	cumulativeRate: m.reports_derived_cumulative,
	spi: m.reports_derived_spi,
	paymentRate: m.reports_derived_payment,
	hazardFixRate: m.reports_derived_hazard
};

export const caseKindLabel = (k: CaseKind) => kinds[k]();
export const isCaseKind = (k: string): k is CaseKind => (caseKinds as readonly string[]).includes(k);
/** 做法 for a good practice, 问题 for a lesson (and 成效 / 损失). */
export const caseSectionLabel = (section: CaseSection, kind: CaseKind) => sections[section](kind);

/** A figure row's label, with its unit for a reported figure. */
export function caseFigureLabel(row: CaseFigureRow): string {
	if (row.from === 'derived') return derived[row.key]();
	const unit = figureUnit(row.key as FigureKey);
	return unit ? m.cases_figure_with_unit({ label: figureLabel(row.key as FigureKey), unit }) : figureLabel(row.key as FigureKey);
}

/** A value as shown: percents to one decimal, points signed, SPI to two decimals, figures as reported. */
export function caseFigureText(value: number | null, row: CaseFigureRow): string {
	if (value === null) return '—';
	if (row.key === 'deviation') return pointsLabel(value);
	if (row.key === 'spi') return value.toFixed(2);
	if (row.from === 'derived') return percentLabel(value);
	return String(value);
}
