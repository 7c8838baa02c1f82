import type { Page } from 'playwright-core';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { openDocument, signedInPage, textsWithoutCarets, useServerAndBrowser } from '../helpers/browser.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { createBreakout, newMember, putMember } from '../helpers/conference.js';

let pages: { participant: Page; expert: Page };
let conferenceId: string;
let planId: string;

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	conferenceId = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '纪要测试会议', startDate: '2025-07-17' } })).body.id;
	const breakoutId = await createBreakout(server.url, admin, conferenceId, '交通组');
	const participant = await newMember(server.url, admin, 'pr-participant', '李卫东', '甲省江州市人民政府');
	const expert = await newMember(server.url, admin, 'pr-expert', '孙教授', '专家组');
	await putMember(server.url, admin, conferenceId, participant.userId, { role: 'participant', unitType: '地方政府', breakoutIds: [breakoutId] });
	await putMember(server.url, admin, conferenceId, expert.userId, { role: 'expert', unitType: '专家' });
	planId = (await api(server.url, 'POST', '/api/documents', { cookie: participant.cookie, body: { title: 'T1 整改方案', kind: 'plan', breakoutId } })).body.id;
	const c = connectClient(server.wsUrl, planId, participant.cookie);
	await waitFor(() => c.provider.synced, 'synced');
	const measure = c.doc.getXmlFragment('default').toArray().find((x) => x instanceof Y.XmlElement && x.nodeName === 'measure') as Y.XmlElement;
	c.doc.transact(() => {
		(measure.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('成立市级征拆专班，30日内完成剩余交地')]);
		measure.setAttribute('responsibleUnit', '甲省江州市人民政府');
		measure.setAttribute('deadline', '2025-08-31');
	});
	await new Promise((r) => setTimeout(r, 300));
	c.destroy();
	pages = {
		participant: (await signedInPage(browser, server.url, 'pr-participant', 'pr-participant-password')).page,
		expert: (await signedInPage(browser, server.url, 'pr-expert', 'pr-expert-password')).page
	};
});

test('a participant proposes a measure, the expert approves it, and the frozen copy is in the minutes with a link back; the source shows the mark live', async () => {
	const { participant, expert } = pages;
	await openDocument(participant, f.server.url, planId);
	// While the server has not answered, the block itself says the proposal is on its way; then that it awaits a decision.
	f.server.pause();
	try {
		await participant.click('.block-measure button.propose');
		await participant.waitForSelector('.block-measure[data-proposal-state="正在提议…"]');
	} finally {
		f.server.resume();
	}
	await participant.waitForSelector('.notice:has-text("已提议纳入纪要")');
	await participant.waitForSelector('.block-measure[data-proposal-state="已提议，待审定"]');
	expect(await participant.locator('.block-measure button.propose').isVisible()).toBe(false);
	// Reopened, the page still knows the block awaits a decision.
	await openDocument(participant, f.server.url, planId);
	await participant.waitForSelector('.block-measure[data-proposal-state="已提议，待审定"]');

	await expert.goto(`${f.server.url}/c/${conferenceId}/minutes`);
	await expert.waitForSelector('[data-proposal]:has-text("成立市级征拆专班")');
	await expert.click('[data-proposal] button:has-text("同意纳入")');
	await expert.waitForSelector('[data-proposal] .tag:has-text("已纳入纪要")');
	// The measure is on the resolution list at once, with its lead unit and deadline.
	await expert.waitForSelector('[data-testid="resolutions"] tr:has-text("成立市级征拆专班")');
	const row = await expert.textContent('[data-testid="resolutions"] tbody tr');
	expect(row).toContain('JY-01');
	expect(row).toContain('甲省江州市人民政府');
	expect(row).toContain('2025-08-31');

	// The participant's open page gets the mark without reloading (the pending note gives way), and it leads to the minutes.
	await participant.waitForSelector('.promoted-mark');
	await waitFor(async () => (await participant.locator('[data-proposal-state]').count()) === 0, 'the pending note is gone once approved');
	await participant.click('.promoted-mark');
	await participant.waitForSelector('.minutes-item');
	expect((await textsWithoutCarets(participant.locator('.minutes-item .minutes-text')))[0]).toBe('成立市级征拆专班，30日内完成剩余交地');
	expect(await participant.textContent('.minutes-item .minutes-provenance')).toContain('李卫东');
	expect(await participant.textContent('.minutes-item .minutes-provenance')).toContain('孙教授');
	expect(await participant.textContent('.ProseMirror h3')).toContain('（一）交通组');
	// The minutes are the expert panel's: a participant reads them.
	expect(await participant.locator('.ProseMirror').getAttribute('contenteditable')).toBe('false');

	// And the item links back to the source block.
	await participant.click('.minutes-item .minutes-provenance a');
	await participant.waitForURL(new RegExp(`/d/${planId}#`));
	await participant.waitForSelector('.block-measure.presented, .block-measure .presented, [data-block-id].presented');
});

test('the source changes after approval: the minutes item says so with the difference, and the expert updates it in one click', async () => {
	const { participant, expert } = pages;
	await openDocument(participant, f.server.url, planId);
	await participant.click('.block-measure .block-content p');
	await participant.keyboard.press('End');
	await participant.keyboard.type('（9月底前）');
	await participant.waitForSelector('.status[data-status="saved"]');

	const minutesId = `minutes_${conferenceId}`;
	await openDocument(expert, f.server.url, minutesId);
	await expert.waitForSelector('.minutes-changed ins:has-text("（9月底前）")');
	await expert.click('.minutes-changed button');
	await expert.waitForSelector('.minutes-item .minutes-text:has-text("（9月底前）")');
	await waitFor(async () => (await expert.locator('.minutes-changed').count()) === 0, 'the change note goes away');
});

test('the expert panel edits around the items but cannot delete one in the editor; 撤回 on the conference page takes it out everywhere', async () => {
	const { participant, expert } = pages;
	const minutesId = `minutes_${conferenceId}`;
	await openDocument(expert, f.server.url, minutesId);
	await expert.waitForSelector('.minutes-item');
	// Select everything and delete: refused, because it would take the item with it.
	await expert.click('.ProseMirror h1');
	await expert.keyboard.press('Control+A');
	await expert.keyboard.press('Backspace');
	await expert.keyboard.press('End');
	await expert.keyboard.type('（定稿）');
	await expert.waitForSelector('.status[data-status="saved"]');
	expect(await expert.locator('.minutes-item').count()).toBe(1);
	expect(await expert.textContent('.ProseMirror')).toContain('二、分组研讨情况及整改共识');

	// Withdrawn on the conference page: gone from the minutes (live), from the list, and the source is free.
	await openDocument(participant, f.server.url, planId);
	await participant.waitForSelector('.promoted-mark');
	await expert.goto(`${f.server.url}/c/${conferenceId}/minutes`);
	await expert.click('[data-proposal] summary:has-text("撤回纪要条目")');
	await expert.fill('[data-proposal] input[placeholder="撤回理由"]', '与其他措施合并');
	await expert.click('[data-proposal] button:has-text("撤回纪要条目")');
	await expert.waitForSelector('[data-proposal] .tag:has-text("已撤回")');
	await expert.waitForSelector('[data-testid="resolutions"]', { state: 'detached' });
	await waitFor(async () => (await participant.locator('.promoted-mark').count()) === 0, 'the mark goes away');
	await participant.waitForSelector('.block-measure button.propose');
});
