import { Worker } from 'node:worker_threads';
import type { TableLimits } from './xlsx-table.js';
import { type ZipBounds, ZipBombError, ZipFormatError, checkZipBounds, zipEntries } from './zip-archive.js';

export interface XlsxTableReaderOptions {
	/** dist/xlsx-worker.js (server/domain/xlsx-worker.ts under tsx). */
	workerUrl: URL;
	limits: TableLimits;
	/** What the archive may declare; more is refused before anything is inflated. */
	bounds: ZipBounds;
	/** A reading still running after this long is stopped. */
	timeoutMs: number;
	/** The worker's heap; a workbook that needs more is refused. */
	maxHeapMb: number;
	/** Workers at once; further uploads wait their turn. */
	concurrency: number;
}

/** Why a workbook was refused: not readable, declaring too much, or too much to read within the bounds. */
export class XlsxRefusal extends Error {
	constructor(readonly problem: 'unreadable' | 'unpacked_too_large' | 'too_complex', detail: string) {
		super(detail);
	}
}

/**
 * Reads the first sheet of uploaded workbooks off the event loop. The zip's central directory is
 * checked first (entry count, declared sizes, compression ratio), so a zip bomb is refused at once;
 * the reading itself runs in a worker thread with a heap limit and a deadline.
 */
export class XlsxTableReader {
	private running = 0;
	private readonly queue: (() => void)[] = [];

	constructor(private readonly opts: XlsxTableReaderOptions) {}

	/** The sheet's rows; throws XlsxRefusal. */
	async read(bytes: Uint8Array): Promise<string[][]> {
		try {
			checkZipBounds(zipEntries(bytes), this.opts.bounds);
		} catch (err) {
			if (err instanceof ZipBombError) throw new XlsxRefusal('unpacked_too_large', err.message);
			if (err instanceof ZipFormatError) throw new XlsxRefusal('unreadable', err.message);
			throw err;
		}
		if (this.running >= this.opts.concurrency) await new Promise<void>((resolve) => this.queue.push(resolve));
		this.running++;
		try {
			return await this.inWorker(bytes);
		} finally {
			this.running--;
			this.queue.shift()?.();
		}
	}

	private inWorker(bytes: Uint8Array): Promise<string[][]> {
		const worker = new Worker(this.opts.workerUrl, {
			workerData: { bytes, limits: this.opts.limits },
			resourceLimits: { maxOldGenerationSizeMb: this.opts.maxHeapMb, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 }
		});
		return new Promise<string[][]>((resolve, reject) => {
			const timer = setTimeout(() => {
				void worker.terminate();
				reject(new XlsxRefusal('too_complex', `not read within ${this.opts.timeoutMs} ms`));
			}, this.opts.timeoutMs);
			const settle = (fn: () => void) => {
				clearTimeout(timer);
				fn();
			};
			worker.once('message', (m: { rows?: string[][]; unreadable?: string }) =>
				settle(() => (m.rows !== undefined ? resolve(m.rows) : reject(new XlsxRefusal('unreadable', m.unreadable ?? 'unreadable'))))
			);
			worker.once('error', (err: NodeJS.ErrnoException) =>
				settle(() => reject(err.code === 'ERR_WORKER_OUT_OF_MEMORY' ? new XlsxRefusal('too_complex', `needs more than ${this.opts.maxHeapMb} MB`) : err))
			);
			worker.once('exit', () => settle(() => reject(new XlsxRefusal('too_complex', 'the reading stopped'))));
		});
	}
}
