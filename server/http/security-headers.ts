import { createHash } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import type { AppEnv } from './env.js';

/**
 * The CSP sources of the inline scripts of `html` (the SPA shell: SvelteKit's bootstrap), by hash, so
 * that exactly these run inline and nothing else does.
 */
export function inlineScriptHashes(html: string): string[] {
	return [...html.matchAll(/<script(\s[^>]*)?>([\s\S]*?)<\/script>/gu)]
		.filter((m) => !/\ssrc\s*=/u.test(m[1] ?? ''))
		.map((m) => `'sha256-${createHash('sha256').update(m[2], 'utf8').digest('base64')}'`);
}

/**
 * The security headers of every response, app and API alike. Scripts come from this origin only (plus
 * the shell's bootstrap by hash); sync sockets and API calls go to this origin only (`'self'` covers
 * ws: and wss: on the same host and port). Styles allow inline: Tiptap injects its base stylesheet as
 * a `<style>` element and the shell's root has a style attribute; styles cannot run code. Nothing may
 * frame the app, plugins are off and forms post here only. HSTS is left to the TLS-terminating proxy:
 * an intranet served over plain http must stay reachable. A header a route sets itself wins: uploaded
 * evidence keeps its stricter sandbox policy.
 */
export function securityHeaders(scriptHashes: readonly string[]): MiddlewareHandler<AppEnv> {
	return secureHeaders({
		contentSecurityPolicy: {
			defaultSrc: ["'self'"],
			scriptSrc: ["'self'", ...scriptHashes],
			styleSrc: ["'self'", "'unsafe-inline'"],
			connectSrc: ["'self'"],
			objectSrc: ["'none'"],
			baseUri: ["'none'"],
			frameAncestors: ["'none'"],
			formAction: ["'self'"]
		},
		xFrameOptions: 'DENY',
		referrerPolicy: 'same-origin',
		strictTransportSecurity: false,
		overwrite: false
	});
}
