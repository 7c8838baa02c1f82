import { m } from '$lib/paraglide/messages';
import { type FigureKey, type FigureProblem, type Lamp, type ReportSection, type ReportStatus, figureDefs } from '$lib/shared/project-report';

/** Typed maps: a status, lamp, section, figure or problem without a label fails the type check. */
const statuses: Record<ReportStatus, () => string> = {
	draft: m.reports_status_draft,
	submitted: m.reports_status_submitted,
	returned: m.reports_status_returned,
	accepted: m.reports_status_accepted
};
const lamps: Record<Lamp, () => string> = { green: m.reports_lamp_green, amber: m.reports_lamp_amber, red: m.reports_lamp_red };
const sections: Record<ReportSection, () => string> = {
	progress: m.reports_section_progress,
	investment: m.reports_section_investment,
	quality: m.reports_section_quality,
	safety: m.reports_section_safety,
	environment: m.reports_section_environment,
	problems: m.reports_section_problems
};
const figures: Record<FigureKey, [label: () => string, basis: () => string]> = {
	totalInvestment: [m.reports_fig_totalInvestment, m.reports_basis_totalInvestment],
	annualPlan: [m.reports_fig_annualPlan, m.reports_basis_annualPlan],
	ytdDone: [m.reports_fig_ytdDone, m.reports_basis_ytdDone],
	cumulativeDone: [m.reports_fig_cumulativeDone, m.reports_basis_cumulativeDone],
	plannedStart: [m.reports_fig_plannedStart, m.reports_basis_plannedStart],
	started: [m.reports_fig_started, m.reports_basis_started],
	plannedCompletion: [m.reports_fig_plannedCompletion, m.reports_basis_plannedCompletion],
	completed: [m.reports_fig_completed, m.reports_basis_completed],
	physicalPlanned: [m.reports_fig_physicalPlanned, m.reports_basis_physicalPlanned],
	physicalActual: [m.reports_fig_physicalActual, m.reports_basis_physicalActual],
	centralAllocated: [m.reports_fig_centralAllocated, m.reports_basis_centralAllocated],
	centralPaid: [m.reports_fig_centralPaid, m.reports_basis_centralPaid],
	designChanges: [m.reports_fig_designChanges, m.reports_basis_designChanges],
	firstPassRate: [m.reports_fig_firstPassRate, m.reports_basis_firstPassRate],
	qualityIssues: [m.reports_fig_qualityIssues, m.reports_basis_qualityIssues],
	qualityIssuesFixed: [m.reports_fig_qualityIssuesFixed, m.reports_basis_qualityIssuesFixed],
	accidents: [m.reports_fig_accidents, m.reports_basis_accidents],
	hazards: [m.reports_fig_hazards, m.reports_basis_hazards],
	hazardsFixed: [m.reports_fig_hazardsFixed, m.reports_basis_hazardsFixed],
	environmentStatus: [m.reports_fig_environmentStatus, m.reports_basis_environmentStatus],
	problems: [m.reports_fig_problems, m.reports_basis_problems],
	suggestions: [m.reports_fig_suggestions, m.reports_basis_suggestions]
};
/** The unit shown beside a count: 个 issues, 起 accidents, 项 hazards. */
const countUnits: Partial<Record<FigureKey, () => string>> = {
	qualityIssues: m.reports_unit_items,
	qualityIssuesFixed: m.reports_unit_items,
	accidents: m.reports_unit_cases,
	hazards: m.reports_unit_entries,
	hazardsFixed: m.reports_unit_entries
};
const problems: Record<FigureProblem['reason'], () => string> = {
	missing: m.reports_problem_missing,
	not_a_number: m.reports_problem_not_a_number,
	negative: m.reports_problem_negative,
	too_large: m.reports_problem_too_large,
	not_whole: m.reports_problem_not_whole,
	too_precise: m.reports_problem_too_precise,
	over_100: m.reports_problem_over_100,
	too_long: m.reports_problem_too_long,
	bad_characters: m.reports_problem_bad_characters,
	paid_over_allocated: m.reports_problem_paid_over_allocated,
	fixed_over_found: m.reports_problem_fixed_over_found,
	not_yes_no: m.reports_problem_not_yes_no,
	completed_not_started: m.reports_problem_completed_not_started
};
const rowProblems: Record<string, () => string> = {
	unknown_report: m.reports_row_unknown_report,
	not_yours: m.reports_row_not_yours,
	locked: m.reports_row_locked,
	duplicate: m.reports_row_duplicate
};
const fileProblems: Record<string, () => string> = {
	no_header: m.reports_file_no_header,
	no_rows: m.reports_file_no_rows,
	duplicate_column: m.reports_file_duplicate_column,
	too_many_rows: m.reports_file_too_many_rows,
	unreadable: m.reports_file_unreadable,
	unpacked_too_large: m.reports_file_unpacked_too_large,
	too_complex: m.reports_file_too_complex
};
const events: Record<string, () => string> = { submit: m.reports_event_submit, return: m.reports_event_return, accept: m.reports_event_accept };

export const reportStatusLabel = (s: ReportStatus) => statuses[s]();
export const lampLabel = (l: Lamp) => lamps[l]();
export const sectionLabel = (s: ReportSection) => sections[s]();
export const figureLabel = (k: FigureKey) => figures[k][0]();
export const figureBasis = (k: FigureKey) => figures[k][1]();
export const reportEventLabel = (kind: string) => events[kind]?.() ?? kind;
export const problemText = (reason: string) => (problems as Record<string, () => string>)[reason]?.() ?? rowProblems[reason]?.() ?? reason;
export const fileProblemText = (problem: string) => fileProblems[problem]?.() ?? problem;

/** 亿元, %, or the thing a count counts. */
export function figureUnit(key: FigureKey): string {
	const def = figureDefs.find((d) => d.key === key);
	if (def?.kind === 'amount') return m.reports_unit_amount();
	if (def?.kind === 'percent') return m.reports_unit_percent();
	return countUnits[key]?.() ?? '';
}

/** "+4.0" / "−18.6" (a true minus sign), or — without a figure. */
export const signedPoints = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(1)}`);

/** "+4.0 个百分点" / "−18.6 个百分点", or — without a figure. */
export const pointsLabel = (deviation: number | null) => (deviation === null ? '—' : m.reports_points({ value: signedPoints(deviation) }));
/** The lamp rule in words, with its bounds as points (a true minus sign). */
export function lampRuleText(t: { amberBelow: number; redBelow: number }): string {
	const signed = (v: number) => (v < 0 ? `−${Math.abs(v)}` : `${v}`);
	return m.reports_lamp_rule_of({ amber: signed(t.amberBelow), red: signed(t.redBelow) });
}

/** "31.4%" or —. */
export const percentLabel = (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}%`);
