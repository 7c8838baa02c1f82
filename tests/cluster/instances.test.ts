import { afterAll, afterEach, beforeAll, expect, test } from 'vitest';
import { Redis } from 'ioredis';
import * as Y from 'yjs';
import { openPostgresStorage } from '../../server/storage/postgres/open-postgres.js';
import { api, createDocument } from '../helpers/api.js';
import { type SyncClient, connectClient, rawSocket, syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { editorText, launchBrowser, openDocument, signedInPage } from '../helpers/browser.js';
import { aliceAccount, bobAccount } from '../helpers/fixture.js';
import { closeCodeOf, openRaw, syncFrame } from '../helpers/frames.js';
import { probeSync } from '../helpers/probe.js';
import { type Instances, startInstances } from '../helpers/instances.js';
import { approve, breakoutWithPlan, png, postReport, unitMember } from '../helpers/ledger.js';
import { freePort } from '../../scripts/lib/ports.mjs';
import { TestServer } from '../helpers/server.js';

/**
 * Three Concord processes on one PostgreSQL database and one Redis, each compacting every 20 updates:
 * clients of one document spread over them see each other's edits and presence, and nothing anyone
 * was shown is lost when an instance is killed or paused or Redis goes away.
 */
let c: Instances;
const clients: SyncClient[] = [];

beforeAll(async () => {
	c = await startInstances(3, { CONCORD_COMPACT_AFTER_UPDATES: '20', CONCORD_MAX_SOCKETS_PER_USER: '12' });
});

// Each test's clients go with it (the per-account socket cap is 12 here).
afterEach(() => {
	for (const client of clients.splice(0)) client.destroy();
});

afterAll(async () => {
	await c?.stop();
});

function client(server: TestServer, docId: string, cookie: string): SyncClient {
	const cl = connectClient(server.wsUrl, docId, cookie);
	clients.push(cl);
	return cl;
}

/** Every token once, whatever the order. */
function tokensOf(text: string): string[] {
	return (text.match(/\[[^\]]+\]/gu) ?? []).sort();
}

const health = async (server: TestServer) => (await api(server.url, 'GET', '/healthz')).body as { ok: boolean; degraded?: { code: string } };

test('hundreds of edits typed on three instances at once, each instance compacting the same document: every edit everywhere exactly once, presence crosses', async () => {
	const [s0, s1, s2] = c.servers;
	const docId = await createDocument(s0.url, c.alice, '跨实例共同编辑');
	const writers = [client(s0, docId, c.alice.cookie), client(s1, docId, c.bob.cookie), client(s2, docId, c.alice.cookie)];
	await waitFor(() => writers.every((w) => w.provider.synced), 'all synced');
	writers[0].provider.awareness.setLocalStateField('cursor', { at: 1 });
	// Editors' presence crosses instances (stamped with the account by the instance it came through).
	await waitFor(() => writers[1].provider.awareness.getStates().has(writers[0].doc.clientID), 'presence of s0 seen on s1', 5000);
	expect(writers[1].provider.awareness.getStates().get(writers[0].doc.clientID)?.user?.name).toBe('李华');

	const expected: string[] = [];
	for (let i = 0; i < 300; i++) {
		const w = i % 3;
		const token = `[${w}-${i}中]`;
		expected.push(token);
		const text = writers[w].text;
		// At a token's edge (the start, the end or after the middle token), so that tokens stay whole.
		const edges = [0, text.length, ...[...text.toString().matchAll(/\]/gu)].map((m) => m.index + 1)];
		text.insert(edges[(i * 7) % edges.length], token);
		if (i % 15 === 0) await new Promise((r) => setTimeout(r, 5));
	}
	expected.sort();
	await waitFor(() => writers.every((w) => JSON.stringify(tokensOf(w.text.toString())) === JSON.stringify(expected)), 'every client has every edit once', 30_000);
	expect(new Set(writers.map((w) => w.text.toString())).size).toBe(1);

	// What storage holds (snapshots of three compacting instances and the log after them) is all of it.
	for (const w of writers) w.destroy();
	for (const server of c.servers) {
		const fresh = await syncedClient(server.wsUrl, docId, c.bob.cookie);
		clients.push(fresh);
		expect(tokensOf(fresh.text.toString())).toEqual(expected);
		fresh.destroy();
	}
});

