import { chromium } from 'playwright-core';
const [,, base, user, path, out, width] = process.argv;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
const ctx = await browser.newContext({ viewport: { width: Number(width ?? 1280), height: 900 }, locale: 'zh-CN' });
const page = await ctx.newPage();
await page.goto(`${base}/login`);
await page.fill('input[autocomplete="username"]', user);
await page.fill('input[type="password"]', user === 'admin' ? 'demo-admin-2025' : 'demo-2025');
await page.press('input[type="password"]', 'Enter');
await page.waitForURL((u) => !u.pathname.startsWith('/login'));
if (path.endsWith('/FIRST')) {
	await page.goto(`${base}${path.replace('/FIRST', '')}`);
	await page.locator('[data-testid="ledger"] tbody a').first().click();
	await page.waitForSelector('[data-testid="ledger-status"]');
} else await page.goto(`${base}${path}`);
await page.waitForTimeout(1500);
await page.screenshot({ path: out, fullPage: true });
await browser.close();
