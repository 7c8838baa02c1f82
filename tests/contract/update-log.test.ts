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
		const ids = await b.storage.updates.append(batch);
		expect(ids).toHaveLength(batch.length);
		expect([...ids].sort((x, y) => x - y)).toEqual(ids);

		const loadedA = await b.storage.updates.load('doc-a');
		expect(loadedA.snapshot).toBeNull();
		expect(textOf(loadedA)).toBe('交通组𠮷');
		expect(loadedA.lastId).toBe(ids[a.updates.length - 1]);
		expect(textOf(await b.storage.updates.load('doc-b'))).toBe('水利组');
		expect(await b.storage.updates.load('nothing')).toEqual({ snapshot: null, updates: [], lastId: 0, claims: [] });
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
		const ids = await b.storage.updates.append(updates.map((data) => ({ docId: 'd', data })));
		const snapshot = Y.encodeStateAsUpdate(doc);

		const more = new Y.Doc();
		Y.applyUpdate(more, snapshot);
		const late: Uint8Array[] = [];
		more.on('update', (u: Uint8Array) => late.push(u));
		more.getText('t').insert(4, '（初稿）');
		const lateIds = await b.storage.updates.append(late.map((data) => ({ docId: 'd', data })));

		await b.storage.updates.compact('d', snapshot, ids[ids.length - 1]);
		const loaded = await b.storage.updates.load('d');
		expect(loaded.snapshot).not.toBeNull();
		expect(loaded.updates).toHaveLength(late.length);
		expect(loaded.lastId).toBe(lateIds[lateIds.length - 1]);
		expect(textOf(loaded)).toBe('整改方案（初稿）');
	});

	test('committed updates survive closing and reopening the database', async () => {
		const { updates } = typedUpdates('会议纪要');
		await b.storage.updates.append(updates.map((data) => ({ docId: 'd', data })));
		const reopened = await b.reopen();
		expect(textOf(await reopened.updates.load('d'))).toBe('会议纪要');
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
