import { createDatabase, startCluster } from '../../scripts/lib/postgres-cluster.mjs';

/**
 * A PostgreSQL server of the test's own (see scripts/lib/postgres-cluster.mjs, shared with the
 * benchmark): a new cluster on an ephemeral port of 127.0.0.1 that the test can stop, pause and kill.
 */
export type TestPostgres = Awaited<ReturnType<typeof startCluster>>;
export const TestPostgres = { start: () => startCluster() };
export { createDatabase };

declare module 'vitest' {
	export interface ProvidedContext {
		/** The PostgreSQL projects' cluster (its `postgres` database); unset elsewhere. */
		postgresAdminUrl: string;
	}
}
