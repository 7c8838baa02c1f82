import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { DocumentService } from '../../server/domain/documents.js';
import { exclusiveWith } from '../../server/domain/exclusive.js';
import { seedBlocks } from '../../server/domain/templates.js';
import { openSqliteStorage } from '../../server/storage/sqlite/open-sqlite.js';
import type { Storage } from '../../server/storage/types.js';

const opened: Storage[] = [];
const dirs: string[] = [];
afterEach(async () => {
	for (const s of opened.splice(0)) await s.close();
	for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

async function store(): Promise<Storage> {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-writers-'));
	dirs.push(dir);
	const s = await openSqliteStorage(path.join(dir, 'concord.db'));
	opened.push(s);
	await s.users.create({ id: 'u1', username: 'org', displayName: '主办方', unit: '', color: '#000', passwordHash: 'x', isAdmin: true, createdAt: 1, guestConferenceId: null, phone: '', email: '' });
	return s;
}

test('two processes creating the same fixed document at once (a conference\'s minutes) store its template once', async () => {
	const s = await store();
	// Two instances: two services, each with its own in-process guard, on one store.
	const service = () => new DocumentService(s.documents, async (docId, update, clientId) => void (await s.updates.append([{ docId, data: update, claims: [{ clientId, userId: '' }] }])));
	const input = {
		id: 'minutes_c1',
		kind: 'minutes' as const,
		title: '总结会纪要',
		ownerId: 'u1',
		parent: { kind: 'workspace' as const, id: null },
		seed: (doc: Y.Doc) => seedBlocks(doc, [{ type: 'heading', attrs: { level: 2 }, text: '一、会议概况' }, { type: 'paragraph', text: '' }])
	};
	await Promise.all([service().ensure(input), service().ensure(input)]);
	const stored = await s.updates.load('minutes_c1');
	// Both wrote the template (neither saw the other's record yet) ...
	expect(stored.updates).toHaveLength(2);
	// ... under the same client id, so the document has it once; the id belongs to the server.
	const doc = new Y.Doc();
	for (const u of stored.updates) Y.applyUpdate(doc, u);
	const headings = doc.getXmlFragment('default').toArray().filter((n) => n instanceof Y.XmlElement && n.nodeName === 'heading');
	expect(headings).toHaveLength(1);
	expect(stored.claims).toEqual([{ clientId: expect.any(Number), userId: '' }]);
	expect((await s.documents.get('minutes_c1'))?.title).toBe('总结会纪要');
});

test('work under one lease never overlaps, whichever process (or use in one process) asks; a dead holder frees it when it runs out', async () => {
	const s = await store();
	const a = exclusiveWith(s.leases, 'instance-a', { ttlMs: 5000, waitMs: 10_000, pollMs: 5 });
	const b = exclusiveWith(s.leases, 'instance-b', { ttlMs: 5000, waitMs: 10_000, pollMs: 5 });
	let inside = 0;
	let most = 0;
	const work = async () => {
		inside++;
		most = Math.max(most, inside);
		await new Promise((r) => setTimeout(r, 3));
		inside--;
	};
	await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 3 === 0 ? b : a)('minutes:c1', work)));
	expect(most).toBe(1);
	// A lease held by a process that died (never released) is free once it runs out.
	let clock = 1000;
	expect(await s.leases.take('minutes:c2', 'dead', clock, clock + 50)).toBe(true);
	const c = exclusiveWith(s.leases, 'instance-c', { ttlMs: 5000, waitMs: 1000, pollMs: 5 }, () => (clock += 10));
	expect(await c('minutes:c2', async () => 'done')).toBe('done');
	// Work that outlasts the lease's life keeps it: it is renewed while the work runs.
	const short = { ttlMs: 60, waitMs: 10_000, pollMs: 5 };
	const [x, y] = [exclusiveWith(s.leases, 'instance-x', short), exclusiveWith(s.leases, 'instance-y', short)];
	inside = 0;
	most = 0;
	const long = async () => {
		inside++;
		most = Math.max(most, inside);
		await new Promise((r) => setTimeout(r, 250));
		inside--;
	};
	await Promise.all([x('minutes:c3', long), y('minutes:c3', long)]);
	expect(most).toBe(1);
});
