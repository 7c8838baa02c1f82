import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { syncedClient, waitFor } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { listenToEvents } from '../helpers/events.js';
import { useUsers } from '../helpers/fixture.js';

// A small thread limit, so that the test reaches it.
const f = useUsers({ env: { CONCORD_COMMENTS_PER_THREAD_MAX: '3', CONCORD_COMMENT_THREADS_MAX: '5' } });

const threads = (s: Session, docId: string) => api(f.server.url, 'GET', `/api/documents/${docId}/comments`, { cookie: s.cookie });
const openThread = (s: Session, docId: string, body: unknown) => api(f.server.url, 'POST', `/api/documents/${docId}/comments`, { cookie: s.cookie, body });
const reply = (s: Session, docId: string, threadId: string, body: unknown) =>
	api(f.server.url, 'POST', `/api/documents/${docId}/comments/${threadId}/replies`, { cookie: s.cookie, body });
const hide = (s: Session, docId: string, threadId: string, commentId: string, hidden: boolean) =>
	api(f.server.url, 'PATCH', `/api/documents/${docId}/comments/${threadId}/${commentId}`, { cookie: s.cookie, body: { hidden } });
const blockAnchor = { blockId: 'para01', start: null, end: null, quote: '' };

/** A closed breakout's notes with a participant who writes, another, its moderator, a remote attendee, and a member of another breakout. */
async function setting() {
	const url = f.server.url;
	const conferenceId = await createConference(url, f.admin, '评论测试会议');
	const breakoutId = await createBreakout(url, f.admin, conferenceId, '水利组');
	const otherId = await createBreakout(url, f.admin, conferenceId, '交通组');
	expect((await api(url, 'PATCH', `/api/conferences/${conferenceId}/breakouts/${breakoutId}`, { cookie: f.admin.cookie, body: { closed: true } })).status).toBe(200);
	const stamp = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
	const member = async (name: string, unit: string, role: 'participant' | 'moderator' | 'observer', breakout = breakoutId) => {
		const s = await newMember(url, f.admin, `${name.length}-${role}-${Math.random().toString(36).slice(2, 8)}-${stamp}`, name, unit);
		await putMember(url, f.admin, conferenceId, s.userId, { role, unitType: '设计', breakoutIds: [breakout] });
		return s;
	};
	const writer = await member('张𠮷', '甲省水利设计院', 'participant');
	const other = await member('李四', '乙市水务局', 'participant');
	const moderator = await member('王召集', '水利厅', 'moderator');
	const observer = await member('列席者', '某县政府', 'observer');
	const elsewhere = await member('外组人', '交通厅', 'participant', otherId);
	const docId = (await api(url, 'POST', '/api/documents', { cookie: writer.cookie, body: { title: '水利组根因分析', kind: 'notes', breakoutId } })).body.id as string;
	const c = await syncedClient(f.server.wsUrl, docId, writer.cookie);
	const frag = c.doc.getXmlFragment('default');
	const p = new Y.XmlElement('paragraph');
	p.setAttribute('blockId', 'para01');
	p.insert(0, [new Y.XmlText('资金拨付滞后导致工期延误')]);
	frag.insert(frag.length, [p]);
	return { conferenceId, breakoutId, otherId, docId, writer, other, moderator, observer, elsewhere, client: c, text: p.get(0) as Y.XmlText };
}

const relative = (t: Y.XmlText, index: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, index))).toString('base64');

