// `npm run bench` (quick, about 4 minutes) or `npm run bench -- --full`: Concord side by side with the
// reference y-websocket server, Hocuspocus and a raw relay, each its own process on 127.0.0.1, driven
// by this process. Writes bench/RESULTS.md and prints the same.
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { historyLoad, idleDocuments, ingest, loadAfterRestart } from './lib/ingest.mjs';
import { runLoad } from './lib/load.mjs';
import { median } from './lib/stats.mjs';
import { startTarget, stopBenchDatabase, targetKinds } from './lib/targets.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const full = process.argv.includes('--full');
const repeats = full ? 3 : 1;

const plan = full
	? {
			live: ['concord', 'concord-pg', 'yws', 'hocus', 'floor'],
			fanout: [[2, 0], [10, 0], [50, 0], [20, 500]],
			fanoutMs: 8000,
			steps: [1000, 1500, 2000, 2500, 3000, 4000, 6000, 8000].map((rate) => ({ rate, ms: 2500 })),
			manyDocs: 300,
			manyMs: 10_000,
			ingestN: 20_000,
			history: { versions: 100, comments: 300 },
			idleDocs: 1000,
			promise: [[50, 0], [20, 500]],
			instances: [[10, 0], [50, 0], [20, 500]]
		}
	: {
			live: ['concord', 'concord-pg', 'yws', 'hocus', 'floor'],
			fanout: [[10, 0], [20, 500]],
			fanoutMs: 2500,
			steps: [1000, 2000, 3000].map((rate) => ({ rate, ms: 1500 })),
			manyDocs: 100,
			manyMs: 3000,
			ingestN: 5000,
			history: { versions: 30, comments: 60 },
			idleDocs: 150,
			promise: [[50, 0]],
			instances: [[20, 0]]
		};

const peers = { reference: 'yws', hocuspocus: 'hocus', floor: 'floor' };
const f1 = (x) => (Number.isFinite(x) ? x.toFixed(1) : '—');
const f2 = (x) => (Number.isFinite(x) ? x.toFixed(2) : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? (a / b).toFixed(2) : '—');
const out = [];
const say = (line = '') => {
	out.push(line);
	console.log(line);
};

function prepare() {
	if (!fs.existsSync(path.join(root, 'dist', 'server.js')) || !fs.existsSync(path.join(root, 'build', '200.html'))) {
		console.log('Building Concord (npm run build)…');
		execSync('npm run build', { cwd: root, stdio: 'inherit' });
	}
	if (!fs.existsSync(path.join(here, 'node_modules', '@hocuspocus', 'server'))) {
		console.log('Installing the reference servers into bench/node_modules (npm ci)…');
		execSync('npm ci --no-audit --no-fund', { cwd: here, stdio: 'inherit' });
	}
}

/** Runs `fn` against a fresh process of each target kind, `repeats` times, targets interleaved. */
async function paired(kinds, fn) {
	const runs = Object.fromEntries(kinds.map((k) => [k, []]));
	for (let r = 0; r < repeats; r++) {
		for (const kind of kinds) {
			const target = await startTarget(kind);
			try {
				runs[kind].push(await fn(target));
			} catch (err) {
				runs[kind].push({ error: String(err instanceof Error ? err.message : err).split('\n')[0] });
			} finally {
				await target.stop();
				target.remove();
			}
		}
	}
	return runs;
}

const med = (runs, pick) => median(runs.filter((r) => !r.error).map(pick));
const errorOf = (runs) => runs.find((r) => r.error)?.error;

function ratioRows(results, metric, kinds = ['concord']) {
	return kinds.map((k) => `| ${k} | ${Object.values(peers).map((p) => ratio(metric(results[k]), metric(results[p]))).join(' | ')} |`);
}

/** Figures the goals are judged on, filled in as the scenarios run. */
const facts = { fanout: {}, sat: null, many: null, loads: null, instances: {} };

