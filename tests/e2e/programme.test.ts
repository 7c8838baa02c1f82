import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { signedInPage, useServerAndBrowser } from '../helpers/browser.js';
import { createBreakout, newMember, putMember } from '../helpers/conference.js';
import { adminPassword, adminUsername } from '../helpers/server.js';

const f = useServerAndBrowser();

test('the organizer marks the session under way and runs the plenary countdown; an observer sees both live; the moderator runs the breakout clock', async () => {
	const { server, browser, admin } = f;
	const conf = (await api(server.url, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title: '能源专题研讨会', startDate: '2025-07-17' } })).body;
	const breakoutId = await createBreakout(server.url, admin, conf.id, '能源组');
	const observer = await newMember(server.url, admin, 'now-observer', '远程代表', '丁省能源局');
	await putMember(server.url, admin, conf.id, observer.userId, { role: 'observer', breakoutIds: [breakoutId] });
	const runner = await newMember(server.url, admin, 'now-moderator', '周召集人', '国家能源局');
	await putMember(server.url, admin, conf.id, runner.userId, { role: 'moderator', breakoutIds: [breakoutId] });

	const organizer = (await signedInPage(browser, server.url, adminUsername, adminPassword)).page;
	const watcher = (await signedInPage(browser, server.url, 'now-observer', 'now-observer-password')).page;
	const moderator = (await signedInPage(browser, server.url, 'now-moderator', 'now-moderator-password')).page;
	for (const p of [organizer, watcher, moderator]) await p.goto(`${server.url}/c/${conf.id}`);
	await watcher.waitForSelector('[data-testid="now-strip"]');
	// An observer runs nothing.
	expect(await watcher.locator('[data-testid="now-strip"] button').count()).toBe(0);

	await organizer.goto(`${server.url}/c/${conf.id}/agenda`);
	await organizer.click('tr:has-text("总体情况通报") button:has-text("设为当前")');
	await watcher.waitForSelector('[data-testid="now-item"]:has-text("总体情况通报")');
	await organizer.fill('[data-scope="plenary"] input', '20');
	await organizer.click('[data-scope="plenary"] button:has-text("开始计时")');
	await watcher.waitForSelector('[data-scope="plenary"] [data-testid="countdown-time"]:has-text("19:")');

	// The moderator has the breakout's clock only.
	expect(await moderator.locator('[data-scope="plenary"] button').count()).toBe(0);
	await moderator.fill(`[data-scope="${breakoutId}"] input`, '5');
	await moderator.click(`[data-scope="${breakoutId}"] button:has-text("开始计时")`);
	await watcher.waitForSelector(`[data-scope="${breakoutId}"] [data-testid="countdown-time"]:has-text("4:")`);
	await moderator.click(`[data-scope="${breakoutId}"] button:has-text("暂停")`);
	await watcher.waitForSelector(`[data-scope="${breakoutId}"]:has-text("已暂停")`);
});
