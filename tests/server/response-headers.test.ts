import { createHash } from 'node:crypto';
import { expect, test } from 'vitest';
import { api, rawGet } from '../helpers/api.js';
import { createConference } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { approve, breakoutWithPlan, png, postReport } from '../helpers/ledger.js';

/**
 * The security headers of every response (README "How it works"): a Content-Security-Policy without
 * inline script but the shell's own bootstrap (by its hash), and framing, sniffing and referrer rules.
 */
const f = useUsers();

/** The directives of a Content-Security-Policy header, each with its sources. */
function directives(csp: string): Map<string, string[]> {
	return new Map(
		csp
			.split(';')
			.map((d) => d.trim().split(/\s+/))
			.filter((parts) => parts[0] !== '')
			.map(([name, ...sources]) => [name, sources])
	);
}

/** The hashes, as CSP writes them, of the inline scripts of a page. */
function inlineScriptHashes(html: string): string[] {
	return [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gu)]
		.filter((m) => !/\ssrc=/u.test(m[1] ?? ''))
		.map((m) => `'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
}

function expectSecurityHeaders(headers: Headers | Record<string, string | string[] | undefined>, what: string) {
	const get = (name: string) => (headers instanceof Headers ? headers.get(name) : (headers[name] as string | undefined)) ?? null;
	expect(get('content-security-policy'), what).toBeTruthy();
	expect(get('x-frame-options'), what).toBe('DENY');
	expect(get('x-content-type-options'), what).toBe('nosniff');
	expect(get('referrer-policy'), what).toBe('same-origin');
	return directives(get('content-security-policy') ?? '');
}

test('the SPA shell carries the policy: only its own bootstrap script may run inline, by hash', async () => {
	const res = await fetch(`${f.server.url}/d/some-document`);
	expect(res.status).toBe(200);
	const html = await res.text();
	const csp = expectSecurityHeaders(res.headers, 'shell');
	const hashes = inlineScriptHashes(html);
	expect(hashes.length).toBeGreaterThan(0);
	expect(csp.get('script-src')?.sort()).toEqual(["'self'", ...hashes].sort());
	expect(csp.get('default-src')).toEqual(["'self'"]);
	expect(csp.get('connect-src')).toEqual(["'self'"]);
	expect(csp.get('object-src')).toEqual(["'none'"]);
	expect(csp.get('base-uri')).toEqual(["'none'"]);
	expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
	expect(csp.get('form-action')).toEqual(["'self'"]);
	for (const sources of csp.values()) expect(sources).not.toContain("'unsafe-eval'");
	expect(csp.get('script-src')).not.toContain("'unsafe-inline'");
	expect(res.headers.get('cache-control')).toBe('no-cache');
});

test('assets and API answers carry the same headers; hashed assets stay cached for a year', async () => {
	const shell = await (await fetch(`${f.server.url}/`)).text();
	const script = /\/_app\/immutable\/entry\/start\.[^"]+\.js/u.exec(shell)?.[0];
	const style = /\/_app\/immutable\/assets\/[^"]+\.css/u.exec(shell)?.[0];
	expect(script && style).toBeTruthy();
	const shellPolicy = (await fetch(`${f.server.url}/`)).headers.get('content-security-policy');
	for (const path of [script!, style!]) {
		const res = await rawGet(`${f.server.url}${path}`);
		expect(res.status, path).toBe(200);
		expectSecurityHeaders(res.headers, path);
		expect(res.headers['content-security-policy']).toBe(shellPolicy);
		expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
	}
	const me = await api(f.server.url, 'GET', '/api/me', { cookie: f.alice.cookie });
	expect(me.status).toBe(200);
	expectSecurityHeaders(me.headers, '/api/me');
	const refused = await api(f.server.url, 'GET', '/api/me');
	expect(refused.status).toBe(401);
	expectSecurityHeaders(refused.headers, '401');
	expectSecurityHeaders((await fetch(`${f.server.url}/healthz`)).headers, '/healthz');
	expectSecurityHeaders((await fetch(`${f.server.url}/missing.js`)).headers, '404');
});

test("a response's own stricter policy is kept: an uploaded evidence file stays sandboxed", async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '佐证沙箱');
	const { planId, measureIds } = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, [
		{ text: '建立周调度台账', responsibleUnit: '甲省交通运输厅', deadline: '2025-12-31' }
	]);
	const [itemId] = await approve(f.server.url, f.admin, f.alice, planId, measureIds);
	const report = await postReport(f.server.url, f.alice, itemId, { progress: '已建立', percent: 50 }, [{ name: '台账.png', bytes: png, type: 'image/png' }]);
	expect(report.status).toBe(201);
	const file = await rawGet(`${f.server.url}/api/evidence/${report.body.reports[0].evidence[0].id}`, { cookie: f.alice.cookie });
	expect(file.status).toBe(200);
	expect(file.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
	expect(file.headers['x-frame-options']).toBe('DENY');
	expect(file.headers['x-content-type-options']).toBe('nosniff');
	expect(file.headers['content-disposition']).toMatch(/^attachment;/u);
});
