import { expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';

const f = useUsers();

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

test('bursts from three clients at once (relayed merged) converge with every character present', async () => {
	const docId = await createDocument(f.server.url, f.alice, '并发输入');
	const clients = [f.alice, f.bob, f.alice].map((s) => connectClient(f.server.wsUrl, docId, s.cookie));
	try {
		await waitFor(() => clients.every((c) => c.provider.synced), 'all synced');
		const expected: string[] = [];
		for (let round = 0; round < 60; round++) {
			clients.forEach((c, i) => {
				const ch = String.fromCodePoint(0x4e00 + round * 3 + i);
				expected.push(ch);
				c.text.insert(0, ch);
			});
		}
		const done = () => clients.every((c) => c.text.length === expected.length);
		await waitFor(done, 'every client has every character');
		const text = clients[0].text.toString();
		expect(clients.map((c) => c.text.toString())).toEqual([text, text, text]);
		expect([...text].sort()).toEqual([...expected].sort());
	} finally {
		for (const c of clients) c.destroy();
	}
});
