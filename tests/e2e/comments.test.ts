import type { Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { caretInParagraph, openDocument, signedInPage, textsWithoutCarets, useServerAndBrowser, uncaughtErrors } from '../helpers/browser.js';
import { Ime } from '../helpers/co-editing.js';
import { waitFor } from '../helpers/clients.js';
import { writeParagraphs } from '../helpers/paragraphs.js';
import { createBreakout, newMember, putMember } from '../helpers/conference.js';

let pages: { writer: Page; other: Page; moderator: Page; phone: Page };
let docId: string;
let conferenceId: string;

const first = '征拆滞后是主要原因，资金拨付缓慢';

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	conferenceId = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '评论测试会议', startDate: '2025-07-17' } })).body.id;
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	for (const [username, name, unit, role] of [
		['cm-writer', '李卫东', '甲省江州市人民政府', 'participant'],
		['cm-other', '王建国', '中衡路桥工程集团', 'participant'],
		['cm-moderator', '赵召集', '甲省交通运输厅', 'moderator'],
		['cm-phone', '钱处长', '审计署', 'observer']
	] as const) {
		const s = await newMember(server.url, admin, username, name, unit);
		await putMember(server.url, admin, conferenceId, s.userId, { role, breakoutIds: [breakoutId] });
	}
	docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '交通组讨论记录', kind: 'notes', breakoutId } })).body.id;
	await writeParagraphs(server.wsUrl, admin.cookie, docId, [
		['para01', first],
		['para02', '建议成立专班']
	]);
	const phoneOptions = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true };
	pages = {
		writer: (await signedInPage(browser, server.url, 'cm-writer', 'cm-writer-password')).page,
		other: (await signedInPage(browser, server.url, 'cm-other', 'cm-other-password')).page,
		moderator: (await signedInPage(browser, server.url, 'cm-moderator', 'cm-moderator-password')).page,
		phone: (await signedInPage(browser, server.url, 'cm-phone', 'cm-phone-password', phoneOptions)).page
	};
});

/** The text under the thread marks in a page's editor. */
const marked = (page: Page) => textsWithoutCarets(page.locator('.ProseMirror .comment-anchor')).then((parts) => parts.join(''));

