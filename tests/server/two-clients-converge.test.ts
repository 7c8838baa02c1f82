import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { type Fixture, startWithUsers } from '../helpers/fixture.js';

let f: Fixture;

beforeAll(async () => {
	f = await startWithUsers();
});

afterAll(async () => {
	await f.server.stop();
	f.server.removeData();
});

test('two y-websocket clients converge on the same text, rare characters included', async () => {
	const docId = await createDocument(f.server.url, f.alice, '交通组根因分析');
	const a = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	const b = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	try {
		await waitFor(() => a.provider.synced && b.provider.synced, 'both synced');
		a.text.insert(0, '征地拆迁滞后𠮷');
		b.text.insert(0, '架桥机不足；');
		await waitFor(() => a.text.toString() === b.text.toString() && a.text.length === 14, 'convergence');
		expect(a.text.toString()).toContain('征地拆迁滞后𠮷');
		expect(b.text.toString()).toContain('架桥机不足；');
	} finally {
		a.destroy();
		b.destroy();
	}
});
