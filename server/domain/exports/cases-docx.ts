import { type CaseKind, caseKinds, caseSections } from '../../../src/lib/shared/case-library.js';
import { caseKindZh, figureTableZh, sectionTitleZh } from '../case-text.js';
import { chineseNumber } from '../promotion.js';
import { PrintBudget, blank, bodyXml, headXml, imprintXml, keepNext, level1Xml, level2Xml, level3Xml, officialDocx, tableXml, titleXml } from './official-docx.js';
import type { CaseRecord } from '../../storage/types.js';

/**
 * The case compilation (案例汇编) as a DOCX in the layout of the minutes (GB/T 9704-2012, the shared
 * `official-docx.ts`): the red 案例汇编 mark over the red line, the title, then 一、优秀实践 and
 * 二、失败教训, each case a （一） heading with its facts and its sections as 1. 2. … (背景 → 做法/问题 →
 * 成效/损失 → 经验启示 → 可推广条款), the before/after figures as a table under 成效/损失, and the 版记.
 */

export interface CaseEntry {
	record: CaseRecord;
	/** The project's name and 项目代码, and the source analysis's title, as printed ('' when none). */
	project: string;
	source: string;
}

export interface CasesExport {
	conferenceTitle: string;
	/** 编发单位: the lead organizing body. */
	issuer: string;
	/** 成文日期 (YYYY-MM-DD): the day of the export. */
	date: string;
	/** In the order they are printed within their kind. */
	cases: readonly CaseEntry[];
}

/** A section's paragraphs: one per line, blank lines dropped. */
const paragraphs = (text: string) => text.split(/\r?\n/u).map((l) => l.trim()).filter(Boolean);

/** The body of one case, its parts counted against the budget. */
function caseXml(entry: CaseEntry, n: number, budget: PrintBudget): string[] {
	const c = entry.record;
	const out: string[] = [];
	const push = (xml: string, text: string) => {
		budget.add(text);
		out.push(xml);
	};
	const heading = `（${chineseNumber(n)}）${c.title}`;
	push(level2Xml(heading), heading);
	const facts = [entry.project && `项目：${entry.project}`, c.sector && `领域：${c.sector}`, entry.source && `来源：${entry.source}`].filter(Boolean).join('；');
	if (facts) push(bodyXml(facts), facts);
	const titles = sectionTitleZh(c.kind);
	let k = 0;
	for (const s of caseSections) {
		const lines = paragraphs(c.sections[s]);
		const table = s === 'outcome' ? figureTableZh(c.figures) : [];
		if (lines.length === 0 && table.length === 0) continue;
		const title = `${++k}.${titles[s]}`;
		push(level3Xml(title), title);
		for (const line of lines) push(bodyXml(line), line);
		if (table.length > 0) {
			budget.addTable(table);
			out.push(tableXml(table));
		}
	}
	return out;
}

/** The DOCX of the compilation; throws `PrintTooLarge` past the print limits, as the minutes do. */
export async function casesDocx(x: CasesExport): Promise<Buffer> {
	const budget = new PrintBudget('the cases');
	const title = `${x.conferenceTitle}案例汇编`;
	budget.add(title);
	const body: string[] = [headXml('案例汇编', x.issuer, x.date), titleXml(title), blank(keepNext)];
	const groups = caseKinds.map((kind: CaseKind) => ({ kind, entries: x.cases.filter((e) => e.record.kind === kind) })).filter((g) => g.entries.length > 0);
	groups.forEach((g, i) => {
		const heading = `${chineseNumber(i + 1)}、${caseKindZh[g.kind]}`;
		budget.add(heading);
		body.push(level1Xml(heading));
		g.entries.forEach((e, j) => body.push(...caseXml(e, j + 1, budget)));
	});
	if (groups.length === 0) body.push(bodyXml('（暂无案例）'));
	// The 版记 never stands alone on a page: the last paragraph keeps with it.
	body.push(blank(keepNext), imprintXml(x.issuer, x.date));
	return officialDocx(body);
}