async function scenarioInstances() {
	say('## 1b. Fan-out across three instances');
	say('');
	say(
		`One document, its clients spread round-robin over three Concord processes on one PostgreSQL database and one Redis, against one Concord on PostgreSQL; ${plan.fanoutMs / 1000} s per run. Most receivers are on another instance than the sender: their latency includes the commit, the publish on Redis and the other instance's read.`
	);
	say('');
	say('| (E, V) | target | p50 ms | p99 ms | lost | CPU % (all instances) | CPU % per instance | state check |');
	say('| --- | --- | --- | --- | --- | --- | --- | --- |');
	for (const [e, v] of plan.instances) {
		const opts = { docs: 1, editors: e, viewers: v, intervalMs: 500, durationMs: plan.fanoutMs };
		const res = await paired(['concord-pg', 'concord-3'], (t) => runLoad(t, opts));
		facts.instances[`${e},${v}`] = res;
		for (const k of ['concord-pg', 'concord-3']) {
			const runs = res[k];
			if (runs.every((r) => r.error)) {
				say(`| (${e}, ${v}) | ${targetKinds[k].label} | failed: ${errorOf(runs)} |`);
				continue;
			}
			const conv = runs.find((r) => r.convergence)?.convergence;
			const check = conv ? (conv.note ? 'n/a' : conv.missing === 0 ? 'all present' : `${conv.missing} missing`) : '—';
			say(
				`| (${e}, ${v}) | ${targetKinds[k].label} | ${f1(med(runs, (r) => r.latency.p50))} | ${f1(med(runs, (r) => r.latency.p99))} | ${med(runs, (r) => r.lost)} | ${f1(med(runs, (r) => r.cpuPercent))} | ${f1(med(runs, (r) => r.cpuPercentPerInstance))} | ${check} |`
			);
		}
	}
	say('');
}

async function scenarioFanout() {
	say('## 1. Fan-out latency');
	say('');
	say(`One document, E editors each inserting every ~500 ms (jittered), V viewers; ${plan.fanoutMs / 1000} s per run. Latency is from send to arrival at every other client.`);
	for (const [e, v] of plan.fanout) {
		const opts = { docs: 1, editors: e, viewers: v, intervalMs: 500, durationMs: plan.fanoutMs, waveAtMs: v > 0 ? plan.fanoutMs / 2 : undefined };
		const res = await paired(plan.live, (t) => runLoad(t, opts));
		facts.fanout[`${e},${v}`] = res;
		say('');
		say(`### (E, V) = (${e}, ${v})`);
		say('');
		say('| target | p50 ms | p95 ms | p99 ms | max ms | lost | server CPU % | RSS MB | state check |' + (v > 0 ? ' p99 during presence wave ms |' : ''));
		say('| --- | --- | --- | --- | --- | --- | --- | --- | --- |' + (v > 0 ? ' --- |' : ''));
		for (const k of plan.live) {
			const runs = res[k];
			if (errorOf(runs) && runs.every((r) => r.error)) {
				say(`| ${targetKinds[k].label} | failed: ${errorOf(runs)} |`);
				continue;
			}
			const conv = runs.find((r) => r.convergence)?.convergence;
			const check = conv ? (conv.note ? 'n/a' : conv.missing === 0 ? 'all present' : `${conv.missing} missing`) : '—';
			say(
				`| ${targetKinds[k].label} | ${f1(med(runs, (r) => r.latency.p50))} | ${f1(med(runs, (r) => r.latency.p95))} | ${f1(med(runs, (r) => r.latency.p99))} | ${f1(med(runs, (r) => r.latency.max))} | ${med(runs, (r) => r.lost)} | ${f1(med(runs, (r) => r.cpuPercent))} | ${f1(med(runs, (r) => r.rssPeakMB))} | ${check} |` +
					(v > 0 ? ` ${f1(med(runs, (r) => r.waveLatency?.p99))} |` : '')
			);
		}
		const m = (k, pick) => med(res[k], pick);
		say('');
		say('| ratio | Concord/reference | Concord/Hocuspocus | Concord/floor |');
		say('| --- | --- | --- | --- |');
		say(`| p99 | ${Object.values(peers).map((p) => ratio(m('concord', (r) => r.latency.p99), m(p, (r) => r.latency.p99))).join(' | ')} |`);
		say(`| server CPU | ${Object.values(peers).map((p) => ratio(m('concord', (r) => r.cpuPercent), m(p, (r) => r.cpuPercent))).join(' | ')} |`);
		say(`| RSS | ${Object.values(peers).map((p) => ratio(m('concord', (r) => r.rssPeakMB), m(p, (r) => r.rssPeakMB))).join(' | ')} |`);
		say('');
		say(`Concord on PostgreSQL / on SQLite: p99 ${ratio(m('concord-pg', (r) => r.latency.p99), m('concord', (r) => r.latency.p99))}, server CPU ${ratio(m('concord-pg', (r) => r.cpuPercent), m('concord', (r) => r.cpuPercent))} (PostgreSQL's own processes not counted).`);
	}
	say('');
}

