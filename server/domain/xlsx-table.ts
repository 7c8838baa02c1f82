import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { type ZipEntry, ZipFormatError, streamEntry, zipEntries } from './zip-archive.js';

/**
 * The first sheet of an XLSX workbook as rows of cell text, read straight from the zip and its XML
 * with a streaming parser, so that reading stops at the row limit: a sheet of 110,000 rows costs no
 * more than one of 2,001. Runs in a worker (see xlsx-worker.ts); the archive's declared sizes were
 * checked before. Empty rows are dropped, as a person reading the sheet would skip them.
 */

export interface TableLimits {
	/** Rows kept, the header included; reading stops once this many non-empty rows are in. */
	maxRows: number;
	/** Cells right of this column are ignored (a list has a handful of columns). */
	maxColumns: number;
}

/** The workbook is not one this reader understands (no sheet, broken XML, a broken archive). */
export class XlsxUnreadable extends Error {}

/** A cell holding an index into the shared strings, resolved once the sheet is read. */
interface SharedRef {
	sst: number;
}
type Cell = string | SharedRef;

const localName = (name: string) => name.slice(name.indexOf(':') + 1);

/** "BC12" → 54 (0-based column); null without letters. */
function columnOf(ref: string | undefined): number | null {
	const letters = /^[A-Z]+/i.exec(ref ?? '')?.[0];
	if (letters === undefined) return null;
	let n = 0;
	for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
	return n - 1;
}

/** What one part of the reading wants to hear of the XML (saxes takes one handler per event). */
interface XmlListener {
	open?(name: string, tag: SaxesTagPlain): void;
	close?(name: string): void;
	text?(text: string): void;
}

/** Parses an entry's XML as it inflates; calling `stop` ends the reading (nothing more is inflated). */
async function parseEntry(bytes: Uint8Array, entry: ZipEntry, listen: (stop: () => void) => XmlListener[]): Promise<void> {
	const parser = new SaxesParser<{ xmlns: false; position: false }>({ xmlns: false, position: false });
	let stopped = false;
	let failure: Error | null = null;
	const listeners = listen(() => (stopped = true));
	parser.on('error', (err) => {
		failure ??= err;
	});
	// The rest of a chunk already written still reaches the parser after `stop`: it is not heard.
	parser.on('opentag', (tag) => {
		if (!stopped) for (const l of listeners) l.open?.(localName(tag.name), tag);
	});
	parser.on('closetag', (tag) => {
		if (!stopped) for (const l of listeners) l.close?.(localName(tag.name));
	});
	const onText = (text: string) => {
		if (!stopped) for (const l of listeners) l.text?.(text);
	};
	parser.on('text', onText);
	parser.on('cdata', onText);
	const decoder = new TextDecoder('utf-8');
	await streamEntry(bytes, entry, (chunk) => {
		parser.write(decoder.decode(chunk, { stream: true }));
		return !stopped && failure === null;
	});
	if (!stopped && failure === null) parser.close();
	if (failure !== null) throw new XlsxUnreadable(`${entry.name}: ${(failure as Error).message}`);
}

/** The text of the `<t>` elements inside each `within` element (rich text runs joined), phonetic runs (`rPh`) left out. */
function textOf(within: string, onDone: (text: string) => void): XmlListener {
	let depth = 0;
	let inText = false;
	let inPhonetic = false;
	let text = '';
	return {
		open(name, tag) {
			if (name === within) {
				depth++;
				text = '';
			} else if (depth > 0 && name === 'rPh') inPhonetic = !tag.isSelfClosing;
			else if (depth > 0 && name === 't' && !inPhonetic) inText = !tag.isSelfClosing;
		},
		text(t) {
			if (inText) text += t;
		},
		close(name) {
			if (name === 't') inText = false;
			else if (name === 'rPh') inPhonetic = false;
			else if (name === within && depth > 0) {
				depth--;
				onDone(text);
			}
		}
	};
}