test('an instance SIGKILLed right after a client on another instance received its client\'s edit: the edit is there, on every instance and after its restart', async () => {
	const docId = await createDocument(c.servers[0].url, c.alice, '实例被杀');
	const a = client(c.servers[0], docId, c.alice.cookie);
	const b = client(c.servers[1], docId, c.bob.cookie);
	await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
	a.text.insert(0, '坝基断层破碎带𠮷');
	await waitFor(() => b.text.toString() === '坝基断层破碎带𠮷', 'B on s1 receives A\'s edit from s0');
	await c.servers[0].kill();
	a.destroy();
	const third = await syncedClient(c.servers[2].wsUrl, docId, c.bob.cookie);
	clients.push(third);
	expect(third.text.toString()).toBe('坝基断层破碎带𠮷');
	c.servers[0] = await c.servers[0].restart();
	const again = await syncedClient(c.servers[0].wsUrl, docId, c.alice.cookie);
	clients.push(again);
	expect(again.text.toString()).toBe('坝基断层破碎带𠮷');
	// The restarted instance relays again.
	b.text.insert(0, '重启后');
	await waitFor(() => again.text.toString() === '重启后坝基断层破碎带𠮷', 's0 hears s1 after its restart');
});

test('Redis stopped for 10 s: each instance keeps editing and says degraded; once Redis is back, the instances catch up from PostgreSQL', async () => {
	const [s0, s1] = c.servers;
	const docId = await createDocument(s0.url, c.alice, 'Redis 中断');
	const a = client(s0, docId, c.alice.cookie);
	const b = client(s1, docId, c.bob.cookie);
	await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
	await c.redis.stop();
	const stoppedAt = Date.now();
	await waitFor(async () => (await health(s0)).degraded?.code === 'relay_unavailable', 's0 degraded');
	expect((await health(s0)).ok).toBe(true);
	a.text.insert(0, '甲：中断期间');
	b.text.insert(0, '乙：中断期间');
	// Committed and relayed on its own instance meanwhile.
	const localA = await syncedClient(s0.wsUrl, docId, c.bob.cookie);
	clients.push(localA);
	await waitFor(() => localA.text.toString().includes('甲：中断期间'), 'a client of s0 has A\'s edit');
	expect(b.text.toString()).not.toContain('甲');
	await waitFor(() => Date.now() - stoppedAt >= 10_000, 'ten seconds of outage', 15_000);
	await c.redis.start();
	await waitFor(() => a.text.toString().includes('乙：中断期间') && b.text.toString().includes('甲：中断期间'), 'both sides caught up', 15_000);
	expect(a.text.toString()).toBe(b.text.toString());
	await waitFor(async () => (await health(s0)).degraded === undefined, 's0 healthy again');
	// Live relay again.
	a.text.insert(0, '恢复后');
	await waitFor(() => b.text.toString().startsWith('恢复后'), 'relay works again');
});

test('an instance paused while the others type and compact resumes and converges without losing anything', async () => {
	const [s0, s1] = c.servers;
	const docId = await createDocument(s0.url, c.alice, '实例暂停');
	const a = client(s0, docId, c.alice.cookie);
	const b = client(s1, docId, c.bob.cookie);
	await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
	b.text.insert(0, '暂停前');
	await waitFor(() => a.text.toString() === '暂停前', 'first edit relayed');
	s1.pause();
	try {
		// Enough updates for s0 to compact past what s1 has.
		for (let i = 0; i < 60; i++) a.text.insert(a.text.length, `[a${i}]`);
		const seen = await syncedClient(c.servers[2].wsUrl, docId, c.bob.cookie);
		clients.push(seen);
		await waitFor(() => tokensOf(seen.text.toString()).length === 60, 's2 has s0\'s edits');
		b.text.insert(0, '[b离线]');
	} finally {
		s1.resume();
	}
	const all = [...Array.from({ length: 60 }, (_, i) => `[a${i}]`), '[b离线]'].sort();
	await waitFor(() => JSON.stringify(tokensOf(a.text.toString())) === JSON.stringify(all) && a.text.toString() === b.text.toString(), 'converged after resume', 30_000);
	const fresh = await syncedClient(s1.wsUrl, docId, c.alice.cookie);
	clients.push(fresh);
	expect(fresh.text.toString()).toBe(a.text.toString());
});

