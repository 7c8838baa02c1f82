// One load run against one target: connect editors and viewers, send markers, measure latency from
// send to arrival at every other client, count what never arrived, check the server's final state.
import { BenchClient, BenchEditor, scanMarkers } from './clients.mjs';
import { meter } from './proc.mjs';
import { summarize } from './stats.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function withTimeout(promise, ms, what) {
	let timer;
	const timeout = new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`timeout: ${what}`)), ms)));
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/**
 * @param target a started target
 * @param o.docs documents; o.editors / o.viewers per document
 * @param o.intervalMs each editor inserts every intervalMs (±50 % jitter), or
 * @param o.steps [{ rate, ms }] total updates/s across all editors, step by step (saturation)
 * @param o.durationMs measuring window for interval mode
 * @param o.waveAtMs when every viewer renews its presence at once
 */
export async function runLoad(target, o) {
	const docNames = await target.documents(o.docs ?? 1);
	const sent = new Map();
	let lat = [];
	const waveLat = [];
	let waveWindow = null;
	const receivers = [];
	const editors = [];
	let editorId = 0;

	const receiverFor = (self) => (buf) =>
		scanMarkers(buf, (ed, seq) => {
			if (ed === self) return;
			const key = ed * 1e7 + seq;
			const entry = sent.get(key);
			if (entry === undefined) return;
			const ms = performance.now() - entry.t;
			(entry.wave ? waveLat : lat).push(ms);
			if (--entry.remaining === 0) sent.delete(key);
		});

	for (const doc of docNames) {
		for (let i = 0; i < o.editors; i++) {
			const id = editorId++;
			const ed = new BenchEditor(target, doc, id, { onData: receiverFor(id) });
			ed.doc = doc;
			editors.push(ed);
			receivers.push(ed.client);
		}
		for (let i = 0; i < (o.viewers ?? 0); i++) receivers.push(new BenchClient(target, doc, { onData: receiverFor(-1), viewer: true }));
	}
	const perDoc = o.editors + (o.viewers ?? 0) - 1;
	// Connect in waves so that the connection storm itself is not what is measured.
	for (let i = 0; i < receivers.length; i += 100) {
		await withTimeout(Promise.all(receivers.slice(i, i + 100).map((c) => c.synced)), 30_000, 'clients synced');
	}
	await sleep(200);

	const send = (ed) => {
		const key = ed.insert();
		const entry = { t: performance.now(), remaining: perDoc, wave: false, doc: ed.doc };
		if (waveWindow !== null && entry.t >= waveWindow[0] && entry.t < waveWindow[1]) entry.wave = true;
		if (perDoc > 0) sent.set(key, entry);
		return entry;
	};

	const m = meter(target.pids ?? target.pid);
	let updates = 0;
	const stepResults = [];
	m.start();
	if (o.steps) {
		// Warm-up (not reported): a freshly started process has not been optimised by the JIT yet.
		for (let i = 0; i < 200; i++) {
			send(editors[i % editors.length]);
			await sleep(5);
		}
		await drain(sent, 1000);
		sent.clear();
		for (const step of o.steps) {
			lat = [];
			const stepMeter = meter(target.pid);
			stepMeter.start();
			let carry = 0;
			let next = 0;
			let count = 0;
			const t0 = performance.now();
			while (performance.now() - t0 < step.ms) {
				carry += (step.rate * 5) / 1000;
				while (carry >= 1) {
					send(editors[next++ % editors.length]);
					count++;
					carry--;
				}
				await sleep(5);
			}
			const usage = stepMeter.stop();
			updates += count;
			await drain(sent, 1000);
			const r = {
				rate: step.rate,
				achieved: count / usage.seconds,
				...summarize(lat),
				lost: countLost(sent),
				cpuPercent: usage.cpuPercent,
				cpuPer1000: usage.cpuSeconds / (count / 1000)
			};
			stepResults.push(r);
			sent.clear();
			// The ramp ends where the target stops keeping up.
			if (r.p99 > 100 || r.lost > 0) break;
		}
	} else {
		const t0 = performance.now();
		if (o.waveAtMs !== undefined) {
			setTimeout(() => {
				waveWindow = [performance.now(), performance.now() + 1000];
				let id = 1;
				for (const c of receivers) if (!editors.some((e) => e.client === c)) c.sendAwareness(1_000_000 + id++, 1, { user: { name: `viewer ${id}` } });
			}, o.waveAtMs);
		}
		await Promise.all(
			editors.map(async (ed) => {
				await sleep(Math.random() * o.intervalMs);
				while (performance.now() - t0 < o.durationMs) {
					send(ed);
					updates++;
					await sleep(o.intervalMs * (0.5 + Math.random()));
				}
			})
		);
	}
	const usage = m.stop();
	await drain(sent, 3000);
	const lost = countLost(sent);
	const convergence = o.steps ? null : await verify(target, docNames.slice(0, 3), editors);
	for (const c of receivers) c.close();
	return {
		updates,
		latency: summarize(lat),
		waveLatency: o.waveAtMs !== undefined ? summarize(waveLat) : null,
		lost,
		cpuPercent: usage.cpuPercent,
		cpuPercentPerInstance: usage.cpuPercentPerInstance,
		cpuSeconds: usage.cpuSeconds,
		rssPeakMB: usage.rssPeakMB,
		rssMeanMB: usage.rssMeanMB,
		steps: stepResults,
		convergence
	};
}

async function drain(sent, ms) {
	const t0 = performance.now();
	while (sent.size > 0 && performance.now() - t0 < ms) await sleep(20);
}

function countLost(sent) {
	let lost = 0;
	for (const e of sent.values()) lost += e.remaining;
	return lost;
}

/** A fresh client per document must find every marker any editor sent there (not for the floor: it keeps nothing). */
async function verify(target, docNames, editors) {
	if (target.flavor === 'raw') return { checked: 0, missing: 0, note: 'the floor keeps no state' };
	let missing = 0;
	for (const doc of docNames) {
		const expected = editors.filter((e) => e.doc === doc).reduce((n, e) => n + e.seq, 0);
		let found = 0;
		const c = new BenchClient(target, doc, {
			onData: (buf, kind) => {
				if (kind === 'step2') scanMarkers(buf, () => found++);
			}
		});
		await withTimeout(c.synced, 20_000, 'verifier synced');
		c.close();
		missing += Math.max(0, expected - found);
	}
	return { checked: docNames.length, missing };
}
