import fs from 'node:fs';
import path from 'node:path';
import { StartupError } from '../startup.js';

const code = (err: unknown) => (err as NodeJS.ErrnoException).code ?? String(err);

/**
 * Makes sure DATA_DIR is a directory this process can write, creating it (and missing parents) if
 * needed. Returns the directories it created, so that a later failure of the start can remove them
 * again. Directories are made one level at a time: `mkdir -p` semantics in Node loop forever on a
 * path such as /proc/nope, where mkdir keeps answering ENOENT.
 */
export function prepareDataDir(dir: string): string[] {
	const missing: string[] = [];
	let existing = dir;
	for (;;) {
		let stat: fs.Stats | null = null;
		try {
			stat = fs.statSync(existing);
		} catch (err) {
			// ENOTDIR: a parent is a file, named below as such.
			if (code(err) !== 'ENOENT' && code(err) !== 'ENOTDIR') throw new StartupError(`DATA_DIR ${dir} cannot be used (${code(err)} at ${existing})`);
		}
		if (stat !== null) {
			if (!stat.isDirectory()) throw new StartupError(existing === dir ? `DATA_DIR ${dir} is not a directory` : `DATA_DIR ${dir} cannot be created: ${existing} is not a directory`);
			break;
		}
		missing.unshift(existing);
		existing = path.dirname(existing);
	}
	try {
		fs.accessSync(existing, fs.constants.W_OK | fs.constants.X_OK);
	} catch (err) {
		throw new StartupError(missing.length === 0 ? `DATA_DIR ${dir} is not writable (${code(err)})` : `DATA_DIR ${dir} cannot be created: ${existing} is not writable (${code(err)})`);
	}
	const created: string[] = [];
	for (const d of missing) {
		try {
			fs.mkdirSync(d);
		} catch (err) {
			removeCreated(created);
			throw new StartupError(`DATA_DIR ${dir} cannot be created (${code(err)} at ${d})`);
		}
		created.push(d);
	}
	return created;
}

/** Removes directories `prepareDataDir` made (deepest first) when the start fails after it. */
export function removeCreated(created: string[]): void {
	for (const d of [...created].reverse()) fs.rmSync(d, { recursive: true, force: true });
}
