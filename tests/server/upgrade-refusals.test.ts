import { afterAll, beforeAll, expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { rawSocket } from '../helpers/clients.js';
import { type Fixture, startWithUsers } from '../helpers/fixture.js';

let f: Fixture;
let docId: string;

beforeAll(async () => {
	f = await startWithUsers();
	docId = await createDocument(f.server.url, f.alice, '市政组整改方案');
});

afterAll(async () => {
	await f.server.stop();
	f.server.removeData();
});

test('an upgrade without a valid session is refused with HTTP 401 before the handshake', async () => {
	expect(await rawSocket(f.server.wsUrl, docId, {})).toEqual({ status: 401 });
	expect(await rawSocket(f.server.wsUrl, docId, { cookie: 'concord_session=forged.token' })).toEqual({ status: 401 });
});

test('an upgrade for an unknown document gets 404', async () => {
	expect(await rawSocket(f.server.wsUrl, 'no-such-document-id', { cookie: f.alice.cookie })).toEqual({ status: 404 });
	expect(await rawSocket(f.server.wsUrl, '..%2F..%2Fetc', { cookie: f.alice.cookie })).toEqual({ status: 404 });
});

test('an upgrade from a foreign Origin gets 403, even with a valid session', async () => {
	expect(await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie, origin: 'http://evil.example' })).toEqual({ status: 403 });
	const ok = await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie, origin: f.server.url });
	expect('ws' in ok).toBe(true);
	if ('ws' in ok) ok.ws.close();
});
