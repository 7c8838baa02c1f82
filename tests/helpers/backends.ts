import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe } from 'vitest';
import { openPostgresStorage } from '../../server/storage/postgres/open-postgres.js';
import { openSqliteStorage } from '../../server/storage/sqlite/open-sqlite.js';
import type { Storage } from '../../server/storage/types.js';
import { TestPostgres } from './postgres.js';

/** The store under test, fresh for each test, and a way to open the same data again (a restart). */
export interface Backend {
	readonly name: 'SQLite' | 'PostgreSQL';
	storage: Storage;
	/** Closes the store and opens the same database again. */
	reopen(): Promise<Storage>;
	/** A second store on the same database, as another instance would open it (closed after the test). */
	another(): Promise<Storage>;
}

/**
 * Runs `suite` once per storage backend: SQLite in a temporary directory and PostgreSQL on a
 * cluster of the file's own (a new database per test). The same tests, the same expectations: a
 * promise one backend keeps and the other does not is a failure.
 */
export function eachBackend(suite: (b: Backend) => void): void {
	for (const name of ['SQLite', 'PostgreSQL'] as const) {
		describe(name, () => {
			let postgres: TestPostgres | null = null;
			let cleanup: () => Promise<void> = async () => undefined;
			const others: Storage[] = [];
			const backend = { name } as Backend & { storage: Storage };
			if (name === 'PostgreSQL') {
				beforeAll(async () => {
					postgres = await TestPostgres.start();
				});
				afterAll(async () => {
					await postgres?.stop();
				});
			}
			beforeEach(async () => {
				if (name === 'SQLite') {
					const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-store-'));
					const file = path.join(dir, 'concord.db');
					backend.storage = await openSqliteStorage(file);
					backend.reopen = async () => {
						await backend.storage.close();
						return (backend.storage = await openSqliteStorage(file));
					};
					backend.another = async () => others[others.push(await openSqliteStorage(file)) - 1];
					cleanup = () => fs.rm(dir, { recursive: true, force: true });
				} else {
					const url = await postgres!.createDatabase();
					backend.storage = await openPostgresStorage(url);
					backend.reopen = async () => {
						await backend.storage.close();
						return (backend.storage = await openPostgresStorage(url));
					};
					backend.another = async () => others[others.push(await openPostgresStorage(url)) - 1];
					cleanup = async () => undefined;
				}
			});
			afterEach(async () => {
				for (const other of others.splice(0)) await other.close();
				await backend.storage.close();
				await cleanup();
			});
			suite(backend);
		});
	}
}
