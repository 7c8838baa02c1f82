import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, expect, test } from 'vitest';
import * as Y from 'yjs';
import { type Session, api, login } from '../helpers/api.js';
import { connectClient, rawSocket, waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { probeSync } from '../helpers/probe.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

let server: TestServer;
let admin: Session;
let conferenceX: string;
let breakoutX: string;
let docX: string;
let docY: string;
const users = {} as Record<'editor' | 'observer' | 'outsider' | 'changing', Session & { id: string }>;

beforeAll(async () => {
	server = await TestServer.start();
	admin = await login(server.url, adminUsername, adminPassword);
	conferenceX = await createConference(server.url, admin, '甲会议');
	const conferenceY = await createConference(server.url, admin, '乙会议');
	breakoutX = await createBreakout(server.url, admin, conferenceX, '交通组');
	const breakoutY = await createBreakout(server.url, admin, conferenceY, '市政组');
	for (const name of ['editor', 'observer', 'outsider', 'changing'] as const) {
		const s = await newMember(server.url, admin, `u-${name}`, `${name}`);
		users[name] = { ...s, id: (await api(server.url, 'GET', '/api/me', { cookie: s.cookie })).body.id };
	}
	await putMember(server.url, admin, conferenceX, users.editor.id, { role: 'participant', breakoutIds: [breakoutX] });
	await putMember(server.url, admin, conferenceX, users.observer.id, { role: 'observer', breakoutIds: [breakoutX] });
	await putMember(server.url, admin, conferenceX, users.changing.id, { role: 'participant', breakoutIds: [breakoutX] });
	await putMember(server.url, admin, conferenceY, users.outsider.id, { role: 'participant', breakoutIds: [breakoutY] });
	docX = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '甲-交通组', breakoutId: breakoutX } })).body.id;
	docY = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '乙-市政组', breakoutId: breakoutY } })).body.id;
});

afterAll(async () => {
	await server.stop();
	server.removeData();
});

function syncFrame(step: 1 | 2, update: Uint8Array): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, 0);
	encoding.writeVarUint(e, step);
	encoding.writeVarUint8Array(e, update);
	return encoding.toUint8Array(e);
}

test('an observer sending update and sync step 2 is refused; the document is unchanged for everyone, after a restart too', async () => {
	const editor = connectClient(server.wsUrl, docX, users.editor.cookie);
	await waitFor(() => editor.provider.synced, 'editor synced');
	editor.text.insert(0, '原文');
	const res = await rawSocket(server.wsUrl, docX, { cookie: users.observer.cookie });
	if (!('ws' in res)) throw new Error('observer refused');
	const denied: number[] = [];
	res.ws.on('message', (d: Buffer) => {
		if (d[0] === 2) denied.push(d[0]);
	});
	const hostile = new Y.Doc();
	hostile.getText('t').insert(0, '观察员篡改');
	res.ws.send(syncFrame(2, Y.encodeStateAsUpdate(hostile)));
	res.ws.send(syncFrame(1, Y.encodeStateAsUpdate(hostile)));
	await waitFor(() => denied.length === 2, 'two permission-denied answers');
	res.ws.terminate();
	expect(editor.text.toString()).toBe('原文');
	editor.destroy();

	await server.stop();
	server = await server.restart();
	const reader = connectClient(server.wsUrl, docX, users.editor.cookie);
	try {
		await waitFor(() => reader.provider.synced, 'reader synced after restart');
		expect(reader.text.toString()).toBe('原文');
	} finally {
		reader.destroy();
	}
});

test('a member of conference Y gets 404 for everything of conference X', async () => {
	const s = users.outsider;
	expect(await probeSync(server.wsUrl, docX, s.cookie)).toBe('none');
	expect((await rawSocket(server.wsUrl, docX, { cookie: s.cookie })) as unknown).toEqual({ status: 404 });
	expect((await api(server.url, 'GET', `/api/documents/${docX}`, { cookie: s.cookie })).status).toBe(404);
	expect((await api(server.url, 'GET', `/api/conferences/${conferenceX}`, { cookie: s.cookie })).status).toBe(404);
	expect((await api(server.url, 'GET', `/api/conferences/${conferenceX}/members`, { cookie: s.cookie })).status).toBe(404);
	const create = await api(server.url, 'POST', '/api/documents', { cookie: s.cookie, body: { title: 'x', breakoutId: breakoutX } });
	expect(create.status).toBe(404);
	const list = await api(server.url, 'GET', '/api/documents', { cookie: s.cookie });
	expect(list.body.documents.map((d: { id: string }) => d.id)).toEqual([docY]);
	// And the other way round works for its own conference.
	expect(await probeSync(server.wsUrl, docY, s.cookie)).toBe('write');
});

test('downgraded to observer: the open connection turns read-only in place and its presence becomes a watcher count', async () => {
	await putMember(server.url, admin, conferenceX, users.changing.id, { role: 'participant', breakoutIds: [breakoutX] });
	const mover = connectClient(server.wsUrl, docX, users.changing.cookie);
	const editor = connectClient(server.wsUrl, docX, users.editor.cookie);
	try {
		await waitFor(() => mover.provider.synced && editor.provider.synced, 'synced');
		mover.provider.awareness.setLocalStateField('cursor', null);
		await waitFor(() => editor.provider.awareness.getStates().has(mover.doc.clientID), 'editor sees the mover');

		await putMember(server.url, admin, conferenceX, users.changing.id, { role: 'observer', breakoutIds: [breakoutX] });
		await waitFor(() => !editor.provider.awareness.getStates().has(mover.doc.clientID), 'presence withdrawn', 2000);
		const watching = () => [...editor.provider.awareness.getStates().values()].find((s) => typeof s.watching === 'number')?.watching;
		await waitFor(() => watching() === 1, '"1 watching"', 2000);

		const before = editor.text.toString();
		mover.text.insert(0, '降级后写入');
		await new Promise((r) => setTimeout(r, 300));
		expect(editor.text.toString()).toBe(before);
		expect(mover.provider.wsconnected).toBe(true);
	} finally {
		mover.destroy();
		editor.destroy();
	}
});

test("a removed member's open socket closes with 4403 within 2 seconds", async () => {
	await putMember(server.url, admin, conferenceX, users.changing.id, { role: 'participant', breakoutIds: [breakoutX] });
	const client = connectClient(server.wsUrl, docX, users.changing.cookie);
	const codes: number[] = [];
	client.provider.on('connection-close', (e: CloseEvent | null) => {
		if (e) codes.push(e.code);
	});
	try {
		await waitFor(() => client.provider.synced, 'synced');
		const res = await api(server.url, 'DELETE', `/api/conferences/${conferenceX}/members/${users.changing.id}`, { cookie: admin.cookie });
		expect(res.status).toBe(204);
		await waitFor(() => codes.length > 0, 'socket closed', 2000);
		expect(codes[0]).toBe(4403);
		expect(await probeSync(server.wsUrl, docX, users.changing.cookie)).toBe('none');
	} finally {
		client.destroy();
	}
});

test('a conference keeps its last organizer', async () => {
	const members = (await api(server.url, 'GET', `/api/conferences/${conferenceX}/members`, { cookie: admin.cookie })).body.members;
	const organizer = members.find((m: { role: string }) => m.role === 'organizer');
	const res = await api(server.url, 'DELETE', `/api/conferences/${conferenceX}/members/${organizer.userId}`, { cookie: admin.cookie });
	expect(res.status).toBe(409);
	expect(res.body.error.code).toBe('last_organizer');
});
