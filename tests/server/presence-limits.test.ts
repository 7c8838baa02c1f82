import { expect, test } from 'vitest';
import { createDocument } from '../helpers/api.js';
import { type SyncClient, rawSocket, syncedClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { awarenessFrame, closeCodeOf, openRaw } from '../helpers/frames.js';

/**
 * Presence is bounded: a connection speaks for a few client ids only, a state has a size limit, and
 * presence goes out in coalesced rounds however often it changes.
 */
// Twenty carets of one account below: the per-account cap of presence states is raised for them.
const f = useUsers({ env: { CONCORD_MAX_MESSAGES_PER_SECOND: '100000', CONCORD_MESSAGE_BURST: '100000', CONCORD_PRESENCE_INTERVAL_MS: '100', CONCORD_MAX_PRESENCE_IDS_PER_ACCOUNT: '64' } });

/** Client ids whose presence `c` holds, other than its own and the server's (which carries "watching"). */
const othersSeen = (c: SyncClient) => [...c.provider.awareness.getStates().keys()].filter((id) => id !== c.doc.clientID);

test('one connection announcing 10,000 client ids: peers hold only the few it may have', async () => {
	const docId = await createDocument(f.server.url, f.alice, '在线状态上限');
	const peer = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
	for (let i = 0; i < 10_000; i++) attacker.send(awarenessFrame([{ clientId: 5_000_000 + i, clock: 1, state: '{"cursor":null}' }]));
	await waitFor(() => othersSeen(peer).filter((id) => id >= 5_000_000 && id < 5_010_000).length >= 4, 'the first ids arrive');
	// A round trip after the flood: everything the server took has been relayed by now.
	const probe = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	probe.provider.awareness.setLocalStateField('cursor', { probe: true });
	await waitFor(() => peer.provider.awareness.getStates().has(probe.doc.clientID), 'the probe arrives');
	expect(othersSeen(peer).filter((id) => id >= 5_000_000 && id < 5_010_000)).toHaveLength(4);
	attacker.close();
	probe.destroy();
	peer.destroy();
});

test('a presence state of 64 KiB closes its sender with 4413 and never reaches anyone', async () => {
	const docId = await createDocument(f.server.url, f.alice, '在线状态体积');
	const peer = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	for (const size of [64 * 1024, 2 * 1024 * 1024]) {
		const attacker = await openRaw(f.server.wsUrl, docId, f.bob.cookie);
		const closed = closeCodeOf(attacker);
		attacker.send(awarenessFrame([{ clientId: 7_000_000 + size, clock: 1, state: JSON.stringify({ cursor: null, padding: 'x'.repeat(size) }) }]));
		expect(await closed).toBe(4413);
		expect(peer.provider.awareness.getStates().has(7_000_000 + size)).toBe(false);
	}
	// An ordinary state (cursor and the stamped user) passes.
	const other = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	other.provider.awareness.setLocalStateField('cursor', { anchor: 1, head: 1 });
	await waitFor(() => peer.provider.awareness.getStates().get(other.doc.clientID)?.cursor !== undefined, 'an ordinary state arrives');
	other.destroy();
	peer.destroy();
});

test('twenty editors moving their carets at 30 Hz: each peer gets coalesced rounds, with every latest state', async () => {
	const docId = await createDocument(f.server.url, f.alice, '在线状态合并');
	const listener = await rawSocket(f.server.wsUrl, docId, { cookie: f.alice.cookie });
	if (!('ws' in listener)) throw new Error('refused');
	let awarenessMessages = 0;
	let counting = false;
	listener.ws.on('message', (data: Buffer) => {
		if (counting && data[0] === 1) awarenessMessages++;
	});
	const movers = await Promise.all(Array.from({ length: 20 }, () => syncedClient(f.server.wsUrl, docId, f.bob.cookie)));
	const watch = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	counting = true;
	const started = Date.now();
	for (let tick = 0; tick < 60; tick++) {
		for (const m of movers) m.provider.awareness.setLocalStateField('cursor', { tick });
		await new Promise((r) => setTimeout(r, 33));
	}
	const elapsed = Date.now() - started;
	await waitFor(() => movers.every((m) => watch.provider.awareness.getStates().get(m.doc.clientID)?.cursor?.tick === 59), 'every latest state arrives');
	counting = false;
	// 1,200 state changes in about two seconds: at most one round per 100 ms reaches a peer.
	expect(awarenessMessages).toBeLessThanOrEqual(Math.ceil((elapsed + 1000) / 100) + 2);
	listener.ws.close();
	watch.destroy();
	for (const m of movers) m.destroy();
});
