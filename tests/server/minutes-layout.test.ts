import fs from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { type MinutesBlock, minutesBlocks } from '../../server/domain/exports/minutes-blocks.js';
import { minutesDocx } from '../../server/domain/exports/minutes-docx.js';
import { emWidth } from '../../server/domain/exports/title-lines.js';
import { type Block, seedBlocks } from '../../server/domain/templates.js';
import { minutesItemNode } from '../../src/lib/shared/blocks.js';
import { type RenderedPdf, hasLibreOffice, redOnPage, renderDocx } from '../helpers/pdf-layout.js';

// Page one of the minutes as LibreOffice prints it, measured on the PDF (GB/T 9704-2012, domain.md §1):
// A4 is 595.3 × 841.9 pt; the 版心 runs from 79.4 pt (left margin 28 mm) to 521.6 pt (right margin 26 mm),
// from 104.9 pt (top margin 37 mm) down to 742.7 pt (bottom margin 35 mm).
const typeArea = { left: 79.4, right: 521.6, top: 104.9, bottom: 742.7 };
const mm = 72 / 25.4;

const p = (text: string): Block => ({ type: 'paragraph', text });
const h = (level: number, text: string): Block => ({ type: 'heading', attrs: { level }, text });
const li = (...children: Block[]): Block => ({ type: 'listItem', children });
const measure = (text: string, number: string, responsibleUnit: string, deadline: string): Block => ({
	type: minutesItemNode,
	attrs: { number, snapshot: JSON.stringify({ kind: 'measure', text, fields: { responsibleUnit, supportingUnits: '', deadline, criteria: '' } }) }
});
const cells = (kind: 'tableHeader' | 'tableCell', ...texts: string[]): Block => ({ type: 'tableRow', children: texts.map((t) => ({ type: kind, children: [p(t)] })) });

const title = '2025年上半年国家重点建设项目管理总结会纪要';

/** The minutes a secretary would print: an empty section, a breakout with nothing promoted, a list and a table. */
const firstPage: Block[] = [
	h(1, title),
	p('2025年7月17日至18日，国家发展改革委、住房和城乡建设部、财政部在北京召开2025年上半年国家重点建设项目管理总结会。现将会议主要精神和议定事项纪要如下：'),
	h(2, '一、会议总体情况'),
	p(''),
	h(2, '二、分组研讨情况及整改共识'),
	h(3, '（一）交通组'),
	measure('完成T1项目剩余交地。', 'JY-01', '甲省江州市人民政府', '2025-08-31'),
	h(3, '（二）水利组'),
	h(3, '（三）能源组'),
	p('会议明确以下事项：'),
	{ type: 'orderedList', children: [li(p('加快审批。')), li(p('压实责任。'), { type: 'orderedList', children: [li(p('细化节点。'))] })] },
	{ type: 'bulletList', children: [li(p('附：工作台账。'))] },
	{ type: 'table', children: [cells('tableHeader', '项目', '责任单位', '完成时限'), cells('tableCell', 'M3项目', '临江市人民政府', '2025年8月31日')] },
	h(2, '三、下一步工作要求'),
	p('各单位按期报送整改进展。')
];

/** A section heading after `k` one-line paragraphs: over 22 values of k it lands on every line of a page. */
const filled = (k: number): Block[] => [
	h(1, title),
	p('现将会议主要精神和议定事项纪要如下：'),
	h(2, '一、分组研讨情况及整改共识'),
	h(3, '（一）交通组'),
	...Array.from({ length: k }, (_, i) => p(`${i + 1}.各单位要压实责任，按期完成整改任务。`)),
	h(3, '（二）水利组'),
	p('会议认为水利组工作扎实。'),
	p('会议要求各单位按期报送。'),
	h(2, '二、下一步工作要求'),
	p('各单位按期报送整改进展。')
];
const sweep = Array.from({ length: 22 }, (_, k) => k + 4);

