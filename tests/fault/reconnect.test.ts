import * as Y from 'yjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { backoffDelay } from '../../src/lib/collab/reconnect.js';
import { type Session, api, login } from '../helpers/api.js';
import { type SyncClient, connectClient, waitFor } from '../helpers/clients.js';
import { faultSeed, pause, scaled, seeded } from '../helpers/fault.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

const rand = seeded(faultSeed + 1);
let server: TestServer;
let admin: Session;
beforeAll(async () => {
	// One account drives the storm's clients: its socket cap is lifted (the caps have their own test).
	server = await TestServer.start({ env: { CONCORD_MAX_SOCKETS_PER_USER: '100000' } });
	admin = await login(server.url, adminUsername, adminPassword);
});
afterAll(async () => {
	await server.stop();
	server.removeData();
});
const newDoc = async (title: string) => (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title } })).body.id as string;

test('drain: SIGTERM while two editors type flushes everything; they see "going away", reconnect to the restarted server by themselves and lose nothing', async () => {
	const docId = await newDoc('排空');
	const editors = [connectClient(server.wsUrl, docId, admin.cookie), connectClient(server.wsUrl, docId, admin.cookie)];
	await waitFor(() => editors.every((e) => e.provider.synced), 'synced');
	const codes: number[] = [];
	editors[0].provider.on('connection-close', (event: CloseEvent | null) => event && codes.push(event.code));
	const typed: string[] = [];
	let typing = true;
	const typists = editors.map(async (e, i) => {
		for (let n = 0; typing; n++) {
			const token = `〔${i}-${n}〕`;
			e.text.insert(e.text.length, token);
			typed.push(token);
			await pause(3 + rand() * 10);
		}
	});
	await pause(300);
	expect(await server.stop()).toBe(0);
	await waitFor(() => codes.length > 0, 'the close');
	expect(codes[0]).toBe(1001);
	await pause(200);
	server = await server.restart();
	await pause(200);
	typing = false;
	await Promise.all(typists);
	await waitFor(() => editors.every((e) => e.provider.synced), 'reconnected by themselves', 20_000);
	await waitFor(() => editors[0].text.toString() === editors[1].text.toString(), 'converged', 20_000);
	const reader = connectClient(server.wsUrl, docId, admin.cookie);
	try {
		await waitFor(() => reader.provider.synced && reader.text.toString() === editors[0].text.toString(), 'stored', 20_000);
		for (const t of typed) expect(reader.text.toString().split(t).length - 1, t).toBe(1);
	} finally {
		for (const c of [...editors, reader]) c.destroy();
	}
});

test(`drain under load: ${scaled(3)} times, SIGTERM while 200 editors type in pairs in 100 documents; every editor is told "going away" (1001), none sees its connection just drop (1006)`, async () => {
	for (let round = 0; round < scaled(3); round++) {
		const docs = await Promise.all(Array.from({ length: 100 }, (_, i) => newDoc(`排空负载${round}-${i}`)));
		const editors = Array.from({ length: 200 }, (_, i) => connectClient(server.wsUrl, docs[i % docs.length], admin.cookie));
		await waitFor(() => editors.every((e) => e.provider.synced), 'synced', 60_000);
		// The first close each editor sees; later ones are its reconnection attempts to the stopped server.
		const codes = new Map<number, number>();
		editors.forEach((e, i) => e.provider.on('connection-close', (event: CloseEvent | null) => event && !codes.has(i) && codes.set(i, event.code)));
		let typing = true;
		const typists = editors.map(async (e, i) => {
			for (let n = 0; typing && !codes.has(i); n++) {
				e.text.insert(e.text.length, `〔${i}-${n}〕${'整改措施'.repeat(6)}`);
				await pause(15 + rand() * 30);
			}
		});
		try {
			await pause(500);
			expect(await server.stop()).toBe(0);
			await waitFor(() => codes.size === editors.length, 'every editor saw its socket close', 20_000);
			const byCode = new Map<number, number>();
			for (const c of codes.values()) byCode.set(c, (byCode.get(c) ?? 0) + 1);
			expect(Object.fromEntries(byCode), `round ${round}`).toEqual({ 1001: editors.length });
		} finally {
			typing = false;
			await Promise.all(typists);
			for (const e of editors) e.destroy();
			server = await server.restart();
		}
	}
});

const paragraphs = (c: SyncClient) => c.doc.getXmlFragment('default');
const textOf = (c: SyncClient) =>
	paragraphs(c)
		.toArray()
		.map((p) => ((p as Y.XmlElement).toArray()[0] as Y.XmlText | undefined)?.toString() ?? '')
		.join('\n');
