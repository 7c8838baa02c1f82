import path from 'node:path';
import { defineConfig } from 'vitest/config';

/** Fault files that also run with the server on PostgreSQL (project fault-pg): kills mid-commit, hostile frames. */
const postgresFaultTests = ['crash-loop', 'hostile-frames'];

/** Server test files that also run with the server on PostgreSQL (project server-pg). */
const postgresServerTests = [
	'access-live',
	'attendee-import',
	'auth-http',
	'cases',
	'comments',
	'suggestions',
	'conference-view',
	'dashboard',
	'decision-numbers',
	'durability',
	'honor-board',
	'invites',
	'ledger',
	'minutes-repair',
	'promotion',
	'reports',
	'succession',
	'versions',
	'saved-ack'
];

// Kept apart from vite.config.ts so that the SvelteKit plugin stays out of server tests.
export default defineConfig({
	resolve: { alias: { $lib: path.resolve(import.meta.dirname, 'src/lib') } },
	test: {
		projects: [
			{
				extends: true,
				test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 0 } }
			},
			{
				extends: true,
				test: {
					name: 'server',
					include: ['tests/server/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000,
					maxWorkers: 2,
					sequence: { groupOrder: 2 }
				}
			},
			{
				extends: true,
				test: {
					// The stores' contract: the same tests on SQLite and on a PostgreSQL cluster of each file's own.
					name: 'contract',
					include: ['tests/contract/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000,
					maxWorkers: 2,
					sequence: { groupOrder: 1 }
				}
			},
			{
				extends: true,
				test: {
					// The server tests where decisions, races and durability live, again with the server on
					// PostgreSQL (each server a database of its own on one cluster).
					name: 'server-pg',
					include: postgresServerTests.map((t) => `tests/server/${t}.test.ts`),
					globalSetup: ['tests/helpers/postgres-global.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 60_000,
					maxWorkers: 2,
					sequence: { groupOrder: 5 }
				}
			},
			{
				extends: true,
				test: {
					name: 'fault-pg',
					include: postgresFaultTests.map((t) => `tests/fault/${t}.test.ts`),
					// 10 kills and 2 promotion rounds instead of 50 and 10: the same guarantees on the other store.
					env: { CONCORD_FAULT_SCALE: process.env.CONCORD_FAULT_SCALE ?? '0.2' },
					globalSetup: ['tests/helpers/postgres-global.ts'],
					environment: 'node',
					testTimeout: 300_000,
					hookTimeout: 60_000,
					fileParallelism: false,
					sequence: { groupOrder: 6 }
				}
			},
			{
				extends: true,
				test: {
					// Several instances on one PostgreSQL database and one Redis (README "Several instances").
					name: 'cluster',
					include: ['tests/cluster/**/*.test.ts'],
					globalSetup: ['tests/helpers/postgres-global.ts'],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 60_000,
					fileParallelism: false,
					sequence: { groupOrder: 7 }
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					environment: 'node',
					testTimeout: 90_000,
					hookTimeout: 60_000,
					fileParallelism: false,
					sequence: { groupOrder: 3 }
				}
			},
			{
				extends: true,
				test: {
					// Faults on purpose: crash loops, storms, hostile input (README "Fault suite").
					name: 'fault',
					include: ['tests/fault/**/*.test.ts'],
					environment: 'node',
					testTimeout: 300_000,
					hookTimeout: 60_000,
					fileParallelism: false,
					sequence: { groupOrder: 4 }
				}
			}
		]
	}
});
