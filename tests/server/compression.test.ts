import http from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { expect, test } from 'vitest';
import { api, rawGet } from '../helpers/api.js';
import { waitFor } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';

/**
 * Compression (README "How it works"): the app's static files are compressed at build time and sent
 * compressed to browsers that accept it; event streams and file downloads are never compressed.
 */
const f = useUsers();

/** The scripts the shell preloads: the bulk of what a first visit downloads. */
async function shellScripts(): Promise<string[]> {
	const shell = await (await fetch(`${f.server.url}/`)).text();
	return [...shell.matchAll(/href="(\/_app\/immutable\/[^"]+\.js)"/gu)].map((m) => m[1]);
}

/** Files smaller than this are not worth compressing: they are sent as they are. */
const minCompressed = 1024;

test('a script asked for with gzip or br comes back compressed and decodes to the same bytes; without, it comes as it is', async () => {
	const scripts = await shellScripts();
	expect(scripts.length).toBeGreaterThan(3);
	let compressed = 0;
	let plainTotal = 0;
	let brTotal = 0;
	for (const path of scripts) {
		const plain = await rawGet(`${f.server.url}${path}`);
		expect(plain.status).toBe(200);
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
		plainTotal += plain.body.length;
		if (plain.body.length < minCompressed) {
			const small = await rawGet(`${f.server.url}${path}`, { 'accept-encoding': 'gzip, deflate, br' });
			expect(small.headers['content-encoding']).toBeUndefined();
			expect(small.body.equals(plain.body)).toBe(true);
			brTotal += small.body.length;
			continue;
		}
		compressed += 1;
		for (const [accept, encoding, decode] of [
			['gzip, deflate', 'gzip', gunzipSync],
			['gzip, deflate, br, zstd', 'br', brotliDecompressSync]
		] as const) {
			const packed = await rawGet(`${f.server.url}${path}`, { 'accept-encoding': accept });
			expect(packed.status).toBe(200);
			expect(packed.headers['content-encoding'], `${path} with ${accept}`).toBe(encoding);
			expect(packed.headers['vary']).toMatch(/accept-encoding/iu);
			expect(packed.headers['content-type']).toMatch(/javascript/u);
			expect(packed.headers['cache-control']).toBe('public, max-age=31536000, immutable');
			expect(Number(packed.headers['content-length'])).toBe(packed.body.length);
			expect(decode(packed.body).equals(plain.body), `${path} decodes to the file`).toBe(true);
			if (encoding === 'br') brTotal += packed.body.length;
		}
	}
	expect(compressed).toBeGreaterThan(3);
	expect(brTotal).toBeLessThan(plainTotal / 2);
});

test('the live event stream is neither compressed nor held back: an event arrives at once', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '推送压缩测试');
	const received: string[] = [];
	let headers: http.IncomingHttpHeaders = {};
	const req = http.get(`${f.server.url}/api/conferences/${conferenceId}/events`, { headers: { cookie: f.admin.cookie, 'accept-encoding': 'gzip, deflate, br' } }, (res) => {
		headers = res.headers;
		res.setEncoding('utf8');
		res.on('data', (chunk: string) => received.push(chunk));
	});
	try {
		await waitFor(() => received.join('').includes('event: ready'), 'the stream is ready');
		expect(headers['content-type']).toContain('text/event-stream');
		expect(headers['content-encoding']).toBeUndefined();
		const asked = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/questions`, {
			cookie: f.admin.cookie,
			body: { scope: 'plenary', text: '资金什么时候到位？', private: false }
		});
		expect(asked.status).toBe(201);
		await waitFor(() => received.join('').includes('"type":"questions"'), 'the event', 3000);
	} finally {
		req.destroy();
	}
});

test('a file download is sent as it is, with its Content-Length, whatever the client accepts', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '下载测试');
	const res = await rawGet(`${f.server.url}/api/conferences/${conferenceId}/exports/ledger.xlsx`, { cookie: f.admin.cookie, 'accept-encoding': 'gzip, deflate, br' });
	expect(res.status).toBe(200);
	expect(res.headers['content-encoding']).toBeUndefined();
	expect(res.headers['content-disposition']).toMatch(/^attachment;/u);
	expect(res.headers['cache-control']).toBe('private, no-store');
	expect(Number(res.headers['content-length'])).toBe(res.body.length);
	// An XLSX is a zip: it starts with the local file header.
	expect(res.body.subarray(0, 4).toString('hex')).toBe('504b0304');
});