/** Path of the workbook's first sheet and of its shared strings, from workbook.xml and its relationships. */
async function locateParts(bytes: Uint8Array, byName: Map<string, ZipEntry>): Promise<{ sheet: ZipEntry; sharedStrings: ZipEntry | null }> {
	const workbook = byName.get('xl/workbook.xml');
	const rels = byName.get('xl/_rels/workbook.xml.rels');
	if (workbook === undefined || rels === undefined) throw new XlsxUnreadable('no workbook');
	let firstSheetRel: string | null = null;
	await parseEntry(bytes, workbook, (stop) => [
		{
			open(name, tag) {
				if (name !== 'sheet') return;
				const id = Object.entries(tag.attributes).find(([k]) => k.includes(':') && localName(k) === 'id')?.[1];
				if (typeof id === 'string') firstSheetRel = id;
				stop();
			}
		}
	]);
	const targets = new Map<string, { type: string; target: string }>();
	await parseEntry(bytes, rels, () => [
		{
			open(name, tag) {
				const { Id, Type, Target } = tag.attributes as Record<string, string | undefined>;
				if (name === 'Relationship' && Id !== undefined && Target !== undefined) targets.set(Id, { type: Type ?? '', target: Target });
			}
		}
	]);
	const resolve = (target: string) => (target.startsWith('/') ? target.slice(1) : `xl/${target}`).replace(/\/\.\//g, '/');
	const sheetTarget = firstSheetRel === null ? undefined : targets.get(firstSheetRel);
	const sheet = sheetTarget === undefined ? undefined : byName.get(resolve(sheetTarget.target));
	if (sheet === undefined) throw new XlsxUnreadable('no first sheet');
	const shared = [...targets.values()].find((t) => t.type.endsWith('/sharedStrings'));
	return { sheet, sharedStrings: (shared === undefined ? undefined : byName.get(resolve(shared.target))) ?? byName.get('xl/sharedStrings.xml') ?? null };
}

/** Reads the first sheet's non-empty rows, at most `limits.maxRows` of them, as cell text. */
export async function readXlsxTable(bytes: Uint8Array, limits: TableLimits): Promise<string[][]> {
	let entries: ZipEntry[];
	try {
		entries = zipEntries(bytes);
	} catch (err) {
		throw new XlsxUnreadable((err as Error).message);
	}
	const byName = new Map(entries.map((e) => [e.name, e]));
	try {
		const { sheet, sharedStrings } = await locateParts(bytes, byName);
		const rows = await readSheet(bytes, sheet, limits);
		let wanted = -1;
		for (const r of rows) for (const c of r) if (typeof c !== 'string' && c.sst > wanted) wanted = c.sst;
		const strings = wanted >= 0 && sharedStrings !== null ? await readSharedStrings(bytes, sharedStrings, wanted) : [];
		return rows.map((r) => r.map((c) => (typeof c === 'string' ? c : (strings[c.sst] ?? '')))).filter((r) => r.some((c) => c.trim() !== ''));
	} catch (err) {
		if (err instanceof ZipFormatError) throw new XlsxUnreadable(err.message);
		throw err;
	}
}

async function readSheet(bytes: Uint8Array, sheet: ZipEntry, limits: TableLimits): Promise<Cell[][]> {
	const rows: Cell[][] = [];
	let row: Cell[] = [];
	let column = -1;
	let cellType = '';
	let value = '';
	let inValue = false;
	let inlineText = '';
	await parseEntry(bytes, sheet, (stop) => [
		textOf('is', (text) => (inlineText = text)),
		{
			open(name, tag) {
				if (name === 'row') {
					row = [];
					column = -1;
				} else if (name === 'c') {
					column = columnOf(tag.attributes.r) ?? column + 1;
					cellType = tag.attributes.t ?? 'n';
					value = '';
					inlineText = '';
				} else if (name === 'v') inValue = !tag.isSelfClosing;
			},
			text(t) {
				if (inValue) value += t;
			},
			close(name) {
				if (name === 'v') inValue = false;
				else if (name === 'c' && column < limits.maxColumns) {
					const cell = cellValue(cellType, value, inlineText);
					if (cell === null) return;
					while (row.length < column) row.push('');
					row[column] = cell;
				} else if (name === 'row') {
					if (row.some((c) => typeof c !== 'string' || c.trim() !== '')) rows.push(row);
					if (rows.length >= limits.maxRows) stop();
				}
			}
		}
	]);
	return rows;
}

/** A cell's content by its type attribute: shared string, inline string, boolean, error, date or number. */
function cellValue(type: string, value: string, inlineText: string): Cell | null {
	switch (type) {
		case 's': {
			const sst = Number.parseInt(value, 10);
			return Number.isSafeInteger(sst) && sst >= 0 ? { sst } : null;
		}
		case 'inlineStr':
			return inlineText;
		case 'b':
			return String(value === '1');
		case 'e':
			return '';
		case 'd':
			return value.slice(0, 10);
		default:
			return value;
	}
}

/** The shared strings up to index `last`: reading stops there, the rest is never inflated. */
async function readSharedStrings(bytes: Uint8Array, entry: ZipEntry, last: number): Promise<string[]> {
	const strings: string[] = [];
	await parseEntry(bytes, entry, (stop) => [
		textOf('si', (text) => {
			strings.push(text);
			if (strings.length > last) stop();
		})
	]);
	return strings;
}
