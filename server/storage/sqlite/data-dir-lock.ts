import fs from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { z } from 'zod';
import { StartupError } from '../../startup.js';

/** Who holds the data directory, for the refusal a second process prints. */
const holderSchema = z.object({ pid: z.number().int(), startedAt: z.number() });

/** Beijing time, as the operator reads it: 2025-07-18 09:30:05. */
const beijingTime = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');

export interface DataDirLock {
	/** Releases the lock and removes the holder file (a clean stop). */
	release(): void;
}

function describeHolder(holderFile: string): string {
	try {
		const holder = holderSchema.parse(JSON.parse(fs.readFileSync(holderFile, 'utf8')) as unknown);
		return `pid ${holder.pid}, started ${beijingTime(holder.startedAt)} Beijing time`;
	} catch {
		return 'pid unknown';
	}
}

/**
 * Makes this process the only Concord on `dir`: two processes on one data directory would each compact
 * away the other's updates. The lock is SQLite's own, an exclusive lock on `concord.lock` held for the
 * life of the process; the operating system drops it when the process dies, SIGKILL included, so a
 * crash never blocks the next start. It is a database of its own so that `concord.db` stays readable
 * beside the server (backups, inspection). `concord.pid` records the holder for the message only: it
 * decides nothing.
 */
export function lockDataDir(dir: string, now = Date.now()): DataDirLock {
	const lockFile = path.join(dir, 'concord.lock');
	const holderFile = path.join(dir, 'concord.pid');
	let db: BetterSqlite3.Database;
	try {
		db = new BetterSqlite3(lockFile, { timeout: 0 });
	} catch (err) {
		throw new StartupError(`DATA_DIR ${dir} is not writable (cannot create ${path.basename(lockFile)}: ${(err as Error).message})`);
	}
	try {
		db.pragma('locking_mode = EXCLUSIVE');
		// No journal file beside the lock: the lock database never holds data.
		db.pragma('journal_mode = MEMORY');
		// In EXCLUSIVE mode the lock taken by the first write is kept until the connection closes.
		db.exec('BEGIN EXCLUSIVE; COMMIT');
	} catch (err) {
		db.close();
		if ((err as { code?: string }).code === 'SQLITE_BUSY') {
			throw new StartupError(`DATA_DIR ${dir} is in use by another Concord process (${describeHolder(holderFile)}); stop it first, or give this one its own DATA_DIR`);
		}
		throw new StartupError(`DATA_DIR ${dir}: cannot lock ${path.basename(lockFile)} (${(err as Error).message})`);
	}
	try {
		const tmp = `${holderFile}.tmp`;
		fs.writeFileSync(tmp, JSON.stringify({ pid: process.pid, startedAt: now }));
		fs.renameSync(tmp, holderFile);
	} catch (err) {
		db.close();
		throw new StartupError(`DATA_DIR ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
	}
	return {
		release() {
			fs.rmSync(holderFile, { force: true });
			db.close();
		}
	};
}