test('access changes made on one instance reach open sockets on the others within 2 s: removal closes, sign-out closes, a downgrade turns read-only', async () => {
	const [s0, s1, s2] = c.servers;
	const conferenceId = await createConference(s0.url, c.admin, '跨实例权限');
	const breakout = await createBreakout(s0.url, c.admin, conferenceId, '交通组');
	const docId = (await api(s0.url, 'POST', '/api/documents', { cookie: c.admin.cookie, body: { title: '交通组分析', breakoutId: breakout } })).body.id as string;
	const tag = Math.random().toString(36).slice(2, 7);
	const removed = await newMember(s0.url, c.admin, `rm-${tag}`, '被移除者');
	const signedOut = await newMember(s0.url, c.admin, `so-${tag}`, '退出者');
	const downgraded = await newMember(s0.url, c.admin, `dg-${tag}`, '降级者');
	for (const who of [removed, signedOut, downgraded]) await putMember(s0.url, c.admin, conferenceId, who.userId, { role: 'participant', breakoutIds: [breakout] });

	const watch = (cl: SyncClient) => {
		const codes: number[] = [];
		cl.provider.on('connection-close', (e: CloseEvent | null) => e && codes.push(e.code));
		return codes;
	};
	const onS1 = client(s1, docId, removed.cookie);
	const onS2 = client(s2, docId, signedOut.cookie);
	const down = client(s1, docId, downgraded.cookie);
	const [removedCodes, signedOutCodes] = [watch(onS1), watch(onS2)];
	await waitFor(() => onS1.provider.synced && onS2.provider.synced && down.provider.synced, 'synced');

	expect((await api(s0.url, 'DELETE', `/api/conferences/${conferenceId}/members/${removed.userId}`, { cookie: c.admin.cookie })).status).toBe(204);
	await waitFor(() => removedCodes.length > 0, 'the removed member\'s socket on s1 closed', 2000);
	expect(removedCodes[0]).toBe(4403);

	expect((await api(s0.url, 'POST', '/api/auth/logout', { cookie: signedOut.cookie })).status).toBeLessThan(300);
	await waitFor(() => signedOutCodes.length > 0, 'the signed-out socket on s2 closed', 2000);
	expect(signedOutCodes[0]).toBe(4401);

	// A downgraded editor's presence goes for everyone, on every instance (its socket on s1 turned read-only in place).
	const editor = await syncedClient(s0.wsUrl, docId, c.admin.cookie);
	clients.push(editor);
	down.provider.awareness.setLocalStateField('cursor', { at: 0 });
	await waitFor(() => editor.provider.awareness.getStates().has(down.doc.clientID), 'the editor on s0 sees the one on s1');
	// The conference page's list of who is in which document counts editors of every instance.
	await waitFor(async () => {
		const listed = (await api(s0.url, 'GET', `/api/conferences/${conferenceId}/presence`, { cookie: c.admin.cookie })).body.documents as { documentId: string; editors: { id: string }[] }[];
		return listed.some((d) => d.documentId === docId && d.editors.some((e) => e.id === downgraded.userId));
	}, 'the editor on s1 listed by s0');
	await putMember(s0.url, c.admin, conferenceId, downgraded.userId, { role: 'observer', breakoutIds: [breakout] });
	await waitFor(() => !editor.provider.awareness.getStates().has(down.doc.clientID), 'the downgraded editor\'s presence gone on s0', 2000);
	expect(down.provider.wsconnected).toBe(true);
});

