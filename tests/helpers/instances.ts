import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { type Session, createUser, login } from './api.js';
import { aliceAccount, bobAccount } from './fixture.js';
import { createDatabase } from './postgres.js';
import { TestRedis } from './redis.js';
import { TestServer, adminPassword, adminUsername } from './server.js';

/** Several Concord processes on one PostgreSQL database and one Redis, sharing a data directory (evidence files). */
export interface Instances {
	servers: TestServer[];
	redis: TestRedis;
	databaseUrl: string;
	admin: Session;
	alice: Session;
	bob: Session;
	/** Stops every instance and Redis and removes the shared directory. */
	stop(): Promise<void>;
}

/** Starts `count` instances (one after the other: the first creates the administrator). */
export async function startInstances(count: number, env: Record<string, string> = {}): Promise<Instances> {
	const redis = await TestRedis.start();
	const databaseUrl = await createDatabase(inject('postgresAdminUrl'));
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-instances-'));
	const servers: TestServer[] = [];
	for (let i = 0; i < count; i++) servers.push(await TestServer.start({ dataDir, env: { DATABASE_URL: databaseUrl, REDIS_URL: redis.url, ...env } }));
	const admin = await login(servers[0].url, adminUsername, adminPassword);
	await createUser(servers[0].url, admin, aliceAccount);
	await createUser(servers[0].url, admin, bobAccount);
	return {
		servers,
		redis,
		databaseUrl,
		admin,
		alice: await login(servers[0].url, aliceAccount.username, aliceAccount.password),
		bob: await login(servers[0].url, bobAccount.username, bobAccount.password),
		async stop() {
			await Promise.all(servers.map((s) => s.stop()));
			await redis.remove();
			fs.rmSync(dataDir, { recursive: true, force: true });
		}
	};
}
