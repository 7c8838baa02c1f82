import type { TestProject } from 'vitest/node';
import { TestPostgres } from './postgres.js';

/** Global set-up of the server-on-PostgreSQL project: one cluster for its files, each server a database of its own. */
export default async function setup(project: TestProject) {
	const cluster = await TestPostgres.start();
	project.provide('postgresAdminUrl', cluster.url());
	return () => cluster.stop();
}
