import { expect, test } from 'vitest';
import { type MinutesBlock, printable } from '../../server/domain/exports/minutes-blocks.js';
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

test('a table wider than a page keeps every cell’s text in twelve columns, and short rows are padded to twelve, never more', async () => {
	const JSZip = (await import('jszip')).default;
	const { minutesDocx } = await import('../../server/domain/exports/minutes-docx.js');
	const wide = Array.from({ length: 30 }, (_, i) => `格${i + 1}`);
	const rows = [{ header: true, cells: wide }, ...Array.from({ length: 3 }, () => ({ header: false, cells: ['窄'] }))];
	const file = await minutesDocx({ issuer: '国家发展改革委', date: '2025-07-18', blocks: [{ kind: 'table', rows }], present: [], attending: [], onLeave: [] });
	const xml = await (await JSZip.loadAsync(file)).file('word/document.xml')!.async('string');
	expect(xml.match(/<w:gridCol /g)).toHaveLength(12);
	expect(xml.match(/<w:tc>/g)).toHaveLength(4 * 12);
	for (const cell of wide) expect(xml).toContain(cell);
	expect(xml).toContain('格12；格13');
	expect(xml.match(/<w:tblHeader\/>/g)).toHaveLength(1);
});
