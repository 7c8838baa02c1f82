import * as Y from 'yjs';
import { afterAll, expect, test } from 'vitest';
import { type Session, api, login } from '../helpers/api.js';
import { type SyncClient, connectClient, waitFor, xmlElements } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { faultSeed, pause, scaled, seeded } from '../helpers/fault.js';
import { approve, breakoutWithPlan, unitMember } from '../helpers/ledger.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

/**
 * Guarantee (DESIGN.md §4): nothing acknowledged is lost. Three editors type while the server is
 * SIGKILLed at random moments and restarted, again and again, with compaction running every 20
 * updates; after every restart, before any editor reconnects, a fresh reader must hold every update
 * any editor ever received from the server. At the end all converge and the store equals the editors.
 */
const rand = seeded(faultSeed);
let server: TestServer | null = null;
afterAll(async () => {
	await server?.stop();
	server?.removeData();
});

interface Editor {
	name: string;
	client: SyncClient;
	received: Uint8Array[];
	live: Set<string>;
	deleted: Set<string>;
	n: number;
}

function editor(name: string, wsUrl: string, docId: string, cookie: string): Editor {
	const client = connectClient(wsUrl, docId, cookie);
	const e: Editor = { name, client, received: [], live: new Set(), deleted: new Set(), n: 0 };
	client.doc.on('update', (update: Uint8Array, origin: unknown) => {
		if (origin === client.provider) e.received.push(update);
	});
	return e;
}

/** One keystroke's worth: a new token at a token boundary (so tokens stay whole), or one of one's own removed. */
function type(e: Editor) {
	const text = e.client.text;
	const s = text.toString();
	if (e.live.size > 3 && rand() < 0.2) {
		const token = [...e.live][Math.floor(rand() * e.live.size)];
		const at = s.indexOf(token);
		if (at >= 0) {
			text.delete(at, token.length);
			e.live.delete(token);
			e.deleted.add(token);
		}
		return;
	}
	const bounds = [0, ...[...s.matchAll(/〕/gu)].map((m) => (m.index ?? 0) + 1)];
	const token = `〔${e.name}${e.n++}·整改〕`;
	text.insert(bounds[Math.floor(rand() * bounds.length)], token);
	e.live.add(token);
}

/** True when `reader` holds every update in `updates` (inserts and deletes alike). */
function holdsAll(reader: Y.Doc, updates: Uint8Array[]): boolean {
	if (updates.length === 0) return true;
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(reader));
	const before = { sv: Y.encodeStateVector(copy).toString(), text: copy.getText('t').toString() };
	Y.applyUpdate(copy, Y.mergeUpdates(updates));
	return Y.encodeStateVector(copy).toString() === before.sv && copy.getText('t').toString() === before.text;
}

async function readerOf(wsUrl: string, docId: string, cookie: string): Promise<SyncClient> {
	const reader = connectClient(wsUrl, docId, cookie);
	await waitFor(() => reader.provider.synced, 'a fresh reader synced', 20_000);
	return reader;
}

test(`crash loop: ${scaled(50)} SIGKILLs while three editors type (compaction every 20 updates); every update any editor received survives each one`, async () => {
	console.log(`crash loop seed ${faultSeed} (CONCORD_FAULT_SEED to replay)`);
	server = await TestServer.start({ env: { CONCORD_COMPACT_AFTER_UPDATES: '20' } });
	const admin = await login(server.url, adminUsername, adminPassword);
	const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '崩溃循环' } })).body.id as string;
	const editors = ['甲', '乙', '丙'].map((n) => editor(n, server!.wsUrl, docId, admin.cookie));
	await waitFor(() => editors.every((e) => e.client.provider.synced), 'editors synced');
	let typing = true;
	const typists = editors.map(async (e) => {
		while (typing) {
			type(e);
			await pause(5 + rand() * 30);
		}
	});
	const kills = scaled(50);
	for (let i = 0; i < kills; i++) {
		await pause(80 + rand() * 400);
		await server.kill();
		// The editors keep typing offline; they come back only after the check.
		for (const e of editors) e.client.provider.disconnect();
		server = await server.restart();
		const reader = await readerOf(server.wsUrl, docId, admin.cookie);
		try {
			for (const e of editors) expect(holdsAll(reader.doc, e.received), `kill ${i + 1}: an update ${e.name} had received is gone`).toBe(true);
		} finally {
			reader.destroy();
		}
		for (const e of editors) e.client.provider.connect();
	}
	typing = false;
	await Promise.all(typists);

	// Everyone converges, and the store holds exactly what they hold.
	await waitFor(() => editors.every((e) => e.client.provider.synced), 'editors synced after the last restart', 30_000);
	const textOf = (e: Editor) => e.client.text.toString();
	await waitFor(() => editors.every((e) => textOf(e) === textOf(editors[0])), 'editors converge', 30_000);
	await waitFor(async () => {
		const reader = await readerOf(server!.wsUrl, docId, admin.cookie);
		const same = reader.text.toString() === textOf(editors[0]) && Y.encodeStateVector(reader.doc).toString() === Y.encodeStateVector(editors[0].client.doc).toString();
		reader.destroy();
		return same;
	}, 'the store equals the editors', 30_000);
	const final = textOf(editors[0]);
	for (const e of editors) {
		for (const token of e.live) expect(final.split(token).length - 1, `${token} once`).toBe(1);
		for (const token of e.deleted) expect(final.includes(token), `${token} stays deleted`).toBe(false);
	}
	expect(editors.reduce((n, e) => n + e.n, 0)).toBeGreaterThan(kills * 5);
	for (const e of editors) e.client.destroy();
});

