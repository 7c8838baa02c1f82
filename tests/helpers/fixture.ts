import { afterAll, beforeAll } from 'vitest';
import { type Session, createUser, login } from './api.js';
import { type ServerOptions, TestServer, adminPassword, adminUsername } from './server.js';

export const aliceAccount = { username: 'alice', password: 'alice-pass-1', displayName: '李华', unit: '甲省交通运输厅' };
export const bobAccount = { username: 'bob', password: 'bob-pass-12', displayName: '王强', unit: '中衡路桥工程集团' };

export interface Fixture {
	server: TestServer;
	admin: Session;
	alice: Session;
	bob: Session;
}

/** A fresh server with an administrator and two signed-in members, alice and bob. */
export async function startWithUsers(opts: ServerOptions = {}): Promise<Fixture> {
	const server = await TestServer.start(opts);
	const admin = await login(server.url, adminUsername, adminPassword);
	await createUser(server.url, admin, aliceAccount);
	await createUser(server.url, admin, bobAccount);
	return {
		server,
		admin,
		alice: await login(server.url, aliceAccount.username, aliceAccount.password),
		bob: await login(server.url, bobAccount.username, bobAccount.password)
	};
}

/**
 * Registers beforeAll/afterAll for a file: a fresh server with alice and bob before its tests, stopped
 * and removed after. The returned object is filled in by the time the tests run.
 */
export function useUsers(opts: ServerOptions = {}): Fixture {
	const f = {} as Fixture;
	beforeAll(async () => {
		Object.assign(f, await startWithUsers(opts));
	});
	afterAll(async () => {
		await f.server?.stop();
		f.server?.removeData();
	});
	return f;
}
