import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type EvidenceExtension, evidenceTypes, maxEvidenceBytes, maxEvidenceFiles } from '../../src/lib/shared/ledger.js';
import { type ZipBounds, ZipBombError, ZipFormatError, checkZipBounds, zipEntries } from './zip-archive.js';

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/**
 * What an evidence archive may declare: a 20 MB office file unpacks to a few hundred MB at most.
 * Beyond this it is a zip bomb, which would hurt whoever opens it (reviewers download evidence).
 */
const evidenceZipBounds: ZipBounds = { maxEntries: 10_000, maxTotalBytes: 512 * 1024 * 1024, maxRatio: 100, ratioFloorBytes: 1024 * 1024 };

/**
 * True when `bytes` is a zip whose central directory names every one of `parts` and whose declared
 * sizes stay within the bounds. Names elsewhere in the file (a comment, inside an entry) count for nothing.
 */
function zipWithParts(bytes: Uint8Array, parts: readonly string[]): boolean {
	if (!startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return false;
	try {
		const entries = zipEntries(bytes);
		checkZipBounds(entries, evidenceZipBounds);
		const names = new Set(entries.map((e) => e.name));
		return parts.every((p) => names.has(p));
	} catch (err) {
		if (err instanceof ZipFormatError || err instanceof ZipBombError) return false;
		throw err;
	}
}

/** What each type must be: a name ending .pdf on a web page is refused, and so is a zip named .xlsx that holds no workbook. */
const signatures: Record<EvidenceExtension, (b: Uint8Array) => boolean> = {
	pdf: (b) => startsWith(b, [0x25, 0x50, 0x44, 0x46, 0x2d]),
	png: (b) => startsWith(b, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
	jpg: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
	jpeg: (b) => startsWith(b, [0xff, 0xd8, 0xff]),
	docx: (b) => zipWithParts(b, ['[Content_Types].xml', 'word/document.xml']),
	xlsx: (b) => zipWithParts(b, ['[Content_Types].xml', 'xl/workbook.xml']),
	// GB/T 33190: the package's entry file is OFD.xml at its root.
	ofd: (b) => zipWithParts(b, ['OFD.xml'])
};

/** The file's type when its name and its content agree on an accepted one, else null. */
export function evidenceType(name: string, bytes: Uint8Array): { ext: EvidenceExtension; mime: string } | null {
	const ext = path.extname(name).slice(1).toLowerCase();
	if (!Object.hasOwn(evidenceTypes, ext)) return null;
	const e = ext as EvidenceExtension;
	return signatures[e](bytes) ? { ext: e, mime: evidenceTypes[e] } : null;
}

/**
 * A file name safe to store and to send back: no path separators, control or reserved characters, at most
 * 100 characters (the extension kept). Chinese names stay as they are.
 */
export function safeFileName(name: string, fallback = '文件'): string {
	const clean = name
		.replace(/[\p{Cc}\p{Cf}<>:"|?*/\\]/gu, '')
		.replace(/\s+/gu, ' ')
		.trim();
	const dot = clean.lastIndexOf('.');
	const ext = dot >= 0 && /^\.[\p{L}\p{N}]{1,10}$/u.test(clean.slice(dot)) ? clean.slice(dot) : '';
	const stem = [...clean.slice(0, clean.length - ext.length).replace(/^[.\s]+/u, '')].slice(0, 100 - ext.length).join('');
	return `${stem || fallback}${ext}`;
}

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Evidence bytes under DATA_DIR/evidence, one file per id, written whole before they are recorded. */
/** An uploaded file, as the route read it. */
export interface EvidenceUpload {
	name: string;
	bytes: Uint8Array;
}

/** An upload that passed the checks: its safe name, its type by content, its size and hash. */
export interface CheckedUpload {
	name: string;
	mime: string;
	size: number;
	sha256: string;
	bytes: Uint8Array;
}

/**
 * Checks each upload (at most `maxEvidenceFiles`, none empty or above `maxEvidenceBytes`, each the
 * type its name says by its content), throwing `reject(why)` at the first that fails: all or nothing.
 */
export function checkUploads(uploads: readonly EvidenceUpload[], reject: (why: string) => Error): CheckedUpload[] {
	if (uploads.length > maxEvidenceFiles) throw reject(`At most ${maxEvidenceFiles} files at once.`);
	return uploads.map((u) => {
		const name = safeFileName(u.name);
		if (u.bytes.byteLength === 0) throw reject(`${name}: the file is empty.`);
		if (u.bytes.byteLength > maxEvidenceBytes) throw reject(`${name}: larger than ${maxEvidenceBytes / 1024 / 1024} MB.`);
		const type = evidenceType(name, u.bytes);
		if (type === null) throw reject(`${name}: not a PDF, OFD, Word, Excel, PNG or JPEG file (or its content does not match its name).`);
		return { name, mime: type.mime, size: u.bytes.byteLength, sha256: sha256(u.bytes), bytes: u.bytes };
	});
}

export class EvidenceFiles {
	constructor(private readonly dir: string) {}

	private file(id: string): string {
		if (!/^[A-Za-z0-9_-]+$/u.test(id)) throw new Error(`bad evidence id ${id}`);
		return path.join(this.dir, id);
	}

	async save(id: string, bytes: Uint8Array): Promise<void> {
		await fs.mkdir(this.dir, { recursive: true });
		const tmp = `${this.file(id)}.tmp`;
		const handle = await fs.open(tmp, 'w');
		try {
			await handle.writeFile(bytes);
			await handle.sync();
		} finally {
			await handle.close();
		}
		await fs.rename(tmp, this.file(id));
	}

	async read(id: string): Promise<Buffer> {
		try {
			return await fs.readFile(this.file(id));
		} catch (err) {
			// Recorded in the database but not here: with several instances, they do not share DATA_DIR.
			if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
				throw new Error(`evidence file ${id} is recorded but not in ${this.dir}: every instance of one database must use the same DATA_DIR (a shared directory)`, { cause: err });
			}
			throw err;
		}
	}

	async remove(id: string): Promise<void> {
		await fs.rm(this.file(id), { force: true });
	}

	/**
	 * Writes the files, then runs `record` (the database rows that point at them); when either fails,
	 * the files written are removed again, so no file is left that nothing records.
	 */
	async saveThen(files: readonly { id: string; bytes: Uint8Array }[], record: () => Promise<void>): Promise<void> {
		const saved: string[] = [];
		try {
			for (const f of files) {
				await this.save(f.id, f.bytes);
				saved.push(f.id);
			}
			await record();
		} catch (err) {
			await Promise.all(saved.map((id) => this.remove(id)));
			throw err;
		}
	}
}
