import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { type Session, api, login } from '../helpers/api.js';
import { editorText, launchBrowser, signedInPage } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';

let server: TestServer;
let browser: Browser;
let admin: Session;
let docId: string;

beforeAll(async () => {
	server = await TestServer.start();
	browser = await launchBrowser();
	admin = await login(server.url, adminUsername, adminPassword);
	const conferenceId = await createConference(server.url, admin, '总结会');
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	for (const [username, role] of [
		['editor01', 'participant'],
		['remote01', 'observer']
	] as const) {
		await newMember(server.url, admin, username, username === 'editor01' ? '李华' : '远程列席代表', '甲省');
		const id = (await api(server.url, 'GET', '/api/users', { cookie: admin.cookie })).body.users.find((u: { username: string }) => u.username === username).id;
		await putMember(server.url, admin, conferenceId, id, { role, breakoutIds: [breakoutId] });
	}
	docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '交通组根因分析', breakoutId } })).body.id;
});

afterAll(async () => {
	await browser?.close();
	await server.stop();
	server.removeData();
});

test('a remote observer sees the live document but cannot type; editors see "1 人旁听"', async () => {
	const editor = (await signedInPage(browser, server.url, 'editor01', 'editor01-password')).page;
	const observer = (await signedInPage(browser, server.url, 'remote01', 'remote01-password')).page;
	await editor.goto(`${server.url}/d/${docId}`);
	await editor.waitForSelector('.status[data-status="saved"]');
	await observer.goto(`${server.url}/d/${docId}`);
	await observer.waitForSelector('[data-testid="read-only"]');
	expect(await observer.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
	expect(await observer.locator('[role="toolbar"]').count()).toBe(0);

	await editor.click('.ProseMirror');
	await editor.keyboard.type('征地拆迁滞后');
	await waitFor(async () => (await editorText(observer)) === '征地拆迁滞后', 'the observer sees live typing');
	await editor.waitForSelector('text=1 人旁听');

	await observer.click('.ProseMirror');
	await observer.keyboard.type('不应出现');
	await new Promise((r) => setTimeout(r, 300));
	expect(await editorText(editor)).toBe('征地拆迁滞后');
	expect(await editorText(observer)).toBe('征地拆迁滞后');
});
