import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { openDocument, signedInPage, textsWithoutCarets, useServerAndBrowser } from '../helpers/browser.js';
import { editorNodeNames } from '../../src/lib/shared/blocks.js';
import { waitFor } from '../helpers/clients.js';
import { createBreakout, newMember, putMember } from '../helpers/conference.js';

let pages: { design: Page; contractor: Page };
let breakoutId: string;

const f = useServerAndBrowser(async ({ server, browser, admin }) => {
	const conf = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '交通专题研讨会', startDate: '2025-07-17' } })).body;
	breakoutId = await createBreakout(server.url, admin, conf.id, '交通组');
	const design = await newMember(server.url, admin, 'blk-design', '周工', '华景交通规划设计研究院');
	const contractor = await newMember(server.url, admin, 'blk-contractor', '吴经理', '中衡路桥工程集团');
	await putMember(server.url, admin, conf.id, design.userId, { role: 'participant', unitType: '设计', breakoutIds: [breakoutId] });
	await putMember(server.url, admin, conf.id, contractor.userId, { role: 'participant', unitType: '施工', breakoutIds: [breakoutId] });
	pages = {
		design: (await signedInPage(browser, server.url, 'blk-design', 'blk-design-password')).page,
		contractor: (await signedInPage(browser, server.url, 'blk-contractor', 'blk-contractor-password')).page
	};
});

const docIn = async (title: string, kind: string) =>
	(await api(f.server.url, 'POST', '/api/documents', { cookie: f.admin.cookie, body: { title, kind, breakoutId } })).body.id as string;

test("a participant fills a measure's fields and text; the other participant sees them live, with the author's name and unit", async () => {
	const planId = await docIn('T1 整改方案', 'plan');
	const { design, contractor } = pages;
	await openDocument(design, f.server.url, planId);
	await openDocument(contractor, f.server.url, planId);

	await design.click('.block-measure .block-content p');
	await design.keyboard.type('成立征拆专班，挂图作战');
	await design.fill('.block-measure input[name=responsibleUnit]', '甲省江州市人民政府');
	await design.fill('.block-measure input[name=deadline]', '2025-09-30');
	await design.selectOption('.block-measure select[name=type]', '限期整改');
	await design.fill('.block-measure [name=criteria]', '9月底前完成剩余12户签约');

	const field = (name: string) => contractor.inputValue(`.block-measure [name=${name}]`);
	await waitFor(async () => (await field('criteria')) === '9月底前完成剩余12户签约', 'the contractor sees the criteria');
	expect(await field('responsibleUnit')).toBe('甲省江州市人民政府');
	expect(await field('deadline')).toBe('2025-09-30');
	expect(await field('type')).toBe('限期整改');
	expect(await textsWithoutCarets(contractor.locator('.block-measure .block-content'))).toEqual(['成立征拆专班，挂图作战']);
	await contractor.waitForSelector('.block-measure .author:has-text("周工 · 华景交通规划设计研究院（设计）")');
	// In English the 整改类型 choices read in English; the stored value stays the Chinese one.
	await contractor.click('button.lang');
	await contractor.waitForSelector('.block-measure select[name=type] option[value="限期整改"]:text-is("Fix by a deadline")', { state: 'attached' });
	expect(await field('type')).toBe('限期整改');
	// Back in Chinese before the next test (the language is remembered by the browser).
	await contractor.click('button.lang');
	await contractor.waitForSelector('.block-measure select[name=type] option[value="限期整改"]:text-is("限期整改")', { state: 'attached' });
});

test('causes: Enter adds the next cause, the key mark and a 5-why chain appear for the other side, each cause with its own author', async () => {
	const analysisId = await docIn('T1 根因分析', 'analysis');
	const { design, contractor } = pages;
	await openDocument(design, f.server.url, analysisId);
	await openDocument(contractor, f.server.url, analysisId);

	await design.click('.block-group >> nth=0 >> .block-cause .block-content p');
	await design.keyboard.type('设计变更审批周期长');
	await design.keyboard.press('Enter');
	await design.keyboard.type('施工图深度不足');
	await contractor.click('.block-group >> nth=4 >> .block-cause .block-content p');
	await contractor.keyboard.type('雨季施工组织不当');

	await design.click('.block-group >> nth=0 >> .key-toggle >> nth=0');
	await design.click('.block-group >> nth=0 >> .block-cause >> nth=0 >> button:has-text("5Why")');
	await design.keyboard.type('变更需报原审批部门');
	await design.keyboard.press('Enter');
	await design.keyboard.type('审批权限未下放');

	await contractor.waitForSelector('li[data-type="why"]:has-text("审批权限未下放")');
	const causes = contractor.locator('.block-group >> nth=0 >> .block-cause');
	expect(await causes.count()).toBe(2);
	// The toggle says what it is: 关键原因, marked (△, pressed) or not (○).
	expect(await causes.nth(0).locator('.key-toggle').textContent()).toBe('△ 关键原因');
	expect(await causes.nth(0).locator('.key-toggle').getAttribute('aria-pressed')).toBe('true');
	expect(await causes.nth(1).locator('.key-toggle').textContent()).toBe('○ 关键原因');
	expect(await textsWithoutCarets(contractor.locator('li[data-type="why"]'))).toEqual(['变更需报原审批部门', '审批权限未下放']);
	await design.waitForSelector('.block-group >> nth=4 >> .author:has-text("吴经理 · 中衡路桥工程集团（施工）")');
	expect(await causes.nth(1).locator('.author').textContent()).toBe('周工 · 华景交通规划设计研究院（设计）');
});

