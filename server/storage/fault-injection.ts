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
		async append(batch) {
			refuse();
			return log.append(batch);
		},
		async compact(docId, snapshot, upToId) {
			refuse();
			return log.compact(docId, snapshot, upToId);
		},
		async claim(docId, claims) {
			refuse();
			return log.claim(docId, claims);
		}
	};
}
