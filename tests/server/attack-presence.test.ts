import { expect, test } from 'vitest';
import type WebSocket from 'ws';
import { createDocument } from '../helpers/api.js';
import { newMember } from '../helpers/conference.js';
import { type SyncClient, syncedClient, waitFor } from '../helpers/clients.js';
import { useUsers } from '../helpers/fixture.js';
import { awarenessFrame, openRaw } from '../helpers/frames.js';

/**
 * Review of issue 12 (outside attack) of presence (server/collab/presence.ts, awareness-stamp.ts).
 */
const f = useUsers({ env: { CONCORD_PRESENCE_INTERVAL_MS: '100' } });

test('70 editors in one document stay connected (a stock client echoes back every presence it receives)', async () => {
	const docId = await createDocument(f.server.url, f.alice, '七十人同文档');
	// Seven people with ten tabs each (an account shows at most 16 presences: see the next test).
	const people = [f.alice, f.bob];
	for (let p = 0; p < 5; p++) people.push(await newMember(f.server.url, f.admin, `tabs-${p}-${Date.now()}`, `代表${p}`));
	const editors: SyncClient[] = [];
	const closes: number[] = [];
	for (let i = 0; i < 70; i++) {
		const c = await syncedClient(f.server.wsUrl, docId, people[i % people.length].cookie);
		c.provider.on('connection-close', (e: { code: number } | null) => closes.push(e?.code ?? 0));
		editors.push(c);
	}
	// Everyone moves their caret once, at about the same moment (one presence round carries all 70).
	for (const [i, c] of editors.entries()) c.provider.awareness.setLocalStateField('cursor', { anchor: i, head: i });
	const last = editors[69];
	await waitFor(
		() => editors.every((c) => last.provider.awareness.getStates().get(c.doc.clientID)?.cursor?.anchor !== undefined) || closes.length > 0,
		'every caret reaches the last editor, or someone is closed',
		20_000
	);
	// A further round trip: a caret moved now must still reach the first editor.
	last.provider.awareness.setLocalStateField('cursor', { anchor: 1000, head: 1000 });
	await waitFor(() => editors[0].provider.awareness.getStates().get(last.doc.clientID)?.cursor?.anchor === 1000 || closes.length > 0, 'a later caret move', 20_000).catch(() => undefined);
	const seen = [...closes];
	for (const c of editors) c.destroy();
	expect(seen, 'close codes the editors got').toEqual([]);
});

test('one account with 15 sockets cannot make every peer hold 60 presence states of 4 KB', async () => {
	const docId = await createDocument(f.server.url, f.alice, '多连接在线状态');
	const peer = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const sockets: WebSocket[] = [];
	for (let s = 0; s < 15; s++) sockets.push(await openRaw(f.server.wsUrl, docId, f.bob.cookie));
	const padding = 'x'.repeat(3900); // under the 4096-byte cap
	sockets.forEach((ws, s) =>
		ws.send(awarenessFrame([0, 1, 2, 3].map((k) => ({ clientId: 9_000_000 + s * 10 + k, clock: 1, state: JSON.stringify({ cursor: null, padding }) }))))
	);
	const fromBob = () => [...peer.provider.awareness.getStates().keys()].filter((id) => id >= 9_000_000 && id < 9_001_000);
	// A round trip after the last socket's state: whatever the server took has been relayed by then.
	const probe = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	probe.provider.awareness.setLocalStateField('cursor', { probe: true });
	await waitFor(() => peer.provider.awareness.getStates().has(probe.doc.clientID), 'the probe arrives');
	const held = fromBob().length;
	for (const ws of sockets) ws.close();
	probe.destroy();
	peer.destroy();
	// The caps are per connection (4 ids); an account may open 200 sockets (CONCORD_MAX_SOCKETS_PER_USER),
	// so one participant could make every peer hold 800 states (3.2 MB), resent to each in every round.
	expect(held, 'presence states of one account a peer holds').toBeLessThanOrEqual(16);
});

test('two tabs of one account: closing one leaves the other’s presence in place', async () => {
	const docId = await createDocument(f.server.url, f.alice, '同账号两个标签页');
	const watcher = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const tabA = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	const tabB = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	tabA.provider.awareness.setLocalStateField('cursor', { anchor: 3, head: 3 });
	await waitFor(() => watcher.provider.awareness.getStates().get(tabA.doc.clientID)?.cursor?.anchor === 3, 'tab A’s caret reaches the watcher');
	await waitFor(() => tabB.provider.awareness.getStates().get(tabA.doc.clientID)?.cursor?.anchor === 3, 'and tab B');
	// Tab B is closed (a stock client echoes back what it received; tab A's state was in a round it got).
	tabB.destroy();
	await waitFor(() => !watcher.provider.awareness.getStates().has(tabB.doc.clientID), 'tab B’s presence goes');
	// A round trip after tab B's departure.
	const probe = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	probe.provider.awareness.setLocalStateField('cursor', { probe: true });
	await waitFor(() => watcher.provider.awareness.getStates().has(probe.doc.clientID), 'the probe arrives');
	const stillThere = watcher.provider.awareness.getStates().has(tabA.doc.clientID);
	probe.destroy();
	tabA.destroy();
	watcher.destroy();
	expect(stillThere, 'tab A’s caret is still shown').toBe(true);
});