async function scenarioSaturation(kinds = plan.live) {
	const res = await paired(kinds, (t) => runLoad(t, { docs: 1, editors: 20, viewers: 0, steps: plan.steps }));
	const best = (runs) =>
		med(runs, (r) => {
			const ok = r.steps.filter((s) => s.p99 <= 100 && s.lost === 0);
			return ok.length ? ok[ok.length - 1].achieved : 0;
		});
	const at1000 = (runs) => med(runs, (r) => r.steps[0]?.cpuPer1000);
	const p99at = (runs, i) => med(runs, (r) => r.steps[i]?.p99);
	return { res, best, at1000, p99at };
}

function printSaturation(kinds, s) {
	say(`| target | max sustained updates/s | CPU s per 1,000 updates at ${plan.steps[0].rate}/s | ${plan.steps.map((x) => `p99 @${x.rate}/s`).join(' | ')} |`);
	say(`| --- | --- | --- | ${plan.steps.map(() => '---').join(' | ')} |`);
	for (const k of kinds) {
		say(`| ${targetKinds[k].label} | ${f1(s.best(s.res[k]))} | ${f2(s.at1000(s.res[k]))} | ${plan.steps.map((_, i) => f1(s.p99at(s.res[k], i))).join(' | ')} |`);
	}
}

