import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { migrateTo } from '../../server/storage/migrations.js';
import { openSqliteStorage } from '../../server/storage/sqlite/open-sqlite.js';

const dirs: string[] = [];
afterEach(() => {
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

test('a log written before sequence numbers keeps its content: its ids become the numbers, the next update takes the next one', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-seq-'));
	dirs.push(dir);
	const file = path.join(dir, 'concord.db');
	const sqlite = new BetterSqlite3(file);
	const db = new Kysely<any>({ dialect: new SqliteDialect({ database: sqlite }) });
	await migrateTo(db, '0013_doc_clients');
	// Two documents interleaved in one log, one of them compacted up to an id.
	const doc = new Y.Doc();
	const updates: Uint8Array[] = [];
	doc.on('update', (u: Uint8Array) => updates.push(u));
	for (const ch of '旧日志') doc.getText('t').insert(doc.getText('t').length, ch);
	const other = new Y.Doc();
	other.getText('t').insert(0, '另一文档');
	await db.insertInto('doc_updates').values([
		{ doc_id: 'a', data: updates[0] },
		{ doc_id: 'b', data: Y.encodeStateAsUpdate(other) },
		{ doc_id: 'a', data: updates[1] },
		{ doc_id: 'a', data: updates[2] }
	]).execute();
	const first = new Y.Doc();
	Y.applyUpdate(first, updates[0]);
	await db.insertInto('doc_snapshots').values({ doc_id: 'a', data: Y.encodeStateAsUpdate(first), up_to_id: 1, updated_at: 1 }).execute();
	await db.deleteFrom('doc_updates').where('id', '=', 1).execute();
	await db.destroy();

	const storage = await openSqliteStorage(file);
	try {
		const a = await storage.updates.load('a');
		const text = new Y.Doc();
		for (const part of [a.snapshot!, ...a.updates]) Y.applyUpdate(text, part);
		expect(text.getText('t').toString()).toBe('旧日志');
		expect(a.lastSeq).toBe(4);
		expect((await storage.updates.since('a', 1))?.map((u) => u.seq)).toEqual([3, 4]);
		expect(await storage.updates.append([{ docId: 'a', data: updates[2] }, { docId: 'b', data: updates[0] }, { docId: 'new', data: updates[0] }])).toEqual([5, 3, 1]);
	} finally {
		await storage.close();
	}
});
