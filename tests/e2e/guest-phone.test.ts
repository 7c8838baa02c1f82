import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { editorText, signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';

const f = useServerAndBrowser();

test('a delegate on a phone: invite link → straight into the breakout document → a question → a raised hand the moderator sees; the link again goes back in', async () => {
	const { server, browser, admin } = f;
	const conferenceId = await createConference(server.url, admin, '交通专题研讨会');
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '交通组旧笔记', breakoutId } });
	const docId = (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body: { title: '交通组根因分析', kind: 'analysis', breakoutId } })).body.id as string;
	const moderatorSession = await newMember(server.url, admin, 'gp-moderator', '陈召集人', '甲省交通运输厅');
	await putMember(server.url, admin, conferenceId, moderatorSession.userId, { role: 'moderator', breakoutIds: [breakoutId] });
	const invite = await api(server.url, 'POST', `/api/conferences/${conferenceId}/invites`, { cookie: admin.cookie, body: { role: 'observer', breakoutIds: [breakoutId], maxUses: 1 } });
	const link = `${server.url}${invite.body.path}`;

	const moderator = (await signedInPage(browser, server.url, 'gp-moderator', 'gp-moderator-password')).page;
	await moderator.goto(`${server.url}/c/${conferenceId}`);
	await moderator.waitForSelector('[data-testid="my-work"]:has-text("目前没有需要您处理的事项")');

	const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'zh-CN', isMobile: true, hasTouch: true });
	const phone = await context.newPage();
	await phone.goto(link);
	await phone.fill('input[name=displayName]', '县政府代表');
	await phone.fill('input[name=unit]', '甲省江州市人民政府');
	await phone.click('button[type=submit]');
	// The breakout's document most recently worked on, read-only, with a two-line hint.
	await phone.waitForURL(`${server.url}/d/${docId}?welcome=1`);
	await phone.waitForSelector('.status[data-status="following"]');
	const hint = await phone.textContent('[data-testid="welcome"]');
	expect(hint).toContain('您正在旁听本组研讨');
	expect(hint).toContain('提问 · 举手');
	expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

	// The live panel is a drawer behind one button, in reach on the first screen.
	const toggle = phone.locator('[data-testid="live-toggle"]');
	const box = await toggle.boundingBox();
	expect(box !== null && box.y + box.height <= 844 && box.height >= 40).toBe(true);
	expect(await phone.locator('textarea[name=question]').isVisible()).toBe(false);
	await toggle.tap();
	await phone.locator('textarea[name=question]').fill('征拆专班何时成立？');
	await phone.locator('button:has-text("提问") >> nth=-1').tap();
	await phone.waitForSelector('li[data-question]:has-text("征拆专班何时成立？")');
	await phone.locator('[data-testid="raise-hand"]').tap();
	expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

	// The moderator's overview counts the raised hand, live, and leads to the document.
	const hands = moderator.locator('[data-work="hands"]');
	await hands.waitFor();
	expect(await hands.textContent()).toBe('交通组：1 人举手');

	// The edits the moderator makes reach the phone.
	await moderator.goto(`${server.url}/d/${docId}`);
	await moderator.waitForSelector('.status[data-status="saved"]');
	await moderator.click('.ProseMirror p >> nth=-1');
	await moderator.keyboard.type('专班本周成立');
	await waitFor(async () => (await editorText(phone)).includes('专班本周成立'), 'the phone follows the document');

	// The used-up invite, opened again on this phone, goes back into the breakout.
	await phone.goto(link);
	await phone.waitForURL(`${server.url}/d/${docId}?welcome=1`);
	await context.close();
});
