import type { Page } from 'playwright-core';
import { afterEach, expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { caretInParagraph, editorText, openDocument, signedInPage, textsWithoutCarets, useServerAndBrowser, uncaughtErrors } from '../helpers/browser.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { createBreakout, newMember, putMember } from '../helpers/conference.js';
import { measureElement, writeParagraphs } from '../helpers/paragraphs.js';

let pages: { suggester: Page; moderator: Page };
let docId: string;
let adminCookie: string;

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	const conferenceId = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '建议修改测试会议', startDate: '2025-07-17' } })).body.id;
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	for (const [username, name, unit, role] of [
		['sg-suggester', '王建国', '中衡路桥工程集团', 'participant'],
		['sg-moderator', '赵召集', '甲省交通运输厅', 'moderator']
	] as const) {
		const s = await newMember(server.url, admin, username, name, unit);
		await putMember(server.url, admin, conferenceId, s.userId, { role, breakoutIds: [breakoutId] });
	}
	docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '交通组整改方案', kind: 'notes', breakoutId } })).body.id;
	adminCookie = admin.cookie;
	await writeParagraphs(server.wsUrl, admin.cookie, docId, [
		['para01', '征拆滞后是主要原因，资金拨付缓慢'],
		['para02', '建议成立专班']
	]);
	pages = {
		suggester: (await signedInPage(browser, server.url, 'sg-suggester', 'sg-suggester-password')).page,
		moderator: (await signedInPage(browser, server.url, 'sg-moderator', 'sg-moderator-password')).page
	};
});

const shown = (page: Page, selector: string) => textsWithoutCarets(page.locator(`.ProseMirror ${selector}`)).then((t) => t.join(''));

test('a participant suggests a change and an insertion instead of editing; both see them in the text; the moderator accepts one (the text changes for everyone) and rejects the rest at once', async () => {
	const { suggester, moderator } = pages;
	await openDocument(suggester, f.server.url, docId);
	await openDocument(moderator, f.server.url, docId);
	await suggester.click('[data-testid="comments-toggle"]');
	await moderator.click('[data-testid="comments-toggle"]');
	await suggester.click('[data-testid="suggest-mode"]');

	// Select 资金拨付缓慢 (the paragraph's last six characters) and propose other words.
	await caretInParagraph(suggester, 'para01', 'end', 6);
	await suggester.waitForSelector('[data-testid="suggest-target"]:has-text("资金拨付缓慢")');
	await suggester.fill('[data-testid="suggest-text"]', '资金拨付滞后');
	await suggester.fill('[data-testid="comment-new"]', '与批复用语一致');
	await suggester.click('[data-testid="comments"] button:has-text("提出建议")');
	await suggester.waitForSelector('[data-testid="thread"]:has-text("建议将“资金拨付缓慢”改为“资金拨付滞后”"):has-text("与批复用语一致")');
	expect(await suggester.locator('[data-testid="suggestion"] button:has-text("采纳")').count()).toBe(0);
	for (const page of [suggester, moderator]) {
		await waitFor(async () => (await shown(page, '.suggest-range')) === '资金拨付缓慢' && (await shown(page, '.suggest-insert')) === '资金拨付滞后', 'the suggestion is drawn in the text');
	}
	// Nothing in the document itself changed.
	expect(await editorText(moderator)).toContain('征拆滞后是主要原因，资金拨付缓慢');

	// An insertion at the start of the second paragraph.
	await caretInParagraph(suggester, 'para02', 0);
	await suggester.waitForSelector('[data-testid="suggest-target"]:has-text("在光标处插入文字")');
	await suggester.fill('[data-testid="suggest-text"]', '一、');
	await suggester.click('[data-testid="comments"] button:has-text("提出建议")');
	await moderator.waitForSelector('[data-testid="decide-all"]:has-text("待决定的修改建议 2 条")');

	await moderator.click('[data-testid="thread"]:has-text("改为“资金拨付滞后”") [data-testid="suggestion"] button:text-is("采纳")');
	for (const page of [suggester, moderator]) {
		await waitFor(async () => {
			const text = await editorText(page);
			return text.includes('征拆滞后是主要原因，资金拨付滞后') && !text.includes('缓慢');
		}, 'the accepted words are in the text for everyone');
	}
	await suggester.waitForSelector('[data-testid="show-resolved"]');

	await moderator.click('[data-testid="decide-all"] button:has-text("全部不采纳")');
	await moderator.click('dialog[open] [data-confirm]');
	await moderator.waitForSelector('[data-testid="comments"] [role=status]:has-text("已不采纳 1 条")');
	await waitFor(async () => (await suggester.locator('.ProseMirror .suggest-insert').count()) === 0, 'no suggestion is drawn any more');
	expect(await editorText(suggester)).not.toContain('一、');
	await suggester.click('[data-testid="show-resolved"]');
	await suggester.waitForSelector('[data-testid="suggestion"][data-decision="rejected"]:has-text("赵召集 于")');
	await suggester.waitForSelector('[data-testid="suggestion"][data-decision="accepted"]:has-text("赵召集 于")');
});

test('inside a measure a participant suggests a new deadline instead of its text; the moderator accepts and the measure’s field changes for both', async () => {
	const { suggester, moderator } = pages;
	const client = await syncedClient(f.server.wsUrl, docId, adminCookie);
	const measure = measureElement('measure01', { responsibleUnit: '中衡路桥工程集团', deadline: '2025-09-30' }, '完成交地');
	client.doc.getXmlFragment('default').insert(client.doc.getXmlFragment('default').length, [measure]);
	await openDocument(suggester, f.server.url, docId);
	await openDocument(moderator, f.server.url, docId);
	await suggester.waitForSelector('.block-measure [name=deadline]');
	client.destroy();
	await suggester.click('[data-testid="comments-toggle"]');
	await suggester.click('[data-testid="suggest-mode"]');
	await caretInParagraph(suggester, 'measure01p', 'end');
	await suggester.selectOption('[data-testid="suggest-field"]', 'deadline');
	await suggester.waitForSelector('[data-testid="suggest-target"]:has-text("2025-09-30")');
	expect(await suggester.inputValue('[data-testid="suggest-text"]')).toBe('2025-09-30');
	await suggester.fill('[data-testid="suggest-text"]', '2025-10-31');
	await suggester.click('[data-testid="comments"] button:has-text("提出建议")');
	await moderator.click('[data-testid="comments-toggle"]');
	const thread = moderator.locator('[data-testid="thread"]:has-text("由“2025-09-30”改为“2025-10-31”")');
	await thread.locator('[data-testid="suggestion"] button:text-is("采纳")').click();
	for (const page of [suggester, moderator]) {
		await waitFor(async () => (await page.locator('.block-measure [name=deadline]').inputValue()) === '2025-10-31', 'the deadline is changed for both');
	}
});

afterEach(() => {
	// An effect loop or a failed render shows nowhere else.
	for (const page of Object.values(pages)) expect(uncaughtErrors(page)).toEqual([]);
});
