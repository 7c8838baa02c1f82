import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { listenToEvents } from '../helpers/events.js';
import { useUsers } from '../helpers/fixture.js';
import { probeSync } from '../helpers/probe.js';

const f = useUsers();

/** A breakout with a moderator, a participant and two observers. */
async function liveBreakout(title: string) {
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '交通组');
	const tag = Math.random().toString(36).slice(2, 7);
	const member = async (name: string, role: 'moderator' | 'participant' | 'observer') => {
		const s = await newMember(f.server.url, f.admin, `${role}-${tag}-${name.length}${Math.random().toString(36).slice(2, 5)}`, name, '某单位');
		await putMember(f.server.url, f.admin, conferenceId, s.userId, { role, breakoutIds: [breakoutId] });
		return s;
	};
	return {
		conferenceId,
		breakoutId,
		moderator: await member('赵召集人', 'moderator'),
		participant: await member('钱代表', 'participant'),
		observer: await member('孙列席', 'observer'),
		observer2: await member('李列席', 'observer')
	};
}

const ask = (conferenceId: string, s: Session, body: object) => api(f.server.url, 'POST', `/api/conferences/${conferenceId}/questions`, { cookie: s.cookie, body });
const list = async (conferenceId: string, s: Session, scope: string) =>
	(await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/questions?scope=${scope}`, { cookie: s.cookie })).body.questions as {
		id: string;
		text: string;
		votes: number;
		hidden: boolean;
		pinned: boolean;
		answer: string;
	}[];

test('Q&A: one vote each; private questions reach only the asker and the moderators; hidden means hidden; only moderators moderate', async () => {
	const r = await liveBreakout('问答规则');
	const q1 = (await ask(r.conferenceId, r.observer, { scope: r.breakoutId, text: '征拆补偿标准由谁统一？' })).body.id;
	const q2 = (await ask(r.conferenceId, r.participant, { scope: r.breakoutId, text: '能否开通设计变更绿色通道？', private: true })).body.id;

	const vote = (s: Session, id: string) => api(f.server.url, 'POST', `/api/conferences/${r.conferenceId}/questions/${id}/vote`, { cookie: s.cookie });
	await Promise.all([vote(r.observer2, q1), vote(r.observer2, q1), vote(r.observer2, q1)]);
	await vote(r.participant, q1);
	expect((await list(r.conferenceId, r.observer2, r.breakoutId)).find((q) => q.id === q1)?.votes).toBe(2);

	// The private question: its asker and the moderator see it; the observers do not, and cannot vote on it.
	expect((await list(r.conferenceId, r.participant, r.breakoutId)).map((q) => q.id)).toContain(q2);
	expect((await list(r.conferenceId, r.moderator, r.breakoutId)).map((q) => q.id)).toContain(q2);
	expect((await list(r.conferenceId, r.observer, r.breakoutId)).map((q) => q.id)).not.toContain(q2);
	expect((await vote(r.observer, q2)).status).toBe(404);

	const moderate = (s: Session, id: string, body: object) => api(f.server.url, 'PATCH', `/api/conferences/${r.conferenceId}/questions/${id}`, { cookie: s.cookie, body });
	expect((await moderate(r.participant, q1, { hidden: true })).status).toBe(403);
	expect((await moderate(r.observer, q1, { answer: '我来回答' })).status).toBe(403);
	expect((await moderate(r.moderator, q1, { answer: '由省级征拆指挥部统一公示', pinned: true })).status).toBe(204);
	expect((await list(r.conferenceId, r.observer, r.breakoutId))[0]).toMatchObject({ id: q1, pinned: true, answer: '由省级征拆指挥部统一公示' });

	expect((await moderate(r.moderator, q1, { hidden: true })).status).toBe(204);
	for (const s of [r.observer, r.observer2, r.participant]) expect((await list(r.conferenceId, s, r.breakoutId)).map((q) => q.id)).not.toContain(q1);
	expect((await list(r.conferenceId, r.moderator, r.breakoutId)).find((q) => q.id === q1)?.hidden).toBe(true);
	expect((await vote(r.observer2, q1)).status).toBe(404);

	// Other conferences learn nothing.
	expect((await api(f.server.url, 'GET', `/api/conferences/${r.conferenceId}/questions?scope=${r.breakoutId}`, { cookie: f.bob.cookie })).status).toBe(404);
	expect((await ask(r.conferenceId, f.bob, { scope: 'plenary', text: '?' })).status).toBe(404);
});

test('every change is pushed as an event within moments: subscribers fetch again and see a hidden question gone', async () => {
	const r = await liveBreakout('问答推送');
	const q = (await ask(r.conferenceId, r.observer, { scope: r.breakoutId, text: '资金什么时候到位？' })).body.id;
	const stream = await listenToEvents(f.server.url, r.conferenceId, r.observer2);
	expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
	await api(f.server.url, 'PATCH', `/api/conferences/${r.conferenceId}/questions/${q}`, { cookie: r.moderator.cookie, body: { hidden: true } });
	await waitFor(() => stream.text().includes('"type":"questions"'), 'the observer hears of the change');
	expect(stream.text()).toContain(r.breakoutId);
	expect((await list(r.conferenceId, r.observer2, r.breakoutId)).map((x) => x.id)).not.toContain(q);
	stream.stop();
});

test('a raised hand, a grant and its withdrawal: the watcher writes at once, then reads again; both are in the audit log', async () => {
	const r = await liveBreakout('举手授权');
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: r.moderator.cookie, body: { title: '交通组整改方案', kind: 'plan', breakoutId: r.breakoutId } })).body.id;
	expect(await probeSync(f.server.wsUrl, docId, r.observer.cookie)).toBe('read');

	const base = `/api/conferences/${r.conferenceId}/breakouts/${r.breakoutId}`;
	expect((await api(f.server.url, 'POST', `${base}/hand`, { cookie: r.observer.cookie })).status).toBe(204);
	const seen = (await api(f.server.url, 'GET', `${base}/hands`, { cookie: r.moderator.cookie })).body;
	expect(seen.hands.map((h: { displayName: string }) => h.displayName)).toEqual(['孙列席']);
	// Others see only their own hand.
	const mine = (await api(f.server.url, 'GET', `${base}/hands`, { cookie: r.observer.cookie })).body;
	expect(mine).toMatchObject({ myHand: true, hands: [] });

	expect((await api(f.server.url, 'PUT', `${base}/grants/${r.observer.userId}`, { cookie: r.participant.cookie })).status).toBe(403);
	expect((await api(f.server.url, 'PUT', `${base}/grants/${r.observer.userId}`, { cookie: r.moderator.cookie })).status).toBe(204);
	expect(await probeSync(f.server.wsUrl, docId, r.observer.cookie)).toBe('write');
	expect((await api(f.server.url, 'GET', `${base}/hands`, { cookie: r.observer.cookie })).body).toMatchObject({ myHand: false, myGrant: true });
	// The grant is for this breakout only: the other observer still reads.
	expect(await probeSync(f.server.wsUrl, docId, r.observer2.cookie)).toBe('read');

	expect((await api(f.server.url, 'DELETE', `${base}/grants/${r.observer.userId}`, { cookie: r.moderator.cookie })).status).toBe(204);
	expect(await probeSync(f.server.wsUrl, docId, r.observer.cookie)).toBe('read');
	const log = (await api(f.server.url, 'GET', `/api/conferences/${r.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries;
	expect(log.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['edit.granted', 'edit.revoked']));
});

test('who is online where: editors by name and watchers by number, per document, announced as they come and go', async () => {
	const r = await liveBreakout('在线情况');
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: r.moderator.cookie, body: { title: '交通组根因分析', kind: 'analysis', breakoutId: r.breakoutId } })).body.id;
	const presence = async () => (await api(f.server.url, 'GET', `/api/conferences/${r.conferenceId}/presence`, { cookie: r.observer2.cookie })).body.documents;
	const editor = connectClient(f.server.wsUrl, docId, r.participant.cookie);
	const watcher = connectClient(f.server.wsUrl, docId, r.observer.cookie);
	try {
		await waitFor(async () => {
			const docs = await presence();
			return docs.length === 1 && docs[0].watching === 1 && docs[0].editors.length === 1;
		}, 'one editor and one watcher');
		expect((await presence())[0]).toMatchObject({ documentId: docId, editors: [{ name: '钱代表', unit: '某单位' }] });
	} finally {
		editor.destroy();
		watcher.destroy();
	}
	await waitFor(async () => (await presence()).length === 0, 'nobody after they leave');
	expect((await api(f.server.url, 'GET', `/api/conferences/${r.conferenceId}/presence`, { cookie: f.bob.cookie })).status).toBe(404);
});
