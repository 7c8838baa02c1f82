import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { editorText, openDocument, signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { createBreakout, newMember, putMember } from '../helpers/conference.js';

let pages: { writer: Page; other: Page; phone: Page };
let docId: string;

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	const conferenceId = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '版本测试会议', startDate: '2025-07-17' } })).body.id;
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	for (const [username, name, unit, role] of [
		['ve-writer', '李卫东', '甲省江州市人民政府', 'participant'],
		['ve-other', '王建国', '中衡路桥工程集团', 'participant'],
		['ve-phone', '钱处长', '审计署', 'observer']
	] as const) {
		const s = await newMember(server.url, admin, username, name, unit);
		await putMember(server.url, admin, conferenceId, s.userId, { role, breakoutIds: [breakoutId] });
	}
	docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '交通组讨论记录', kind: 'notes', breakoutId } })).body.id;
	const c = await syncedClient(server.wsUrl, docId, admin.cookie);
	const frag = c.doc.getXmlFragment('default');
	frag.delete(0, frag.length);
	frag.insert(0, [
		['para01', '征拆滞后是主要原因'],
		['para02', '建议成立专班']
	].map(([id, text]) => {
		const p = new Y.XmlElement('paragraph');
		p.setAttribute('blockId', id);
		p.insert(0, [new Y.XmlText(text)]);
		return p;
	}));
	await waitFor(async () => {
		const check = await syncedClient(server.wsUrl, docId, admin.cookie);
		const ok = check.doc.getXmlFragment('default').toString().includes('建议成立专班');
		check.destroy();
		return ok;
	}, 'the paragraphs are stored');
	c.destroy();
	pages = {
		writer: (await signedInPage(browser, server.url, 've-writer', 've-writer-password')).page,
		other: (await signedInPage(browser, server.url, 've-other', 've-other-password')).page,
		phone: (await signedInPage(browser, server.url, 've-phone', 've-phone-password', { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true })).page
	};
});

test('a writer names a version, another spoils a paragraph and writes elsewhere; the writer sees the change in the version and restores that paragraph only, live for both; a reader on a phone sees the history and no restore', async () => {
	const { writer, other, phone } = pages;
	await openDocument(writer, f.server.url, docId);
	await openDocument(other, f.server.url, docId);
	await writer.click('[data-testid="history-toggle"]');
	await writer.fill('[data-testid="history"] input', '讨论初稿');
	await writer.click('[data-testid="history"] button[type=submit]');
	await writer.waitForSelector('[data-testid="history"] [role=status]:has-text("已保存版本“讨论初稿”")');
	await writer.waitForSelector('[data-testid="history"] li:has-text("命名版本 · 讨论初稿"):has-text("李卫东（甲省江州市人民政府）")');

	// The other replaces the first paragraph and adds to the second.
	await other.click('.ProseMirror p:has-text("征拆滞后是主要原因")', { clickCount: 3 });
	await other.keyboard.type('原因不明');
	await other.click('.ProseMirror p:has-text("建议成立专班")');
	await other.keyboard.press('End');
	await other.keyboard.type('，30日内完成交地');
	await waitFor(async () => (await editorText(writer)).includes('原因不明') && (await editorText(writer)).includes('30日内完成交地'), 'the writer sees both edits');

	await writer.click('[data-testid="history"] button:has-text("讨论初稿")');
	const first = writer.locator('[data-testid="version-view"] li[data-block="para01"]');
	await first.locator('.tag:has-text("此后已改动")').waitFor();
	await first.locator('button:has-text("恢复此段")').click();
	await writer.click('dialog[open] [data-confirm]');
	await writer.waitForSelector('[data-testid="history"] [role=status]:has-text("已恢复")');
	// Both see the paragraph back; the other's addition to the second paragraph stays.
	for (const page of [writer, other]) {
		await waitFor(async () => {
			const text = await editorText(page);
			return text.includes('征拆滞后是主要原因') && !text.includes('原因不明') && text.includes('建议成立专班，30日内完成交地');
		}, 'the paragraph restored, the other edit kept');
	}
	await writer.click('[data-testid="history"] button:has-text("返回版本列表")');
	await writer.waitForSelector('[data-testid="history"] li:has-text("恢复前")');

	// A reader on a phone: the list, the version's text, nothing to name or restore, nothing sideways.
	await openDocument(phone, f.server.url, docId);
	await phone.click('[data-testid="history-toggle"]');
	await phone.waitForSelector('[data-testid="history"] li:has-text("讨论初稿")');
	expect(await phone.locator('[data-testid="history"] form').count()).toBe(0);
	await phone.click('[data-testid="history"] button:has-text("讨论初稿")');
	await phone.waitForSelector('[data-testid="version-view"] li[data-block="para02"][data-change="changed"]');
	expect(await phone.locator('[data-testid="version-view"] button:has-text("恢复")').count()).toBe(0);
	expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
});
