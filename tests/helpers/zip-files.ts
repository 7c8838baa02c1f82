import zlib from 'node:zlib';

/**
 * Zip files written byte by byte, for hostile uploads no ordinary zip library would make: an entry
 * whose deflated data is a gigabyte of XML (a zip bomb), a comment that mentions a name no entry has.
 */
export interface RawEntry {
	name: string;
	/** Raw deflate data (method 8), or the stored bytes (method 0). */
	data: Uint8Array;
	method: 0 | 8;
	crc: number;
	size: number;
}

/** A small entry, stored as is. */
export const stored = (name: string, text: string): RawEntry => {
	const data = Buffer.from(text);
	return { name, data, method: 0, crc: zlib.crc32(data), size: data.length };
};

const deflateRaw = (data: Buffer, finishFlush: number) =>
	new Promise<Buffer>((resolve, reject) => zlib.deflateRaw(data, { level: 9, memLevel: 9, finishFlush }, (err, out) => (err ? reject(err) : resolve(out))));

/**
 * An entry of `head`, then `fillBytes` spaces (whitespace between XML elements, so the XML stays
 * valid), then `tail`, deflated to about a thousandth of that. Each piece is deflated on its own and
 * ends with a full flush (byte-aligned, no back-reference across), so the pieces simply concatenate
 * and one 16 MiB piece of spaces, deflated once, stands for all of them: a gigabyte costs a second.
 */
export async function deflatedFill(name: string, head: string, fillBytes: number, tail: string): Promise<RawEntry> {
	const piece = 16 * 1024 * 1024;
	const spaces = Buffer.alloc(piece, ' ');
	const whole = await deflateRaw(spaces, zlib.constants.Z_FULL_FLUSH);
	const parts = [await deflateRaw(Buffer.from(head), zlib.constants.Z_FULL_FLUSH)];
	let crc = zlib.crc32(head);
	for (let left = fillBytes; left > 0; left -= piece) {
		const part = left >= piece ? spaces : spaces.subarray(0, left);
		parts.push(part === spaces ? whole : await deflateRaw(part, zlib.constants.Z_FULL_FLUSH));
		crc = zlib.crc32(part, crc);
		// Let the test's other work (its sync clients, its probes) run between pieces.
		await new Promise((r) => setImmediate(r));
	}
	parts.push(await deflateRaw(Buffer.from(tail), zlib.constants.Z_FINISH));
	crc = zlib.crc32(tail, crc);
	return { name, data: Buffer.concat(parts), method: 8, crc, size: Buffer.byteLength(head) + fillBytes + Buffer.byteLength(tail) };
}

/** An entry deflated as a zip writer would. */
export async function deflated(name: string, text: string): Promise<RawEntry> {
	const data = Buffer.from(text);
	return { name, data: await deflateRaw(data, zlib.constants.Z_FINISH), method: 8, crc: zlib.crc32(data), size: data.length };
}

/**
 * The archive: local headers and data, the central directory, its end record (with `comment`).
 * `overlapping` adds central directory entries that point at the data of an entry already there (the
 * non-recursive zip bomb: many declared files, one compressed kernel).
 */
export function zipOf(entries: RawEntry[], comment = '', overlapping: { name: string; of: string }[] = []): Uint8Array<ArrayBuffer> {
	const parts: Buffer[] = [];
	const central: Buffer[] = [];
	const offsets = new Map<string, number>();
	let offset = 0;
	for (const e of entries) {
		offsets.set(e.name, offset);
		const name = Buffer.from(e.name);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4);
		local.writeUInt16LE(0x0800, 6);
		local.writeUInt16LE(e.method, 8);
		local.writeUInt32LE(e.crc >>> 0, 14);
		local.writeUInt32LE(e.data.length, 18);
		local.writeUInt32LE(e.size, 22);
		local.writeUInt16LE(name.length, 26);
		parts.push(local, name, Buffer.from(e.data));
		const record = Buffer.alloc(46);
		record.writeUInt32LE(0x02014b50, 0);
		record.writeUInt16LE(20, 4);
		record.writeUInt16LE(20, 6);
		record.writeUInt16LE(0x0800, 8);
		record.writeUInt16LE(e.method, 10);
		record.writeUInt32LE(e.crc >>> 0, 16);
		record.writeUInt32LE(e.data.length, 20);
		record.writeUInt32LE(e.size, 24);
		record.writeUInt16LE(name.length, 28);
		record.writeUInt32LE(offset, 42);
		central.push(record, name);
		offset += 30 + name.length + e.data.length;
	}
	for (const o of overlapping) {
		const target = entries.find((e) => e.name === o.of)!;
		const name = Buffer.from(o.name);
		const record = Buffer.alloc(46);
		record.writeUInt32LE(0x02014b50, 0);
		record.writeUInt16LE(20, 4);
		record.writeUInt16LE(20, 6);
		record.writeUInt16LE(0x0800, 8);
		record.writeUInt16LE(target.method, 10);
		record.writeUInt32LE(target.crc >>> 0, 16);
		record.writeUInt32LE(target.data.length, 20);
		record.writeUInt32LE(target.size, 24);
		record.writeUInt16LE(name.length, 28);
		record.writeUInt32LE(offsets.get(o.of)!, 42);
		central.push(record, name);
	}
	const count = entries.length + overlapping.length;
	const directory = Buffer.concat(central);
	const note = Buffer.from(comment);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(count, 8);
	end.writeUInt16LE(count, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	end.writeUInt16LE(note.length, 20);
	return new Uint8Array(Buffer.concat([...parts, directory, end, note]));
}

const contentTypes = (main: string) =>
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="${main}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`;

/** The parts of a workbook around its one sheet (and its shared strings, xl/sharedStrings.xml, if the test adds them). */
export function workbookParts(): RawEntry[] {
	return [
		stored('[Content_Types].xml', contentTypes('/xl/workbook.xml')),
		stored('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
		stored('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'),
		stored('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
	];
}

export const sheetHead = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const sheetTail = '</sheetData></worksheet>';

/**
 * An XLSX zip bomb: a valid workbook of `sheets` sheets, each `bytes` of XML, declared in a file of a
 * thousandth of one sheet (the sheets share one compressed kernel).
 */
export async function xlsxBomb(bytes: number, sheets = 1): Promise<Uint8Array<ArrayBuffer>> {
	const more = Array.from({ length: sheets - 1 }, (_, i) => ({ name: `xl/worksheets/sheet${i + 2}.xml`, of: 'xl/worksheets/sheet1.xml' }));
	return zipOf([...workbookParts(), await deflatedFill('xl/worksheets/sheet1.xml', sheetHead, bytes, sheetTail)], '', more);
}
