import JSZip from 'jszip';
import { officialDate } from '../../../src/lib/shared/beijing-time.js';
import { titleLines } from './title-lines.js';

/**
 * What every official document Concord prints shares (GB/T 9704-2012, domain.md §1): the 版心 on A4,
 * 3号 仿宋 on a 22 × 28 grid, the fonts with their fallbacks, the red 版头 (mark, 期号, 编发单位 and date
 * over the red line), the 2号 小标宋 title in balanced lines, the heading levels, tables, the 版记 at the
 * bottom of the last page, "— N —" page numbers right on odd pages and left on even ones, and the
 * bound on what one file prints. The minutes (纪要) and the case compilation (案例汇编) are built on it.
 * Every piece of text is untrusted and goes through `esc`.
 */

/** A table row: a header row (its cells are 表头) repeats on each page. */
export interface TableRow {
	header: boolean;
	cells: string[];
}

/** XML text: escaped, and without the characters XML 1.0 forbids (they would make the file unreadable). */
export function esc(s: string): string {
	return s
		.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;');
}

// Sizes in half-points (w:sz): 2号 44, 3号 32, 4号 28; 小初 36 pt for the mark.
export const fonts = {
	fangsong: '仿宋_GB2312',
	hei: '黑体',
	kai: '楷体_GB2312',
	xbs: '方正小标宋简体',
	song: '宋体'
} as const;
export const char3 = 320; // one 3号 character, in twips
export const char4 = 280; // one 4号 character
export const typeWidth = 8845; // 版心 width: 156 mm

export interface Run {
	text: string;
	font?: string;
	size?: number;
	color?: string;
	bold?: boolean;
}

const rPr = (r: Run) =>
	`<w:rPr>${r.font ? `<w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="${r.font}" w:cs="${r.font}"/>` : ''}${r.bold ? '<w:b/>' : ''}${r.color ? `<w:color w:val="${r.color}"/>` : ''}${r.size ? `<w:sz w:val="${r.size}"/><w:szCs w:val="${r.size}"/>` : ''}</w:rPr>`;
/** Runs of one text: a tab becomes a tab stop, a line feed a line break inside the paragraph. */
const run = (r: Run) =>
	r.text
		.split('\n')
		.map((line) =>
			line
				.split('\t')
				.map((part) => `<w:r>${rPr(r)}<w:t xml:space="preserve">${esc(part)}</w:t></w:r>`)
				.join(`<w:r>${rPr(r)}<w:tab/></w:r>`)
		)
		.join(`<w:r>${rPr(r)}<w:br/></w:r>`);

export function para(runs: readonly Run[], pPr = ''): string {
	return `<w:p><w:pPr>${pPr}</w:pPr>${runs.map(run).join('')}</w:p>`;
}

export const centered = '<w:jc w:val="center"/>';
export const indent2 = `<w:ind w:firstLine="${2 * char3}"/>`;
export const keepNext = '<w:keepNext/>';
export const blank = (pPr = '') => para([{ text: '' }], pPr);
/** A 2号 title line holds 20 characters of the 版心; half a character is kept free for fonts that run wider. */
const titleEms = 19.5;

export const maxColumns = 12;
/** The deepest list level indented further (a 3号 line of 28 characters keeps 18 at that depth). */
export const maxListIndent = 4;

/** A table of the minutes: full 版心 width, equal columns, 4号 text, single lines, the header row repeated on each page. */
export function tableXml(rows: readonly TableRow[]): string {
	// An A4 page holds a dozen columns at most; a wider row's last cells share the twelfth.
	const fitted = rows.map((r) => ({ ...r, cells: r.cells.length > maxColumns ? [...r.cells.slice(0, maxColumns - 1), r.cells.slice(maxColumns - 1).join('；')] : r.cells }));
	const columns = fitted.reduce((most, r) => Math.max(most, r.cells.length), 1);
	const width = Math.floor(typeWidth / columns);
	const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
	const cellMargin = 80;
	const cellPPr = `<w:snapToGrid w:val="0"/><w:spacing w:line="400" w:lineRule="exact"/><w:jc w:val="left"/>`;
	const cellXml = (text: string, header: boolean, span: number) =>
		`<w:tc><w:tcPr><w:tcW w:w="${width * span}" w:type="dxa"/>${span > 1 ? `<w:gridSpan w:val="${span}"/>` : ''}</w:tcPr>${para([{ text, size: 28, font: header ? fonts.hei : undefined }], cellPPr)}</w:tc>`;
	// A short row's last cell spans the columns it lacks (never padded with empty cells: a table of one
	// wide row and many narrow ones stays as large as what was written).
	const rowXml = (r: TableRow) => {
		const trPr = `<w:trPr><w:cantSplit/>${r.header ? '<w:tblHeader/>' : ''}</w:trPr>`;
		const last = r.cells.length - 1;
		return `<w:tr>${trPr}${r.cells.map((text, i) => cellXml(text, r.header, i === last ? columns - last : 1)).join('')}</w:tr>`;
	};
	// Indented by the cell margin, so that its borders (not its text) line up with the 版心's edges.
	return `<w:tbl><w:tblPr><w:tblW w:w="${width * columns}" w:type="dxa"/><w:tblInd w:w="${cellMargin}" w:type="dxa"/><w:tblLayout w:type="fixed"/><w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders><w:tblCellMar><w:left w:w="${cellMargin}" w:type="dxa"/><w:right w:w="${cellMargin}" w:type="dxa"/></w:tblCellMar></w:tblPr><w:tblGrid>${new Array<string>(columns).fill(`<w:gridCol w:w="${width}"/>`).join('')}</w:tblGrid>${fitted.map(rowXml).join('')}</w:tbl>`;
}


