// Scenario 4: how fast a target ingests a long history, whether it serves all of it after a restart
// (and never reports "synced" before), and what an open idle document costs in memory.
import { BenchClient, BenchEditor, scanMarkers } from './clients.mjs';
import { rssMB } from './proc.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Sends `n` updates into one document; resolves with updates/s once an observer has all of them. */
export async function ingest(target, n) {
	const [doc] = await target.documents(1, 'ingest');
	let seen = 0;
	const editor = new BenchEditor(target, doc, 1);
	const observer = new BenchClient(target, doc, { onData: (buf) => scanMarkers(buf, () => seen++) });
	await Promise.all([editor.client.synced, observer.synced]);
	const t0 = performance.now();
	for (let i = 0; i < n; i++) {
		editor.insert();
		// Flow control: never more than 2,000 updates in flight.
		if (i % 200 === 199) while (i + 1 - seen > 2000) await sleep(1);
	}
	const deadline = performance.now() + 60_000;
	while (seen < n && performance.now() < deadline) await sleep(5);
	const seconds = (performance.now() - t0) / 1000;
	editor.client.close();
	observer.close();
	await sleep(target.kind.startsWith('hocus') ? 2500 : 500); // Hocuspocus stores on a debounce
	return { doc, rate: seen / seconds, received: seen };
}

/** After a restart: time until a fresh client holds all `n` updates, and what its first "synced" held. */
export async function loadAfterRestart(target, doc, n) {
	let found = 0;
	let atSync = null;
	const t0 = performance.now();
	let full = null;
	const client = new BenchClient(target, doc, {
		onData: (buf, kind) => {
			scanMarkers(buf, () => found++);
			if (kind === 'step2' && atSync === null) atSync = found;
			if (found >= n && full === null) full = performance.now() - t0;
		}
	});
	await client.synced;
	const deadline = performance.now() + 30_000;
	while (full === null && performance.now() < deadline) await sleep(5);
	client.close();
	return { msToFull: full, atSync, syncedEarly: atSync !== null && atSync < n };
}

/** RSS per open idle document (one client each), and 3.5 s after the clients leave (Concord unloads after 2 s here). */
export async function idleDocuments(target, count) {
	const docs = await target.documents(count, 'idle');
	await sleep(500);
	const before = rssMB(target.pid);
	const clients = [];
	for (let i = 0; i < docs.length; i += 100) {
		const batch = docs.slice(i, i + 100).map((d) => new BenchClient(target, d));
		await Promise.all(batch.map((c) => c.synced));
		clients.push(...batch);
	}
	await sleep(1000);
	const open = rssMB(target.pid);
	const roomsOpen = await target.roomsInMemory();
	for (const c of clients) c.close();
	await sleep(3500);
	const after = rssMB(target.pid);
	return {
		kbPerDoc: ((open - before) * 1024) / count,
		rssBeforeMB: before,
		rssOpenMB: open,
		rssAfterMB: after,
		roomsOpen,
		roomsAfter: await target.roomsInMemory()
	};
}

/**
 * Concord only: whether a document's history slows its loading. Two documents are built alike from
 * `n` updates; one is given `versions` named versions (each a full copy of its state, as the history
 * stores them) and `comments` comment threads. After each of `rounds` restarts both are loaded, in
 * turns first, and the medians of the times to full content are compared.
 */
export async function historyLoad(target, n, versions, comments, rounds = 3) {
	const plain = (await ingest(target, n)).doc;
	const kept = (await ingest(target, n)).doc;
	const api = (path, body) =>
		fetch(`http://127.0.0.1:${target.port}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', ...target.headers },
			body: JSON.stringify(body)
		}).then((res) => {
			if (res.status !== 201) throw new Error(`${path}: ${res.status}`);
		});
	for (let i = 0; i < versions; i++) await api(`/api/documents/${kept}/versions`, { name: `基准版本 ${i + 1}` });
	const anchor = { blockId: 'bench01', start: null, end: null, quote: '' };
	for (let i = 0; i < comments; i++) await api(`/api/documents/${kept}/comments`, { anchor, body: `基准评论 ${i + 1}`, mentions: [] });
	const times = { plain: [], kept: [] };
	for (let r = 0; r < rounds; r++) {
		await target.restart();
		for (const [key, doc] of r % 2 === 0 ? [['plain', plain], ['kept', kept]] : [['kept', kept], ['plain', plain]]) {
			times[key].push((await loadAfterRestart(target, doc, n)).msToFull);
		}
	}
	const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
	return { plainMs: median(times.plain), historyMs: median(times.kept) };
}
