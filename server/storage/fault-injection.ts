import fs from 'node:fs';
import type { UpdateLog } from './types.js';

/**
 * Tests only (CONCORD_FAULT_STORAGE_FILE): while `flagFile` exists, the update log refuses every write
 * as a full disk would, so the fault suite can watch what clients and the server do about it, and that
 * they recover once the file is gone, without a restart.
 */
export function faultyUpdateLog(log: UpdateLog, flagFile: string): UpdateLog {
	const refuse = () => {
		if (fs.existsSync(flagFile)) throw Object.assign(new Error('ENOSPC: no space left on device (injected by CONCORD_FAULT_STORAGE_FILE)'), { code: 'ENOSPC' });
	};
	return {
		load: (docId) => log.load(docId),
		since: (docId, afterSeq) => log.since(docId, afterSeq),
		async append(batch) {
			refuse();
			return log.append(batch);
		},
		async compact(docId, snapshot, upToSeq) {
			refuse();
			return log.compact(docId, snapshot, upToSeq);
		},
		async claim(docId, claims) {
			refuse();
			return log.claim(docId, claims);
		}
	};
}
