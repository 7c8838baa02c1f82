import ExcelJS from 'exceljs';
import { defuseFormula } from '../../../src/lib/shared/csv.js';
import type { KpiSet } from '../../../src/lib/shared/kpi.js';
import type { Lamp } from '../../../src/lib/shared/project-report.js';
import type { Dashboard } from '../dashboard.js';
import { type Column, sheet, statusZh } from './ledger-xlsx.js';

const lampZh: Record<Lamp, string> = { green: '绿灯', amber: '黄灯', red: '红灯' };
const reportStatusZh: Record<string, string> = { draft: '填报中', submitted: '已报送待审核', returned: '已退回', accepted: '已审定' };

/** The indicator columns of a group, each with its 口径 in the header. */
const kpiColumns: Column[] = [
	{ header: '已审定项目数', width: 10 },
	{ header: '年度计划投资（亿元）', width: 14 },
	{ header: '本年累计完成投资（亿元）', width: 14 },
	{ header: '年度投资完成率（%）＝完成÷计划', width: 16 },
	{ header: '较序时进度（个百分点）', width: 14 },
	{ header: '本年计划新开工（项）', width: 12 },
	{ header: '其中已开工（项）', width: 12 },
	{ header: '开工率（%）＝已开工÷计划新开工', width: 16 },
	{ header: '本年计划竣工（项）', width: 12 },
	{ header: '其中已竣工（项）', width: 12 },
	{ header: '竣工率（%）＝已竣工÷计划竣工', width: 16 },
	{ header: '中央资金已下达（亿元）', width: 14 },
	{ header: '中央资金已支付（亿元）', width: 14 },
	{ header: '资金支付率（%）＝已支付÷已下达', width: 16 },
	{ header: '绿灯', width: 8 },
	{ header: '黄灯', width: 8 },
	{ header: '红灯', width: 8 }
];
const kpiCells = (k: KpiSet) => [
	k.projects,
	k.annualPlan,
	k.ytdDone,
	k.annualRate,
	k.deviation,
	k.plannedStart,
	k.startedOfPlanned,
	k.startRate,
	k.plannedCompletion,
	k.completedOfPlanned,
	k.completionRate,
	k.centralAllocated,
	k.centralPaid,
	k.paymentRate,
	k.lamps.green,
	k.lamps.amber,
	k.lamps.red
];

/**
 * The dashboard's figures as a workbook: by sector (with the total), by region, each project's lamp
 * with its rule, and the rounds over time. Chinese headers stating each indicator's 口径; empty cells
 * where a rate has no denominator. Official figures: Chinese whatever the reader's language.
 */