test('a live event on one instance reaches an event stream on another', async () => {
	const [s0, s1] = c.servers;
	const conferenceId = await createConference(s0.url, c.admin, '跨实例事件');
	const controller = new AbortController();
	const res = await fetch(`${s1.url}/api/conferences/${conferenceId}/events`, { headers: { cookie: c.admin.cookie, connection: 'close' }, signal: controller.signal });
	expect(res.status).toBe(200);
	const reader = res.body!.getReader();
	let heard = '';
	const reading = (async () => {
		for (;;) {
			const { value, done } = await reader.read();
			if (done) return;
			heard += new TextDecoder().decode(value);
		}
	})().catch(() => undefined);
	try {
		const asked = await api(s0.url, 'POST', `/api/conferences/${conferenceId}/questions`, { cookie: c.admin.cookie, body: { scope: 'plenary', text: '跨实例提问', private: false } });
		expect(asked.status).toBe(201);
		await waitFor(() => heard.includes('questions'), 'the question event on s1', 5000);
	} finally {
		controller.abort();
		await reading;
	}
});

test('a document written through each instance in turn loads whole on an instance that restarts', async () => {
	const docId = await createDocument(c.servers[0].url, c.alice, '存储一致');
	for (const [i, server] of c.servers.entries()) {
		const w = await syncedClient(server.wsUrl, docId, c.alice.cookie);
		clients.push(w);
		w.text.insert(w.text.length, `[${i}]`);
		const next = await syncedClient(c.servers[(i + 1) % 3].wsUrl, docId, c.bob.cookie);
		clients.push(next);
		await waitFor(() => next.text.toString().includes(`[${i}]`), `the edit through s${i} on the next instance`);
		w.destroy();
		next.destroy();
	}
	await c.servers[2].stop();
	c.servers[2] = await c.servers[2].restart();
	const fresh = await syncedClient(c.servers[2].wsUrl, docId, c.bob.cookie);
	clients.push(fresh);
	expect(tokensOf(fresh.text.toString())).toEqual(['[0]', '[1]', '[2]']);
});

test('the first approvals of a conference on two instances at once, and one approved on both: the minutes have their outline once and each item once', async () => {
	const [s0, s1] = c.servers;
	const conferenceId = await createConference(s0.url, c.admin, '跨实例审定');
	const measures = Array.from({ length: 4 }, (_, i) => ({ text: `跨实例措施${i + 1}`, responsibleUnit: '甲省江州市人民政府', deadline: '2025-09-30' }));
	const plan = await breakoutWithPlan(s0.url, s0.wsUrl, c.admin, conferenceId, c.alice, measures);
	const proposed = await api(s0.url, 'POST', `/api/documents/${plan.planId}/proposals`, { cookie: c.alice.cookie, body: { blockIds: plan.measureIds } });
	const ids = (proposed.body.proposals as { id: string }[]).map((p) => p.id);
	// Nobody has approved anything yet: each instance creates the minutes (with its outline) as it approves.
	const answers = await Promise.all([
		...ids.map((id, i) => api(c.servers[i % 2].url, 'POST', `/api/proposals/${id}/approve`, { cookie: c.admin.cookie })),
		api(s1.url, 'POST', `/api/proposals/${ids[0]}/approve`, { cookie: c.admin.cookie })
	]);
	expect(answers.slice(0, ids.length).map((r) => r.status)).toEqual(ids.map(() => 200));
	const minutes = await syncedClient(c.servers[2].wsUrl, `minutes_${conferenceId}`, c.admin.cookie);
	clients.push(minutes);
	const frag = minutes.doc.getXmlFragment('default');
	await waitFor(() => xmlElements(frag, 'minutesItem').length >= ids.length, 'the items in the minutes');
	const items = xmlElements(frag, 'minutesItem').map((el) => String(el.getAttribute('proposal')));
	expect(items.sort()).toEqual([...ids].sort());
	const headings = xmlElements(frag, 'heading').map((h) => h.toString());
	expect(new Set(headings).size).toBe(headings.length);
	expect(headings.length).toBeGreaterThan(0);
});

