import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { editorText, launchBrowser, openDocument, signedInPage } from '../helpers/browser.js';
import { placeCaret } from '../helpers/co-editing.js';
import { createBreakout, createConference, putMember } from '../helpers/conference.js';
import { type Fixture, bobAccount, startWithUsers } from '../helpers/fixture.js';
import { adminPassword, adminUsername } from '../helpers/server.js';

/**
 * A document at its size limit: the writer's page keeps the text, says in Chinese that the document is
 * full and the organizers were told, and offers to reconnect; the organizer's conference page says
 * which document.
 */
let f: Fixture;
let browser: Browser;

beforeAll(async () => {
	f = await startWithUsers({ env: { CONCORD_MAX_DOCUMENT_BYTES: String(96 * 1024) } });
	browser = await launchBrowser();
});
afterAll(async () => {
	await browser?.close();
	await f?.server.stop();
	f?.server.removeData();
});

test('pasting past the size limit: the text stays, the page says the document is full, the organizer is told', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '大小上限会议');
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '市政组');
	await putMember(f.server.url, f.admin, conferenceId, f.bob.userId, { role: 'participant', breakoutIds: [breakoutId] });
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.bob.cookie, body: { title: '超长材料', kind: 'notes', breakoutId } })).body.id as string;

	const organizer = (await signedInPage(browser, f.server.url, adminUsername, adminPassword)).page;
	await organizer.goto(`${f.server.url}/c/${conferenceId}`);
	await organizer.waitForSelector('h1');

	const { page } = await signedInPage(browser, f.server.url, bobAccount.username, bobAccount.password);
	await openDocument(page, f.server.url, docId);
	await placeCaret(page, 0, 0);
	const chunk = '市政管网改造工程进度滞后情况说明。'.repeat(1200);
	for (let i = 0; i < 3; i++) {
		await page.evaluate((text) => {
			const data = new DataTransfer();
			data.setData('text/plain', text);
			document.querySelector('.ProseMirror')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
		}, chunk);
		await page.waitForSelector('.status[data-status="saved"], .status[data-status="document-full"]');
	}
	await page.waitForSelector('.status[data-status="document-full"]');
	const alert = await page.textContent('[data-testid="cannot-save"]');
	expect(alert).toContain('文档已达到服务器允许的大小上限');
	expect(alert).toContain('已通知会议组织者');
	// Nothing typed is lost on the page: all three pastes are still there.
	expect((await editorText(page)).length).toBe(chunk.length * 3);
	expect(await page.isVisible('[data-testid="cannot-save"] button')).toBe(true);

	await organizer.waitForSelector('[data-testid="document-full"]');
	expect(await organizer.textContent('[data-testid="document-full"]')).toContain('《超长材料》');
	await organizer.context().close();
	await page.context().close();
});
