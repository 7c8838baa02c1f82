import { expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { openRaw } from '../helpers/frames.js';
import { aliceAccount, bobAccount, useUsers } from '../helpers/fixture.js';

const f = useUsers();

test('a forged awareness name is overwritten with the identity of the session', async () => {
	const docId = await createDocument(f.server.url, f.alice, '专家组纪要');
	const mallory = connectClient(f.server.wsUrl, docId, f.bob.cookie);
	const observer = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	try {
		await waitFor(() => mallory.provider.synced && observer.provider.synced, 'sync');
		mallory.provider.awareness.setLocalStateField('user', { name: aliceAccount.displayName, unit: '专家组', color: '#000000' });
		const seen = () => observer.provider.awareness.getStates().get(mallory.doc.clientID)?.user as { name?: string; unit?: string } | undefined;
		await waitFor(() => seen() !== undefined, 'observer sees the forger');
		expect(seen()).toMatchObject({ name: bobAccount.displayName, unit: bobAccount.unit });
	} finally {
		mallory.destroy();
		observer.destroy();
	}
});

test('a lone client gets its own awareness answered, and leaving removes its presence for others', async () => {
	const docId = await createDocument(f.server.url, f.alice, '在线状态');
	const a = connectClient(f.server.wsUrl, docId, f.alice.cookie);
	try {
		await waitFor(() => a.provider.synced, 'sync');
		// y-websocket reconnects after 30 s without any message: the server must answer presence.
		const before = a.provider.wsLastMessageReceived;
		await new Promise((r) => setTimeout(r, 5));
		a.provider.awareness.setLocalStateField('cursor', { anchor: 1 });
		await waitFor(() => a.provider.wsLastMessageReceived > before, 'the server answers a lone client');
		const b = connectClient(f.server.wsUrl, docId, f.bob.cookie);
		b.provider.awareness.setLocalStateField('cursor', null);
		await waitFor(() => a.provider.awareness.getStates().has(b.doc.clientID), 'A sees B');
		const bId = b.doc.clientID;
		b.destroy();
		await waitFor(() => !a.provider.awareness.getStates().has(bId), 'B left');
	} finally {
		a.destroy();
	}
});

test('a presence query is always answered, with nobody when nobody is there: browsers use it as a heartbeat', async () => {
	const docId = await createDocument(f.server.url, f.alice, '心跳');
	const ws = await openRaw(f.server.wsUrl, docId, f.alice.cookie);
	try {
		const answers: Uint8Array[] = [];
		ws.on('message', (data: Buffer) => {
			if (data[0] === 1) answers.push(new Uint8Array(data));
		});
		// Nobody has presence in the document: the answer names nobody (an update of 0 states).
		ws.send(Uint8Array.of(3));
		await waitFor(() => answers.length === 1, 'the first answer');
		expect([...answers[0]]).toEqual([1, 1, 0]);
		ws.send(Uint8Array.of(3));
		await waitFor(() => answers.length === 2, 'every query is answered');
	} finally {
		ws.close();
	}
});