/** The 2号 小标宋 title, its lines balanced and words kept whole; it keeps with what follows. */
export const titleXml = (text: string) => para([{ text: titleLines(text, titleEms).join('\n'), font: fonts.xbs, size: 44 }], `${keepNext}${centered}<w:spacing w:line="700" w:lineRule="exact"/>`);
/** 一、 in 黑体, （一） in 楷体, 1. in 仿宋: each keeps with what follows it. */
export const level1Xml = (text: string) => para([{ text, font: fonts.hei }], keepNext + indent2);
export const level2Xml = (text: string) => para([{ text, font: fonts.kai }], keepNext + indent2);
export const level3Xml = (text: string) => para([{ text }], keepNext + indent2);
/** A body paragraph, indented two characters; `keep` holds it on the page of what follows. */
export const bodyXml = (text: string, keep = false) => para([{ text }], (keep ? keepNext : '') + indent2);

/**
 * The 版头: the red mark (its upper edge 35 mm below the 版心 top: off the line grid, on a line as tall
 * as the font), 第1期, then 编发单位 and date over the red line, which spans the whole 版心; a blank line.
 */
export function headXml(mark: string, issuer: string, date: string): string {
	return [
		para([{ text: mark, font: fonts.xbs, size: 72, color: 'FF0000' }], `${centered}<w:snapToGrid w:val="0"/><w:spacing w:before="1984" w:after="0" w:line="720" w:lineRule="exact"/>`),
		para([{ text: '第1期' }], centered),
		para(
			[{ text: `\t${issuer}\t${officialDate(date)}` }],
			`<w:pBdr><w:bottom w:val="single" w:sz="12" w:space="6" w:color="FF0000"/></w:pBdr><w:tabs><w:tab w:val="left" w:pos="${char3}"/><w:tab w:val="right" w:pos="${typeWidth - char3}"/></w:tabs>`
		),
		blank()
	].join('');
}

/** The 版记: thick lines above and below the 印发 line, in a frame at the bottom of the last page's 版心. */
export function imprintXml(issuer: string, date: string): string {
	return para(
		[{ text: `${issuer}\t${officialDate(date)}印发`, size: 28 }],
		`<w:framePr w:w="${typeWidth}" w:wrap="notBeside" w:hAnchor="margin" w:vAnchor="margin" w:xAlign="center" w:yAlign="bottom"/><w:pBdr><w:top w:val="single" w:sz="8" w:space="4" w:color="000000"/><w:bottom w:val="single" w:sz="8" w:space="4" w:color="000000"/></w:pBdr><w:tabs><w:tab w:val="right" w:pos="${typeWidth - char4}"/></w:tabs><w:ind w:left="${char4}"/><w:spacing w:line="480" w:lineRule="exact"/>`
	);
}

const sectXml =
	'<w:sectPr><w:footerReference w:type="default" r:id="rIdFooterOdd"/><w:footerReference w:type="even" r:id="rIdFooterEven"/>' +
	'<w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587" w:header="851" w:footer="1304" w:gutter="0"/>' +
	'<w:pgNumType w:fmt="decimal"/><w:docGrid w:type="lines" w:linePitch="579"/></w:sectPr>';