/** The goals of the benchmark issue, each judged on this run's medians; a miss says why. */
function printGoals() {
	const rows = [];
	const add = (goal, value, met, why) => rows.push(`| ${goal} | ${value} | ${met === null ? 'not measured in this mode' : met ? 'met' : `**missed**: ${why}`} |`);
	const whyFloor = 'the floor parses and stores nothing; Concord decodes each update, applies it to the document, commits it to SQLite and only then relays it';
	for (const key of ['50,0', '20,500']) {
		const res = facts.fanout[key];
		const r = res ? med(res.concord, (x) => x.latency.p99) / med(res.floor, (x) => x.latency.p99) : NaN;
		add(`fan-out p99 ≤ 1.2 × floor at (${key})`, res ? `${f2(r)} ×` : '—', res ? r <= 1.2 : null, whyFloor);
	}
	const w = facts.fanout['20,500'];
	if (w) {
		const cpu = med(w.concord, (x) => x.cpuPercent) / med(w.floor, (x) => x.cpuPercent);
		add('server CPU at (20, 500) ≤ floor + 50 %', `${f2(cpu)} × floor`, cpu <= 1.5, whyFloor);
		// The live room: one breakout document followed by 500 read-only viewers (observers).
		const p99 = med(w.concord, (x) => x.latency.p99);
		const lost = med(w.concord, (x) => x.lost);
		add('one breakout holds 500 viewers: nothing lost, p99 ≤ 100 ms', `${lost} lost, p99 ${f1(p99)} ms`, lost === 0 && p99 <= 100, 'see the (20, 500) table');
		const wave = med(w.concord, (x) => x.waveLatency.p99) / med(w.concord, (x) => x.latency.p99);
		add("presence wave lifts editors' p99 ≤ 1.5 ×", `${f2(wave)} ×`, wave <= 1.5, 'the 500 renewals are stamped (JSON parse and re-encode per viewer) and broadcast as one message per event-loop turn to 520 sockets; that turn delays the updates queued behind it');
	} else {
		add('server CPU at (20, 500) ≤ floor + 50 %', '—', null, '');
	}
	const sat = facts.sat;
	const best = sat.best(sat.res.concord);
	const bestPeer = Math.max(sat.best(sat.res.yws), sat.best(sat.res.hocus));
	const held = (runs) =>
		med(runs, (r) => {
			const ok = r.steps.filter((x) => x.p99 <= 100 && x.lost === 0);
			return ok.length ? ok[ok.length - 1].rate : 0;
		});
	const sameStep = held(sat.res.concord) >= Math.max(held(sat.res.yws), held(sat.res.hocus));
	add(
		'saturation ≥ best peer',
		`${f1(best)} vs ${f1(bestPeer)} updates/s`,
		best >= bestPeer,
		sameStep
			? 'the targets are ranked by the last ramp step they held (p99 ≤ 100 ms, nothing lost); Concord and the best peer held the same step and failed at the next, and within a step the figure is the rate the generator achieved, which varies by a few per cent between runs'
			: 'Concord crossed p99 100 ms (or lost a delivery) at a lower ramp step than the best peer: see the p99 columns'
	);
	add('saturation within 10 % of the floor', `${f2(best / sat.best(sat.res.floor))} × floor`, best >= 0.9 * sat.best(sat.res.floor), `${whyFloor}; on 2 cores the load generator takes one core, so a server that does real work per update saturates long before a relay`);
	const cpuMany = med(facts.many.concord, (x) => x.cpuPercent) / med(facts.many.floor, (x) => x.cpuPercent);
	add('many documents: server CPU ≤ 1.5 × floor', `${f2(cpuMany)} × floor`, cpuMany <= 1.5, `${whyFloor}; each of the ${plan.manyDocs * 4} updates/s is one SQLite transaction when documents do not share an event-loop turn`);
	const ing = med(facts.loads.concord, (x) => x.ing.rate) / med(facts.loads.yws, (x) => x.ing.rate);
	add('durable ingest ≥ reference in memory', `${f2(ing)} ×`, ing >= 1, 'see scenario 4');
	const history = facts.histories ? med(facts.histories.concord, (r) => r.historyMs) / med(facts.histories.concord, (r) => r.plainMs) : NaN;
	add('loading with its history (versions, comments) ≤ 1.25 × without', `${f2(history)} ×`, Number.isFinite(history) ? history <= 1.25 : null, 'see scenario 4b');
	const early = facts.loads.concord.some((x) => !x.error && x.restart?.syncedEarly);
	add('full content on first sync, always', early ? 'synced early in a run' : 'always', !early, 'see scenario 4');
	const kb = med(facts.loads.concord, (x) => x.idle.kbPerDoc) / med(facts.loads.yws, (x) => x.idle.kbPerDoc);
	add('RSS per idle open document ≤ reference', `${f2(kb)} ×`, kb <= 1, 'per-document state: a Y.Doc, its awareness (with a 3 s timer) and the connection object with its rate limiter and idle timer');
	const kept = med(facts.loads.concord, (x) => x.idle.roomsAfter);
	const back = med(facts.loads.concord, (x) => x.idle.rssAfterMB - x.idle.rssBeforeMB) / Math.max(0.001, med(facts.loads.concord, (x) => x.idle.rssOpenMB - x.idle.rssBeforeMB));
	add('documents leave memory after their clients', `${kept} kept; RSS keeps ${f1(100 * back)} % of what they added`, kept === 0 && back <= 0.5, 'every document left memory, but V8 keeps freed heap pages mapped for reuse, so RSS stays high until the next major GC returns them');
	// On PostgreSQL: the same promise (nothing relayed before the commit), on a database with fsync on.
	const whyPg = 'a group commit on PostgreSQL is a network round trip and a WAL fsync before anything is relayed (SQLite in WAL mode with synchronous=NORMAL appends to its log without an fsync); the next group waits for it, so updates queue behind each commit';
	const pgSat = sat.best(sat.res['concord-pg']) / best;
	add('saturation on PostgreSQL ≥ 0.8 × on SQLite', `${f2(pgSat)} ×`, pgSat >= 0.8, whyPg);
	const pgFan = facts.fanout['20,500'] ?? facts.fanout['10,0'];
	if (pgFan) {
		const r = med(pgFan['concord-pg'], (x) => x.latency.p99) / med(pgFan.concord, (x) => x.latency.p99);
		add('fan-out p99 on PostgreSQL ≤ 1.5 × on SQLite', `${f2(r)} ×`, r <= 1.5, whyPg);
	}
	const pgIng = med(facts.loads['concord-pg'], (x) => x.ing.rate) / med(facts.loads.concord, (x) => x.ing.rate);
	add('durable ingest on PostgreSQL ≥ 0.8 × on SQLite', `${f2(pgIng)} ×`, pgIng >= 0.8, whyPg);
	for (const [key, res] of Object.entries(facts.instances)) {
		const p99 = med(res['concord-3'], (x) => x.latency.p99) / med(res['concord-pg'], (x) => x.latency.p99);
		add(`(${key}) cross-instance p99 ≤ 1.5 × one instance`, `${f2(p99)} ×`, p99 <= 1.5, 'the median adds the Redis hop only (a few ms), the tail is the commits: three instances appending to one document take turns on its head row (its sequence numbers follow the commits), so each waits for the others\' WAL flush before its own instead of sharing one group commit; and on this machine three Concord processes, PostgreSQL, Redis and the load generator share two cores');
		const cpu = med(res['concord-3'], (x) => x.cpuPercentPerInstance) / med(res['concord-pg'], (x) => x.cpuPercent);
		add(`(${key}) CPU per instance with three < one instance's`, `${f2(cpu)} ×`, cpu < 1, 'every instance holding clients of the document applies every update (its own clients\' after the commit, the others\' from Redis) and relays it to its clients: spreading one document\'s clients divides the relaying, not the applying');
	}
	say('## Goals');
	say('');
	say('| goal | measured (median) | verdict |');
	say('| --- | --- | --- |');
	for (const r of rows) say(r);
	say('');
}

