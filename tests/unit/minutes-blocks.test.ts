import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { editorField } from '../../src/lib/shared/blocks.js';
import { type MinutesBlock, minutesBlocks, printable } from '../../server/domain/exports/minutes-blocks.js';
import { MinutesTooLarge, minutesDocx, printLimits } from '../../server/domain/exports/minutes-docx.js';
import { chineseNumber } from '../../server/domain/promotion.js';
import { emWidth, titleLines } from '../../server/domain/exports/title-lines.js';

test('a title that fits stays one line; a longer one breaks between words into balanced lines, the upper one shorter on a tie', () => {
	expect(titleLines('短标题纪要', 19.5)).toEqual(['短标题纪要']);
	const lines = titleLines('2025年上半年国家重点建设项目管理总结会纪要', 19.5);
	expect(lines).toEqual(['2025年上半年国家重点', '建设项目管理总结会纪要']);
	expect(emWidth(lines[0])).toBeLessThanOrEqual(emWidth(lines[1]));
});

test('a title keeps a book title whole, keeps punctuation with its word, and does not start a line on a lone character', () => {
	expect(titleLines('关于《国家重点建设项目管理办法》修订工作的专题会议纪要', 19.5)).toEqual(['关于《国家重点建设项目管理办法》', '修订工作的专题会议纪要']);
	// The dictionary splits 财政部 into 财政|部: a line never starts on 部.
	const lines = titleLines('国家发展改革委 住房城乡建设部 财政部关于2025年度国家重点建设项目管理总结会议议定事项落实情况的会议纪要', 19.5);
	expect(lines).toHaveLength(3);
	for (const l of lines) {
		expect(emWidth(l)).toBeLessThanOrEqual(19.5);
		expect(l).not.toMatch(/^[部，。、）》]/u);
		expect(l).not.toMatch(/[（《]$/u);
	}
	expect(lines.join('').replace(/\s/g, '')).toBe('国家发展改革委住房城乡建设部财政部关于2025年度国家重点建设项目管理总结会议议定事项落实情况的会议纪要');
});

test('a word wider than a line is broken at characters; a title past four lines is left to the word processor', () => {
	const word = '𠀾'.repeat(30);
	const lines = titleLines(word, 19.5);
	expect(lines.join('')).toBe(word);
	for (const l of lines) expect(emWidth(l)).toBeLessThanOrEqual(19.5);
	const long = '国家重点建设项目'.repeat(20);
	expect(titleLines(long, 19.5)).toEqual([long]);
});

const h = (kind: 'level1' | 'level2' | 'level3', text: string): MinutesBlock => ({ kind, text });
const body = (text: string): MinutesBlock => ({ kind: 'body', text });

test('the printed minutes leave out every section with nothing under it and number the rest without gaps', () => {
	const blocks: MinutesBlock[] = [
		{ kind: 'title', text: '纪要' },
		body('开头'),
		h('level1', '一、会议总体情况'),
		h('level1', '二、分组研讨情况'),
		h('level2', '（一）交通组'),
		h('level3', '1.小标题'),
		h('level2', '（二）水利组'),
		{ kind: 'item', text: '整改', note: '' },
		h('level2', '（三）能源组'),
		h('level1', '三、下一步工作要求'),
		{ kind: 'table', rows: [{ header: false, cells: ['甲'] }] },
		h('level1', '附：未编号的标题'),
		{ kind: 'listItem', text: '一项', marker: '•', depth: 0 },
		h('level1', '四、结语')
	];
	expect(printable(blocks).map((b) => ('text' in b ? b.text : b.kind))).toEqual(['纪要', '开头', '一、分组研讨情况', '（一）水利组', '整改', '二、下一步工作要求', 'table', '附：未编号的标题', '一项']);
});

test('a heading is kept when content sits under a sub-heading of it, and sub-numbers start again in each section', () => {
	const blocks: MinutesBlock[] = [h('level1', '一、甲'), h('level2', '（三）子'), body('内容'), h('level1', '二、乙'), h('level2', '（五）子'), body('内容')];
	expect(printable(blocks).map((b) => ('text' in b ? b.text : ''))).toEqual(['一、甲', '（一）子', '内容', '二、乙', '（一）子', '内容']);
});

async function documentXml(blocks: MinutesBlock[]): Promise<string> {
	const JSZip = (await import('jszip')).default;
	const file = await minutesDocx({ issuer: '国家发展改革委', date: '2025-07-18', blocks, present: [], attending: [], onLeave: [] });
	return (await JSZip.loadAsync(file)).file('word/document.xml')!.async('string');
}

