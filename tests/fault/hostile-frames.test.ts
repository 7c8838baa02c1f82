import fc from 'fast-check';
import * as encoding from 'lib0/encoding';
import type WebSocket from 'ws';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Session, api, createUser, login } from '../helpers/api.js';
import { type SyncClient, connectClient, rawSocket, waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, putMember } from '../helpers/conference.js';
import { faultSeed, scaled } from '../helpers/fault.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';
import { storedUpdateBytes } from '../helpers/stored.js';

/**
 * Guarantee: bad input hurts no one. Property-based frames — random bytes, well-framed messages with
 * mangled Yjs payloads, valid updates from someone who may only read, updates that wait forever for
 * content that never comes — against a live server: it never crashes, /healthz always answers, the
 * document the attacker may not change never changes, and every document still loads.
 */
let server: TestServer;
let admin: Session;
let writer: Session;
let reader: Session;
let victim: string;
let scratch: string;
let watch: SyncClient;
const baseline = '会议纪要：原有内容不得被改动';

beforeAll(async () => {
	server = await TestServer.start({
		env: { CONCORD_MAX_FRAME_BYTES: String(256 * 1024), CONCORD_MAX_MESSAGES_PER_SECOND: '100000', CONCORD_MESSAGE_BURST: '100000', CONCORD_COMPACT_AFTER_UPDATES: '1000000' }
	});
	admin = await login(server.url, adminUsername, adminPassword);
	const conferenceId = await createConference(server.url, admin, '恶意帧会议');
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	for (const u of ['hf-writer', 'hf-reader']) await createUser(server.url, admin, { username: u, password: `${u}-password`, displayName: u, unit: '' });
	writer = await login(server.url, 'hf-writer', 'hf-writer-password');
	reader = await login(server.url, 'hf-reader', 'hf-reader-password');
	await putMember(server.url, admin, conferenceId, writer.userId, { role: 'participant', breakoutIds: [breakoutId] });
	await putMember(server.url, admin, conferenceId, reader.userId, { role: 'observer', breakoutIds: [breakoutId] });
	victim = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '受保护文档', breakoutId } })).body.id;
	scratch = (await api(server.url, 'POST', '/api/documents', { cookie: writer.cookie, body: { title: '草稿', breakoutId } })).body.id;
	const seed = connectClient(server.wsUrl, victim, admin.cookie);
	await waitFor(() => seed.provider.synced, 'synced');
	seed.text.insert(0, baseline);
	watch = connectClient(server.wsUrl, victim, admin.cookie);
	await waitFor(() => watch.provider.synced && watch.text.toString() === baseline, 'the baseline is stored');
	seed.destroy();
});
afterAll(async () => {
	watch?.destroy();
	await server.stop();
	server.removeData();
});

/** Opens a socket as `s`, sends `frames`, and waits until the server closes it or a moment passes. */
async function attack(s: Session, docId: string, frames: Uint8Array[]): Promise<void> {
	const res = await rawSocket(server.wsUrl, docId, { cookie: s.cookie });
	if (!('ws' in res)) throw new Error(`refused: ${res.status}`);
	const ws: WebSocket = res.ws;
	const closed = new Promise<void>((r) => ws.once('close', () => r()));
	for (const f of frames) if (ws.readyState === ws.OPEN) ws.send(f);
	await Promise.race([closed, new Promise((r) => setTimeout(r, 30))]);
	ws.terminate();
}

async function healthy(): Promise<boolean> {
	const t0 = Date.now();
	const res = await fetch(`${server.url}/healthz`);
	return res.status === 200 && Date.now() - t0 < 1000;
}

const frame = (type: number, write: (e: encoding.Encoder) => void) => {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, type);
	write(e);
	return encoding.toUint8Array(e);
};
const syncFrame = (step: number, payload: Uint8Array) => frame(0, (e) => (encoding.writeVarUint(e, step), encoding.writeVarUint8Array(e, payload)));

/** A real update (Chinese text, formatting, a map entry), to mangle. */
function realUpdate(text: string): Uint8Array {
	const d = new Y.Doc();
	d.getText('t').insert(0, text, { bold: true });
	d.getMap('m').set('k', { nested: [1, '二', null] });
	const p = new Y.XmlElement('paragraph');
	p.setAttribute('blockId', 'abcdef1234');
	d.getXmlFragment('default').push([p]);
	return Y.encodeStateAsUpdate(d);
}

const mangled = fc
	.tuple(fc.string({ minLength: 1, maxLength: 40 }), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }))
	.map(([text, flips]) => {
		const u = realUpdate(text);
		for (const [at, value] of flips) u[at % u.length] = value;
		return u;
	});

