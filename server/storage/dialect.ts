import { type Kysely, PostgresAdapter } from 'kysely';

/** Whether `db` is PostgreSQL (several writers side by side) rather than SQLite (one writer). */
export const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;

/**
 * `query` locking the rows it reads until the transaction ends, on PostgreSQL (several writers); on
 * SQLite as it is (one writer at a time, and no FOR UPDATE).
 */
export const lockingOnPostgres = <Q extends { forUpdate(): Q }>(db: Kysely<any>, query: Q): Q => (onPostgres(db) ? query.forUpdate() : query);
