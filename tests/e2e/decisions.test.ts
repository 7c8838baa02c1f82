import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { openDocument, signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { newMember, putMember } from '../helpers/conference.js';

let expert: Page;
let conferenceId: string;
let planId: string;
let participantCookie: string;
let expertCookie: string;

/** The oracle for Beijing time, independent of Concord's helper: ICU's Asia/Shanghai, "YYYY-MM-DD HH:MM". */
const shanghai = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	conferenceId = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '北京时间测试会议' } })).body.id;
	const breakoutId = (await api(server.url, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: admin.cookie, body: { name: '交通组', sector: '交通' } })).body.id;
	const participant = await newMember(server.url, admin, 'bj-participant', '李卫东', '甲省江州市人民政府');
	const expertSession = await newMember(server.url, admin, 'bj-expert', '孙教授', '专家组');
	participantCookie = participant.cookie;
	await putMember(server.url, admin, conferenceId, participant.userId, { role: 'participant', unitType: '地方政府', breakoutIds: [breakoutId] });
	await putMember(server.url, admin, conferenceId, expertSession.userId, { role: 'expert', unitType: '专家' });
	await api(server.url, 'POST', '/api/documents', { cookie: expertSession.cookie, body: { title: '专家组会前说明' } });
	planId = (await api(server.url, 'POST', '/api/documents', { cookie: participant.cookie, body: { title: 'T1 整改方案', kind: 'plan', breakoutId } })).body.id;
	const c = await syncedClient(server.wsUrl, planId, participant.cookie);
	const measure = xmlElements(c.doc.getXmlFragment('default'), 'measure')[0];
	c.doc.transact(() => {
		(measure.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('成立市级征拆专班')]);
		measure.setAttribute('responsibleUnit', '甲省江州市人民政府');
		measure.setAttribute('deadline', '2025-08-31');
	});
	const blockId = String(measure.getAttribute('blockId'));
	expect((await api(server.url, 'POST', `/api/documents/${planId}/proposals`, { cookie: participant.cookie, body: { blockIds: [blockId] } })).status).toBe(201);
	const pending = async () => (await api(server.url, 'GET', `/api/conferences/${conferenceId}/proposals`, { cookie: expertSession.cookie })).body.proposals[0];
	await waitFor(async () => (await pending()).block?.text === '成立市级征拆专班', 'the measure is stored');
	c.destroy();
	expect((await api(server.url, 'POST', `/api/proposals/${(await pending()).id}/approve`, { cookie: expertSession.cookie })).status).toBe(200);
	expertCookie = expertSession.cookie;
	// The expert's browser runs on New York time: 12 or 13 hours behind Beijing, often another day.
	expert = (await signedInPage(browser, server.url, 'bj-expert', 'bj-expert-password', { timezoneId: 'America/New_York' })).page;
});

test('in a browser on New York time, the minutes item shows its approval in Beijing time, with its resolution number; so does the documents list', async () => {
	expect(await expert.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe('America/New_York');
	const { proposals } = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/proposals`, { cookie: expertCookie })).body;
	const approvedAt = shanghai.format(new Date(proposals[0].decidedAt));
	await openDocument(expert, f.server.url, `minutes_${conferenceId}`);
	await expert.waitForSelector('.minutes-item .minutes-provenance');
	expect(await expert.textContent('.minutes-item .minutes-provenance')).toContain(approvedAt);
	expect(await expert.textContent('.minutes-item .minutes-approved-at')).toBe(approvedAt);
	expect(await expert.textContent('.minutes-item .minutes-number')).toBe('决议编号 JY-01');

	await expert.goto(`${f.server.url}/`);
	const workspace = expert.locator('ul.docs:not(.conferences) li').first();
	const href = (await workspace.locator('a').getAttribute('href')) ?? '';
	const docs = (await api(f.server.url, 'GET', '/api/documents', { cookie: expertCookie })).body.documents as { id: string; updatedAt: string }[];
	const doc = docs.find((d) => `/d/${d.id}` === href)!;
	expect(await workspace.locator('.muted').textContent()).toContain(shanghai.format(new Date(doc.updatedAt)));
});

test('a source deleted after approval: the proposals panel and the minutes say it was deleted, in Chinese and in English, and the page fits a phone', async () => {
	const source = await syncedClient(f.server.wsUrl, planId, participantCookie);
	const frag = source.doc.getXmlFragment('default');
	frag.delete(frag.toArray().indexOf(xmlElements(frag, 'measure')[0]), 1);
	await waitFor(async () => {
		const { proposals } = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/proposals`, { cookie: participantCookie })).body;
		return proposals[0].sourceDeleted === true;
	}, 'the server sees the deletion');
	source.destroy();

	await expert.goto(`${f.server.url}/c/${conferenceId}/minutes`);
	const panelNote = expert.locator('[data-proposal] [data-testid="source-deleted"]');
	await panelNote.waitFor();
	expect(await panelNote.textContent()).toBe('原文已从分组文档中删除：纪要保留纳入时的内容');
	expect(await expert.locator('[data-proposal] [data-testid="source-changed"]').count()).toBe(0);
	expect(await expert.textContent('[data-proposal] .number')).toBe('JY-01');

	await openDocument(expert, f.server.url, `minutes_${conferenceId}`);
	const minutesNote = expert.locator('.minutes-source-deleted');
	await minutesNote.waitFor();
	expect(await minutesNote.textContent()).toBe('原文已从分组文档中删除：纪要保留纳入时的内容');
	expect(await expert.locator('.minutes-source-deleted button').count()).toBe(0);
	// The item itself stays, as approved.
	expect(await expert.textContent('.minutes-item .minutes-text')).toBe('成立市级征拆专班');

	await expert.click('button.lang');
	await expert.waitForSelector('.minutes-source-deleted:has-text("The source was deleted")');
	expect(await expert.textContent('.minutes-item .minutes-number')).toBe('Resolution no. JY-01');
	await expert.goto(`${f.server.url}/c/${conferenceId}/minutes`);
	await expert.waitForSelector('[data-testid="source-deleted"]:has-text("The source was deleted from the breakout\'s document")');

	await expert.setViewportSize({ width: 390, height: 800 });
	expect(await expert.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	await openDocument(expert, f.server.url, `minutes_${conferenceId}`);
	await expert.waitForSelector('.minutes-source-deleted');
	expect(await expert.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
	// On a phone the header is folded into a menu: the language switch is inside it.
	expect(await expert.locator('button.lang').isVisible()).toBe(false);
	await expert.click('[data-testid="menu-toggle"]');
	await expert.click('button.lang');
});