test('a comment on selected text with a mention: the mark follows the text while another types before, inside and after it; the mentioned one is told in the bell and its link opens the thread', async () => {
	const { writer, other } = pages;
	await openDocument(writer, f.server.url, docId);
	await openDocument(other, f.server.url, docId);

	// 资金拨付缓慢: the last six characters of the first paragraph, selected with the keyboard.
	await caretInParagraph(writer, 'para01', 'end', 6);
	await writer.keyboard.press('Control+Alt+m');
	await writer.waitForSelector('[data-testid="comment-target"]:has-text("资金拨付缓慢")');
	await writer.keyboard.type('请@王');
	await writer.waitForSelector('[data-testid="mention-picker"] button:has-text("王建国")');
	await writer.keyboard.press('Enter');
	await writer.keyboard.type('核实拨付时间');
	expect(await writer.inputValue('[data-testid="comment-new"]')).toBe('请@王建国 核实拨付时间');
	await writer.keyboard.press('Control+Enter');
	await writer.waitForSelector('[data-testid="thread"]:has-text("“资金拨付缓慢”"):has-text("请@王建国 核实拨付时间")');
	await waitFor(async () => (await marked(writer)) === '资金拨付缓慢', 'the writer sees the text marked');
	await waitFor(async () => (await marked(other)) === '资金拨付缓慢', 'the other sees it marked too, live');

	// The other types before the range, inside it and right after it.
	await caretInParagraph(other, 'para01', 0);
	await other.keyboard.type('今年');
	await caretInParagraph(other, 'para01', 2 + 14);
	await other.keyboard.type('严重');
	await caretInParagraph(other, 'para01', 'end');
	await other.keyboard.type('。');
	for (const page of [writer, other]) {
		await waitFor(async () => (await marked(page)) === '资金拨付严重缓慢', 'the mark covers the same words, with what was typed inside');
	}

	// The mention: the other's bell on the conference page, and its link to the thread.
	const bellPage = await other.context().newPage();
	await bellPage.goto(`${f.server.url}/c/${conferenceId}`);
	await bellPage.waitForSelector('[data-testid="unread"]');
	await bellPage.click('[data-testid="bell"]');
	await bellPage.click('a:has-text("李卫东 在《交通组讨论记录》的评论中提到了您")');
	await bellPage.waitForSelector('[data-testid="thread"].active:has-text("请@王建国 核实拨付时间")');
	await bellPage.waitForSelector('.ProseMirror .comment-anchor.comment-active');
	await bellPage.close();
	// Read once, the mention is not announced again.
	expect((await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/mentions`, { cookie: await cookieOf(other) })).body.mentions).toEqual([]);
});

test('a reply, a moderator hiding it, resolving the thread: each seen live by the others; a remote attendee on a phone reads the thread and has nothing to post', async () => {
	const { writer, other, moderator, phone } = pages;
	await openDocument(writer, f.server.url, docId);
	await openDocument(other, f.server.url, docId);
	await openDocument(moderator, f.server.url, docId);
	for (const page of [writer, other, moderator]) await page.click('[data-testid="comments-toggle"]');

	await other.click('[data-testid="thread"] button:has-text("回复")');
	await other.fill('[data-testid="comment-reply"]', '已核实：省级配套资金8月到位');
	await other.click('[data-testid="thread"] .actions button:has-text("回复")');
	await moderator.waitForSelector('[data-testid="comment"]:has-text("省级配套资金8月到位")');
	await moderator.click('[data-testid="comment"]:has-text("省级配套资金8月到位") button:has-text("隐藏")');
	await moderator.waitForSelector('[data-testid="comment"]:has-text("省级配套资金8月到位"):has-text("已隐藏")');
	await waitFor(async () => (await writer.locator('[data-testid="comment"]:has-text("省级配套资金8月到位")').count()) === 0, 'the hidden reply leaves the writer’s view');

	await writer.click('[data-testid="thread"] button:has-text("标记为已解决")');
	for (const page of [writer, other]) {
		await page.waitForSelector('[data-testid="show-resolved"]:has-text("显示已解决的评论（1）")');
		await waitFor(async () => (await page.locator('.ProseMirror .comment-anchor').count()) === 0, 'a resolved thread leaves no mark');
	}
	await other.click('[data-testid="show-resolved"]');
	await other.waitForSelector('[data-testid="thread"].resolved:has-text("李卫东 于")');
	await other.click('[data-testid="thread"] button:has-text("重新打开")');
	await writer.waitForSelector('[data-testid="thread"]:not(.resolved):has-text("请@王建国 核实拨付时间")');

	// The remote attendee on a phone: the thread and its mark, no box to write in, nothing sideways.
	await openDocument(phone, f.server.url, docId);
	await phone.click('[data-testid="comments-toggle"]');
	await phone.waitForSelector('[data-testid="thread"]:has-text("请@王建国 核实拨付时间")');
	await phone.waitForSelector('[data-testid="comments"] p:has-text("远程列席人员可以阅读评论")');
	expect(await phone.locator('[data-testid="comment-new"]').count()).toBe(0);
	expect(await phone.locator('[data-testid="comment"]:has-text("省级配套资金8月到位")').count()).toBe(0);
	await phone.waitForSelector('.ProseMirror .comment-anchor');
	expect(await phone.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBe(0);
});

test('pinyin into the comment box: an @ mention picked after the composition ends, rare characters kept, the comment posted exactly as typed', async () => {
	const { writer } = pages;
	await openDocument(writer, f.server.url, docId);
	await writer.click('[data-testid="comments-toggle"]');
	await caretInParagraph(writer, 'para02', 'end');
	await writer.click('[data-testid="comment-new"]');
	const ime = await Ime.on(writer);
	await writer.keyboard.type('@');
	await ime.spell('wang');
	// While pinyin is being composed nothing is offered (no member's name is Latin letters).
	expect(await writer.locator('[data-testid="mention-picker"]').count()).toBe(0);
	await ime.commit('王');
	await writer.waitForSelector('[data-testid="mention-picker"] button:has-text("王建国")');
	await writer.keyboard.press('Enter');
	await ime.spell('qing');
	await ime.commit('请');
	await ime.spell('hezhe');
	await ime.commit('核𠮷哲');
	expect(await writer.inputValue('[data-testid="comment-new"]')).toBe('@王建国 请核𠮷哲');
	await writer.keyboard.press('Control+Enter');
	await writer.waitForSelector('[data-testid="thread"]:has-text("@王建国 请核𠮷哲")');
	const threads = (await api(f.server.url, 'GET', `/api/documents/${docId}/comments`, { cookie: await cookieOf(writer) })).body.threads as { comments: { body: string; mentions: { name: string }[] }[] }[];
	const posted = threads.flatMap((t) => t.comments).find((c) => c.body === '@王建国 请核𠮷哲');
	expect(posted?.mentions.map((x) => x.name)).toEqual(['王建国']);
});

async function cookieOf(page: Page): Promise<string> {
	const cookies = await page.context().cookies();
	return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

afterEach(() => {
	// An effect loop or a failed render shows nowhere else.
	for (const page of Object.values(pages)) expect(uncaughtErrors(page)).toEqual([]);
});