const orders = [
	[0, 1, 2],
	[0, 2, 1],
	[1, 0, 2],
	[1, 2, 0],
	[2, 0, 1],
	[2, 1, 0]
];

test.each(orders)('offline merge: three editors change the same paragraphs offline and come back in the order %i, %i, %i: they converge, nothing lost, nothing twice', async (...order) => {
	const docId = await newDoc('离线合并');
	const clients = [0, 1, 2].map(() => connectClient(server.wsUrl, docId, admin.cookie));
	await waitFor(() => clients.every((c) => c.provider.synced), 'synced');
	clients[0].doc.transact(() => {
		for (const line of ['一、总体情况：征地拆迁滞后4.5个月', '二、原因：补偿标准不一致', '三、措施：成立市级征拆专班']) {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(line)]);
			paragraphs(clients[0]).push([p]);
		}
	});
	await waitFor(() => clients.every((c) => textOf(c) === textOf(clients[0])), 'the first version everywhere');
	for (const c of clients) c.provider.disconnect();

	// Offline: every editor writes into the same two paragraphs, two of them delete the same words, one adds a paragraph.
	const inserts = ['〔甲：交地确认书11份〕', '〔乙：𠀾姓户主诉求已登记〕', '〔丙：K38互通变更〕'];
	clients.forEach((c, i) => {
		const para = (n: number) => (paragraphs(c).get(n) as Y.XmlElement).toArray()[0] as Y.XmlText;
		para(0).insert(para(0).length, inserts[i]);
		para(2).insert(5, `${inserts[i]}`.replace('〔', '【').replace('〕', '】'));
		if (i < 2) para(1).delete(5, 4); // both delete 补偿标准
		if (i === 2) {
			const extra = new Y.XmlElement('paragraph');
			extra.insert(0, [new Y.XmlText('四、下一步：月度调度')]);
			paragraphs(c).push([extra]);
		}
	});
	for (const i of order) {
		clients[i].provider.connect();
		await waitFor(() => clients[i].provider.synced, `client ${i} back`);
		await pause(50);
	}
	await waitFor(() => clients.every((c) => textOf(c) === textOf(clients[0])), 'converged', 20_000);
	const final = textOf(clients[0]);
	for (const s of inserts) {
		expect(final.split(s).length - 1, s).toBe(1);
		expect(final.split(s.replace('〔', '【').replace('〕', '】')).length - 1).toBe(1);
	}
	expect(final).toContain('二、原因：不一致');
	expect(final.split('四、下一步：月度调度').length - 1).toBe(1);
	expect(paragraphs(clients[0]).length).toBe(4);
	const reader = connectClient(server.wsUrl, docId, admin.cookie);
	try {
		await waitFor(() => reader.provider.synced && textOf(reader) === final, 'the store has the merge');
	} finally {
		for (const c of [...clients, reader]) c.destroy();
	}
});

test(`reconnect storm: ${scaled(300)} clients reconnect at once after a restart; /healthz keeps answering within a second and every client syncs`, async () => {
	const docs = await Promise.all([0, 1, 2].map((i) => newDoc(`风暴${i}`)));
	const count = scaled(300);
	const clients = Array.from({ length: count }, (_, i) => connectClient(server.wsUrl, docs[i % docs.length], admin.cookie));
	await waitFor(() => clients.every((c) => c.provider.synced), 'all connected', 60_000);
	await server.stop();
	for (const c of clients) c.provider.disconnect();
	server = await server.restart();
	let probing = true;
	const latencies: number[] = [];
	const probe = (async () => {
		while (probing) {
			const t0 = performance.now();
			const res = await fetch(`${server.url}/healthz`);
			latencies.push(performance.now() - t0);
			expect(res.status).toBe(200);
			await pause(50);
		}
	})();
	for (const c of clients) c.provider.connect();
	try {
		await waitFor(() => clients.every((c) => c.provider.synced), 'every client synced again', 120_000);
	} finally {
		probing = false;
		await probe;
		for (const c of clients) c.destroy();
	}
	expect(latencies.length).toBeGreaterThan(0);
	expect(Math.max(...latencies)).toBeLessThan(1000);
});

test('the browser client spreads its reconnects: 300 backoff delays for one attempt differ and cover the upper half of the window', () => {
	for (const attempt of [0, 3, 8]) {
		const delays = Array.from({ length: 300 }, () => backoffDelay(attempt));
		const cap = Math.min(15_000, 500 * 2 ** attempt);
		expect(new Set(delays).size).toBeGreaterThan(290);
		expect(Math.min(...delays)).toBeGreaterThanOrEqual(cap / 2);
		expect(Math.max(...delays)).toBeLessThanOrEqual(cap);
		expect(Math.max(...delays) - Math.min(...delays)).toBeGreaterThan(cap * 0.4);
	}
});