test('failed sign-ins count for the cluster: five wrong passwords spread over three instances, and the sixth try is refused on each', async () => {
	const tag = Math.random().toString(36).slice(2, 7);
	await newMember(c.servers[0].url, c.admin, `guess-${tag}`, '被猜者');
	const attempt = (i: number, password: string) => api(c.servers[i % 3].url, 'POST', '/api/auth/login', { body: { username: `guess-${tag}`, password } });
	for (let i = 0; i < 5; i++) expect((await attempt(i, 'wrong-password')).status).toBe(401);
	for (let i = 0; i < 3; i++) {
		const refused = await attempt(i, `guess-${tag}-password`);
		expect(refused.status).toBe(429);
		expect(refused.body.error.code).toBe('too_many_attempts');
	}
});

test('the cap on one account\'s sockets holds for the cluster: twelve spread over three instances, and a thirteenth is refused on any', async () => {
	const tag = Math.random().toString(36).slice(2, 7);
	const many = await newMember(c.servers[0].url, c.admin, `many-${tag}`, '多开者');
	const docId = await createDocument(c.servers[0].url, many, '多个连接');
	const open: { close(): void }[] = [];
	try {
		for (const server of c.servers) {
			for (let i = 0; i < 4; i++) {
				const res = await rawSocket(server.wsUrl, docId, { cookie: many.cookie });
				if (!('ws' in res)) throw new Error(`socket ${open.length + 1} refused: ${res.status}`);
				open.push(res.ws);
			}
		}
		// Each instance learns the others' counts within a second or so.
		for (const server of c.servers) {
			await waitFor(async () => {
				const res = await rawSocket(server.wsUrl, docId, { cookie: many.cookie });
				if ('ws' in res) {
					res.ws.close();
					return false;
				}
				return res.status === 429;
			}, `a thirteenth socket refused on ${server.url}`, 5000);
		}
	} finally {
		for (const ws of open) ws.close();
	}
});

test('two browsers on two instances co-edit one document: each sees the other\'s typing and named caret', async () => {
	const [s0, s1] = c.servers;
	const docId = await createDocument(s0.url, c.alice, '浏览器跨实例');
	const browser = await launchBrowser();
	try {
		const alice = (await signedInPage(browser, s0.url, aliceAccount.username, aliceAccount.password)).page;
		const bob = (await signedInPage(browser, s1.url, bobAccount.username, bobAccount.password)).page;
		await openDocument(alice, s0.url, docId);
		await openDocument(bob, s1.url, docId);
		await alice.click('.ProseMirror');
		await alice.keyboard.type('甲实例：坝基断层');
		await waitFor(async () => (await editorText(bob)) === '甲实例：坝基断层', 'Bob on s1 sees Alice on s0');
		await bob.click('.ProseMirror');
		await bob.keyboard.press('End');
		await bob.keyboard.type('，乙实例补充𠮷');
		await waitFor(async () => (await editorText(alice)) === '甲实例：坝基断层，乙实例补充𠮷', 'Alice on s0 sees Bob on s1');
		await waitFor(async () => (await alice.locator('.collaboration-carets__label').allTextContents()).some((t) => t.includes(bobAccount.displayName)), 'Bob\'s caret on s0');
		await alice.waitForSelector('.status[data-status="saved"]');
		await bob.waitForSelector('.status[data-status="saved"]');
	} finally {
		await browser.close();
	}
});

