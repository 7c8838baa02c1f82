import zlib from 'node:zlib';

/**
 * Zip archives as uploaded (XLSX, DOCX, OFD): their entries as the central directory declares them,
 * read without inflating anything, and one entry's content streamed with a cap. Office applications
 * and every zip reader take the central directory as the truth, so that is what is checked; bytes
 * elsewhere in the file (a comment, a name inside stored data) prove nothing.
 */

export interface ZipEntry {
	name: string;
	method: number;
	compressedSize: number;
	uncompressedSize: number;
	localHeaderOffset: number;
}

/** How much an archive may declare before it counts as a zip bomb. */
export interface ZipBounds {
	maxEntries: number;
	/** Sum of the declared uncompressed sizes. */
	maxTotalBytes: number;
	/** Uncompressed to compressed, for entries above `ratioFloorBytes` (small entries may compress well). */
	maxRatio: number;
	ratioFloorBytes: number;
}

/** The archive is no zip this reader accepts (truncated, ZIP64, split, encrypted or malformed). */
export class ZipFormatError extends Error {}

/** The declared sizes exceed the bounds: refused before anything is inflated. */
export class ZipBombError extends Error {}

const eocdSignature = 0x06054b50;
const centralSignature = 0x02014b50;
const localSignature = 0x04034b50;

/** The central directory's entries; throws ZipFormatError for anything but a plain, whole zip. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	// The end record sits in the last 22 bytes plus a comment of at most 65,535; its comment length
	// must reach exactly to the end of the file, so a signature inside the comment is not taken.
	let eocd = -1;
	for (let at = bytes.length - 22; at >= Math.max(0, bytes.length - 22 - 0xffff); at--) {
		if (view.getUint32(at, true) === eocdSignature && at + 22 + view.getUint16(at + 20, true) === bytes.length) {
			eocd = at;
			break;
		}
	}
	if (eocd < 0) throw new ZipFormatError('no end of central directory');
	const disk = view.getUint16(eocd + 4, true);
	const cdDisk = view.getUint16(eocd + 6, true);
	const count = view.getUint16(eocd + 10, true);
	const cdSize = view.getUint32(eocd + 12, true);
	const cdOffset = view.getUint32(eocd + 16, true);
	if (disk !== 0 || cdDisk !== 0) throw new ZipFormatError('split archive');
	if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) throw new ZipFormatError('ZIP64');
	if (cdOffset + cdSize > eocd) throw new ZipFormatError('central directory out of range');
	const entries: ZipEntry[] = [];
	let at = cdOffset;
	for (let i = 0; i < count; i++) {
		if (at + 46 > eocd || view.getUint32(at, true) !== centralSignature) throw new ZipFormatError('bad central directory record');
		const flags = view.getUint16(at + 8, true);
		const nameLength = view.getUint16(at + 28, true);
		const end = at + 46 + nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
		if (end > eocd) throw new ZipFormatError('central directory record out of range');
		const entry: ZipEntry = {
			name: new TextDecoder('utf-8').decode(bytes.subarray(at + 46, at + 46 + nameLength)),
			method: view.getUint16(at + 10, true),
			compressedSize: view.getUint32(at + 20, true),
			uncompressedSize: view.getUint32(at + 24, true),
			localHeaderOffset: view.getUint32(at + 42, true)
		};
		if (flags & 0x1) throw new ZipFormatError('encrypted entry');
		if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff || entry.localHeaderOffset === 0xffffffff) throw new ZipFormatError('ZIP64');
		if (entry.localHeaderOffset + 30 + entry.compressedSize > cdOffset) throw new ZipFormatError('entry out of range');
		entries.push(entry);
		at = end;
	}
	return entries;
}

/** Throws ZipBombError when the declared sizes exceed `bounds`. */
export function checkZipBounds(entries: ZipEntry[], bounds: ZipBounds): void {
	if (entries.length > bounds.maxEntries) throw new ZipBombError(`${entries.length} entries (at most ${bounds.maxEntries})`);
	let total = 0;
	for (const e of entries) {
		total += e.uncompressedSize;
		if (e.uncompressedSize > bounds.ratioFloorBytes && e.uncompressedSize > bounds.maxRatio * Math.max(1, e.compressedSize)) {
			throw new ZipBombError(`${e.name} inflates ${Math.round(e.uncompressedSize / Math.max(1, e.compressedSize))} times (at most ${bounds.maxRatio})`);
		}
	}
	if (total > bounds.maxTotalBytes) throw new ZipBombError(`${total} bytes unpacked (at most ${bounds.maxTotalBytes})`);
}

/**
 * Streams one entry's content to `onChunk` until the end or until `onChunk` returns false. Never more
 * than the declared size is produced: an entry that inflates beyond it (a header that lies) is a
 * ZipFormatError, found after at most that many bytes.
 */
export async function streamEntry(bytes: Uint8Array, entry: ZipEntry, onChunk: (chunk: Buffer) => boolean): Promise<void> {
	const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
	const local = entry.localHeaderOffset;
	if (view.getUint32(local, true) !== localSignature) throw new ZipFormatError(`bad local header for ${entry.name}`);
	const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
	if (start + entry.compressedSize > bytes.length) throw new ZipFormatError(`${entry.name} out of range`);
	const data = Buffer.from(bytes.buffer, bytes.byteOffset + start, entry.compressedSize);
	if (entry.method === 0) {
		if (entry.compressedSize !== entry.uncompressedSize) throw new ZipFormatError(`${entry.name}: stored sizes differ`);
		onChunk(data);
		return;
	}
	if (entry.method !== 8) throw new ZipFormatError(`${entry.name}: compression method ${entry.method}`);
	const inflate = zlib.createInflateRaw({ chunkSize: 64 * 1024 });
	let produced = 0;
	await new Promise<void>((resolve, reject) => {
		let done = false;
		const finish = (err?: Error) => {
			if (done) return;
			done = true;
			inflate.destroy();
			if (err) reject(err);
			else resolve();
		};
		inflate.on('data', (chunk: Buffer) => {
			produced += chunk.length;
			if (produced > entry.uncompressedSize) return finish(new ZipFormatError(`${entry.name} inflates beyond its declared size`));
			if (!onChunk(chunk)) finish();
		});
		inflate.on('end', () => finish());
		inflate.on('error', (err) => finish(new ZipFormatError(`${entry.name}: ${err.message}`)));
		inflate.end(data);
	});
}
