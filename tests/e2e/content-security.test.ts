import type { BrowserContext, Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { editorText, useServerAndBrowser } from '../helpers/browser.js';
import { waitFor } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { approve, breakoutWithPlan, unitMember } from '../helpers/ledger.js';
import { adminPassword, adminUsername } from '../helpers/server.js';

/**
 * The Content-Security-Policy in real Chromium: every main page works under it and none reports a
 * violation. Each page of a context records `securitypolicyviolation` events and console complaints
 * from its first script on.
 */
let conferenceId: string;
let breakoutId: string;
let planId: string;
let itemId: string;

const f = useServerAndBrowser(async ({ server, admin }) => {
	conferenceId = await createConference(server.url, admin, '安全策略测试会议');
	const author = await unitMember(server.url, admin, conferenceId, 'csp-author', '陈志远', '甲省交通运输厅', 'participant');
	const plan = await breakoutWithPlan(server.url, server.wsUrl, admin, conferenceId, author, [
		{ text: '建立交地与工作面移交周调度台账', responsibleUnit: '甲省交通运输厅', deadline: '2025-12-31' }
	]);
	planId = plan.planId;
	breakoutId = plan.breakoutId;
	[itemId] = await approve(server.url, admin, author, plan.planId, plan.measureIds);
});

interface Watched {
	context: BrowserContext;
	page: Page;
	/** What the policy refused, as "directive: blocked URI". */
	violations: string[];
}

async function watched(): Promise<Watched> {
	const context = await f.browser.newContext({ viewport: { width: 1200, height: 800 }, locale: 'zh-CN' });
	const violations: string[] = [];
	await context.exposeFunction('__reportViolation', (v: string) => violations.push(v));
	await context.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (e) => {
			(window as unknown as { __reportViolation(v: string): void }).__reportViolation(`${e.effectiveDirective}: ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`);
		});
	});
	const page = await context.newPage();
	page.on('console', (msg) => {
		if (/Content.Security.Policy|Refused to/iu.test(msg.text())) violations.push(`console: ${msg.text()}`);
	});
	return { context, page, violations };
}

async function signIn(page: Page, username: string, password: string) {
	await page.goto(`${f.server.url}/login`);
	await page.fill('input[name=username]', username);
	await page.fill('input[name=password]', password);
	await page.click('button[type=submit]');
	await page.waitForURL(`${f.server.url}/`);
}

test('the watch sees what the policy refuses: an injected inline script is blocked and reported', async () => {
	const w = await watched();
	await w.page.goto(`${f.server.url}/login`);
	await w.page.waitForSelector('input[name=username]');
	await w.page.evaluate(() => {
		const s = document.createElement('script');
		s.textContent = 'window.__injectedRan = true';
		document.head.append(s);
	});
	await waitFor(() => w.violations.some((v) => v.startsWith('script-src')), 'the violation report');
	expect(await w.page.evaluate(() => (window as unknown as { __injectedRan?: boolean }).__injectedRan)).toBeUndefined();
	await w.context.close();
});

test('sign-in, home, a conference, a document with the editor and carets, the ledger, accounts: no violation', async () => {
	const organizer = await watched();
	const author = await watched();
	await signIn(organizer.page, adminUsername, adminPassword);
	await organizer.page.waitForSelector('h1:has-text("我的会议")');
	await organizer.page.goto(`${f.server.url}/c/${conferenceId}`);
	await organizer.page.waitForSelector('text=安全策略测试会议');
	await organizer.page.waitForSelector('text=T1 整改方案');
	// The members tab draws the invite's QR code inline.
	await organizer.page.goto(`${f.server.url}/c/${conferenceId}/members`);
	await organizer.page.click('button:has-text("生成邀请链接")');
	await organizer.page.waitForSelector('[data-testid="qr-code"] svg');

	// The editor over sync (WebSocket to the same origin: connect-src 'self'), with the other's caret.
	await signIn(author.page, 'csp-author', 'csp-author-password');
	for (const w of [organizer, author]) {
		await w.page.goto(`${f.server.url}/d/${planId}`);
		await w.page.waitForSelector('.status[data-status="saved"]');
	}
	await author.page.click('.ProseMirror p >> nth=-1');
	await author.page.keyboard.type('按周报送');
	await waitFor(async () => (await editorText(organizer.page)).includes('按周报送'), 'the organizer sees the typing');
	await organizer.page.waitForSelector('.collaboration-carets__label:has-text("陈志远")');
	await organizer.page.waitForSelector('.status[data-status="saved"]');

	await organizer.page.goto(`${f.server.url}/c/${conferenceId}/ledger`);
	await organizer.page.waitForSelector('[data-testid="ledger"] tbody a:has-text("ZG-JT-001")');
	await organizer.page.goto(`${f.server.url}/c/${conferenceId}/ledger/${itemId}`);
	await organizer.page.waitForSelector('[data-testid="ledger-status"]');
	await organizer.page.goto(`${f.server.url}/admin/accounts`);
	await organizer.page.waitForSelector('tbody tr:has-text("csp-author")');
	await organizer.page.goto(`${f.server.url}/account`);
	await organizer.page.waitForSelector('input[name=currentPassword]');

	expect(organizer.violations).toEqual([]);
	expect(author.violations).toEqual([]);
	await organizer.context.close();
	await author.context.close();
});

test('an invite page and a guest joining through it: no violation', async () => {
	const invite = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/invites`, { cookie: f.admin.cookie, body: { role: 'observer', breakoutIds: [breakoutId], maxUses: 1 } });
	expect(invite.status).toBe(201);
	const guest = await watched();
	await guest.page.goto(`${f.server.url}${invite.body.path}`);
	await guest.page.waitForSelector('text=身份：远程列席');
	await guest.page.fill('input[name=displayName]', '县政府代表');
	await guest.page.fill('input[name=unit]', '甲省江州市人民政府');
	await guest.page.click('button[type=submit]');
	await guest.page.waitForURL(/\/d\/[a-z0-9]+\?welcome=1$/);
	await guest.page.waitForSelector('.status[data-status="following"]');
	expect(guest.violations).toEqual([]);
	await guest.context.close();
});
