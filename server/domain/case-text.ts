import { officialDate } from '../../src/lib/shared/beijing-time.js';
import {
	type CaseFigureRow,
	type CaseFigureSet,
	type CaseFigures,
	type CaseKind,
	type CaseMeasure,
	type CaseSections,
	caseFigureRows,
	caseFigureValue,
	maxCaseSection,
	maxCaseTitle
} from '../../src/lib/shared/case-library.js';
import type { LedgerStatus } from '../../src/lib/shared/ledger.js';
import type { AnalysisContent } from './analysis-reader.js';
import { statusZh } from './exports/ledger-xlsx.js';
import { figureHeaderZh } from './exports/report-template.js';
import type { ProjectRecord } from '../storage/types.js';

/**
 * The words of a case as the server writes them: the sections prefilled from the analysis, the
 * measure and the figures (for the person to edit before saving), and the labels the 案例汇编 prints.
 * These are document content in Chinese, like the minutes, not interface text.
 */

export const caseKindZh: Record<CaseKind, string> = { good: '优秀实践', lesson: '失败教训' };

/** The section headings, by kind where they differ (做法 for a good practice, 问题 for a lesson). */
export function sectionTitleZh(kind: CaseKind): CaseSections {
	return kind === 'good'
		? { background: '背景', practice: '做法', outcome: '成效', lessons: '经验启示', clauses: '可推广条款' }
		: { background: '背景', practice: '问题', outcome: '损失', lessons: '经验启示', clauses: '可推广条款' };
}

const derivedZh: Record<string, string> = {
	annualRate: '年度投资完成率（%）',
	deviation: '较序时进度（个百分点）',
	cumulativeRate: '开累投资完成率（%）',
	spi: '进度绩效指数（SPI）',
	paymentRate: '中央资金支付率（%）',
	hazardFixRate: '隐患整改率（%）'
};

/** A figure row's label in Chinese, with its unit. */
export const figureRowZh = (row: CaseFigureRow) => (row.from === 'derived' ? derivedZh[row.key] : figureHeaderZh[row.key]);

/** A value as printed: points signed with a true minus, SPI to two decimals, percents to one, amounts as reported. */
export function figureValueZh(value: number | null, row: CaseFigureRow): string {
	if (value === null) return '—';
	if (row.key === 'deviation') return `${value > 0 ? '+' : value < 0 ? '−' : ''}${Math.abs(value).toFixed(1)}`;
	if (row.key === 'spi') return value.toFixed(2);
	if (row.from === 'derived') return value.toFixed(1);
	return String(value);
}

/** The before/after table: a header row naming each report's round and period, then one row per figure either report has. */
export function figureTableZh(figures: CaseFigures): { header: boolean; cells: string[] }[] {
	const sets = [figures.before, figures.after].filter((s): s is CaseFigureSet => s !== null);
	if (sets.length === 0) return [];
	const head = sets.map((s, i) => `${sets.length === 2 ? (i === 0 ? '前期：' : '后期：') : ''}${s.roundTitle}（截至${officialDate(s.periodEnd)}）`);
	const rows = caseFigureRows.filter((row) => sets.some((s) => caseFigureValue(s, row) !== null));
	return [{ header: true, cells: ['指标', ...head] }, ...rows.map((row) => ({ header: false, cells: [figureRowZh(row), ...sets.map((s) => figureValueZh(caseFigureValue(s, row), row))] }))];
}

/** `text` cut to at most `max` UTF-16 units, never inside a character (a lone surrogate would be refused on saving). */
function clip(text: string, max: number): string {
	if (text.length <= max) return text;
	let out = '';
	for (const ch of text) {
		if (out.length + ch.length > max) break;
		out += ch;
	}
	return out;
}

/** A sentence: ends with 。 unless it already ends with a stop. */
const sentence = (s: string) => (s === '' ? '' : /[。！？；.!?]$/u.test(s) ? s : `${s}。`);

const at = (set: CaseFigureSet) => `截至${officialDate(set.periodEnd)}（${set.roundTitle}）`;
const row = (key: string) => caseFigureRows.find((r) => r.key === key)!;
const shown = (set: CaseFigureSet, key: string) => figureValueZh(caseFigureValue(set, row(key)), row(key));

