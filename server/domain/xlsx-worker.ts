import { parentPort, workerData } from 'node:worker_threads';
import { type TableLimits, XlsxUnreadable, readXlsxTable } from './xlsx-table.js';

/**
 * Worker entry (dist/xlsx-worker.js): reads the one workbook handed over in `workerData` and posts
 * `{ rows }` or `{ unreadable }`. It runs off the server's event loop, under the time and memory bounds
 * XlsxTableReader gives it, so that no upload stalls live editing.
 */
const { bytes, limits } = workerData as { bytes: Uint8Array; limits: TableLimits };
readXlsxTable(bytes, limits).then(
	(rows) => parentPort?.postMessage({ rows }),
	(err: unknown) => {
		if (err instanceof XlsxUnreadable) parentPort?.postMessage({ unreadable: err.message });
		else throw err;
	}
);