test('threads on a range follow the text through others’ edits; replies, resolve and reopen; remote attendees read but do not comment, outsiders see nothing', async () => {
	const s = await setting();
	// 拨付滞后 is characters 2..5 (the end is the last character).
	const anchor = { blockId: 'para01', start: relative(s.text, 2), end: relative(s.text, 5), quote: '拨付滞后' };
	const t = await openThread(s.writer, s.docId, { anchor, body: '拨付滞后的原因需写明：省级配套资金未到位。', mentions: [] });
	expect(t.status).toBe(201);
	expect(t.body).toMatchObject({ blockId: 'para01', quote: '拨付滞后', resolved: null, comments: [{ body: '拨付滞后的原因需写明：省级配套资金未到位。', author: { name: '张𠮷', unit: '甲省水利设计院', unitType: '设计' }, hidden: false }] });

	// Someone else writes before the range and inside it; the stored positions still frame it.
	const c2 = await syncedClient(f.server.wsUrl, s.docId, s.other.cookie);
	const text2 = (c2.doc.getXmlFragment('default').get(0) as Y.XmlElement).get(0) as Y.XmlText;
	text2.insert(0, '二〇二五年');
	text2.insert(9, '严重');
	text2.insert(13, '，已影响汛期施工');
	const listed = await threads(s.observer, s.docId);
	expect(listed.status).toBe(200);
	expect(listed.body).toMatchObject({ mayComment: false, mayModerate: false });
	const [th] = listed.body.threads;
	const abs = (b64: string) => Y.createAbsolutePositionFromRelativePosition(Y.decodeRelativePosition(Buffer.from(b64, 'base64')), c2.doc)!.index;
	expect(text2.toString().slice(abs(th.start), abs(th.end) + 1)).toBe('拨付严重滞后');
	c2.destroy();
	s.client.destroy();

	expect((await openThread(s.observer, s.docId, { anchor: blockAnchor, body: '列席提问', mentions: [] })).status).toBe(403);
	expect((await reply(s.observer, s.docId, th.id, { body: '列席回复', mentions: [] })).status).toBe(403);
	expect((await threads(f.bob, s.docId)).status).toBe(404);
	expect((await openThread(f.bob, s.docId, { anchor: blockAnchor, body: '外人', mentions: [] })).status).toBe(404);

	expect((await reply(s.other, s.docId, th.id, { body: '同意，已补充。', mentions: [] })).status).toBe(201);
	const resolved = await api(f.server.url, 'PATCH', `/api/documents/${s.docId}/comments/${th.id}`, { cookie: s.other.cookie, body: { resolved: true } });
	expect(resolved.status).toBe(200);
	expect(resolved.body.resolved.by).toMatchObject({ name: '李四' });
	// A reply opens a resolved thread again.
	expect((await reply(s.writer, s.docId, th.id, { body: '还需附上拨付凭证。', mentions: [] })).status).toBe(201);
	const again = (await threads(s.writer, s.docId)).body.threads[0];
	expect(again.resolved).toBeNull();
	expect(again.comments.map((c: { author: { name: string } }) => c.author.name)).toEqual(['张𠮷', '李四', '张𠮷']);
	// The thread is full at three comments (CONCORD_COMMENTS_PER_THREAD_MAX); nothing more is stored.
	const full = await reply(s.other, s.docId, th.id, { body: '第四条', mentions: [] });
	expect(full.status).toBe(409);
	expect(full.body.error.code).toBe('comment_limit');
	expect((await threads(s.writer, s.docId)).body.threads[0].comments).toHaveLength(3);
});

test('bad comments are refused with a clear code and store nothing', async () => {
	const s = await setting();
	s.client.destroy();
	const bad: unknown[] = [
		{ anchor: blockAnchor, body: '', mentions: [] },
		{ anchor: blockAnchor, body: '   \u200b ', mentions: [] },
		{ anchor: blockAnchor, body: 'x'.repeat(2001), mentions: [] },
		{ anchor: blockAnchor, body: '\u202e反向', mentions: [] },
		{ anchor: blockAnchor, body: '控制\u0007', mentions: [] },
		{ anchor: { ...blockAnchor, blockId: '../../x' }, body: '好', mentions: [] },
		{ anchor: { blockId: null, start: null, end: null, quote: '' }, body: '无处可挂', mentions: [] },
		{ anchor: { blockId: 'para01', start: 'AAAA', end: null, quote: '' }, body: '半个范围', mentions: [] },
		{ anchor: { blockId: 'para01', start: '////', end: '////', quote: '' }, body: '不是位置', mentions: [] },
		{ anchor: { blockId: 'para01', start: 'A'.repeat(400), end: 'AAAA', quote: '' }, body: '太长', mentions: [] },
		{ anchor: { ...blockAnchor, quote: 'q'.repeat(201) }, body: '引文太长', mentions: [] },
		{ anchor: blockAnchor, body: '提及太多', mentions: Array.from({ length: 21 }, (_, i) => `user${i}xxxxxx`) },
		{ anchor: blockAnchor, body: 42, mentions: [] }
	];
	for (const body of bad) {
		const res = await openThread(s.writer, s.docId, body);
		expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
		expect(res.body.error.code).toBe('validation_failed');
	}
	// Mentions of an outsider, or of a member of another breakout, who may not read a closed breakout's documents.
	for (const who of [f.bob, s.elsewhere]) {
		const res = await openThread(s.writer, s.docId, { anchor: blockAnchor, body: '请看', mentions: [who.userId] });
		expect(res.status).toBe(400);
		expect(res.body.error.code).toBe('mention_refused');
	}
	expect((await threads(s.writer, s.docId)).body.threads).toEqual([]);
});