/** One report's main indicators in a sentence: 年度投资完成率, 较序时, SPI, 中央资金支付率 where reported. */
function indicators(set: CaseFigureSet): string {
	const parts = [
		caseFigureValue(set, row('annualRate')) !== null && `年度投资完成率${shown(set, 'annualRate')}%`,
		caseFigureValue(set, row('deviation')) !== null && `较序时${shown(set, 'deviation')}个百分点`,
		caseFigureValue(set, row('spi')) !== null && `SPI ${shown(set, 'spi')}`,
		caseFigureValue(set, row('paymentRate')) !== null && `中央资金支付率${shown(set, 'paymentRate')}%`
	].filter(Boolean);
	return parts.length ? `${at(set)}，${parts.join('，')}。` : '';
}

/** "整改台账ZG-JT-001（决议编号JY-01）：已销号，累计完成100%，2025年9月20日销号。" */
export function measureOutcomeZh(m: CaseMeasure): string {
	const status = statusZh[m.status as LedgerStatus] ?? m.status;
	return `整改台账${m.ledgerNumber}（决议编号${m.number}）：截至${officialDate(m.asOf)}${status}，累计完成${m.percent}%${m.closedOn ? `，${officialDate(m.closedOn)}销号` : ''}。`;
}

/** "整改措施：…（决议编号：JY-01；牵头单位：…；完成时限：2025年8月31日前）" */
export function measureLineZh(m: CaseMeasure): string {
	const note = [`决议编号：${m.number}`, m.leadUnit && `牵头单位：${m.leadUnit}`, m.deadline && `完成时限：${officialDate(m.deadline)}前`].filter(Boolean).join('；');
	return `整改措施：${sentence(m.text).replace(/。$/u, '')}（${note}）。`;
}

export interface CaseDraftInput {
	kind: CaseKind;
	project: ProjectRecord | null;
	analysis: AnalysisContent | null;
	measure: CaseMeasure | null;
	figures: CaseFigures;
}

/** The title a draft starts with: the project's short name (or the analysis's) and the kind. */
export function draftTitle(d: CaseDraftInput): string {
	const name = d.project?.name ?? d.analysis?.project ?? '';
	return clip(`${name}${name ? '：' : ''}${caseKindZh[d.kind]}案例`, maxCaseTitle);
}

/** The five sections prefilled from the sources, each a few plain paragraphs (one per line). */
export function draftSections(d: CaseDraftInput): CaseSections {
	const { project, analysis, measure, figures } = d;
	const background = [
		project && sentence(`${project.name}${project.code ? `（项目代码：${project.code}）` : ''}${project.sector ? `，属${project.sector}领域` : ''}${project.ownerUnit ? `，建设单位为${project.ownerUnit}` : ''}`),
		analysis?.symptom && sentence(`${analysis.project || project?.name || ''}${analysis.project || project ? '：' : ''}${analysis.symptom}`),
		figures.before && indicators(figures.before)
	];
	const causes = (analysis?.causes ?? []).map((c, i) => `（${i + 1}）${c.category ? `${c.category}：` : ''}${sentence(c.text)}${c.key ? '（关键原因）' : ''}`);
	const problem = analysis?.statement ? sentence(`问题：${analysis.statement}`) : '';
	const practice =
		d.kind === 'lesson'
			? [problem, causes.length ? '主要原因：' : '', ...causes, measure && measureLineZh(measure)]
			: [measure && measureLineZh(measure), problem, causes.length ? '针对的主要原因：' : '', ...causes];
	const outcome = [figures.after && indicators(figures.after), measure && measureOutcomeZh(measure)];
	// The root cause is the last step of a key cause's 5-why chain.
	const roots = (analysis?.causes ?? []).filter((c) => c.key && c.whys.length > 0).map((c) => sentence(c.whys[c.whys.length - 1]));
	const join = (lines: readonly (string | false | null | undefined | '')[]) => clip(lines.filter((l): l is string => typeof l === 'string' && l !== '').join('\n'), maxCaseSection);
	return { background: join(background), practice: join(practice), outcome: join(outcome), lessons: join(roots), clauses: '' };
}
