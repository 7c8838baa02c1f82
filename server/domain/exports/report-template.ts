import ExcelJS from 'exceljs';
import { defuseFormula } from '../../../src/lib/shared/csv.js';
import { type FigureKey, type FigureKind, type FigureValue, figureDefs, parseFigure } from '../../../src/lib/shared/project-report.js';

/**
 * The XLSX template of a reporting round: one row per report the unit fills in, one column per figure
 * of domain.md §5.4, headed in Chinese with its unit (official forms are Chinese whatever the UI's
 * language). The same headers are how an uploaded copy is read back, so a unit may reorder columns or
 * leave some out; the 报告编号 column says which report a row is.
 */
export const figureHeaderZh: Record<FigureKey, string> = {
	totalInvestment: '总投资（概算，亿元）',
	annualPlan: '年度计划投资（亿元）',
	ytdDone: '本年累计完成投资（亿元）',
	cumulativeDone: '开工累计完成投资（亿元）',
	plannedStart: '本年计划新开工（是/否）',
	started: '已开工（是/否）',
	plannedCompletion: '本年计划竣工（是/否）',
	completed: '已竣工（建成投产）（是/否）',
	physicalPlanned: '计划形象进度（%）',
	physicalActual: '实际形象进度（%）',
	centralAllocated: '中央资金已下达（亿元）',
	centralPaid: '中央资金已支付（亿元）',
	designChanges: '设计变更金额（亿元）',
	firstPassRate: '一次验收合格率（%）',
	qualityIssues: '质量问题数（个）',
	qualityIssuesFixed: '质量问题已整改（个）',
	accidents: '生产安全事故（起）',
	hazards: '安全隐患（项）',
	hazardsFixed: '安全隐患已整改（项）',
	environmentStatus: '环评/水保/排污许可情况',
	problems: '存在的主要问题',
	suggestions: '改进建议'
};

export const reportIdHeader = '报告编号（请勿修改）';
const fixedHeaders = [reportIdHeader, '项目代码', '项目名称', '填报单位'];

export interface TemplateRow {
	reportId: string;
	code: string;
	name: string;
	unit: string;
	values: Readonly<Record<string, FigureValue>>;
}

/** The template, with each report's current figures filled in. */
export async function reportTemplate(title: string, rows: readonly TemplateRow[]): Promise<Buffer> {
	const book = new ExcelJS.Workbook();
	book.creator = 'Concord';
	book.title = `${title}填报模板`;
	const ws = book.addWorksheet('项目执行报告', { views: [{ state: 'frozen', ySplit: 1, xSplit: 3 }] });
	ws.columns = [
		{ header: reportIdHeader, width: 16 },
		{ header: '项目代码', width: 26 },
		{ header: '项目名称', width: 30 },
		{ header: '填报单位', width: 24 },
		// Text, 是/否 and percentage columns are text cells: "38%" typed into a number cell would be stored as 0.38.
		...figureDefs.map((d) => ({ header: figureHeaderZh[d.key], width: d.kind === 'text' ? 36 : 14, style: d.kind === 'amount' || d.kind === 'count' ? {} : { numFmt: '@' } }))
	];
	const head = ws.getRow(1);
	head.font = { bold: true };
	head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
	head.height = 36;
	for (const r of rows) {
		const cells = figureDefs.map((d) => {
			const v = r.values[d.key] ?? null;
			if (typeof v === 'string') return defuseFormula(v);
			if (d.kind === 'flag' && v !== null) return v === 1 ? '是' : '否';
			return d.kind === 'percent' && v !== null ? String(v) : v;
		});
		ws.addRow([r.reportId, defuseFormula(r.code), defuseFormula(r.name), defuseFormula(r.unit), ...cells]).alignment = { vertical: 'top', wrapText: true };
	}
	return Buffer.from(await book.xlsx.writeBuffer());
}

/**
 * Where each column of an uploaded sheet goes: the report id's column and each figure's. 'no_header'
 * without the id column; 'duplicate_column' when a figure's header stands twice (which one counts?).
 */
export function readHeader(header: readonly string[]): { idColumn: number; figures: Map<number, FigureKey> } | 'no_header' | 'duplicate_column' {
	const clean = header.map((h) => h.replace(/\s+/gu, ''));
	const idColumn = clean.indexOf(reportIdHeader.replace(/\s+/gu, ''));
	if (idColumn < 0) return 'no_header';
	const figures = new Map<number, FigureKey>();
	for (const d of figureDefs) {
		const name = figureHeaderZh[d.key].replace(/\s+/gu, '');
		const at = clean.indexOf(name);
		if (at >= 0 && clean.lastIndexOf(name) !== at) return 'duplicate_column';
		if (at >= 0) figures.set(at, d.key);
	}
	return { idColumn, figures };
}

/** Headers an uploaded sheet may carry besides the figures'. */
export const knownHeaders = new Set([...fixedHeaders, ...Object.values(figureHeaderZh)].map((h) => h.replace(/\s+/gu, '')));

/**
 * A cell's text as a figure's value: '' is no change (undefined); numbers and 是/否 as `parseFigure`
 * reads them; text as written, less the apostrophe the template put before text a spreadsheet would take for
 * a formula (so that an untouched template imports back unchanged).
 */
export function cellValue(kind: FigureKind, cell: string): FigureValue | undefined {
	const t = cell.trim();
	if (t === '') return undefined;
	if (kind === 'text') return /^'[=+\-@\t\r]/u.test(t) ? t.slice(1) : t;
	return parseFigure(kind, t);
}
