/**
 * Thin HTTP helpers for tests: real requests against a TestServer, with its Origin as a page sends it.
 * Each request has a connection of its own (`connection: close`): a kept-alive one that the server
 * closed while the test process was busy (a slow machine, a long step) fails the next request that
 * picks it up.
 */
import http from 'node:http';
import { withOrigin } from './origin.js';

export const ownConnection = { connection: 'close' } as const;

export interface Session {
	cookie: string;
	userId: string;
}

export async function login(baseUrl: string, username: string, password: string): Promise<Session> {
	const res = await fetch(`${baseUrl}/api/auth/login`, {
		method: 'POST',
		headers: withOrigin(baseUrl, { ...ownConnection, 'content-type': 'application/json' }),
		body: JSON.stringify({ username, password })
	});
	if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
	const setCookie = res.headers.get('set-cookie') ?? '';
	const cookie = setCookie.split(';')[0];
	const user = (await res.json()) as { id: string };
	return { cookie, userId: user.id };
}

export async function api(
	baseUrl: string,
	method: string,
	path: string,
	opts: { cookie?: string; body?: unknown; headers?: Record<string, string | undefined> } = {}
): Promise<{ status: number; body: any; headers: Headers }> {
	const headers: Record<string, string | undefined> = { ...ownConnection };
	if (opts.cookie) headers.cookie = opts.cookie;
	if (opts.body !== undefined) headers['content-type'] = 'application/json';
	// As a page does: Origin on every state-changing request (the server requires it there), not on reads.
	if (method === 'GET' || method === 'HEAD') headers.origin = undefined;
	const res = await fetch(`${baseUrl}${path}`, {
		method,
		headers: withOrigin(baseUrl, { ...headers, ...opts.headers }),
		body: opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body)
	});
	const text = await res.text();
	let body: unknown = text;
	try {
		body = text === '' ? null : JSON.parse(text);
	} catch {
		/* not JSON: keep the text */
	}
	return { status: res.status, body, headers: res.headers };
}

export async function createUser(
	baseUrl: string,
	admin: Session,
	user: { username: string; password: string; displayName: string; unit?: string }
): Promise<void> {
	const res = await api(baseUrl, 'POST', '/api/users', { cookie: admin.cookie, body: user });
	if (res.status !== 201) throw new Error(`create user failed: ${res.status} ${JSON.stringify(res.body)}`);
}

export async function createDocument(baseUrl: string, session: Session, title: string): Promise<string> {
	const res = await api(baseUrl, 'POST', '/api/documents', { cookie: session.cookie, body: { title } });
	if (res.status !== 201) throw new Error(`create document failed: ${res.status} ${JSON.stringify(res.body)}`);
	return (res.body as { id: string }).id;
}

/**
 * A GET whose body comes back exactly as sent (no decoding, unlike fetch), with the response headers:
 * for checking compression and Content-Length on the wire.
 */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
	return new Promise((resolve, reject) => {
		const req = http.get(url, { headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
			res.on('error', reject);
		});
		req.on('error', reject);
	});
}