function blocksOf(content: Block[]): MinutesBlock[] {
	const doc = new Y.Doc();
	seedBlocks(doc, content);
	const blocks = minutesBlocks(doc);
	doc.destroy();
	return blocks;
}

const docx = (content: Block[]) =>
	minutesDocx({ issuer: '国家发展改革委', date: '2025-07-18', blocks: blocksOf(content), present: [{ unit: '甲省交通运输厅', name: '张三' }], attending: [], onLeave: [] });

let dir = '';
let rendered: Record<string, RenderedPdf> = {};

beforeAll(async () => {
	expect(await hasLibreOffice(), 'LibreOffice (soffice) is installed by scripts/ensure-tools.mjs').toBe(true);
	const files: Record<string, Buffer> = { first: await docx(firstPage) };
	for (const k of sweep) files[`filled-${k}`] = await docx(filled(k));
	({ dir, rendered } = await renderDocx(files));
}, 180_000);

afterAll(async () => {
	if (dir) await fs.rm(dir, { recursive: true, force: true });
});

const line = (r: RenderedPdf, start: string) => r.lines.find((l) => l.text.startsWith(start));

test('the 版头: the red 纪要 mark 35 mm below the top of the 版心, the red separator across the whole 版心', async () => {
	const r = rendered.first;
	const red = await redOnPage(r.pdf, 1);
	// The mark's upper edge (its topmost red ink), within half a millimetre.
	expect(red.top).not.toBeNull();
	expect(Math.abs(red.top! - (typeArea.top + 35 * mm))).toBeLessThan(0.5 * mm);
	expect(red.rule).not.toBeNull();
	expect(Math.abs(red.rule!.xMin - typeArea.left)).toBeLessThan(1);
	expect(Math.abs(red.rule!.xMax - typeArea.right)).toBeLessThan(1);
	// Under the 编发单位 and date line, above the title.
	const issuer = line(r, '国家发展改革委')!;
	const date = r.lines.find((l) => l.page === 1 && l.text === '2025年7月18日')!;
	expect(red.rule!.y).toBeGreaterThan(issuer.yMax);
	expect(red.rule!.y).toBeLessThan(issuer.yMax + 6 * mm);
	// 编发单位 one character in from the left, the date one character in from the right (3号: 16 pt).
	expect(Math.abs(issuer.xMin - (typeArea.left + 16))).toBeLessThan(1.5);
	expect(Math.abs(date.xMax - (typeArea.right - 16))).toBeLessThan(1.5);
	expect(Math.abs(date.yMin - issuer.yMin)).toBeLessThan(0.5);
});

test('the title breaks between words into balanced, centred lines: 纪要 stays whole', () => {
	const r = rendered.first;
	const start = r.lines.findIndex((l) => l.page === 1 && l.text.startsWith('2025年上半年'));
	expect(start).toBeGreaterThan(0);
	const lines = r.lines.slice(start, start + 2);
	expect(lines.map((l) => l.text).join('')).toBe(title);
	const [a, b] = lines.map((l) => l.text);
	expect(b.endsWith('纪要')).toBe(true);
	expect(b.length).toBeGreaterThan(2);
	expect(Math.abs(emWidth(a) - emWidth(b))).toBeLessThanOrEqual(3);
	for (const l of lines) expect(Math.abs((l.xMin + l.xMax) / 2 - (typeArea.left + typeArea.right) / 2)).toBeLessThan(3);
	// Below the separator, in the body's region.
	expect(lines[0].yMin).toBeGreaterThan(line(r, '国家发展改革委')!.yMax);
});

test('empty sections are left out and the remaining headings numbered without a gap', () => {
	const texts = rendered.first.lines.map((l) => l.text);
	expect(texts).not.toContain('一、会议总体情况');
	expect(texts.filter((t) => /^[一二三]、/.test(t))).toEqual(['一、分组研讨情况及整改共识', '二、下一步工作要求']);
	expect(texts.filter((t) => /^（[一二三]）/.test(t))).toEqual(['（一）交通组', '（二）能源组']);
	expect(texts.some((t) => t.includes('1.完成T1项目剩余交地。（决议编号：JY-01'))).toBe(true);
});