test('long field values show whole, wrapping in place; a reader sees the filled fields and no empty bar', async () => {
	const analysisId = await docIn('K2 根因分析', 'analysis');
	const { design } = pages;
	await openDocument(design, f.server.url, analysisId);
	const symptom = '2025年6月底累计完成投资4.2亿元，仅占年度计划的38%，较序时进度滞后22个百分点；其中征拆费用支付率不足50%，涉及3个标段、12户未签约';
	await design.fill('.block-problem [name=symptom]', symptom);
	await design.fill('.block-problem [name=project]', 'K2 快速路');
	// Every character of the value is in view: the field grew to its wrapped text instead of scrolling it away.
	const box = design.locator('.block-problem [name=symptom]');
	const fits = () => box.evaluate((el: HTMLTextAreaElement) => el.scrollHeight <= el.clientHeight + 1 && el.scrollWidth <= el.clientWidth + 1);
	await waitFor(fits, 'the long value fits its field');
	const line = await design.locator('.block-problem [name=project]').evaluate((el) => el.getBoundingClientRect().height);
	expect((await box.boundingBox())!.height).toBeGreaterThan(line * 1.5);
	// Enter does not break the one-line value.
	await box.press('End');
	await box.press('Enter');
	expect(await box.inputValue()).toBe(symptom);
	// Narrowed to a phone's width the field grows with its wrapped text; widened again it shrinks back.
	const wideView = design.viewportSize()!;
	const wideHeight = (await box.boundingBox())!.height;
	await design.setViewportSize({ width: 390, height: 844 });
	await waitFor(async () => (await fits()) && (await box.boundingBox())!.height > wideHeight, 'the value fits the narrower field');
	await design.setViewportSize(wideView);
	await waitFor(async () => (await fits()) && Math.abs((await box.boundingBox())!.height - wideHeight) <= 2, 'the field is as tall as before');

	// A read-only observer: the filled fields as text, no empty field, no disabled key toggles, no empty bars.
	const observer = await newMember(f.server.url, f.admin, 'blk-observer', '孙列席', '审计署有关司局');
	const conferenceId = (await api(f.server.url, 'GET', `/api/documents/${analysisId}`, { cookie: f.admin.cookie })).body.conferenceId as string;
	await putMember(f.server.url, f.admin, conferenceId, observer.userId, { role: 'observer', breakoutIds: [breakoutId] });
	const { context: readerContext, page: reader } = await signedInPage(f.browser, f.server.url, 'blk-observer', 'blk-observer-password');
	await openDocument(reader, f.server.url, analysisId);
	await reader.waitForSelector('[data-testid=read-only]');
	await waitFor(async () => (await reader.locator('.block-problem [name=symptom]').inputValue()) === symptom, 'the reader sees the symptom');
	expect(await reader.locator('.block-problem [name=symptom]').evaluate((el: HTMLTextAreaElement) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
	const visibleBars = await reader.locator('.block-bar').evaluateAll((bars) =>
		bars.filter((b) => (b as HTMLElement).offsetParent !== null).map((b) => ({ text: (b as HTMLElement).innerText.trim(), height: b.getBoundingClientRect().height }))
	);
	for (const bar of visibleBars) expect(bar.text, 'a visible bar has something in it').not.toBe('');
	expect(await reader.locator('.key-toggle:visible').count()).toBe(0);
	await readerContext.close();
});

test('the fishbone as a diagram: the problem at the head, a bone per category with its causes, following edits live', async () => {
	const analysisId = await docIn('T3 根因分析', 'analysis');
	const { design, contractor } = pages;
	await openDocument(design, f.server.url, analysisId);
	await openDocument(contractor, f.server.url, analysisId);
	await contractor.click('[data-testid=fishbone-toggle]');
	const categories = await design.locator('.block-group > .block-bar strong').allTextContents();
	expect(categories.length).toBeGreaterThan(3);
	await contractor.waitForSelector('[data-testid=fishbone]');
	// Every category is a bone (they alternate above and below the spine).
	expect((await contractor.locator('[data-testid=fishbone-bone] > strong').allTextContents()).sort()).toEqual([...categories].sort());

	await design.click('.block-problem .block-content p');
	await design.keyboard.type('T3标段工期滞后');
	await design.click('.block-group >> nth=1 >> .block-cause .block-content p');
	await design.keyboard.type('材料进场计划不衔接');
	await design.click('.block-group >> nth=1 >> .key-toggle');
	await contractor.waitForSelector('[data-testid=fishbone-head]:has-text("T3标段工期滞后")');
	const bone = contractor.locator(`[data-testid=fishbone-bone]:has(> strong:text-is("${categories[1]}"))`);
	await waitFor(async () => (await bone.locator('li').allTextContents()).join('|') === '△ 材料进场计划不衔接', 'the key cause is on its bone, marked');
	expect(await contractor.locator(`[data-testid=fishbone-bone]:has(> strong:text-is("${categories[0]}"))`).textContent()).toContain('尚无原因');
	await contractor.click('[data-testid=fishbone-toggle]');
	expect(await contractor.locator('[data-testid=fishbone]').count()).toBe(0);
});

test('block ids stay unique when two people split the same paragraph at once and when a copied block is pasted', async () => {
	const notesId = await docIn('会议笔记', 'notes');
	const { design, contractor } = pages;
	await openDocument(design, f.server.url, notesId);
	await openDocument(contractor, f.server.url, notesId);
	await design.click('.ProseMirror p');
	await design.keyboard.type('资金到位滞后导致停工');
	await waitFor(async () => (await textsWithoutCarets(contractor.locator('.ProseMirror p'))).join('') === '资金到位滞后导致停工', 'the contractor has the text');

	// Both split the paragraph in the middle at the same moment.
	await contractor.click('.ProseMirror p');
	for (const p of [design, contractor]) {
		await p.keyboard.press('End');
		for (let i = 0; i < 4; i++) await p.keyboard.press('ArrowLeft');
	}
	await Promise.all([design.keyboard.press('Enter'), contractor.keyboard.press('Enter')]);

	// Every paragraph has an id, the ids are unique, and both sides agree. (Concurrent splits may
	// duplicate the text after the split point: that is the CRDT's merge, not a concern of ids.)
	const ids = (p: Page) => p.locator('.ProseMirror p').evaluateAll((els) => els.map((e) => e.getAttribute('data-block-id')));
	const converged = async (min: number) => {
		const [a, b] = [await ids(design), await ids(contractor)];
		return a.length >= min && a.every(Boolean) && JSON.stringify(a) === JSON.stringify(b) && new Set(a).size === a.length;
	};
	await waitFor(() => converged(2), 'both have the same, unique block ids after the splits');

	// In another document, blocks copied from it are pasted back with their ids (two paragraphs, so they stay blocks).
	const other = await docIn('粘贴测试', 'notes');
	await openDocument(design, f.server.url, other);
	await openDocument(contractor, f.server.url, other);
	await design.click('.ProseMirror p');
	await design.keyboard.type('原有段落');
	await design.keyboard.press('Enter');
	const existing = await design.getAttribute('.ProseMirror p >> nth=0', 'data-block-id');
	await design.evaluate((id) => {
		const data = new DataTransfer();
		data.setData('text/html', `<p data-block-id="${id}">粘贴的段落</p><p data-block-id="${id}">又一段</p>`);
		data.setData('text/plain', '粘贴的段落\n又一段');
		document.querySelector('.ProseMirror')?.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
	}, existing);
	await waitFor(async () => (await textsWithoutCarets(contractor.locator('.ProseMirror p'))).includes('又一段'), 'the paste arrives');
	await waitFor(() => converged(3), 'both have the same, unique block ids after the paste');
	expect(await textsWithoutCarets(contractor.locator('.ProseMirror p'))).toEqual(expect.arrayContaining(['粘贴的段落', '又一段']));
});

test("the server's list of the editor's elements is the editor's schema (anything else in a document is refused)", async () => {
	const planId = await docIn('结构清单', 'plan');
	await openDocument(pages.design, f.server.url, planId);
	const names = await pages.design.evaluate(() => {
		const root = document.querySelector('.ProseMirror') as HTMLElement & { editor: { schema: { nodes: Record<string, unknown> } } };
		return Object.keys(root.editor.schema.nodes).filter((n) => n !== 'doc' && n !== 'text');
	});
	expect([...names].sort()).toEqual([...editorNodeNames].sort());
});
