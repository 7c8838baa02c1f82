import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Session, api, createUser, login } from '../helpers/api.js';
import { launchBrowser, openDocument, signedInPage } from '../helpers/browser.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { approve, breakoutWithPlan } from '../helpers/ledger.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';
import type { Browser } from 'playwright-core';

/**
 * Guarantee: content is data, never code. HTML pasted into the editor and elements written as raw Yjs
 * beneath it (script elements, on* attributes, javascript: links, SVG and iframes) never run in
 * another user's browser — the watching browser records every dialog and every flag a script would
 * set — and the exports carry them only as text.
 */
let server: TestServer;
let browser: Browser;
let admin: Session;
let writer: Page;
let watcher: Page;
let dialogs: string[];

const payload = [
	`<p>正常段落<img src="x" onerror="window.__pwned='img';alert('img')"></p>`,
	`<script>window.__pwned='script';alert('script')</script>`,
	`<p><a href="javascript:window.__pwned='link';alert('link')">点我查看</a></p>`,
	`<svg onload="window.__pwned='svg'"><a xlink:href="javascript:alert('svg')"><text>矢量</text></a></svg>`,
	`<iframe src="javascript:parent.__pwned='iframe'"></iframe>`,
	`<p onclick="window.__pwned='onclick'" style="background:url(javascript:alert(1))">可点击段落</p>`,
	`<details open ontoggle="window.__pwned='details'"><summary>摘要</summary></details>`
].join('');

beforeAll(async () => {
	server = await TestServer.start();
	browser = await launchBrowser();
	admin = await login(server.url, adminUsername, adminPassword);
	for (const u of ['hc-writer', 'hc-watcher']) await createUser(server.url, admin, { username: u, password: `${u}-password`, displayName: u, unit: '' });
	writer = (await signedInPage(browser, server.url, 'hc-writer', 'hc-writer-password')).page;
	watcher = (await signedInPage(browser, server.url, 'hc-watcher', 'hc-watcher-password')).page;
	dialogs = [];
	for (const p of [writer, watcher]) p.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
});
afterAll(async () => {
	await browser?.close();
	await server.stop();
	server.removeData();
});

const pwned = (p: Page) => p.evaluate(() => (window as unknown as { __pwned?: string }).__pwned ?? null);

test('HTML pasted into the editor keeps its text and loses its code; nothing runs for the writer or the watcher', async () => {
	const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '粘贴测试' } })).body.id as string;
	await openDocument(writer, server.url, docId);
	await openDocument(watcher, server.url, docId);
	await writer.click('.ProseMirror');
	await writer.evaluate((html) => {
		const data = new DataTransfer();
		data.setData('text/html', html);
		data.setData('text/plain', '粘贴');
		document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
	}, payload);
	await watcher.waitForSelector('.ProseMirror :text("可点击段落")');
	await watcher.waitForSelector('.ProseMirror :text("点我查看")');
	// Click everything that looks clickable, as a curious reader would.
	for (const text of ['点我查看', '可点击段落', '正常段落']) await watcher.click(`.ProseMirror :text("${text}")`);
	await new Promise((r) => setTimeout(r, 300));
	const html = await watcher.innerHTML('.ProseMirror');
	expect(html).not.toMatch(/<script|<iframe|<svg|onerror|onclick|ontoggle|javascript:/i);
	expect(await pwned(watcher)).toBeNull();
	expect(await pwned(writer)).toBeNull();
	expect(dialogs).toEqual([]);
	// Markup that does reach the page's DOM no longer runs at all: the Content-Security-Policy refuses
	// inline handlers, a second wall behind the editor's schema.
	await watcher.evaluate(() => document.body.insertAdjacentHTML('beforeend', `<img id="probe" src="x" onerror="window.__pwned='probe'">`));
	await watcher.waitForFunction(() => (document.getElementById('probe') as HTMLImageElement | null)?.complete === true);
	expect(await pwned(watcher)).toBeNull();
	// The watch itself works: code that runs in the page, and the dialog it opens, are seen.
	await watcher.evaluate(() => {
		(window as unknown as { __pwned?: string }).__pwned = 'probe';
		alert('probe');
	});
	await waitFor(async () => (await pwned(watcher)) === 'probe' && dialogs.includes('probe'), 'the probe is seen');
	dialogs.splice(0);
});