test('lists and tables keep their structure: numbered and nested items indented, table cells side by side under their headers', () => {
	const r = rendered.first;
	const first = line(r, '（1）加快审批。')!;
	const second = line(r, '（2）压实责任。')!;
	const nested = line(r, '①细化节点。')!;
	const bullet = line(r, '•附：工作台账。')!;
	for (const l of [first, second, nested, bullet]) expect(l, 'each list item is a line of its own').toBeDefined();
	expect(Math.abs(second.xMin - first.xMin)).toBeLessThan(1);
	// One level down: two 3号 characters (32 pt) further in.
	expect(Math.abs(nested.xMin - first.xMin - 32)).toBeLessThan(2);
	expect(nested.yMin).toBeGreaterThan(second.yMin);
	// Each cell is a line of its own: the header cells side by side, each row's cells under them.
	const cell = (text: string) => r.lines.find((l) => l.text === text)!;
	const [project, unit, due] = ['项目', '责任单位', '完成时限'].map(cell);
	const [m3, city, date] = ['M3项目', '临江市人民政府', '2025年8月31日'].map(cell);
	for (const c of [project, unit, due, m3, city, date]) expect(c, 'every cell is printed').toBeDefined();
	expect(project.xMin).toBeLessThan(unit.xMin);
	expect(unit.xMin).toBeLessThan(due.xMin);
	for (const c of [unit, due]) expect(Math.abs(c.yMin - project.yMin)).toBeLessThan(0.5);
	for (const [below, above] of [[m3, project], [city, unit], [date, due]]) {
		expect(below.yMin).toBeGreaterThan(above.yMax);
		expect(Math.abs(below.xMin - above.xMin)).toBeLessThan(1);
	}
	// Equal columns across the 版心: the first starts at its left edge, the third a third of the way from the right.
	expect(project.xMin - typeArea.left).toBeGreaterThan(0);
	expect(project.xMin - typeArea.left).toBeLessThan(8);
	expect(Math.abs(due.xMin - project.xMin - (2 / 3) * (typeArea.right - typeArea.left))).toBeLessThan(2);
});

/** The body lines of a page: everything but the page number and the 版记. */
const bodyLines = (r: RenderedPdf, page: number) => r.lines.filter((l) => l.page === page && !/^—\d+—$/.test(l.text) && !l.text.endsWith('印发') && !(l.text === '国家发展改革委' && l.yMin > typeArea.bottom - 60));

test('a heading is never left at the foot of a page, wherever the text before it ends', () => {
	for (const k of sweep) {
		const r = rendered[`filled-${k}`];
		for (let page = 1; page < r.pages; page++) {
			const last = bodyLines(r, page).at(-1);
			expect(last?.text, `k = ${k}, page ${page}`).not.toMatch(/^（[一二三]）|^[一二三]、/);
		}
	}
});

test('the 版记 sits at the foot of the last page with the end of the body, never alone on a page', () => {
	for (const k of sweep) {
		const r = rendered[`filled-${k}`];
		const issued = r.lines.find((l) => l.text.endsWith('印发'));
		expect(issued, `k = ${k}`).toBeDefined();
		expect(issued!.page, `k = ${k}: on the last page`).toBe(r.pages);
		// Its lower rule is the bottom of the 版心: the line sits just above it.
		expect(issued!.yMax, `k = ${k}`).toBeGreaterThan(typeArea.bottom - 12 * mm);
		expect(issued!.yMax, `k = ${k}`).toBeLessThan(typeArea.bottom);
		const body = bodyLines(r, r.pages).map((l) => l.text);
		expect(body.some((t) => t.startsWith('出席：')), `k = ${k}: ${JSON.stringify(body)}`).toBe(true);
	}
});
