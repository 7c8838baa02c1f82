import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { openDocument, signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { createBreakout, newMember, putMember } from '../helpers/conference.js';

let conferenceId: string;
let breakoutId: string;
let moderatorSession: Session;
let pages: { moderator: Page; observer: Page };

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	conferenceId = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '现场研讨', startDate: '2025-07-17' } })).body.id;
	breakoutId = await createBreakout(server.url, admin, conferenceId, '水利组');
	moderatorSession = await newMember(server.url, admin, 'live-mod', '赵召集人', '戊省水利厅');
	const observer = await newMember(server.url, admin, 'live-obs', '县政府代表', '戊省某县人民政府');
	await putMember(server.url, admin, conferenceId, moderatorSession.userId, { role: 'moderator', breakoutIds: [breakoutId] });
	await putMember(server.url, admin, conferenceId, observer.userId, { role: 'observer', breakoutIds: [breakoutId] });
	pages = {
		moderator: (await signedInPage(browser, server.url, 'live-mod', 'live-mod-password')).page,
		observer: (await signedInPage(browser, server.url, 'live-obs', 'live-obs-password')).page
	};
});

/** A long breakout document, written through a plain sync client. */
async function longDocument(title: string, paragraphs: number): Promise<string> {
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: moderatorSession.cookie, body: { title, kind: 'notes', breakoutId } })).body.id;
	const c = connectClient(f.server.wsUrl, docId, moderatorSession.cookie);
	await waitFor(() => c.provider.synced, 'synced');
	const frag = c.doc.getXmlFragment('default');
	frag.insert(
		frag.length,
		Array.from({ length: paragraphs }, (_, i) => {
			const p = new Y.XmlElement('paragraph');
			p.insert(0, [new Y.XmlText(`第${i + 1}段：移民安置点建设进度说明。`)]);
			return p;
		})
	);
	await waitFor(async () => (await api(f.server.url, 'GET', `/api/documents/${docId}`, { cookie: f.admin.cookie })).status === 200, 'stored');
	await new Promise((r) => setTimeout(r, 300));
	c.destroy();
	return docId;
}

const inView = (p: Page, selector: string) =>
	p.locator(selector).evaluate((el) => {
		const r = el.getBoundingClientRect();
		return r.top >= 0 && r.bottom <= window.innerHeight;
	});

test("the moderator presents and the viewer's page follows the moderator's position", async () => {
	const docId = await longDocument('移民安置说明', 60);
	const { moderator, observer } = pages;
	await openDocument(moderator, f.server.url, docId);
	await openDocument(observer, f.server.url, docId);
	await observer.waitForSelector('text=第60段');

	await moderator.click('[data-testid="present"]');
	await moderator.click('.ProseMirror p:has-text("第50段")');
	await observer.waitForSelector('.ProseMirror p.presented:has-text("第50段")');
	await waitFor(() => inView(observer, '.ProseMirror p.presented'), 'the presented paragraph scrolled into view');

	await moderator.click('.ProseMirror p:has-text("第5段：")');
	await observer.waitForSelector('.ProseMirror p.presented:has-text("第5段：")');
	await waitFor(() => inView(observer, '.ProseMirror p.presented'), 'and back up');

	// Unfollowing stops it.
	await observer.uncheck('[data-testid="follow"]');
	await moderator.click('.ProseMirror p:has-text("第55段")');
	await new Promise((r) => setTimeout(r, 500));
	expect(await observer.locator('.ProseMirror p.presented').count()).toBe(0);
	await moderator.click('[data-testid="present"]');
});

test('an observer asks, the moderator answers and hides; a raised hand is granted and the observer can type', async () => {
	const docId = await longDocument('问答与举手', 3);
	const { moderator, observer } = pages;
	await openDocument(moderator, f.server.url, docId);
	await openDocument(observer, f.server.url, docId);

	await observer.fill('textarea[name=question]', '移民安置点能否在10月底前交付？');
	await observer.click('button:has-text("提问") >> nth=-1');
	await moderator.waitForSelector('li[data-question]:has-text("移民安置点能否在10月底前交付？")');
	await moderator.fill('li[data-question] input[type=text]', '省水利厅已挂图作战，10月底前交付。');
	await moderator.click('li[data-question] button:has-text("答复")');
	await observer.waitForSelector('li[data-question] .answer:has-text("10月底前交付")');

	await moderator.click('li[data-question] button:has-text("隐藏")');
	await waitFor(async () => (await observer.locator('li[data-question]').count()) === 0, 'the hidden question is gone for the observer');

	expect(await observer.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');
	await observer.click('[data-testid="raise-hand"]');
	await moderator.click('.hands button:has-text("授予编辑")');
	await observer.waitForSelector('[data-testid="granted"]');
	await waitFor(async () => (await observer.locator('.ProseMirror').getAttribute('contenteditable')) === 'true', 'the observer may type');
	await observer.click('.ProseMirror p >> nth=-1');
	await observer.keyboard.press('End');
	await observer.keyboard.type('（县政府补充）');
	await moderator.waitForSelector('.ProseMirror p:has-text("县政府补充")');
	const log = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit?action=edit.granted`, { cookie: f.admin.cookie })).body.entries;
	expect(log).toHaveLength(1);
});
