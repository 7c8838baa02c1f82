import { type Kysely, PostgresAdapter } from 'kysely';

/** Whether `db` is PostgreSQL (several writers side by side) rather than SQLite (one writer). */
export const onPostgres = (db: Kysely<any>) => db.getExecutor().adapter instanceof PostgresAdapter;
