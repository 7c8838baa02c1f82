import type { MinutesBlock } from './minutes-blocks.js';
import {
	PrintBudget,
	PrintTooLarge,
	blank,
	bodyXml,
	char3,
	fonts,
	headXml,
	imprintXml,
	keepNext,
	level1Xml,
	level2Xml,
	level3Xml,
	maxListIndent,
	officialDocx,
	para,
	printLimits,
	tableXml,
	titleXml
} from './official-docx.js';

export { esc } from './official-docx.js';
export { printLimits };
/** Minutes past `printLimits`. */
export { PrintTooLarge as MinutesTooLarge };

/**
 * The consolidated minutes (纪要) as a DOCX laid out per GB/T 9704-2012 (domain.md §1), on the
 * official layout of `official-docx.ts`: the red 纪要 mark and separator, the four heading levels,
 * 出席 / 列席 / 请假 lists with a hanging indent, and a 版记. Headings keep with what follows them,
 * and the 版记 with the end of the body.
 */

export interface Attendee {
	unit: string;
	name: string;
}

export interface MinutesExport {
	/** 编发单位: the lead organizing body (the first of the hosts). */
	issuer: string;
	/** 成文日期, YYYY-MM-DD ('' leaves it out). */
	date: string;
	blocks: readonly MinutesBlock[];
	present: readonly Attendee[];
	attending: readonly Attendee[];
	onLeave: readonly Attendee[];
}

/** One block; `keep` holds it on the page of what follows (headings always are). `n` numbers the items of a section. */
function blockXml(b: MinutesBlock, n: number, keep: boolean): string {
	const k = keep ? keepNext : '';
	switch (b.kind) {
		case 'title':
			return titleXml(b.text);
		case 'level1':
			return level1Xml(b.text);
		case 'level2':
			return level2Xml(b.text);
		case 'level3':
			return level3Xml(b.text);
		case 'body':
			return bodyXml(b.text, keep);
		case 'item':
			// Third level (1. 2.) under each breakout's section.
			return bodyXml(`${n}.${b.text}${b.note}`, keep);
		case 'listItem':
			// Each level of a list two characters further in, down to the fourth (deeper ones line up with it,
			// so that text never runs past the 版心); a continued paragraph lines up with the item's text.
			return para([{ text: `${b.marker}${b.text}` }], `${k}<w:ind w:left="${2 * char3 * Math.min(b.depth, maxListIndent)}" w:firstLine="${2 * char3}"/>`);
		case 'table':
			return tableXml(b.rows);
	}
}

/** 出席：/ 列席：/ 请假： — label in 黑体, entries in 仿宋, wrapped lines aligned after the colon. */
function attendanceXml(label: string, people: readonly Attendee[]): string {
	if (people.length === 0) return '';
	const list = people.map((p) => [p.unit, p.name].filter(Boolean).join(' ')).join('，');
	return para([{ text: label, font: fonts.hei }, { text: `：${list}` }], `${keepNext}<w:ind w:left="${5 * char3}" w:hanging="${3 * char3}"/>`);
}

function bodyOf(x: MinutesExport): string[] {
	const body: string[] = [headXml('会议纪要', x.issuer, x.date)];
	// From the last paragraph of the body on, everything keeps with the next: the 版记 never stands alone on a page.
	const last = x.blocks.findLastIndex((b) => b.kind === 'body' || b.kind === 'item' || b.kind === 'listItem');
	let item = 0;
	x.blocks.forEach((b, i) => {
		if (b.kind !== 'item') item = b.kind === 'level2' || b.kind === 'level1' ? 0 : item;
		if (b.kind === 'item') item++;
		body.push(blockXml(b, item, last >= 0 && i >= last));
		if (b.kind === 'title') body.push(blank(keepNext));
	});
	// Attendance after one blank line.
	body.push(blank(keepNext));
	body.push(attendanceXml('出席', x.present), attendanceXml('请假', x.onLeave), attendanceXml('列席', x.attending));
	body.push(imprintXml(x.issuer, x.date));
	return body;
}

function checkSize(x: MinutesExport): void {
	const budget = new PrintBudget('the minutes');
	for (const b of x.blocks) {
		if (b.kind === 'table') budget.addTable(b.rows);
		else budget.add(b.kind === 'item' ? b.text + b.note : b.text);
	}
}

/** The DOCX of the minutes; throws `MinutesTooLarge` past `printLimits`. */
export async function minutesDocx(x: MinutesExport): Promise<Buffer> {
	checkSize(x);
	return officialDocx(bodyOf(x));
}
