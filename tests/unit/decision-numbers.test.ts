import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, expect, test } from 'vitest';
import { migrateTo } from '../../server/storage/migrations.js';
import { openSqliteStorage } from '../../server/storage/sqlite/open-sqlite.js';
import type { ProposalRecord, Storage } from '../../server/storage/types.js';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempFile(): string {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-numbers-'));
	dirs.push(dir);
	return path.join(dir, 'concord.db');
}

const measure = JSON.stringify({ kind: 'measure', text: '整改措施', fields: { responsibleUnit: '甲省交通运输厅', deadline: '2025-09-30', type: '限期整改', criteria: '' } });

/** A conference with a 交通 breakout, made through the stores. */
async function conference(s: Storage) {
	await s.users.create({ id: 'u1', username: 'org', displayName: '主办方', unit: '', color: '#000', passwordHash: 'x', isAdmin: true, createdAt: 1, guestConferenceId: null, phone: '', email: '' });
	await s.conferences.create({ id: 'c1', title: '总结会', createdBy: 'u1', createdAt: 1, startDate: '', endDate: '', venue: '', hosts: '', agenda: null, moderatorsApprove: false });
	await s.conferences.createBreakout({ id: 'b1', conferenceId: 'c1', name: '交通组', sector: '交通', region: '', closed: false, createdAt: 1 });
}

const pending = (id: string): ProposalRecord => ({
	id,
	conferenceId: 'c1',
	breakoutId: 'b1',
	sourceDocId: 'plan1',
	blockId: `block-${id}`,
	status: 'pending',
	proposedBy: 'u1',
	proposedAt: 10,
	decidedBy: null,
	decidedAt: null,
	reason: '',
	snapshot: '',
	numbers: null
});

const approveMeasure = (s: Storage, id: string) => s.proposals.decide(id, { status: 'approved', by: 'u1', at: 20, reason: '', snapshot: measure, ledgerSeries: 'JT' });

test('two connections approving at the same moment never give two measures one number; a repeated decision or a decline takes none', async () => {
	const file = tempFile();
	const a = await openSqliteStorage(file);
	const b = await openSqliteStorage(file);
	try {
		await conference(a);
		const ids = Array.from({ length: 40 }, (_, i) => `p${String(i).padStart(2, '0')}`);
		for (const id of ids) await a.proposals.proposeOnce(pending(id));
		// Every proposal approved twice at once, once through each connection, all interleaved.
		const results = await Promise.all(ids.flatMap((id, i) => (i % 2 ? [approveMeasure(a, id), approveMeasure(b, id)] : [approveMeasure(b, id), approveMeasure(a, id)])));
		expect(results.filter(Boolean)).toHaveLength(ids.length);
		const numbered = await Promise.all(ids.map(async (id) => (await a.proposals.get(id))?.numbers));
		expect(numbered.map((n) => n?.resolution).sort((x, y) => (x ?? 0) - (y ?? 0))).toEqual(ids.map((_, i) => i + 1));
		expect(new Set(numbered.map((n) => n?.ledger)).size).toBe(ids.length);
		expect(numbered.every((n) => n?.ledgerSeries === 'JT')).toBe(true);

		// A decline and a paragraph's approval take no number; the next measure continues after the last.
		await a.proposals.proposeOnce(pending('declined1'));
		await a.proposals.decide('declined1', { status: 'declined', by: 'u1', at: 30, reason: '不采纳', snapshot: '' });
		await a.proposals.proposeOnce(pending('para1'));
		await a.proposals.decide('para1', { status: 'approved', by: 'u1', at: 30, reason: '', snapshot: JSON.stringify({ kind: 'paragraph', text: '会议认为' }) });
		expect((await a.proposals.get('declined1'))?.numbers).toBeNull();
		expect((await a.proposals.get('para1'))?.numbers).toBeNull();
		await a.proposals.proposeOnce(pending('next1'));
		await approveMeasure(b, 'next1');
		expect((await a.proposals.get('next1'))?.numbers).toEqual({ resolution: 41, ledgerSeries: 'JT', ledger: 41 });
	} finally {
		await a.close();
		await b.close();
	}
});

test('a withdrawn measure keeps its numbers: they are never given again, and an update changes nothing', async () => {
	const file = tempFile();
	const s = await openSqliteStorage(file);
	try {
		await conference(s);
		for (const id of ['p1', 'p2', 'p3']) {
			await s.proposals.proposeOnce(pending(id));
			await approveMeasure(s, id);
		}
		expect(await s.proposals.withdraw('p3', 'u1', 40, '合并')).toBe(true);
		expect(await s.proposals.resnapshot('p2', measure.replace('整改措施', '整改措施（修订）'), 'u1', 50)).toBe(true);
		// An update racing the withdrawal loses and says so (the route answers 409).
		expect(await s.proposals.resnapshot('p3', measure.replace('整改措施', '整改措施（修订）'), 'u1', 50)).toBe(false);
		expect((await s.proposals.get('p3'))?.status).toBe('withdrawn');
		expect((await s.proposals.get('p3'))?.numbers).toEqual({ resolution: 3, ledgerSeries: 'JT', ledger: 3 });
		expect((await s.proposals.get('p2'))?.numbers).toEqual({ resolution: 2, ledgerSeries: 'JT', ledger: 2 });
		await s.proposals.proposeOnce({ ...pending('p4'), blockId: 'block-p3' });
		await approveMeasure(s, 'p4');
		expect((await s.proposals.get('p4'))?.numbers).toEqual({ resolution: 4, ledgerSeries: 'JT', ledger: 4 });
	} finally {
		await s.close();
	}
});

