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

/**
 * An entry of `head`, then `fillBytes` spaces (whitespace between XML elements, so the XML stays
 * valid), then `tail`, deflated as it is generated: the compressed data is about a thousandth of it.
 */
export async function deflatedFill(name: string, head: string, fillBytes: number, tail: string): Promise<RawEntry> {
	const deflate = zlib.createDeflateRaw({ level: 9, memLevel: 9 });
	const out: Buffer[] = [];
	deflate.on('data', (c: Buffer) => out.push(c));
	const done = new Promise((resolve, reject) => {
		deflate.on('end', resolve);
		deflate.on('error', reject);
	});
	const chunk = Buffer.alloc(1024 * 1024, ' ');
	const write = (b: Buffer) => (deflate.write(b) ? Promise.resolve() : new Promise((r) => deflate.once('drain', r)));
	let crc = zlib.crc32(head);
	await write(Buffer.from(head));
	for (let left = fillBytes; left > 0; left -= chunk.length) {
		const part = left >= chunk.length ? chunk : chunk.subarray(0, left);
		crc = zlib.crc32(part, crc);
		await write(part);
	}
	crc = zlib.crc32(tail, crc);
	deflate.end(Buffer.from(tail));
	await done;
	return { name, data: Buffer.concat(out), method: 8, crc, size: Buffer.byteLength(head) + fillBytes + Buffer.byteLength(tail) };
}

/** The archive: local headers and data, the central directory, its end record (with `comment`). */
export function zipOf(entries: RawEntry[], comment = ''): Uint8Array<ArrayBuffer> {
	const parts: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const e of entries) {
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
	const directory = Buffer.concat(central);
	const note = Buffer.from(comment);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	end.writeUInt16LE(note.length, 20);
	return new Uint8Array(Buffer.concat([...parts, directory, end, note]));
}

const contentTypes = (main: string) =>
	`<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="${main}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>`;

/** The parts of a workbook around its one sheet. */
export function workbookParts(): RawEntry[] {
	return [
		stored('[Content_Types].xml', contentTypes('/xl/workbook.xml')),
		stored('_rels/.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
		stored('xl/workbook.xml', '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="名单" sheetId="1" r:id="rId1"/></sheets></workbook>'),
		stored('xl/_rels/workbook.xml.rels', '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')
	];
}

export const sheetHead = '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
export const sheetTail = '</sheetData></worksheet>';

/** An XLSX zip bomb: a valid workbook whose one sheet is `bytes` of XML, in a file of about a thousandth of that. */
export async function xlsxBomb(bytes: number): Promise<Uint8Array<ArrayBuffer>> {
	return zipOf([...workbookParts(), await deflatedFill('xl/worksheets/sheet1.xml', sheetHead, bytes, sheetTail)]);
}
