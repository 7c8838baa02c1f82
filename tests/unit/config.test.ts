import path from 'node:path';
import { expect, test } from 'vitest';
import { ConfigError, describeStorage, loadConfig } from '../../server/config.js';

test('defaults: port 3000 on 127.0.0.1, SQLite in ./data, the local origins', () => {
	const c = loadConfig({});
	expect(c.port).toBe(3000);
	expect(c.host).toBe('127.0.0.1');
	expect(c.databaseFile).toBe(path.resolve('data', 'concord.db'));
	expect(c.publicOrigins).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000']);
	expect(c.secureCookies).toBe(false);
	expect(c.admin).toBeNull();
	expect(c.limits.maxFrameBytes).toBe(4 * 1024 * 1024);
	expect(c.sqliteSync).toBe('normal');
});

test('an https public origin makes cookies Secure', () => {
	const c = loadConfig({ CONCORD_PUBLIC_ORIGIN: 'https://concord.example.gov.cn/' });
	expect(c.publicOrigins).toEqual(['https://concord.example.gov.cn']);
	expect(c.secureCookies).toBe(true);
});

test('reports every problem at once', () => {
	try {
		loadConfig({ PORT: 'abc', CONCORD_ADMIN_USERNAME: 'admin' });
		expect.unreachable();
	} catch (err) {
		expect(err).toBeInstanceOf(ConfigError);
		expect((err as ConfigError).problems.join('\n')).toContain('PORT');
	}
	try {
		loadConfig({ CONCORD_ADMIN_USERNAME: 'admin', CONCORD_PUBLIC_ORIGIN: 'ftp://x' });
		expect.unreachable();
	} catch (err) {
		const problems = (err as ConfigError).problems.join('\n');
		expect(problems).toContain('CONCORD_ADMIN_PASSWORD');
		expect(problems).toContain('CONCORD_PUBLIC_ORIGIN');
	}
});

test('refuses a short admin password and database or relay settings it cannot use', () => {
	expect(() => loadConfig({ CONCORD_ADMIN_USERNAME: 'admin', CONCORD_ADMIN_PASSWORD: 'short' })).toThrow(/at least 8/);
	// PostgreSQL needs a host and a database; other databases are not supported.
	for (const url of ['postgres://x', 'mysql://db/concord', 'not a url']) expect(() => loadConfig({ DATABASE_URL: url }), url).toThrow(/DATABASE_URL/);
	// Redis relays between instances of one PostgreSQL database: without DATABASE_URL, or not a Redis URL, it is refused.
	expect(() => loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' })).toThrow(/REDIS_URL: several instances share one PostgreSQL database/);
	for (const url of ['http://redis', 'redis://', 'nonsense']) expect(() => loadConfig({ DATABASE_URL: 'postgres://db/concord', REDIS_URL: url }), url).toThrow(/REDIS_URL: expected redis:\/\//);
	const config = loadConfig({ DATABASE_URL: 'postgres://u:pw@db/concord', REDIS_URL: 'redis://:secret@cache.intranet:6380/0' });
	expect(config.redisUrl).toBe('redis://:secret@cache.intranet:6380/0');
	expect(describeStorage(config)).toBe('PostgreSQL at db/concord, files in ' + config.dataDir + ', relay on Redis at cache.intranet:6380');
});

test('DATABASE_URL chooses PostgreSQL; the start-up line names its host and database, never its password', () => {
	const config = loadConfig({ DATABASE_URL: 'postgresql://concord:s3cret@db.intranet:5433/concord' });
	expect(config.databaseUrl).toBe('postgresql://concord:s3cret@db.intranet:5433/concord');
	expect(describeStorage(config)).toBe(`PostgreSQL at db.intranet:5433/concord, files in ${config.dataDir}`);
	expect(describeStorage(config)).not.toContain('s3cret');
	expect(loadConfig({}).databaseUrl).toBeNull();
	expect(describeStorage(loadConfig({}))).toMatch(/^data in /);
});

test('a value the schema refuses does not hide the other checks: every problem is in the one error', () => {
	try {
		loadConfig({ PORT: 'abc', CONCORD_ADMIN_USERNAME: 'admin', DATABASE_URL: 'mysql://x', CONCORD_PUBLIC_ORIGIN: 'ftp://x' });
		expect.unreachable();
	} catch (err) {
		const problems = (err as ConfigError).problems.join('\n');
		for (const name of ['PORT', 'CONCORD_ADMIN_USERNAME', 'DATABASE_URL', 'CONCORD_PUBLIC_ORIGIN']) expect(problems).toContain(name);
	}
});
