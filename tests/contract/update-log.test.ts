import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { eachBackend } from '../helpers/backends.js';

/** Yjs updates typed into a text, one per insertion, as an editor would produce them. */
function typedUpdates(text: string): { updates: Uint8Array[]; doc: Y.Doc } {
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (const ch of text) doc.getText('t').insert(doc.getText('t').length, ch);
	return { updates, doc };
}

function textOf(state: { snapshot: Uint8Array | null; updates: Uint8Array[] }): string {
	const doc = new Y.Doc();
	if (state.snapshot) Y.applyUpdate(doc, state.snapshot);
	for (const u of state.updates) Y.applyUpdate(doc, u);
	return doc.getText('t').toString();
}

eachBackend((b) => {
	test('a group of updates for several documents is appended in order and loads back', async () => {
		const a = typedUpdates('交通组𠮷');
		const water = typedUpdates('水利组');
		const batch = [...a.updates.map((data) => ({ docId: 'doc-a', data })), ...water.updates.map((data) => ({ docId: 'doc-b', data }))];
		const seqs = await b.storage.updates.append(batch);
		// Each document numbers its own updates 1, 2, 3 …
		expect(seqs).toEqual([...a.updates.map((_, i) => i + 1), ...water.updates.map((_, i) => i + 1)]);

		const loadedA = await b.storage.updates.load('doc-a');
		expect(loadedA.snapshot).toBeNull();
		expect(textOf(loadedA)).toBe('交通组𠮷');
		expect(loadedA.lastSeq).toBe(a.updates.length);
		expect(textOf(await b.storage.updates.load('doc-b'))).toBe('水利组');
		expect(await b.storage.updates.load('nothing')).toEqual({ snapshot: null, updates: [], lastSeq: 0, claims: [] });
	});

	test('client ids claimed with an update are stored in its transaction, once, and load back with the document', async () => {
		const { updates } = typedUpdates('整改');
		const claim = { clientId: 4_000_000_001, userId: 'user-1' };
		await b.storage.updates.append([{ docId: 'd', data: updates[0], claims: [claim] }, { docId: 'e', data: updates[1] }]);
		// A second claim of the same id (a retry) changes nothing: the first owner stays.
		await b.storage.updates.append([{ docId: 'd', data: updates[1], claims: [{ clientId: claim.clientId, userId: 'user-2' }] }]);
		expect((await b.storage.updates.load('d')).claims).toEqual([claim]);
		expect((await b.storage.updates.load('e')).claims).toEqual([]);
	});

	test('compaction replaces the covered updates with a snapshot and keeps later ones', async () => {
		const { updates, doc } = typedUpdates('整改方案');
		const seqs = await b.storage.updates.append(updates.map((data) => ({ docId: 'd', data })));
		const snapshot = Y.encodeStateAsUpdate(doc);

		const more = new Y.Doc();
		Y.applyUpdate(more, snapshot);
		const late: Uint8Array[] = [];
		more.on('update', (u: Uint8Array) => late.push(u));
		more.getText('t').insert(4, '（初稿）');
		const lateSeqs = await b.storage.updates.append(late.map((data) => ({ docId: 'd', data })));
		expect(lateSeqs[0]).toBe(seqs[seqs.length - 1] + 1);

		await b.storage.updates.compact('d', snapshot, seqs[seqs.length - 1]);
		const loaded = await b.storage.updates.load('d');
		expect(loaded.snapshot).not.toBeNull();
		expect(loaded.updates).toHaveLength(late.length);
		expect(loaded.lastSeq).toBe(lateSeqs[lateSeqs.length - 1]);
		expect(textOf(loaded)).toBe('整改方案（初稿）');
		// Catching up: after the snapshot's number, the later updates; before it, the whole document is needed.
		expect((await b.storage.updates.since('d', seqs[seqs.length - 1]))?.map((u) => u.seq)).toEqual(lateSeqs);
		expect(await b.storage.updates.since('d', 1)).toBeNull();
		expect(await b.storage.updates.since('d', lateSeqs[lateSeqs.length - 1])).toEqual([]);
		expect(await b.storage.updates.since('unknown', 0)).toEqual([]);

		// A compaction that covers less than the stored snapshot (another instance's, later) keeps the stored one.
		await b.storage.updates.compact('d', Y.encodeStateAsUpdate(new Y.Doc()), 2);
		expect(textOf(await b.storage.updates.load('d'))).toBe('整改方案（初稿）');
		// Numbers go on after a compaction.
		expect(await b.storage.updates.append([{ docId: 'd', data: late[0] }])).toEqual([lateSeqs[lateSeqs.length - 1] + 1]);
	});

	test('two instances appending to the same documents at once: each document numbers its updates without a gap or a repeat', async () => {
		const other = await b.another();
		const { updates } = typedUpdates('两个实例同时写入同一文档的更新');
		const docs = ['d1', 'd2'];
		// Forty group commits from each store at once, each with updates of both documents in opposite orders.
		const commits = (store: typeof other, reversed: boolean) =>
			Array.from({ length: 40 }, (_, i) => {
				const order = reversed ? [...docs].reverse() : docs;
				return store.updates.append(order.flatMap((docId) => [{ docId, data: updates[i % updates.length] }, { docId, data: updates[(i + 1) % updates.length] }]));
			});
		await Promise.all([...commits(b.storage, false), ...commits(other, true)]);
		for (const docId of docs) {
			const stored = await b.storage.updates.since(docId, 0);
			expect(stored!.map((u) => u.seq)).toEqual(Array.from({ length: 160 }, (_, i) => i + 1));
			expect((await other.updates.load(docId)).lastSeq).toBe(160);
		}
	});

	test('committed updates survive closing and reopening the database', async () => {
		const { updates } = typedUpdates('会议纪要');
		await b.storage.updates.append(updates.map((data) => ({ docId: 'd', data })));
		const reopened = await b.reopen();
		expect(textOf(await reopened.updates.load('d'))).toBe('会议纪要');
	});

	test('a lease is held by one holder at a time until it runs out or is given up', async () => {
		const other = await b.another();
		expect(await b.storage.leases.take('minutes:c1', 'a', 1000, 2000)).toBe(true);
		// Another process asking meanwhile is refused; the holder renews.
		expect(await other.leases.take('minutes:c1', 'b', 1500, 2500)).toBe(false);
		expect(await b.storage.leases.take('minutes:c1', 'a', 1500, 3000)).toBe(true);
		expect(await other.leases.take('minutes:c2', 'b', 1500, 2500)).toBe(true);
		// Giving up someone else's lease does nothing; the holder's own frees it.
		await other.leases.release('minutes:c1', 'b');
		expect(await other.leases.take('minutes:c1', 'b', 2000, 3000)).toBe(false);
		await b.storage.leases.release('minutes:c1', 'a');
		expect(await other.leases.take('minutes:c1', 'b', 2000, 3000)).toBe(true);
		// A holder that died frees it when it runs out.
		expect(await b.storage.leases.take('minutes:c1', 'a', 2999, 4000)).toBe(false);
		expect(await b.storage.leases.take('minutes:c1', 'a', 3000, 4000)).toBe(true);
		// Two asking at the same moment: one gets it.
		const both = await Promise.all([b.storage.leases.take('x', 'a', 0, 10), other.leases.take('x', 'b', 0, 10)]);
		expect(both.filter(Boolean)).toHaveLength(1);
	});

	test('users are found case-insensitively and usernames are unique', async () => {
		const user = {
			id: 'u1',
			username: 'LiHua',
			displayName: '李华',
			unit: '甲省交通运输厅',
			color: '#1d4ed8',
			passwordHash: 'x',
			isAdmin: false,
			createdAt: 1,
			guestConferenceId: null,
			phone: '',
			email: ''
		};
		await b.storage.users.create(user);
		expect((await b.storage.users.findByUsername('lihua'))?.id).toBe('u1');
		expect(await b.storage.users.count()).toBe(1);
		await expect(b.storage.users.create({ ...user, id: 'u2', username: 'lihua' })).rejects.toThrow();
	});
});