async function main() {
	prepare();
	const started = Date.now();
	const versions = JSON.parse(fs.readFileSync(path.join(here, 'package.json'), 'utf8')).dependencies;
	say(`# Concord benchmark results (${full ? 'full' : 'quick'} mode)`);
	say('');
	say(`- date: ${new Date().toISOString()}`);
	say(`- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`);
	say(`- peers: @y/websocket-server ${versions['@y/websocket-server']}, y-leveldb ${versions['y-leveldb']}, @hocuspocus/server ${versions['@hocuspocus/server']}, yjs ${versions.yjs}`);
	say(`- runs per figure: ${repeats} (median), targets interleaved in each run; the load generator is this process, the targets are separate processes`);
	say('- Concord runs as deployed: documents in a breakout, viewers signed in as observers (read-only; their presence is counted and announced as "N watching", not broadcast); the peers broadcast every viewer\'s presence because they have no such role');
	say(`- \`lost\` counts deliveries that never arrived; "state check" asks a fresh client for the document and looks for every update sent`);
	say('');

	await scenarioFanout();
	await scenarioInstances();

	say('## 2. Saturation');
	say('');
	say('20 editors on one document; the total rate is ramped until p99 > 100 ms or a delivery is lost.');
	say('');
	const sat = await scenarioSaturation();
	facts.sat = sat;
	printSaturation(plan.live, sat);
	say('');
	say('| ratio | Concord/reference | Concord/Hocuspocus | Concord/floor |');
	say('| --- | --- | --- | --- |');
	say(`| max sustained | ${Object.values(peers).map((p) => ratio(sat.best(sat.res.concord), sat.best(sat.res[p]))).join(' | ')} |`);
	say(`| CPU per 1,000 | ${Object.values(peers).map((p) => ratio(sat.at1000(sat.res.concord), sat.at1000(sat.res[p]))).join(' | ')} |`);
	say('');

	say('## 3. Many documents');
	say('');
	say(`${plan.manyDocs} documents × 4 editors, each at 1 update/s, ${plan.manyMs / 1000} s.`);
	say('');
	const many = await paired(plan.live, (t) => runLoad(t, { docs: plan.manyDocs, editors: 4, viewers: 0, intervalMs: 1000, durationMs: plan.manyMs }));
	facts.many = many;
	say('| target | server CPU % | RSS MB | p99 ms | lost | state check |');
	say('| --- | --- | --- | --- | --- | --- |');
	for (const k of plan.live) {
		const conv = many[k].find((r) => r.convergence)?.convergence;
		say(
			`| ${targetKinds[k].label} | ${f1(med(many[k], (r) => r.cpuPercent))} | ${f1(med(many[k], (r) => r.rssPeakMB))} | ${f1(med(many[k], (r) => r.latency.p99))} | ${med(many[k], (r) => r.lost)} | ${conv ? (conv.note ? 'n/a' : conv.missing === 0 ? 'all present' : `${conv.missing} missing`) : errorOf(many[k]) ?? '—'} |`
		);
	}
	say('');
	say('| ratio | Concord/reference | Concord/Hocuspocus | Concord/floor |');
	say('| --- | --- | --- | --- |');
	say(`| server CPU | ${Object.values(peers).map((p) => ratio(med(many.concord, (r) => r.cpuPercent), med(many[p], (r) => r.cpuPercent))).join(' | ')} |`);
	say(`| RSS | ${Object.values(peers).map((p) => ratio(med(many.concord, (r) => r.rssPeakMB), med(many[p], (r) => r.rssPeakMB))).join(' | ')} |`);
	say('');

	say('## 4. Load: a long history, a restart, idle documents');
	say('');
	const loadKinds = ['concord', 'concord-pg', 'yws', 'yws-leveldb', 'hocus', 'hocus-sqlite', 'floor'];
	const loads = await paired(loadKinds, async (t) => {
		const ing = await ingest(t, plan.ingestN);
		let restart = null;
		if (targetKinds[t.kind].persistent) {
			await t.restart();
			restart = await loadAfterRestart(t, ing.doc, plan.ingestN);
		}
		const idle = t.kind === 'floor' ? null : await idleDocuments(t, plan.idleDocs);
		return { ing, restart, idle };
	});
	facts.loads = loads;
	say(`A document built from ${plan.ingestN.toLocaleString('en')} updates, then (persistent targets) a restart and a fresh client; then ${plan.idleDocs} idle documents with one client each.`);
	say('');
	say('| target | ingest updates/s | after restart: ms to full content | content at first "synced" | KB per open idle document | RSS open → 3.5 s after clients left (MB) | documents kept in memory |');
	say('| --- | --- | --- | --- | --- | --- | --- |');
	for (const k of loadKinds) {
		const runs = loads[k];
		if (runs.every((r) => r.error)) {
			say(`| ${targetKinds[k].label} | failed: ${errorOf(runs)} |`);
			continue;
		}
		const r0 = runs.find((r) => !r.error);
		const atSync = r0.restart ? (r0.restart.syncedEarly ? `**${r0.restart.atSync} of ${plan.ingestN}** (synced early)` : 'all') : 'n/a (memory)';
		say(
			`| ${targetKinds[k].label} | ${f1(med(runs, (r) => r.ing.rate))} | ${r0.restart ? f1(med(runs, (r) => r.restart.msToFull)) : 'n/a'} | ${atSync} | ${r0.idle ? f2(med(runs, (r) => r.idle.kbPerDoc)) : 'n/a'} | ${r0.idle ? `${f1(r0.idle.rssOpenMB)} → ${f1(r0.idle.rssAfterMB)}` : 'n/a'} | ${r0.idle?.roomsAfter ?? (r0.idle ? 'not reported' : 'n/a')} |`
		);
	}
	say('');
	say('| ratio | Concord/reference | Concord/Hocuspocus | Concord/floor |');
	say('| --- | --- | --- | --- |');
	say(`| ingest rate | ${Object.values(peers).map((p) => ratio(med(loads.concord, (r) => r.ing.rate), med(loads[p], (r) => r.ing.rate))).join(' | ')} |`);
	say(`| ingest rate, Concord on PostgreSQL / on SQLite | ${ratio(med(loads['concord-pg'], (r) => r.ing.rate), med(loads.concord, (r) => r.ing.rate))} | — | — |`);
	say(`| ingest rate vs persistent peer | ${ratio(med(loads.concord, (r) => r.ing.rate), med(loads['yws-leveldb'], (r) => r.ing.rate))} (LevelDB) | ${ratio(med(loads.concord, (r) => r.ing.rate), med(loads['hocus-sqlite'], (r) => r.ing.rate))} (SQLite) | — |`);
	say('');

	say('## 4b. History and loading');
	say('');
	const historyKinds = ['concord', 'concord-pg'];
	const histories = await paired(historyKinds, (t) => historyLoad(t, plan.ingestN, plan.history.versions, plan.history.comments));
	facts.histories = histories;
	say(
		`Two documents built alike from ${plan.ingestN.toLocaleString('en')} updates, one of them given ${plan.history.versions} named versions (each a full copy of its state) and ${plan.history.comments} comment threads; after each of three restarts both are loaded, in turns first (median). Versions and comments are stored apart from the update log: loading reads neither.`
	);
	say('');
	say('| target | without history: ms to full content | with the history: ms to full content | ratio |');
	say('| --- | --- | --- | --- |');
	for (const k of historyKinds) {
		const runs = histories[k];
		const plainMs = med(runs, (r) => r.plainMs);
		const historyMs = med(runs, (r) => r.historyMs);
		say(`| ${targetKinds[k].label} | ${f1(plainMs)} | ${f1(historyMs)} | ${runs.every((r) => r.error) ? errorOf(runs) : ratio(historyMs, plainMs)} |`);
	}
	say('');

	say('## 5. The price of the promise');
	say('');
	say('The same Concord build with commit-before-relay (default) and with the bench-only switch that relays first.');
	say('');
	const promiseKinds = ['concord', 'concord-relay-first'];
	say('| (E, V) | commit first p99 ms | relay first p99 ms | commit first CPU % | relay first CPU % |');
	say('| --- | --- | --- | --- | --- |');
	for (const [e, v] of plan.promise) {
		const res = await paired(promiseKinds, (t) => runLoad(t, { docs: 1, editors: e, viewers: v, intervalMs: 500, durationMs: plan.fanoutMs }));
		say(`| (${e}, ${v}) | ${f1(med(res.concord, (r) => r.latency.p99))} | ${f1(med(res['concord-relay-first'], (r) => r.latency.p99))} | ${f1(med(res.concord, (r) => r.cpuPercent))} | ${f1(med(res['concord-relay-first'], (r) => r.cpuPercent))} |`);
	}
	say('');
	const promiseSat = await scenarioSaturation(promiseKinds);
	printSaturation(promiseKinds, promiseSat);
	say('');
	printGoals();
	say(`Total time: ${((Date.now() - started) / 1000).toFixed(0)} s.`);
	say('');
	fs.writeFileSync(path.join(here, 'RESULTS.md'), `${out.join('\n')}\n`);
	console.log(`\nWritten to bench/RESULTS.md`);
}

main()
	.finally(stopBenchDatabase)
	.catch((err) => {
		console.error(err);
		process.exit(1);
	});