export async function dashboardWorkbook(conferenceTitle: string, d: Dashboard): Promise<Buffer> {
	const book = new ExcelJS.Workbook();
	book.creator = 'Concord';
	book.title = `${conferenceTitle}第一阶段总体情况`;
	const t = d.thresholds;
	const pts = (v: number) => (v < 0 ? `−${-v}` : `${v}`);
	const rule = `较序时进度 ≥ ${pts(t.amberBelow)} 个百分点为绿灯；${pts(t.redBelow)} 至 ${pts(t.amberBelow)} 为黄灯；低于 ${pts(t.redBelow)} 为红灯`;
	const title = d.round ? `${d.round.title}（报告期截止 ${d.round.periodEnd}，序时进度 ${d.round.timeElapsed}%）` : '';
	const groups = (label: string, rows: readonly (KpiSet & { label: string })[]) => [
		...rows.map((g) => [defuseFormula(g.label), ...kpiCells(g)]),
		...(d.total ? [[label, ...kpiCells(d.total)]] : [])
	];
	// Headers state their 口径 and wrap: rows tall enough for three lines; the totals bold.
	const tall = (ws: ExcelJS.Worksheet, boldLast = false) => {
		ws.getRow(1).height = 54;
		// Printed landscape, one page wide.
		ws.pageSetup = { ...ws.pageSetup, orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 };
		if (boldLast && ws.rowCount > 1) ws.getRow(ws.rowCount).font = { bold: true };
	};
	tall(sheet(book, '分行业', [{ header: '行业', width: 10 }, ...kpiColumns], groups('合计', d.bySector)), d.total !== null);
	tall(sheet(book, '分地区', [{ header: '地区', width: 10 }, ...kpiColumns], groups('合计', d.byRegion)), d.total !== null);
	const lamps = sheet(
		book,
		'项目灯号',
		[
			{ header: '项目代码', width: 32 },
			{ header: '项目名称', width: 40 },
			{ header: '行业', width: 8 },
			{ header: '地区', width: 8 },
			{ header: '分组', width: 10 },
			{ header: '报告状态', width: 12 },
			{ header: '年度投资完成率（%）', width: 12 },
			{ header: '较序时（个百分点）', width: 12 },
			{ header: '开累投资完成率（%）', width: 12 },
			{ header: 'SPI（实际÷计划形象进度）', width: 12 },
			{ header: '资金支付率（%）', width: 12 },
			{ header: '灯号', width: 8 },
			{ header: '规则', width: 56 },
			{ header: '决议与整改台账', width: 60 }
		],
		d.projects.map((p) => [
			defuseFormula(p.project.code),
			defuseFormula(p.project.name),
			defuseFormula(p.project.sector),
			defuseFormula(p.project.region),
			defuseFormula(p.breakout?.name ?? ''),
			p.report ? reportStatusZh[p.report.status] ?? p.report.status : '未纳入本轮',
			p.derived?.annualRate ?? null,
			p.derived?.deviation ?? null,
			p.derived?.cumulativeRate ?? null,
			p.derived?.spi ?? null,
			p.derived?.paymentRate ?? null,
			p.lamp ? lampZh[p.lamp] : '',
			p.lamp ? rule : '',
			p.resolutions.map((r) => defuseFormula(`${r.number} ${r.ledgerNumber} ${r.title}（${statusZh[r.status]}）`)).join('\n')
		])
	);
	tall(lamps);
	// A project's resolutions one per line: its row as tall as they are (spreadsheets do not grow rows written with text).
	lamps.eachRow((row, n) => {
		if (n > 1) row.height = 16 * Math.max(1, String(row.getCell(14).value ?? '').split('\n').length);
	});
	const rounds = sheet(
		book,
		'各轮次',
		[{ header: '轮次', width: 30 }, { header: '报告期截止', width: 12 }, { header: '序时进度（%）', width: 10 }, { header: '行业', width: 10 }, ...kpiColumns],
		d.series.flatMap((s) => [
			...s.bySector.map((g) => [defuseFormula(s.round.title), s.round.periodEnd, s.timeElapsed, defuseFormula(g.label), ...kpiCells(g)]),
			[defuseFormula(s.round.title), s.round.periodEnd, s.timeElapsed, '合计', ...kpiCells(s.total)]
		])
	);
	tall(rounds);
	const about = book.addWorksheet('说明');
	about.columns = [{ width: 100 }];
	for (const line of [
		`${defuseFormula(conferenceTitle)}　第一阶段 宏观回顾与总体评价`,
		defuseFormula(title),
		'只计已审定的项目执行报告；未审定的报告不计入。',
		'年度投资完成率＝Σ本年累计完成投资÷Σ年度计划投资；较序时＝完成率−序时进度（报告期截止时全年已过的比例）。',
		'开工率＝计划新开工且已开工的项目数÷本年计划新开工项目数；竣工率＝计划年内竣工且已竣工（建成投产）的项目数÷本年计划竣工项目数。',
		'资金支付率＝Σ中央资金已支付÷Σ中央资金已下达。分母为零时不计算（空白）。',
		`灯号规则：${rule}。`
	])
		about.addRow([line]);
	return Buffer.from(await book.xlsx.writeBuffer());
}
