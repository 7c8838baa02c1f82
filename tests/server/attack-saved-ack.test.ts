import * as decoding from 'lib0/decoding';
import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { api } from '../helpers/api.js';
import { rawSocket, syncedClient, waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { syncFrame } from '../helpers/frames.js';

/**
 * Review of issue 12 (outside attack) of `saved` (message type 8): it acknowledges the first n
 * change-carrying messages of a socket as stored; it must never count one that was dropped.
 */
const f = useUsers();

test('an update waiting for content, dropped when the editor was made read-only for a moment, is never acknowledged as saved', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '确认复核会');
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '水利组');
	await putMember(f.server.url, f.admin, conferenceId, f.bob.userId, { role: 'participant', breakoutIds: [breakoutId] });
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.admin.cookie, body: { title: '确认', breakoutId } })).body.id as string;

	// Bob's offline work: a base he has not sent yet, and a change built on it.
	const local = new Y.Doc();
	const t = local.getText('t');
	t.insert(0, '基础内容');
	const sv = Y.encodeStateVector(local);
	t.insert(4, '，续写的整改意见');
	const onTop = Y.encodeStateAsUpdate(local, sv);

	const res = await rawSocket(f.server.wsUrl, `${docId}?ack=1`, { cookie: f.bob.cookie });
	if (!('ws' in res)) throw new Error(`refused: ${res.status}`);
	const ws = res.ws;
	const acks: number[] = [];
	let denied = 0;
	ws.on('message', (data: Buffer) => {
		const d = decoding.createDecoder(new Uint8Array(data));
		const type = decoding.readVarUint(d);
		if (type === 8) acks.push(decoding.readVarUint(d));
		if (type === 2) denied++;
	});
	ws.send(syncFrame(2, onTop)); // message 1: waits for the base
	await waitFor(() => acks.length > 0, 'an acknowledgement');
	expect(acks.at(-1)).toBe(0);

	// The organizer makes Bob an observer, then a participant again.
	await putMember(f.server.url, f.admin, conferenceId, f.bob.userId, { role: 'observer', breakoutIds: [breakoutId] });
	await waitFor(async () => {
		ws.send(syncFrame(2, new Uint8Array([0, 0])));
		await new Promise((r) => setTimeout(r, 50));
		return denied > 0;
	}, 'Bob is read-only');
	await putMember(f.server.url, f.admin, conferenceId, f.bob.userId, { role: 'participant', breakoutIds: [breakoutId] });
	const before = acks.length;
	await waitFor(async () => {
		ws.send(syncFrame(2, new Uint8Array([0, 0]))); // an empty update: changes nothing
		await new Promise((r) => setTimeout(r, 50));
		return acks.length > before;
	}, 'Bob writes again');

	const saved = acks.at(-1)!;
	const reader = await syncedClient(f.server.wsUrl, docId, f.admin.cookie);
	const stored = reader.text.toString();
	reader.destroy();
	ws.close();
	// Message 1 is acknowledged only if it is in the document.
	if (saved >= 1) expect(stored, `acknowledged ${saved} messages; the document holds`).toContain('续写的整改意见');
	else expect(saved).toBe(0);
});