test('one account in a document on two instances: closing its tab on one leaves its presence from the other in place', async () => {
	const [s0, s1, s2] = c.servers;
	const docId = await createDocument(s0.url, c.alice, '同一账号两处');
	const here = client(s0, docId, c.alice.cookie);
	const there = client(s1, docId, c.alice.cookie);
	const watcher = client(s2, docId, c.bob.cookie);
	await waitFor(() => here.provider.synced && there.provider.synced && watcher.provider.synced, 'synced');
	here.provider.awareness.setLocalStateField('cursor', { at: 1 });
	there.provider.awareness.setLocalStateField('cursor', { at: 2 });
	// The tab on s1 hears the tab on s0 (and a stock client sends what it hears back to its server).
	await waitFor(() => there.provider.awareness.getStates().has(here.doc.clientID) && watcher.provider.awareness.getStates().has(there.doc.clientID), 'both states everywhere');
	there.destroy();
	await waitFor(() => !watcher.provider.awareness.getStates().has(there.doc.clientID), 'the closed tab gone on s2');
	// The s0 tab's presence survives the s1 tab's leaving (s1 would have sent both removals in one message).
	expect(watcher.provider.awareness.getStates().has(here.doc.clientID)).toBe(true);
});

test('evidence reported through one instance is served by another (one shared DATA_DIR), and the ledger step taken on a third is seen by all', async () => {
	const [s0, s1, s2] = c.servers;
	const lead = '甲省江州市人民政府';
	const conferenceId = await createConference(s0.url, c.admin, '跨实例台账');
	const plan = await breakoutWithPlan(s0.url, s0.wsUrl, c.admin, conferenceId, c.alice, [{ text: '建立周调度台账', responsibleUnit: lead, deadline: '2026-12-31' }]);
	const [itemId] = await approve(s0.url, c.admin, c.alice, plan.planId, plan.measureIds);
	const tag = Math.random().toString(36).slice(2, 7);
	const unit = await unitMember(s0.url, c.admin, conferenceId, `unit-${tag}`, '李副市长', lead, 'participant', [plan.breakoutId]);
	const reported = await postReport(s0.url, unit, itemId, { progress: '台账已建立', percent: 100 }, [{ name: '周调度台账.png', bytes: png, type: 'image/png' }]);
	expect(reported.status).toBe(201);
	const evidence = reported.body.reports[0].evidence[0] as { id: string };
	const file = await fetch(`${s1.url}/api/evidence/${evidence.id}`, { headers: { cookie: c.admin.cookie, connection: 'close' } });
	expect(file.status).toBe(200);
	expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
	expect((await api(s2.url, 'POST', `/api/ledger/${itemId}/transitions`, { cookie: unit.cookie, body: { action: 'submit', reason: '' } })).status).toBe(200);
	for (const server of c.servers) expect((await api(server.url, 'GET', `/api/ledger/${itemId}`, { cookie: c.admin.cookie })).body.status).toBe('pending_review');
});

test('an instance whose Redis is not there at start starts anyway, says why and that it is degraded, and stores what its clients write', async () => {
	const port = await freePort();
	const lonely = await TestServer.start({ dataDir: c.servers[0].dataDir, env: { DATABASE_URL: c.databaseUrl, REDIS_URL: `redis://127.0.0.1:${port}` } });
	try {
		expect(lonely.output.join('')).toMatch(/Redis \(REDIS_URL\) is unreachable \(.+\); starting anyway/u);
		expect((await health(lonely)).degraded?.code).toBe('relay_unavailable');
		const docId = await createDocument(lonely.url, c.alice, '无 Redis 启动');
		const writer = client(lonely, docId, c.alice.cookie);
		await waitFor(() => writer.provider.synced, 'synced');
		writer.text.insert(0, '本实例独立保存');
		// Stored: another instance (on the working Redis) loads it from the database.
		await waitFor(async () => {
			const reader = await syncedClient(c.servers[1].wsUrl, docId, c.bob.cookie);
			const ok = reader.text.toString() === '本实例独立保存';
			reader.destroy();
			return ok;
		}, 'the edit stored');
	} finally {
		await lonely.stop();
	}
});

