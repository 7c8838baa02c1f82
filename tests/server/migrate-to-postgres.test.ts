import { spawn } from 'node:child_process';
import path from 'node:path';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { api, login } from '../helpers/api.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { aliceAccount, startWithUsers, type Fixture } from '../helpers/fixture.js';
import { approve, breakoutWithPlan, png, postReport, unitMember } from '../helpers/ledger.js';
import { TestPostgres } from '../helpers/postgres.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

let postgres: TestPostgres;
let f: Fixture;
beforeAll(async () => {
	postgres = await TestPostgres.start();
	f = await startWithUsers();
});
afterAll(async () => {
	await f?.server.stop();
	f?.server.removeData();
	await postgres?.stop();
});

/** `npm run migrate-to-postgres` as an operator runs it, on the installation's data directory. */
function migrate(dataDir: string, databaseUrl: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
	const proc = spawn(process.execPath, [path.resolve('dist/migrate-to-postgres.js')], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] });
	let stdout = '';
	let stderr = '';
	proc.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
	proc.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
	return new Promise((resolve) => proc.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const text = (c: { doc: Y.Doc }) => c.doc.getText('notes').toString();

test('an installation on SQLite moves to PostgreSQL: copied, verified, resumable, refused while Concord runs, and the server on PostgreSQL has everything', async () => {
	// An installation with accounts, a conference, an approved measure, a progress report with evidence and a document.
	const conferenceId = await createConference(f.server.url, f.admin, '迁移测试会议');
	const plan = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, [{ text: '成立市级征拆专班', responsibleUnit: '甲省江州市人民政府', deadline: '2099-08-31' }]);
	const [proposalId] = await approve(f.server.url, f.admin, f.alice, plan.planId, plan.measureIds);
	const unit = await unitMember(f.server.url, f.admin, conferenceId, 'jz-unit', '李副市长', '甲省江州市人民政府', 'participant', [plan.breakoutId]);
	const report = await postReport(f.server.url, unit, proposalId, { progress: '专班已成立', percent: 40 }, [{ name: '专班文件.png', bytes: png, type: 'image/png' }]);
	expect(report.status).toBe(201);
	const evidenceId = report.body.reports[0].evidence[0].id as string;
	const writer = await syncedClient(f.server.wsUrl, plan.planId, f.alice.cookie);
	writer.doc.getText('notes').insert(0, '迁移前写下的内容𠀾');
	await waitFor(async () => {
		const check = await syncedClient(f.server.wsUrl, plan.planId, f.admin.cookie);
		const ok = text(check) === '迁移前写下的内容𠀾';
		check.destroy();
		return ok;
	}, 'the edit is stored');
	writer.destroy();
	// The dashboard's lamp rule and a plan's project go along.
	expect((await api(f.server.url, 'PUT', `/api/conferences/${conferenceId}/lamp-thresholds`, { cookie: f.admin.cookie, body: { amberBelow: -10, redBelow: -30 } })).status).toBe(200);
	const projectId = (await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/projects`, { cookie: f.admin.cookie, body: { breakoutId: plan.breakoutId, name: '甲省沿江高速公路扩容工程', code: '2023-330000-48-01-000101', sector: '交通', region: '甲省', ownerUnit: '甲省沿江高速公路建设有限公司' } })).body.id as string;
	expect((await api(f.server.url, 'PUT', `/api/documents/${plan.planId}/project`, { cookie: f.alice.cookie, body: { projectId } })).status).toBe(200);
	// A case of the case library, its measure frozen with its numbers.
	const made = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/cases`, {
		cookie: f.admin.cookie,
		body: { kind: 'lesson', title: '先开工后征拆', proposalId, sections: { background: '迁移前的案例', practice: '', outcome: '', lessons: '', clauses: '' } }
	});
	expect(made.status).toBe(201);
	const dataDir = f.server.dataDir;
	const url = await postgres.createDatabase();

	// While Concord runs on the data directory, the copy is refused and copies nothing.
	const busy = await migrate(dataDir, url);
	expect(busy.code).toBe(1);
	expect(busy.stderr).toMatch(/in use by another Concord process/u);
	await f.server.stop();

	const first = await migrate(dataDir, url);
	expect(first.code, first.stderr).toBe(0);
	expect(first.stdout).toMatch(/verified: 40 tables/u);
	expect(first.stdout).toMatch(/doc_updates: \d+ rows, \d+ copied now/u);

	// An interrupted copy (here: rows missing) is run again and completes; nothing is doubled.
	const onTarget = (sql: string) => postgres.query(sql, new URL(url).pathname.slice(1));
	const removed = {
		ledger_events: (await onTarget('DELETE FROM ledger_events')).rowCount ?? 0,
		doc_snapshots: (await onTarget('DELETE FROM doc_snapshots')).rowCount ?? 0,
		users: (await onTarget(`DELETE FROM users WHERE username = 'bob'`)).rowCount ?? 0
	};
	expect(Object.values(removed).every((n) => n > 0), JSON.stringify(removed)).toBe(true);
	const again = await migrate(dataDir, url);
	expect(again.code, again.stderr).toBe(0);
	for (const [table, n] of Object.entries(removed)) expect(again.stdout).toMatch(new RegExp(`${table}: \\d+ rows, ${n} copied now`, 'u'));
	expect(again.stdout).toMatch(/verified/u);

	// A target that holds something else is named, table by table, and the run fails.
	await onTarget(`UPDATE users SET display_name = '改过的名字' WHERE username = 'alice'`);
	const differs = await migrate(dataDir, url);
	expect(differs.code).toBe(1);
	expect(differs.stderr).toMatch(/does not hold the same rows as SQLite in: users \(SQLite \d+ rows, PostgreSQL \d+\)/u);
	await onTarget(`UPDATE users SET display_name = '${aliceAccount.displayName}' WHERE username = 'alice'`);

	// Concord on PostgreSQL, same data directory: the same sign-in, document, ledger and evidence.
	f.server = await TestServer.start({ dataDir, env: { DATABASE_URL: url } });
	const alice = await login(f.server.url, aliceAccount.username, aliceAccount.password);
	const reader = await syncedClient(f.server.wsUrl, plan.planId, alice.cookie);
	expect(text(reader)).toBe('迁移前写下的内容𠀾');
	// New edits take ids after the copied ones, and survive a restart.
	reader.doc.getText('notes').insert(text(reader).length, '，迁移后续写');
	await waitFor(async () => {
		const check = await syncedClient(f.server.wsUrl, plan.planId, f.admin.cookie).catch(() => null);
		const ok = check !== null && text(check).endsWith('迁移后续写');
		check?.destroy();
		return ok;
	}, 'the new edit is stored');
	reader.destroy();
	await f.server.stop();
	f.server = await f.server.restart();
	const admin = await login(f.server.url, adminUsername, adminPassword);
	const after = await syncedClient(f.server.wsUrl, plan.planId, admin.cookie);
	expect(text(after)).toBe('迁移前写下的内容𠀾，迁移后续写');
	after.destroy();
	const item = await api(f.server.url, 'GET', `/api/ledger/${proposalId}`, { cookie: admin.cookie });
	expect(item.body).toMatchObject({ status: 'in_progress', percent: 40 });
	expect((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/dashboard`, { cookie: admin.cookie })).body.thresholds).toEqual({ amberBelow: -10, redBelow: -30, custom: true });
	expect((await api(f.server.url, 'GET', `/api/documents/${plan.planId}`, { cookie: admin.cookie })).body.projectId).toBe(projectId);
	const file = await fetch(`${f.server.url}/api/evidence/${evidenceId}`, { headers: { cookie: admin.cookie, connection: 'close' } });
	expect(new Uint8Array(await file.arrayBuffer())).toEqual(png);
	const kept = await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/cases/${made.body.id}`, { cookie: admin.cookie });
	expect(kept.body).toMatchObject({ title: '先开工后征拆', sections: { background: '迁移前的案例' }, measure: { number: 'JY-01', ledgerNumber: 'ZG-JT-001' } });
});