const hostileFrame = fc.oneof(
	fc.uint8Array({ minLength: 0, maxLength: 512 }),
	mangled.map((u) => syncFrame(2, u)),
	mangled.map((u) => syncFrame(0, u)),
	fc.tuple(fc.integer({ min: 0, max: 9 }), fc.uint8Array({ maxLength: 256 })).map(([step, p]) => syncFrame(step, p)),
	fc.uint8Array({ maxLength: 256 }).map((p) => frame(1, (e) => encoding.writeVarUint8Array(e, p))),
	fc.jsonValue().map((v) =>
		frame(1, (e) => {
			const inner = encoding.createEncoder();
			encoding.writeVarUint(inner, 1);
			encoding.writeVarUint(inner, 123456);
			encoding.writeVarUint(inner, 7);
			encoding.writeVarString(inner, JSON.stringify(v));
			encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
		})
	),
	fc.constantFrom(frame(3, () => undefined), frame(2, (e) => (encoding.writeVarUint(e, 0), encoding.writeVarString(e, 'x'))), new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0x0f]))
);

test(`${scaled(150)} runs of hostile frames from a writer of another document and from a reader of this one: the server stays up, this document never changes, both still load`, async () => {
	console.log(`hostile frames seed ${faultSeed}`);
	await fc.assert(
		fc.asyncProperty(fc.boolean(), fc.array(hostileFrame, { minLength: 1, maxLength: 5 }), async (asReader, frames) => {
			await attack(asReader ? reader : writer, asReader ? victim : scratch, frames);
			expect(await healthy()).toBe(true);
			expect(watch.text.toString()).toBe(baseline);
		}),
		{ numRuns: scaled(150), seed: faultSeed }
	);
	// Whatever was stored, both documents still load.
	for (const docId of [victim, scratch]) {
		const fresh = connectClient(server.wsUrl, docId, admin.cookie);
		try {
			await waitFor(() => fresh.provider.synced, `${docId} loads`, 20_000);
			if (docId === victim) expect(fresh.text.toString()).toBe(baseline);
		} finally {
			fresh.destroy();
		}
	}
});

test('valid updates from someone who may only read change nothing, however they are framed', async () => {
	const d = new Y.Doc();
	Y.applyUpdate(d, Y.encodeStateAsUpdate(watch.doc));
	d.getText('t').delete(0, 4);
	d.getText('t').insert(0, '篡改');
	const update = Y.encodeStateAsUpdate(d, Y.encodeStateVector(watch.doc));
	await attack(reader, victim, [syncFrame(2, update), syncFrame(2, update), syncFrame(0, Y.encodeStateVector(d))]);
	await new Promise((r) => setTimeout(r, 200));
	expect(watch.text.toString()).toBe(baseline);
});

test('updates that wait for content that never comes are held for their sender within its budget, never stored; past it that connection is closed; the server stays up and the document loads', async () => {
	const gapped = (i: number) => {
		const d = new Y.Doc();
		d.clientID = 900_000 + i;
		d.getText('t').insert(0, '缺'.repeat(1000));
		// Everything after the client's first 10 characters: those never arrive.
		return Y.diffUpdate(Y.encodeStateAsUpdate(d), encodeSv(new Map([[d.clientID, 10]])));
	};
	// What the server wrote for the document, read beside it.
	const logged = () => storedUpdateBytes(server, scratch);
	const loggedBefore = await logged();
	const res = await rawSocket(server.wsUrl, scratch, { cookie: writer.cookie });
	if (!('ws' in res)) throw new Error('refused');
	let code = 0;
	res.ws.once('close', (c: number) => (code = c));
	// Without a budget the server would hold all 60 MB (and merge them again with every one).
	let sent = 0;
	for (let i = 0; i < 20_000 && code === 0; i++) {
		const u = gapped(i);
		res.ws.send(syncFrame(2, u));
		sent += u.byteLength;
		if (i % 20 === 0) await new Promise((r) => setTimeout(r, 2));
	}
	await waitFor(() => code !== 0, 'the connection is closed');
	expect(code).toBe(4400);
	// The server held at most its budget (1 MiB, charged to this connection) and stored none of it.
	expect(sent).toBeGreaterThan(1024 * 1024);
	expect((await logged()) - loggedBefore).toBe(0);
	expect(await healthy()).toBe(true);
	const fresh = connectClient(server.wsUrl, scratch, writer.cookie);
	try {
		await waitFor(() => fresh.provider.synced, 'the document loads', 20_000);
		expect(fresh.text.toString()).not.toContain('缺');
	} finally {
		fresh.destroy();
	}
});

function encodeSv(sv: Map<number, number>): Uint8Array {
	const e = encoding.createEncoder();
	encoding.writeVarUint(e, sv.size);
	for (const [client, clock] of sv) {
		encoding.writeVarUint(e, client);
		encoding.writeVarUint(e, clock);
	}
	return encoding.toUint8Array(e);
}