test('a table wider than a page keeps every cell’s text in twelve columns; a short row’s last cell spans the rest, never padded', async () => {
	const wide = Array.from({ length: 30 }, (_, i) => `格${i + 1}`);
	const rows = [{ header: true, cells: wide }, ...Array.from({ length: 3 }, () => ({ header: false, cells: ['窄'] })), { header: false, cells: ['左', '右'] }];
	const xml = await documentXml([{ kind: 'table', rows }]);
	expect(xml.match(/<w:gridCol /g)).toHaveLength(12);
	expect(xml.match(/<w:tc>/g)).toHaveLength(12 + 3 + 2);
	expect(xml.match(/<w:gridSpan w:val="12"\/>/g)).toHaveLength(3);
	expect(xml.match(/<w:gridSpan w:val="11"\/>/g)).toHaveLength(1);
	for (const cell of wide) expect(xml).toContain(cell);
	expect(xml).toContain('格12；格13');
	expect(xml.match(/<w:tblHeader\/>/g)).toHaveLength(1);
});

test('one wide row over thousands of narrow ones stays as large as what was written; past the print limits the export is refused, not built', async () => {
	const narrow = (n: number) => Array.from({ length: n }, (_, i) => ({ header: false, cells: [`第${i}行`] }));
	const wideRow = { header: true, cells: Array.from({ length: 12 }, (_, i) => `列${i}`) };
	const xml = await documentXml([{ kind: 'table', rows: [wideRow, ...narrow(5000)] }]);
	// One cell per narrow row (about 400 bytes of XML each), not twelve.
	expect(xml.match(/<w:tc>/g)).toHaveLength(12 + 5000);
	expect(xml.length).toBeLessThan(5012 * 600);
	await expect(documentXml([{ kind: 'table', rows: [wideRow, ...narrow(printLimits.parts)] }])).rejects.toBeInstanceOf(MinutesTooLarge);
	const paragraphs = Array.from({ length: printLimits.parts + 1 }, () => body('段'));
	await expect(documentXml(paragraphs)).rejects.toBeInstanceOf(MinutesTooLarge);
	await expect(documentXml([body('长'.repeat(printLimits.chars + 1))])).rejects.toBeInstanceOf(MinutesTooLarge);
});

test('a list nested deeper than four levels is indented no further, so its text stays inside the 版心', async () => {
	const items: MinutesBlock[] = Array.from({ length: 20 }, (_, depth) => ({ kind: 'listItem', text: `第${depth}层`, marker: '•', depth }));
	const xml = await documentXml(items);
	const lefts = [...xml.matchAll(/<w:ind w:left="(\d+)" w:firstLine="640"\/>/g)].map((m) => Number(m[1]));
	expect(lefts).toHaveLength(20);
	expect(Math.max(...lefts)).toBe(4 * 640);
	expect(lefts.slice(0, 5)).toEqual([0, 640, 1280, 1920, 2560]);
});

test('section numbers are Chinese numerals past ninety-nine: 一百、 and 一百零一、 follow 九十九、', () => {
	expect([1, 10, 12, 20, 99, 100, 101, 110, 119, 1000, 1010, 2025].map(chineseNumber)).toEqual(['一', '十', '十二', '二十', '九十九', '一百', '一百零一', '一百一十', '一百一十九', '一千', '一千零一十', '二千零二十五']);
	const blocks = Array.from({ length: 120 }, (_, i) => [h('level1', `一、第${i + 1}节`), body('内容')]).flat();
	const headings = printable(blocks).filter((b) => b.kind === 'level1').map((b) => ('text' in b ? b.text : ''));
	expect(headings[98]).toBe('九十九、第99节');
	expect(headings[99]).toBe('一百、第100节');
	expect(headings[119]).toBe('一百二十、第120节');
	expect(headings.join('')).not.toContain('undefined');
});

test('a heading level or a list start written as an object (by a raw client, before the guard refused it) is read as the default, not thrown on', () => {
	const doc = new Y.Doc();
	const heading = new Y.XmlElement('heading');
	heading.setAttribute('level', { toString: 1 } as unknown as string);
	heading.insert(0, [new Y.XmlText('二、坏层级')]);
	const list = new Y.XmlElement('orderedList');
	list.setAttribute('start', { toString: 1 } as unknown as string);
	const item = new Y.XmlElement('listItem');
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText('坏起始号')]);
	item.insert(0, [p]);
	list.insert(0, [item]);
	doc.getXmlFragment(editorField).insert(0, [heading, list]);
	expect(minutesBlocks(doc)).toEqual([
		{ kind: 'level1', text: '一、坏层级' },
		{ kind: 'listItem', text: '坏起始号', marker: '（1）', depth: 0 }
	]);
});

test('a long Latin word in a title breaks between letters with their accents, never inside one', () => {
	const word = 'e\u0301'.repeat(50);
	const lines = titleLines(word, 19.5);
	expect(lines.join('')).toBe(word);
	expect(lines.length).toBeGreaterThan(1);
	for (const l of lines) {
		expect(l).not.toMatch(/^\p{M}/u);
		expect(emWidth(l)).toBeLessThanOrEqual(19.5);
	}
});