test('a newer editor raising a document\'s schema on one instance closes the older editors on the others with 4426', async () => {
	const [s0, s1] = c.servers;
	// A document an older release wrote (schema version 1), as an upgrade finds it.
	const docId = `old${Math.random().toString(36).slice(2, 10)}`;
	const storage = await openPostgresStorage(c.databaseUrl);
	try {
		const first = new Y.Doc();
		first.getMap('meta').set('schema', 1);
		await storage.updates.append([{ docId, data: Y.encodeStateAsUpdate(first) }]);
		await storage.documents.create({ id: docId, kind: 'notes', title: '旧版本文档', ownerId: c.alice.userId, parent: { kind: 'workspace', id: null }, projectId: null, createdAt: 1, updatedAt: 1 });
	} finally {
		await storage.close();
	}
	const old = connectClient(s1.wsUrl, docId, c.bob.cookie, { schema: '1' });
	clients.push(old);
	const codes: number[] = [];
	old.provider.on('connection-close', (e: CloseEvent | null) => e && codes.push(e.code));
	await waitFor(() => old.provider.synced, 'the older editor synced on s1');
	const newer = connectClient(s0.wsUrl, docId, c.alice.cookie, { schema: '3' });
	clients.push(newer);
	await waitFor(() => codes.includes(4426), 'the older editor on s1 closed');
	old.provider.disconnect();
	await waitFor(() => newer.doc.getMap('meta').get('schema') === 3, 'the newer editor has the raised version');
});

test('Redis refusing writes while every connection stays up (out of memory): once it takes them again, the instances catch up', async () => {
	const [s0, s1] = c.servers;
	const docId = await createDocument(s0.url, c.alice, 'Redis 拒绝写入');
	const a = client(s0, docId, c.alice.cookie);
	const b = client(s1, docId, c.bob.cookie);
	await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
	const admin = new Redis(c.redis.url, { maxRetriesPerRequest: 1 });
	try {
		await admin.config('SET', 'maxmemory-policy', 'noeviction');
		await admin.config('SET', 'maxmemory', '1');
		a.text.insert(0, '内存满时的修改');
		// Committed and shown on its own instance; the publish was refused.
		const local = await syncedClient(s0.wsUrl, docId, c.bob.cookie);
		clients.push(local);
		await waitFor(() => local.text.toString() === '内存满时的修改', 'stored on s0');
		expect(b.text.toString()).toBe('');
		await admin.config('SET', 'maxmemory', '0');
		await waitFor(() => b.text.toString() === '内存满时的修改', 'caught up on s1', 10_000);
	} finally {
		await admin.config('SET', 'maxmemory', '0').catch(() => undefined);
		admin.disconnect();
	}
});

test('an update heard before what it builds on (its instance committed that but could not publish it) waits for it, read from storage; nobody typing meanwhile is blamed', async () => {
	const [s0, s1] = c.servers;
	// An instance cut off from Redis: it commits, nobody hears it.
	const cutOff = await TestServer.start({ dataDir: s0.dataDir, env: { DATABASE_URL: c.databaseUrl, REDIS_URL: `redis://127.0.0.1:${await freePort()}` } });
	try {
		const docId = await createDocument(s1.url, c.alice, '先后次序');
		const onC = client(s1, docId, c.alice.cookie);
		const typer = client(s1, docId, c.bob.cookie);
		const closes: number[] = [];
		typer.provider.on('connection-close', (e: CloseEvent | null) => e && closes.push(e.code));
		await waitFor(() => onC.provider.synced && typer.provider.synced, 'synced on s1');
		onC.text.insert(0, 'base|');
		const onP = client(cutOff, docId, c.alice.cookie);
		await waitFor(() => onP.text.toString() === 'base|', 'the cut-off instance loaded the base');
		onP.text.insert(onP.text.length, 'PPPP');
		// Another instance loading the document from storage builds on the unpublished edit.
		let onB: SyncClient | null = null;
		await waitFor(async () => {
			onB?.destroy();
			onB = await syncedClient(s0.wsUrl, docId, c.bob.cookie);
			return onB.text.toString().endsWith('PPPP');
		}, 's0 has the cut-off edit from storage');
		clients.push(onB!);
		let typing = true;
		const loop = (async () => {
			while (typing) {
				typer.text.insert(0, 'c');
				await new Promise((r) => setTimeout(r, 5));
			}
		})();
		try {
			onB!.text.insert(onB!.text.toString().indexOf('PPPP') + 2, 'BBB');
			await waitFor(() => onC.text.toString().endsWith('base|PPBBBPP'), 's1 has both edits, in their places', 10_000);
		} finally {
			typing = false;
			await loop;
		}
		expect(closes).toEqual([]);
		await waitFor(() => onB!.text.toString() === onC.text.toString(), 's0 and s1 agree');
	} finally {
		await cutOff.stop();
	}
});

