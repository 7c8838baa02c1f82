import type { Page } from 'playwright-core';
import type * as Y from 'yjs';
import { afterEach, expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { caretInParagraph, editorText, openDocument, signedInPage, textsWithoutCarets, useServerAndBrowser, uncaughtErrors } from '../helpers/browser.js';
import { syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { writeParagraphs } from '../helpers/paragraphs.js';
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
	await writeParagraphs(server.wsUrl, admin.cookie, docId, [
		['para01', '征拆滞后是主要原因'],
		['para02', '建议成立专班']
	]);
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

test('who wrote what: each writer’s text in their unit’s colour with their name; a version compared with the document now marks, character by character, what was deleted and what the other added', async () => {
	const { writer, other } = pages;
	await openDocument(writer, f.server.url, docId);
	await openDocument(other, f.server.url, docId);
	await caretInParagraph(writer, 'para02', 'end');
	await writer.keyboard.type('，由江州市牵头');
	await caretInParagraph(other, 'para01', 'end');
	await other.keyboard.type('（路桥集团意见）');
	await waitFor(async () => (await editorText(writer)).includes('（路桥集团意见）') && (await editorText(other)).includes('由江州市牵头'), 'both see both');

	await writer.click('[data-testid="history-toggle"]');
	await writer.click('[data-testid="by-author"]');
	const view = writer.locator('[data-testid="comparison"]');
	await view.locator('span[data-author="李卫东"]:has-text("由江州市牵头")').waitFor();
	await view.locator('span[data-author="王建国"]:has-text("路桥集团意见")').waitFor();
	expect(await view.locator('span[data-author="王建国"]').first().getAttribute('title')).toBe('王建国（中衡路桥工程集团）');
	const colour = (name: string) => view.locator(`span[data-author="${name}"]`).first().evaluate((el) => getComputedStyle(el).backgroundColor);
	expect(await colour('李卫东')).not.toBe(await colour('王建国'));
	await view.locator('.legend li:has-text("甲省江州市人民政府")').waitFor();
	await view.locator('.legend li:has-text("中衡路桥工程集团")').waitFor();
	await writer.click('[data-testid="comparison"] button:has-text("返回")');

	await writer.fill('[data-testid="history"] input', '对比基准');
	await writer.click('[data-testid="history"] button[type=submit]');
	await writer.waitForSelector('[data-testid="history"] li:has-text("命名版本 · 对比基准")');
	// The other replaces 主要 (characters 5–6 of the first paragraph) with 首要.
	await caretInParagraph(other, 'para01', 7, 2);
	await other.keyboard.type('首要');
	await waitFor(async () => (await editorText(writer)).includes('征拆滞后是首要原因'), 'the writer sees the change');

	await writer.click('[data-testid="history"] button:has-text("对比基准")');
	await writer.selectOption('[data-testid="compare-with"]', 'now');
	await writer.click('[data-testid="version-view"] button:has-text("对比")');
	await view.locator('span[data-change="removed"]:has-text("主要")').waitFor();
	await view.locator('span[data-change="added"][data-author="王建国"]:has-text("首要")').waitFor();
	await view.locator('p:has-text("新增 2 字，删除 2 字")').waitFor();
	// Nothing else is marked: what both versions share is plain text.
	expect(await view.locator('span[data-change]:not([data-change=""])').count()).toBe(2);
});

test('a restore while others type: one writer restores a paragraph while another types in the next one in the browser and a third writes there from a plain Yjs client; every keystroke stays and the paragraph comes back for all', async () => {
	const { writer, other } = pages;
	await openDocument(writer, f.server.url, docId);
	await openDocument(other, f.server.url, docId);
	const paragraphOf = async (page: Page, id: string) => (await textsWithoutCarets(page.locator(`.ProseMirror p[data-block-id="${id}"]`)))[0] ?? '';
	const before = await paragraphOf(writer, 'para01');
	await writer.click('[data-testid="history-toggle"]');
	await writer.fill('[data-testid="history"] input', '并发基准');
	await writer.click('[data-testid="history"] button[type=submit]');
	await writer.waitForSelector('[data-testid="history"] li:has-text("命名版本 · 并发基准")');
	await other.click('.ProseMirror p[data-block-id="para01"]', { clickCount: 3 });
	await other.keyboard.type('被误改的段落');
	await waitFor(async () => (await editorText(writer)).includes('被误改的段落'), 'the writer sees the spoilt paragraph');
	await writer.click('[data-testid="history"] button:has-text("并发基准")');
	await writer.locator('[data-testid="version-view"] li[data-block="para01"] .tag:has-text("此后已改动")').waitFor();

	// The other types in the second paragraph, and a plain client appends to it, while the writer restores.
	await caretInParagraph(other, 'para02', 'end');
	const typed = '甲乙丙丁戊己庚辛壬癸';
	const typing = other.keyboard.type(typed, { delay: 60 });
	const client = await syncedClient(f.server.wsUrl, docId, f.admin.cookie);
	const para02 = () => xmlElements(client.doc.getXmlFragment('default')).find((e) => e.getAttribute('blockId') === 'para02')!.get(0) as Y.XmlText;
	const appended: string[] = [];
	const appending = (async () => {
		for (const ch of '子丑寅卯辰巳午未申酉') {
			para02().insert(0, ch);
			appended.push(ch);
			await new Promise((r) => setTimeout(r, 50));
		}
	})();
	await writer.locator('[data-testid="version-view"] li[data-block="para01"] button:has-text("恢复此段")').click();
	await writer.click('dialog[open] [data-confirm]');
	await Promise.all([typing, appending]);
	await writer.waitForSelector('[data-testid="history"] [role=status]:has-text("已恢复")');
	for (const page of [writer, other]) {
		await waitFor(async () => {
			const first = await paragraphOf(page, 'para01');
			const second = await paragraphOf(page, 'para02');
			return first === before && second.includes(typed) && second.startsWith('酉申未午巳辰卯寅丑子');
		}, 'the paragraph restored and every keystroke of both others kept');
	}
	expect(appended).toHaveLength(10);
	client.destroy();
});

afterEach(() => {
	// An effect loop or a failed render shows nowhere else.
	for (const page of Object.values(pages)) expect(uncaughtErrors(page)).toEqual([]);
});