test('a mention reaches only the mentioned member, once, until read; a moderator hides a comment (audited) and a hidden first comment takes its thread away from everyone else', async () => {
	const s = await setting();
	s.client.destroy();
	const otherHears = await listenToEvents(f.server.url, s.conferenceId, s.other);
	const observerHears = await listenToEvents(f.server.url, s.conferenceId, s.observer);
	const t = await openThread(s.writer, s.docId, { anchor: blockAnchor, body: '@李四 请核对拨付时间', mentions: [s.other.userId, s.other.userId] });
	expect(t.status).toBe(201);
	expect(t.body.comments[0].mentions).toEqual([{ id: s.other.userId, name: '李四', unit: '乙市水务局', unitType: '设计' }]);
	await waitFor(() => otherHears.text().includes('"type":"mentions"'), 'the mentioned member hears of it');
	await waitFor(() => observerHears.text().includes('"type":"comments"'), 'readers hear the comments changed');
	expect(observerHears.text()).not.toContain('"type":"mentions"');
	otherHears.stop();
	observerHears.stop();

	const mentions = async (who: Session) => (await api(f.server.url, 'GET', `/api/conferences/${s.conferenceId}/mentions`, { cookie: who.cookie })).body.mentions;
	expect(await mentions(s.other)).toMatchObject([{ threadId: t.body.id, docId: s.docId, docTitle: '水利组根因分析', by: { name: '张𠮷' }, excerpt: '@李四 请核对拨付时间' }]);
	expect(await mentions(s.observer)).toEqual([]);
	expect((await api(f.server.url, 'POST', `/api/conferences/${s.conferenceId}/mentions/read`, { cookie: s.other.cookie })).status).toBe(204);
	expect(await mentions(s.other)).toEqual([]);

	const [first] = t.body.comments;
	const r = await reply(s.other, s.docId, t.body.id, { body: '无关广告内容', mentions: [] });
	expect((await hide(s.other, s.docId, t.body.id, r.body.id, true)).status).toBe(403);
	expect((await hide(s.moderator, s.docId, t.body.id, r.body.id, true)).status).toBe(204);
	expect((await threads(s.writer, s.docId)).body.threads[0].comments.map((c: { body: string }) => c.body)).toEqual(['@李四 请核对拨付时间']);
	const modView = (await threads(s.moderator, s.docId)).body;
	expect(modView.mayModerate).toBe(true);
	expect(modView.threads[0].comments.map((c: { hidden: boolean }) => c.hidden)).toEqual([false, true]);

	expect((await hide(s.moderator, s.docId, t.body.id, first.id, true)).status).toBe(204);
	expect((await threads(s.writer, s.docId)).body.threads).toEqual([]);
	expect((await reply(s.writer, s.docId, t.body.id, { body: '还在吗', mentions: [] })).status).toBe(404);
	expect((await threads(s.moderator, s.docId)).body.threads).toHaveLength(1);
	expect((await hide(s.moderator, s.docId, t.body.id, first.id, false)).status).toBe(204);
	expect((await threads(s.writer, s.docId)).body.threads).toHaveLength(1);

	const audit = (await api(f.server.url, 'GET', `/api/conferences/${s.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string; detail: string; actor: unknown }[];
	expect(audit.filter((e) => e.action === 'comment.hidden').map((e) => e.detail)).toEqual(expect.arrayContaining(['李四：无关广告内容', '张𠮷：@李四 请核对拨付时间']));
	expect(audit.some((e) => e.action === 'comment.shown')).toBe(true);
});

test('the caps hold when many post at once (one thread, one document), and a reply in a thread whose first comment is hidden is no longer announced to the one it mentions', async () => {
	const s = await setting();
	s.client.destroy();
	// Twenty threads at once on a document that takes five.
	const opened = await Promise.all(Array.from({ length: 20 }, (_, i) => openThread(s.writer, s.docId, { anchor: blockAnchor, body: `并发评论${i}`, mentions: [] })));
	expect(opened.filter((r) => r.status === 201)).toHaveLength(5);
	expect(opened.filter((r) => r.status === 409).every((r) => r.body.error.code === 'comment_limit')).toBe(true);
	expect((await threads(s.writer, s.docId)).body.threads).toHaveLength(5);
	// Twenty replies at once to a thread that takes three comments (its first is one).
	const target = opened.find((r) => r.status === 201)!.body;
	const replies = await Promise.all(Array.from({ length: 20 }, (_, i) => reply(s.other, s.docId, target.id, { body: `并发回复${i}`, mentions: [] })));
	expect(replies.filter((r) => r.status === 201)).toHaveLength(2);
	expect(((await threads(s.writer, s.docId)).body.threads as { id: string; comments: unknown[] }[]).find((t) => t.id === target.id)?.comments).toHaveLength(3);

	// A mention in a reply, then the thread's first comment hidden: the mention goes with the thread.
	const other = (await threads(s.writer, s.docId)).body.threads.find((t: { id: string }) => t.id !== target.id);
	const mentionsOf = async (who: Session) => (await api(f.server.url, 'GET', `/api/conferences/${s.conferenceId}/mentions`, { cookie: who.cookie })).body.mentions as unknown[];
	expect((await reply(s.writer, s.docId, other.id, { body: '@李四 请看', mentions: [s.other.userId, s.writer.userId] })).status).toBe(201);
	expect(await mentionsOf(s.other)).toHaveLength(1);
	// Nobody is told of their own mention.
	expect(await mentionsOf(s.writer)).toEqual([]);
	expect((await hide(s.moderator, s.docId, other.id, other.comments[0].id, true)).status).toBe(204);
	expect(await mentionsOf(s.other)).toEqual([]);
});

test('the event stream reads access again: a breakout created and closed after the streams opened is announced to its organizer and not to a member of another breakout', async () => {
	const s = await setting();
	s.client.destroy();
	const outsider = await listenToEvents(f.server.url, s.conferenceId, s.elsewhere);
	const organizer = await listenToEvents(f.server.url, s.conferenceId, f.admin);
	const url = f.server.url;
	const late = await createBreakout(url, f.admin, s.conferenceId, '保密组');
	expect((await api(url, 'PATCH', `/api/conferences/${s.conferenceId}/breakouts/${late}`, { cookie: f.admin.cookie, body: { closed: true } })).status).toBe(200);
	const docId = (await api(url, 'POST', '/api/documents', { cookie: f.admin.cookie, body: { title: '保密组记录', kind: 'notes', breakoutId: late } })).body.id as string;
	expect((await openThread(f.admin, docId, { anchor: blockAnchor, body: '内部意见', mentions: [] })).status).toBe(201);
	await waitFor(() => organizer.text().includes(docId), 'the organizer hears of it');
	// Their own breakout's comments still reach them: the stream is alive and in step.
	const visible = (await api(url, 'POST', '/api/documents', { cookie: f.admin.cookie, body: { title: '交通组记录', kind: 'notes', breakoutId: s.otherId } })).body.id as string;
	expect((await openThread(f.admin, visible, { anchor: blockAnchor, body: '公开意见', mentions: [] })).status).toBe(201);
	await waitFor(() => outsider.text().includes(visible), 'the outsider hears of the open breakout');
	expect(outsider.text()).not.toContain(docId);
	outsider.stop();
	organizer.stop();
});
