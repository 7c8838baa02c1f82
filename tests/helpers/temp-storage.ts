import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openSqliteStorage } from '../../server/storage/sqlite/open-sqlite.js';
import type { Storage } from '../../server/storage/types.js';

/** A real SQLite store in a fresh temporary directory; `cleanup` closes it and removes the directory. */
export async function tempStorage(): Promise<{ storage: Storage; file: string; cleanup(): Promise<void> }> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-store-'));
	const file = path.join(dir, 'concord.db');
	const storage = await openSqliteStorage(file);
	return {
		storage,
		file,
		async cleanup() {
			await storage.close();
			fs.rmSync(dir, { recursive: true, force: true });
		}
	};
}