function documentXml(body: readonly string[]): string {
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>${body.join('')}${sectXml}</w:body></w:document>`;
}

/** "— N —" in 4号 宋体, right-aligned with a 1-char indent on odd pages, left on even ones. */
function footerXml(side: 'odd' | 'even'): string {
	const r = `<w:rPr><w:rFonts w:ascii="${fonts.song}" w:hAnsi="${fonts.song}" w:eastAsia="${fonts.song}"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr>`;
	const pPr = side === 'odd' ? `<w:jc w:val="right"/><w:ind w:right="${char4}"/>` : `<w:jc w:val="left"/><w:ind w:left="${char4}"/>`;
	return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:p><w:pPr>${pPr}</w:pPr><w:r>${r}<w:t xml:space="preserve">— </w:t></w:r><w:r>${r}<w:fldChar w:fldCharType="begin"/></w:r><w:r>${r}<w:instrText xml:space="preserve"> PAGE </w:instrText></w:r><w:r>${r}<w:fldChar w:fldCharType="separate"/></w:r><w:r>${r}<w:t>1</w:t></w:r><w:r>${r}<w:fldChar w:fldCharType="end"/></w:r><w:r>${r}<w:t xml:space="preserve"> —</w:t></w:r></w:p></w:ftr>`;
}

/** The defaults: 3号 仿宋 body, fixed 28.95 pt lines (22 per page), characters tightened to 28 per line. */
const stylesXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="${fonts.fangsong}" w:cs="${fonts.fangsong}"/><w:spacing w:val="-5"/><w:kern w:val="0"/><w:sz w:val="32"/><w:szCs w:val="32"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl/><w:spacing w:before="0" w:after="0" w:line="579" w:lineRule="exact"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>`;

/** Fonts with the fallbacks of domain.md §1.6 (a reader without 仿宋_GB2312 uses 仿宋, and so on). */
const fontTableXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${[
	[fonts.fangsong, '仿宋'],
	[fonts.kai, '楷体'],
	[fonts.hei, 'SimHei'],
	[fonts.xbs, '华文中宋'],
	[fonts.song, 'SimSun']
]
	.map(([name, alt]) => `<w:font w:name="${name}"><w:altName w:val="${alt}"/><w:charset w:val="86"/><w:family w:val="auto"/></w:font>`)
	.join('')}</w:fonts>`;

const settingsXml = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:settings xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:evenAndOddHeaders/><w:defaultTabStop w:val="640"/><w:characterSpacingControl w:val="doNotCompress"/></w:settings>`;

const contentTypes = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/><Override PartName="/word/footer1.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/><Override PartName="/word/footer2.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"/></Types>`;

const rootRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

const documentRels = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rIdSettings" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/settings" Target="settings.xml"/><Relationship Id="rIdFonts" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/><Relationship Id="rIdFooterOdd" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer1.xml"/><Relationship Id="rIdFooterEven" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer" Target="footer2.xml"/></Relationships>`;

/**
 * The most one export prints: 20,000 paragraphs and table cells and 1,000,000 characters (some
 * 1,600 pages; real minutes run to a few dozen). The file is built on the server's event loop, and
 * at this size takes about a third of a second; a document past it is refused, not built.
 */
export const printLimits = { parts: 20_000, chars: 1_000_000 } as const;

/** A document past `printLimits`. */
export class PrintTooLarge extends Error {}

/** Counts what a document will print, and throws `PrintTooLarge` as soon as it passes `printLimits`. */
export class PrintBudget {
	private parts = 0;
	private chars = 0;

	constructor(private readonly what: string) {}

	/** One paragraph (or table cell) of `text`. */
	add(text: string): void {
		this.count(1, text.length);
	}

	/** A table's cells, as the table prints them (a wider row's last cells share the twelfth column). */
	addTable(rows: readonly TableRow[]): void {
		for (const r of rows) this.count(Math.min(r.cells.length, maxColumns), r.cells.reduce((n, cell) => n + cell.length, 0));
	}

	private count(parts: number, chars: number): void {
		this.parts += parts;
		this.chars += chars;
		if (this.parts > printLimits.parts || this.chars > printLimits.chars) throw new PrintTooLarge(`${this.what} print more than ${printLimits.parts} parts or ${printLimits.chars} characters`);
	}
}

/** The DOCX of a document whose body is `body` (paragraphs and tables as WordprocessingML). */
export async function officialDocx(body: readonly string[]): Promise<Buffer> {
	const zip = new JSZip();
	zip.file('[Content_Types].xml', contentTypes);
	zip.file('_rels/.rels', rootRels);
	zip.file('word/_rels/document.xml.rels', documentRels);
	zip.file('word/document.xml', documentXml(body));
	zip.file('word/styles.xml', stylesXml);
	zip.file('word/settings.xml', settingsXml);
	zip.file('word/fontTable.xml', fontTableXml);
	zip.file('word/footer1.xml', footerXml('odd'));
	zip.file('word/footer2.xml', footerXml('even'));
	return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
