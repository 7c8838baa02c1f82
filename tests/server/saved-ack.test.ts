import * as decoding from 'lib0/decoding';
import { expect, test } from 'vitest';
import { api, createDocument } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';

const f = useUsers();

test('a client that asks with ?ack=1 is told how many of its changes are committed', async () => {
	const docId = await createDocument(f.server.url, f.alice, '保存确认');
	const client = connectClient(f.server.wsUrl, docId, f.alice.cookie, { ack: '1' });
	const acks: number[] = [];
	client.provider.messageHandlers[8] = (_enc, dec) => {
		acks.push(decoding.readVarUint(dec));
	};
	try {
		await waitFor(() => client.provider.synced, 'sync');
		for (let i = 0; i < 5; i++) client.text.insert(client.text.length, `第${i + 1}条`);
		// One sync step 2 (empty catch-up at connect) and five updates: six change-carrying messages.
		await waitFor(() => acks.at(-1) === 6, 'all six acknowledged');
		expect([...acks].sort((a, b) => a - b)).toEqual(acks);

		// A later reader gets exactly what was acknowledged.
		const reader = connectClient(f.server.wsUrl, docId, f.bob.cookie);
		await waitFor(() => reader.provider.synced, 'reader synced');
		expect(reader.text.toString()).toBe('第1条第2条第3条第4条第5条');
		reader.destroy();

		// The document list shows when it last changed.
		const meta = async () => (await api(f.server.url, 'GET', `/api/documents/${docId}`, { cookie: f.alice.cookie })).body;
		await waitFor(async () => {
			const m = await meta();
			return m.updatedAt > m.createdAt;
		}, 'updatedAt moves after edits', 15_000);
	} finally {
		client.destroy();
	}
});

test('a stock client that does not ask never receives the acknowledgement message', async () => {
	const docId = await createDocument(f.server.url, f.alice, '无确认');
	const client = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	let foreign = 0;
	client.provider.messageHandlers[8] = () => {
		foreign++;
	};
	const other = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	try {
		await waitFor(() => client.provider.synced && other.provider.synced, 'sync');
		client.text.insert(0, '内容');
		await waitFor(() => other.text.toString() === '内容', 'relayed');
		expect(foreign).toBe(0);
	} finally {
		client.destroy();
		other.destroy();
	}
});