test('nobody writes under another instance\'s own client id: the first server write there names it as the server\'s to every instance', async () => {
	const [s0, s1] = c.servers;
	const docId = await createDocument(s0.url, c.alice, '服务器编号');
	const a = client(s0, docId, c.alice.cookie);
	const b = client(s1, docId, c.bob.cookie);
	await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
	// A paragraph without an id: s0's guard gives it one, written under s0's own client id.
	a.doc.getXmlFragment('default').insert(0, [new Y.XmlElement('paragraph')]);
	await waitFor(() => xmlElements(b.doc.getXmlFragment('default'), 'paragraph').some((e) => e.getAttribute('blockId')), 'the stamped id on s1');
	const stamped = xmlElements(b.doc.getXmlFragment('default'), 'paragraph').find((e) => e.getAttribute('blockId'))!;
	const serverId = ((stamped as unknown as { _map: Map<string, Y.Item> })._map.get('blockId') as Y.Item).id.client;
	expect([a.doc.clientID, b.doc.clientID]).not.toContain(serverId);
	// Bob writes text under that id through s1.
	const forged = new Y.Doc();
	Y.applyUpdate(forged, Y.encodeStateAsUpdate(b.doc));
	forged.clientID = serverId;
	forged.getText('t').insert(0, '冒名');
	const update = Y.encodeStateAsUpdate(forged, Y.encodeStateVector(b.doc));
	const raw = await openRaw(s1.wsUrl, docId, c.bob.cookie);
	const closed = closeCodeOf(raw);
	raw.send(syncFrame(2, update));
	const accepted = waitFor(() => a.text.toString().includes('冒名'), 'the forged text on s0').then(() => 'accepted');
	expect(await Promise.race([closed, accepted.catch(() => 'never')])).toBe(4403);
	expect(a.text.toString()).toBe('');
});

test('a member removed while Redis is away is cut off on the other instances within seconds (each re-decides its sockets while cut off)', async () => {
	const [s0, s1] = c.servers;
	const conferenceId = await createConference(s0.url, c.admin, '中断期间移除');
	const breakout = await createBreakout(s0.url, c.admin, conferenceId, '水利组');
	const docId = (await api(s0.url, 'POST', '/api/documents', { cookie: c.admin.cookie, body: { title: '水利组分析', breakoutId: breakout } })).body.id as string;
	const tag = Math.random().toString(36).slice(2, 7);
	const member = await newMember(s0.url, c.admin, `cut-${tag}`, '被移除者');
	await putMember(s0.url, c.admin, conferenceId, member.userId, { role: 'participant', breakoutIds: [breakout] });
	const socket = client(s1, docId, member.cookie);
	const codes: number[] = [];
	socket.provider.on('connection-close', (e: CloseEvent | null) => e && codes.push(e.code));
	await waitFor(() => socket.provider.synced, 'synced on s1');
	await c.redis.stop();
	try {
		await waitFor(async () => (await health(s1)).degraded !== undefined, 's1 degraded');
		expect((await api(s0.url, 'DELETE', `/api/conferences/${conferenceId}/members/${member.userId}`, { cookie: c.admin.cookie })).status).toBe(204);
		await waitFor(() => codes.includes(4403), 'the removed member\'s socket on s1 closed', 12_000);
	} finally {
		await c.redis.start();
	}
	expect(await probeSync(s1.wsUrl, docId, member.cookie)).toBe('none');
});
