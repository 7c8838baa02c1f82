/**
 * Concord accepts state-changing requests and sync upgrades only from its own origin (CSRF), as a
 * browser on one of its pages sends it. Scripts and stock clients in Node must say so themselves.
 */

/** The origin of the server at `url` (http(s) or ws(s)), as a page of that server sends it. */
export function originOf(url: string): string {
	const u = new URL(url);
	const protocol = u.protocol === 'wss:' ? 'https:' : u.protocol === 'ws:' ? 'http:' : u.protocol;
	return `${protocol}//${u.host}`;
}

/** `headers` with the server's `origin` added; a test leaves it out with `origin: undefined`. */
export function withOrigin(url: string, headers: Record<string, string | undefined> = {}): Record<string, string> {
	const all: Record<string, string | undefined> = { origin: originOf(url), ...headers };
	return Object.fromEntries(Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined));
}
