import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { api, login } from '../helpers/api.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

test('without admin settings on an empty store, the console says how to create the administrator', async () => {
	const server = await TestServer.start({ env: { CONCORD_ADMIN_USERNAME: '', CONCORD_ADMIN_PASSWORD: '' } });
	try {
		expect(server.output.join('')).toContain('CONCORD_ADMIN_USERNAME=<name> CONCORD_ADMIN_PASSWORD=');
		expect((await api(server.url, 'POST', '/api/auth/login', { body: { username: 'admin', password: 'anything1' } })).status).toBe(401);
	} finally {
		await server.stop();
		server.removeData();
	}
});

test('with admin settings the administrator exists, once, across restarts', async () => {
	const server = await TestServer.start();
	const restarted = await (async () => {
		await server.stop();
		return server.restart({ CONCORD_ADMIN_PASSWORD: 'a-different-password' });
	})();
	try {
		expect(restarted.output.join('')).not.toContain('Created administrator');
		const admin = await login(restarted.url, adminUsername, adminPassword);
		expect((await api(restarted.url, 'GET', '/api/me', { cookie: admin.cookie })).body.isAdmin).toBe(true);
	} finally {
		await restarted.stop();
		restarted.removeData();
	}
});

test('an invalid configuration stops the server at once with every problem named', () => {
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-cfg-'));
	const res = spawnSync(process.execPath, [path.resolve('dist/server.js')], {
		env: { ...process.env, DATA_DIR: dataDir, PORT: 'not-a-port', CONCORD_ADMIN_USERNAME: 'admin' },
		encoding: 'utf8',
		timeout: 20_000
	});
	fs.rmSync(dataDir, { recursive: true, force: true });
	expect(res.status).toBe(2);
	expect(res.stderr).toContain('PORT');
});
