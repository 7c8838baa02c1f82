import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, expect, test } from 'vitest';
import { migrateTo } from '../../server/storage/migrations.js';
import { openSqliteStorage } from '../../server/storage/sqlite/open-sqlite.js';
import { approvedItem } from '../helpers/ledger-item.js';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

test('an item’s history written before steps were numbered keeps the order it was shown in (time, then id), and the next step follows it', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-ledger-order-'));
	dirs.push(dir);
	const file = path.join(dir, 'concord.db');
	const sqlite = new BetterSqlite3(file);
	// The history alone: the items' proposals are made through the stores once the data is opened.
	sqlite.pragma('foreign_keys = OFF');
	const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
	await migrateTo(db, '0014_several_instances');
	const step = (id: string, proposal_id: string, kind: string, from_status: string, to_status: string, at: number) => ({ id, proposal_id, kind, from_status, to_status, reason: '', by_user: 'u1', at });
	// Two items interleaved; two steps of p1 at the same millisecond (ordered by id).
	await db.insertInto('ledger_events').values([
		step('e9', 'p1', 'submit', 'in_progress', 'pending_review', 300),
		step('e2', 'p2', 'report', 'not_started', 'in_progress', 100),
		step('e5', 'p1', 'report', 'not_started', 'in_progress', 100),
		step('e7', 'p1', 'report', 'in_progress', 'in_progress', 200),
		step('e3', 'p1', 'report', 'in_progress', 'in_progress', 200)
	]).execute();
	await db.insertInto('ledger_items').values({ proposal_id: 'p1', conference_id: 'c1', status: 'pending_review', deadline: '', percent: 100, updated_at: 300, closed_at: null }).execute();
	await db.destroy();

	const storage = await openSqliteStorage(file);
	try {
		await approvedItem(storage);
		expect((await storage.ledger.events('p1')).map((e) => e.id)).toEqual(['e5', 'e3', 'e7', 'e9']);
		expect((await storage.ledger.events('p2')).map((e) => e.id)).toEqual(['e2']);
		// The next step, with a clock read before the last one's, comes after it and is not timed before it.
		expect(await storage.ledger.transition('c1', ['pending_review'], { id: 'e1', proposalId: 'p1', kind: 'return', fromStatus: 'pending_review', toStatus: 'in_progress', reason: '佐证不足', byUser: 'u1', at: 250 })).toBe(true);
		const events = await storage.ledger.events('p1');
		expect(events.map((e) => e.id)).toEqual(['e5', 'e3', 'e7', 'e9', 'e1']);
		expect(events[4].at).toBe(300);
	} finally {
		await storage.close();
	}
});
