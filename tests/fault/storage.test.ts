import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Session, api, login } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';
import { withOrigin } from '../helpers/origin.js';

/**
 * Guarantee: a storage failure loses nothing and misleads no one. While the store refuses writes (a
 * full disk, injected at the storage interface by CONCORD_FAULT_STORAGE_FILE), updates are neither
 * relayed nor acknowledged; clients keep them; /healthz says what is wrong; once storage works again the
 * clients' changes are stored and reach everyone, without a restart.
 */
const flag = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'concord-disk-')), 'disk-full');
let server: TestServer;
let admin: Session;
beforeAll(async () => {
	server = await TestServer.start({ env: { CONCORD_FAULT_STORAGE_FILE: flag } });
	admin = await login(server.url, adminUsername, adminPassword);
});
afterAll(async () => {
	fs.rmSync(path.dirname(flag), { recursive: true, force: true });
	await server.stop();
	server.removeData();
});

const health = async () => {
	const res = await fetch(`${server.url}/healthz`);
	return { status: res.status, body: (await res.json()) as { ok: boolean; error?: { code: string; message: string } } };
};

test('a full disk: nothing relayed or acknowledged, clients keep their changes, /healthz says why; after recovery everything is stored and shared, without a restart', async () => {
	const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '磁盘已满' } })).body.id as string;
	const a = connectClient(server.wsUrl, docId, admin.cookie);
	const b = connectClient(server.wsUrl, docId, admin.cookie);
	const codes: number[] = [];
	a.provider.on('connection-close', (e: CloseEvent | null) => e && codes.push(e.code));
	try {
		await waitFor(() => a.provider.synced && b.provider.synced, 'synced');
		a.text.insert(0, '磁盘满之前：');
		await waitFor(() => b.text.toString() === '磁盘满之前：', 'stored before the failure');

		fs.writeFileSync(flag, '');
		a.text.insert(a.text.length, '故障期间的修改一');
		await waitFor(() => codes.includes(4507), 'the writer is told the server cannot store');
		const failing = await health();
		expect(failing.status).toBe(503);
		expect(failing.body.error?.code).toBe('storage_failed');
		expect(failing.body.error?.message).toContain('ENOSPC');
		a.text.insert(a.text.length, '，故障期间的修改二');
		await new Promise((r) => setTimeout(r, 1500));
		// Nothing of it reached the other client: it was never stored.
		expect(b.text.toString()).toBe('磁盘满之前：');

		// A raw client that asks for acknowledgements gets none for what could not be stored.
		const frames: number[] = [];
		const raw = new (await import('ws')).default(`${server.wsUrl}/${docId}?ack=1`, { headers: withOrigin(server.wsUrl, { cookie: admin.cookie }) });
		raw.binaryType = 'nodebuffer';
		raw.on('message', (data: Buffer) => frames.push(data[0]));
		const rawClosed = new Promise<number>((r) => raw.once('close', (code: number) => r(code)));
		await new Promise((r) => raw.once('open', r));
		const d = new Y.Doc();
		d.getText('t').insert(0, '未保存');
		const e = encoding.createEncoder();
		encoding.writeVarUint(e, 0);
		encoding.writeVarUint(e, 2);
		encoding.writeVarUint8Array(e, Y.encodeStateAsUpdate(d));
		raw.send(encoding.toUint8Array(e));
		expect(await rawClosed).toBe(4507);
		expect(frames).not.toContain(8);

		// Storage is back: the writer's changes are stored and reach the other client.
		fs.rmSync(flag);
		const expected = '磁盘满之前：故障期间的修改一，故障期间的修改二';
		await waitFor(() => b.text.toString() === expected && a.text.toString() === expected, 'the changes arrive after recovery', 30_000);
		await waitFor(async () => (await health()).status === 200, '/healthz is well again');
		const fresh = connectClient(server.wsUrl, docId, admin.cookie);
		try {
			await waitFor(() => fresh.provider.synced && fresh.text.toString() === expected, 'stored');
		} finally {
			fresh.destroy();
		}
	} finally {
		a.destroy();
		b.destroy();
	}
});

test('in the browser: while storage fails the page says so and keeps the text; once it works again the page says saved and the text is stored', async () => {
	const { launchBrowser, openDocument, signedInPage } = await import('../helpers/browser.js');
	const browser = await launchBrowser();
	try {
		const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '浏览器中的存储故障' } })).body.id as string;
		const { page } = await signedInPage(browser, server.url, adminUsername, adminPassword);
		await openDocument(page, server.url, docId);
		await page.click('.ProseMirror');
		fs.writeFileSync(flag, '');
		await page.keyboard.type('存储故障时输入的内容');
		await page.waitForSelector('.status[data-status="storage-failed"]');
		expect(await page.textContent('.status')).toContain('服务器暂时无法保存');
		expect(await page.textContent('.ProseMirror')).toContain('存储故障时输入的内容');
		fs.rmSync(flag);
		await page.waitForSelector('.status[data-status="saved"]', { timeout: 30_000 });
		const fresh = connectClient(server.wsUrl, docId, admin.cookie);
		try {
			await waitFor(() => fresh.provider.synced && fresh.doc.getXmlFragment('default').toString().includes('存储故障时输入的内容'), 'stored');
		} finally {
			fresh.destroy();
		}
	} finally {
		await browser.close();
	}
});