test(`kills during bursts of promotions (${scaled(10)} rounds): every approval the server answered is in the minutes exactly once, with its source mark`, async () => {
	server ??= await TestServer.start();
	let admin = await login(server.url, adminUsername, adminPassword);
	const conferenceId = await createConference(server.url, admin, '崩溃与纪要');
	const author = await unitMember(server.url, admin, conferenceId, `fault-author-${Date.now()}`, '陈志远', '甲省交通运输厅', 'participant');
	const rounds = scaled(10);
	const perRound = 3;
	const plan = await breakoutWithPlan(
		server.url,
		server.wsUrl,
		admin,
		conferenceId,
		author,
		Array.from({ length: rounds * perRound }, (_, i) => ({ text: `措施${i + 1}：逐项销号`, responsibleUnit: '甲省江州市人民政府', deadline: '2025-12-31' }))
	);
	const answered = new Set<string>();
	for (let round = 0; round < rounds; round++) {
		const blocks = plan.measureIds.slice(round * perRound, (round + 1) * perRound);
		const session: Session = admin;
		const burst = blocks.map(async (b) => {
			try {
				const [id] = await approve(server!.url, session, session, plan.planId, [b]);
				answered.add(id);
			} catch {
				// Cut off by the kill: no answer, no promise made.
			}
		});
		// Mostly in the middle of the burst; the last round lets it finish, so some answers are always checked.
		if (round === rounds - 1) await Promise.all(burst);
		else await pause(rand() * 300);
		await server.kill();
		await Promise.all(burst);
		server = await server.restart();
		admin = await login(server.url, adminUsername, adminPassword);
		// The restart completes what an approval began (reconcile): each approved proposal has one item and its mark.
		await waitFor(
			async () => {
				const proposals = (await api(server!.url, 'GET', `/api/conferences/${conferenceId}/proposals`, { cookie: admin.cookie })).body.proposals as { id: string; status: string }[];
				const approved = proposals.filter((p) => p.status === 'approved').map((p) => p.id);
				for (const id of answered) if (!approved.includes(id)) throw new Error(`an approval the server answered is gone: ${id}`);
				const minutes = await readerOf(server!.wsUrl, `minutes_${conferenceId}`, admin.cookie).catch(() => null);
				const source = await readerOf(server!.wsUrl, plan.planId, admin.cookie);
				try {
					const items = minutes ? xmlElements(minutes.doc.getXmlFragment('default'), 'minutesItem').map((el) => String(el.getAttribute('proposal'))) : [];
					expect(items.length, 'no item twice').toBe(new Set(items).size);
					const marked = xmlElements(source.doc.getXmlFragment('default'), 'measure').filter((m) => m.getAttribute('promoted')).length;
					return approved.every((id) => items.includes(id)) && items.length === approved.length && marked === approved.length;
				} finally {
					minutes?.destroy();
					source.destroy();
				}
			},
			`round ${round + 1}: the minutes hold every approved proposal once`,
			20_000
		);
	}
	expect(answered.size).toBeGreaterThan(0);
});