test('elements written as raw Yjs beneath the editor (script, iframe, on* attributes, javascript: links) never run in the watching browser', async () => {
	const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '原始写入' } })).body.id as string;
	// Elements the editor does not have (script, iframe, image) are refused by the server outright:
	// the writer is closed (4400) and nothing of the update is stored.
	const refused = connectClient(server.wsUrl, docId, admin.cookie);
	const codes: number[] = [];
	refused.provider.on('connection-close', (e: { code: number } | null) => codes.push(e?.code ?? 0));
	await waitFor(() => refused.provider.synced, 'synced');
	refused.doc.transact(() => {
		const script = new Y.XmlElement('script');
		script.insert(0, [new Y.XmlText("window.__pwned='raw-script';alert('raw')")]);
		const iframe = new Y.XmlElement('iframe');
		iframe.setAttribute('src', "javascript:parent.__pwned='raw-iframe'");
		const img = new Y.XmlElement('image');
		img.setAttribute('src', 'x');
		img.setAttribute('onerror', "window.__pwned='raw-img'");
		refused.doc.getXmlFragment('default').push([script, iframe, img]);
	});
	await waitFor(() => codes.includes(4400), 'the writer is closed');
	refused.destroy();
	// Elements it has, with attributes and marks an attacker chose, are stored and must stay harmless.
	const raw = connectClient(server.wsUrl, docId, admin.cookie);
	await waitFor(() => raw.provider.synced, 'synced');
	expect(raw.doc.getXmlFragment('default').toString()).not.toMatch(/script|iframe|image/);
	raw.doc.transact(() => {
		const frag = raw.doc.getXmlFragment('default');
		const p = new Y.XmlElement('paragraph');
		p.setAttribute('onclick', "window.__pwned='raw-onclick'");
		p.setAttribute('style', 'position:fixed;inset:0');
		const text = new Y.XmlText();
		text.insert(0, '原始链接', { link: { href: "javascript:window.__pwned='raw-link';alert('link')" } });
		p.insert(0, [text]);
		const heading = new Y.XmlElement('heading');
		heading.setAttribute('level', '<img src=x onerror=alert(1)>' as unknown as string);
		heading.insert(0, [new Y.XmlText('标题')]);
		frag.push([p, heading]);
	});
	await openDocument(watcher, server.url, docId);
	await watcher.waitForSelector('.ProseMirror :text("原始链接")');
	await watcher.click('.ProseMirror :text("原始链接")');
	await new Promise((r) => setTimeout(r, 300));
	const html = await watcher.innerHTML('.ProseMirror');
	expect(html).not.toMatch(/<script|<iframe|onerror|onclick|javascript:/i);
	expect(await pwned(watcher)).toBeNull();
	expect(dialogs).toEqual([]);
	// The page is still whole: the watcher follows further edits.
	raw.doc.getXmlFragment('default').push([new Y.XmlElement('paragraph')]);
	((raw.doc.getXmlFragment('default').get(raw.doc.getXmlFragment('default').length - 1) as Y.XmlElement)).insert(0, [new Y.XmlText('后续正常编辑')]);
	await watcher.waitForSelector('.ProseMirror :text("后续正常编辑")');
	raw.destroy();
});

test('the same content in the minutes reaches the DOCX export only as escaped text, with no link or script', async () => {
	const conferenceId = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '导出安全' } })).body.id as string;
	// An approval creates the consolidated minutes; the expert panel's raw writes go beneath the editor.
	await createUser(server.url, admin, { username: 'hc-author', password: 'hc-author-password', displayName: '作者', unit: '' });
	const author = await login(server.url, 'hc-author', 'hc-author-password');
	const plan = await breakoutWithPlan(server.url, server.wsUrl, admin, conferenceId, author, [{ text: '措施', responsibleUnit: '某单位', deadline: '2025-12-31' }]);
	await approve(server.url, admin, author, plan.planId, plan.measureIds);
	const raw = connectClient(server.wsUrl, `minutes_${conferenceId}`, admin.cookie);
	await waitFor(() => raw.provider.synced, 'synced');
	raw.doc.transact(() => {
		const p = new Y.XmlElement('paragraph');
		const text = new Y.XmlText();
		text.insert(0, '原始链接<w:t>', { link: { href: 'javascript:alert(1)' } });
		p.insert(0, [text]);
		// Markup of the DOCX itself, typed as text (an element the editor lacks, script, is refused).
		const injected = new Y.XmlElement('paragraph');
		injected.insert(0, [new Y.XmlText('</w:t></w:r><w:r><w:t>注入')]);
		raw.doc.getXmlFragment('default').push([p, injected]);
	});
	const stored = connectClient(server.wsUrl, `minutes_${conferenceId}`, admin.cookie);
	await waitFor(() => stored.provider.synced && stored.doc.getXmlFragment('default').toString().includes('注入'), 'stored');
	raw.destroy();
	stored.destroy();
	const res = await fetch(`${server.url}/api/conferences/${conferenceId}/exports/minutes.docx`, { headers: { cookie: admin.cookie } });
	expect(res.status).toBe(200);
	const JSZip = (await import('jszip')).default;
	const xml = await (await JSZip.loadAsync(await res.arrayBuffer())).file('word/document.xml')!.async('string');
	expect(xml).toContain('原始链接&lt;w:t&gt;');
	expect(xml).toContain('&lt;/w:t&gt;&lt;/w:r&gt;&lt;w:r&gt;&lt;w:t&gt;注入');
	expect(xml).not.toMatch(/hyperlink|javascript:|<script/i);
});
