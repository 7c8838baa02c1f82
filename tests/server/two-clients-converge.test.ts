import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDocument, createUser, login, type Session } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

let server: TestServer;
let alice: Session;
let bob: Session;

beforeAll(async () => {
	server = await TestServer.start();
	const admin = await login(server.url, adminUsername, adminPassword);
	await createUser(server.url, admin, { username: 'alice', password: 'alice-pass-1', displayName: '李华', unit: '甲省交通运输厅' });
	await createUser(server.url, admin, { username: 'bob', password: 'bob-pass-12', displayName: '王强', unit: '中衡路桥工程集团' });
	alice = await login(server.url, 'alice', 'alice-pass-1');
	bob = await login(server.url, 'bob', 'bob-pass-12');
});

afterAll(async () => {
	await server.stop();
	server.removeData();
});

test('two y-websocket clients converge on the same text, rare characters included', async () => {
	const docId = await createDocument(server.url, alice, '交通组根因分析');
	const a = connectClient(server.wsUrl, docId, alice.cookie);
	const b = connectClient(server.wsUrl, docId, bob.cookie);
	try {
		await waitFor(() => a.provider.synced && b.provider.synced, 'both synced');
		a.text.insert(0, '征地拆迁滞后𠮷');
		b.text.insert(0, '架桥机不足;');
		await waitFor(() => a.text.toString() === b.text.toString() && a.text.length === 14 + 0, 'convergence');
		expect(a.text.toString()).toContain('𠮷');
		expect(a.text.toString()).toContain('征地拆迁滞后');
		expect(b.text.toString()).toContain('架桥机不足');
	} finally {
		a.destroy();
		b.destroy();
	}
});