test('the migration numbers the measures approved before it in the order they were approved; withdrawn ones keep theirs, each sector its own series', async () => {
	const file = tempFile();
	const sqlite = new BetterSqlite3(file);
	const old = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
	await migrateTo(old, '0011_member_leave');
	const q = (statement: string, ...params: unknown[]) => sqlite.prepare(statement).run(...params);
	q(`INSERT INTO users (id, username, username_key, display_name, color, password_hash, created_at) VALUES ('u1', 'org', 'org', '主办方', '#000', 'x', 1)`);
	q(`INSERT INTO conferences (id, title, created_by, created_at) VALUES ('c1', '总结会', 'u1', 1), ('c2', '另一会', 'u1', 1)`);
	q(
		`INSERT INTO breakouts (id, conference_id, name, created_at, sector) VALUES ('jt', 'c1', '交通组', 1, '交通'), ('sl', 'c1', '水利组', 1, '水利'), ('kb', 'c1', '口岸组', 1, '边境口岸'), ('qy', 'c1', '片区组', 1, ''), ('x', 'c2', '交通组', 1, '交通')`
	);
	const para = JSON.stringify({ kind: 'paragraph', text: '会议认为' });
	// id, breakout, status, proposed_at, decided_at (a withdrawal or an update moves it), snapshot
	const rows: [string, string, string, number, number | null, string][] = [
		['sl-first-proposed', 'sl', 'approved', 1, 900, measure], // approved at 300 (audit), updated at 900
		['jt-a', 'jt', 'approved', 2, 100, measure],
		['jt-withdrawn', 'jt', 'withdrawn', 3, 500, measure], // approved at 200 (audit), withdrawn at 500
		['jt-no-audit', 'jt', 'approved', 4, 400, measure],
		['jt-paragraph', 'jt', 'approved', 5, 150, para],
		['jt-pending', 'jt', 'pending', 6, null, ''],
		['jt-declined', 'jt', 'declined', 7, 160, ''],
		['kb-measure', 'kb', 'approved', 8, 600, measure],
		['qy-measure', 'qy', 'approved', 9, 700, measure],
		['other-conference', 'x', 'approved', 10, 50, measure]
	];
	for (const [id, breakout, status, proposedAt, decidedAt, snapshot] of rows) {
		q(
			`INSERT INTO proposals (id, conference_id, breakout_id, source_doc_id, block_id, status, proposed_by, proposed_at, decided_by, decided_at, snapshot) VALUES (?, ?, ?, 'plan', ?, ?, 'u1', ?, ?, ?, ?)`,
			id,
			breakout === 'x' ? 'c2' : 'c1',
			breakout,
			`blk-${id}`,
			status,
			proposedAt,
			decidedAt === null ? null : 'u1',
			decidedAt,
			snapshot
		);
	}
	// The audit log holds the moment of each approval (twice when two experts clicked at once).
	for (const [id, at] of [
		['sl-first-proposed', 300],
		['sl-first-proposed', 301],
		['jt-a', 100],
		['jt-withdrawn', 200],
		['kb-measure', 600],
		['qy-measure', 700],
		['other-conference', 50]
	] as const) {
		q(`INSERT INTO audit_log (at, conference_id, action, target, detail) VALUES (?, ?, 'minutes.approved', ?, 'plan')`, at, id === 'other-conference' ? 'c2' : 'c1', `blk-${id}`);
	}
	await old.destroy();

	const s = await openSqliteStorage(file);
	try {
		const numbers = async (id: string) => (await s.proposals.get(id))?.numbers ?? null;
		expect(await numbers('jt-a')).toEqual({ resolution: 1, ledgerSeries: 'JT', ledger: 1 });
		expect(await numbers('jt-withdrawn')).toEqual({ resolution: 2, ledgerSeries: 'JT', ledger: 2 });
		expect(await numbers('sl-first-proposed')).toEqual({ resolution: 3, ledgerSeries: 'SL', ledger: 1 });
		expect(await numbers('jt-no-audit')).toEqual({ resolution: 4, ledgerSeries: 'JT', ledger: 3 });
		// Sectors without a code of their own share the QT series, so they never collide.
		expect(await numbers('kb-measure')).toEqual({ resolution: 5, ledgerSeries: 'QT', ledger: 1 });
		expect(await numbers('qy-measure')).toEqual({ resolution: 6, ledgerSeries: 'QT', ledger: 2 });
		for (const id of ['jt-paragraph', 'jt-pending', 'jt-declined']) expect(await numbers(id)).toBeNull();
		expect(await numbers('other-conference')).toEqual({ resolution: 1, ledgerSeries: 'JT', ledger: 1 });
		// The next approval continues after the highest number, the withdrawn one included.
		await s.proposals.proposeOnce({ ...pending('new1'), breakoutId: 'jt' });
		await s.proposals.decide('new1', { status: 'approved', by: 'u1', at: 1000, reason: '', snapshot: measure, ledgerSeries: 'JT' });
		expect(await numbers('new1')).toEqual({ resolution: 7, ledgerSeries: 'JT', ledger: 4 });
	} finally {
		await s.close();
	}
});
