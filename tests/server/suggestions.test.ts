import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { type SyncClient, syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { measureElement } from '../helpers/paragraphs.js';

const f = useUsers();

const suggest = (s: Session, docId: string, body: unknown) => api(f.server.url, 'POST', `/api/documents/${docId}/suggestions`, { cookie: s.cookie, body });
const decide = (s: Session, docId: string, threadId: string, accept: boolean) =>
	api(f.server.url, 'POST', `/api/documents/${docId}/suggestions/${threadId}/decision`, { cookie: s.cookie, body: { accept } });
const relative = (t: Y.XmlText, index: number) => Buffer.from(Y.encodeRelativePosition(Y.createRelativePositionFromTypeIndex(t, index))).toString('base64');
/** A suggestion's anchor on characters from..to-1 of `t` (or, with `to` null, the point before `from`). */
const on = (t: Y.XmlText, from: number, to: number | null) => ({
	blockId: null,
	start: relative(t, from),
	end: to === null ? null : relative(t, to - 1),
	quote: to === null ? '' : t.toString().slice(from, to)
});

/** The text of the paragraph with `blockId`, as a fresh client reads it from the server. */
async function paragraphText(docId: string, cookie: string, blockId: string): Promise<string> {
	const c = await syncedClient(f.server.wsUrl, docId, cookie);
	try {
		const p = xmlElements(c.doc.getXmlFragment('default')).find((e) => e.getAttribute('blockId') === blockId);
		return p === undefined ? '' : (p.get(0) as Y.XmlText).toString();
	} finally {
		c.destroy();
	}
}

/** Appends a paragraph to a document through `client` and returns its text. */
function paragraph(client: SyncClient, blockId: string, text: string): Y.XmlText {
	const frag = client.doc.getXmlFragment('default');
	const p = new Y.XmlElement('paragraph');
	p.setAttribute('blockId', blockId);
	p.insert(0, [new Y.XmlText(text)]);
	frag.insert(frag.length, [p]);
	return p.get(0) as Y.XmlText;
}

async function setting() {
	const url = f.server.url;
	const conferenceId = await createConference(url, f.admin, '建议修改测试');
	const breakoutId = await createBreakout(url, f.admin, conferenceId, '能源组');
	const stamp = Math.random().toString(36).slice(2, 8);
	const member = async (key: string, name: string, unit: string, role: 'participant' | 'moderator' | 'observer' | 'expert') => {
		const s = await newMember(url, f.admin, `${key}-${stamp}`, name, unit);
		await putMember(url, f.admin, conferenceId, s.userId, { role, unitType: '施工', breakoutIds: role === 'expert' ? [] : [breakoutId] });
		return s;
	};
	const writer = await member('writer', '周建设', '某电网公司', 'participant');
	const suggester = await member('suggester', '吴施工', '某电建集团', 'participant');
	const moderator = await member('moderator', '郑召集', '能源局', 'moderator');
	const expert = await member('expert', '陈专家', '专家组', 'expert');
	const observer = await member('observer', '远程者', '某县', 'observer');
	const docId = (await api(url, 'POST', '/api/documents', { cookie: writer.cookie, body: { title: '能源组整改方案', kind: 'notes', breakoutId } })).body.id as string;
	const client = await syncedClient(f.server.wsUrl, docId, writer.cookie);
	const text = paragraph(client, 'para01', '输电线路改造进度缓慢，需加快');
	await waitFor(async () => (await paragraphText(docId, writer.cookie, 'para01')) !== '', 'the paragraph is stored');
	return { conferenceId, breakoutId, docId, writer, suggester, moderator, expert, observer, client, text };
}

test('participants suggest instead of editing; the breakout’s moderators accept (the text changes, others’ typing elsewhere kept) or reject; nobody else decides, and each decision is audited', async () => {
	const s = await setting();
	// 缓慢 is characters 8..9.
	const replace = await suggest(s.suggester, s.docId, { anchor: on(s.text, 8, 10), text: '滞后于计划', body: '用语更准确' });
	expect(replace.status).toBe(201);
	expect(replace.body).toMatchObject({ quote: '缓慢', suggestion: { text: '滞后于计划', decision: null }, author: { name: '吴施工', unit: '某电建集团' }, comments: [{ body: '用语更准确' }] });
	const insert = await suggest(s.suggester, s.docId, { anchor: on(s.text, 0, null), text: '（2025年）' });
	expect(insert.status).toBe(201);
	expect(insert.body.comments).toEqual([]);
	const remove = await suggest(s.suggester, s.docId, { anchor: on(s.text, 10, 14), text: '' });
	expect(remove.status).toBe(201);

	for (const bad of [
		{ anchor: on(s.text, 8, 10), text: '缓慢' },
		{ anchor: on(s.text, 0, null), text: '' },
		{ anchor: { ...on(s.text, 8, 10), quote: '' }, text: 'x' },
		{ anchor: { ...on(s.text, 0, null), quote: '输电' }, text: 'x' },
		{ anchor: on(s.text, 8, 10), text: '\u202e反' },
		{ anchor: on(s.text, 8, 10), text: 'x'.repeat(2001) },
		{ anchor: on(s.text, 8, 10), text: '好', body: '   ' }
	]) {
		expect((await suggest(s.suggester, s.docId, bad)).status, JSON.stringify(bad).slice(0, 90)).toBe(400);
	}
	// A quote the range does not hold is refused: nobody can show a false "before".
	const lie = await suggest(s.suggester, s.docId, { anchor: { ...on(s.text, 8, 10), quote: '很快' }, text: '缓慢' });
	expect(lie.status).toBe(409);
	expect(lie.body.error.code).toBe('suggestion_stale');
	expect((await suggest(s.observer, s.docId, { anchor: on(s.text, 8, 10), text: '慢' })).status).toBe(403);
	expect((await suggest(f.bob, s.docId, { anchor: on(s.text, 8, 10), text: '慢' })).status).toBe(404);

	for (const who of [s.suggester, s.writer, s.expert, s.observer]) expect((await decide(who, s.docId, replace.body.id, true)).status).toBe(403);
	const listed = await api(f.server.url, 'GET', `/api/documents/${s.docId}/comments`, { cookie: s.moderator.cookie });
	expect(listed.body.mayDecide).toBe(true);

	// The writer types at the paragraph's end while the moderator accepts: both stay.
	s.text.insert(s.text.length, '。');
	const accepted = await decide(s.moderator, s.docId, replace.body.id, true);
	expect(accepted.status).toBe(200);
	expect(accepted.body).toMatchObject({ suggestion: { decision: 'accepted', decidedBy: { name: '郑召集' } }, resolved: { by: { name: '郑召集' } } });
	await waitFor(async () => (await paragraphText(s.docId, s.writer.cookie, 'para01')) === '输电线路改造进度滞后于计划，需加快。', 'the suggestion is in the text, the writer’s full stop too');
	// The accepted words are the suggester's in the history, though only the server wrote to the document.
	const c = await syncedClient(f.server.wsUrl, s.docId, s.writer.cookie);
	const authors = new Map(((await api(f.server.url, 'GET', `/api/documents/${s.docId}/authors`, { cookie: s.writer.cookie })).body.authors as { clientId: number; name: string }[]).map((a) => [a.clientId, a.name]));
	const ops = ((xmlElements(c.doc.getXmlFragment('default')).find((e) => e.getAttribute('blockId') === 'para01')!.get(0) as Y.XmlText).toDelta(Y.snapshot(c.doc), Y.emptySnapshot, (type: string, id: Y.ID) => ({ type, user: id.client })) as { insert: string; attributes: { ychange: { user: number } } }[]);
	expect(ops.filter((o) => o.insert.includes('滞后于计划')).map((o) => authors.get(o.attributes.ychange.user))).toEqual(['吴施工']);
	c.destroy();
	const again = await decide(s.moderator, s.docId, replace.body.id, false);
	expect(again.status).toBe(409);
	expect(again.body.error.code).toBe('already_decided');

	expect((await decide(s.moderator, s.docId, remove.body.id, false)).body.suggestion.decision).toBe('rejected');
	// The insertion goes before the same character, however the text around it moved.
	expect((await decide(s.moderator, s.docId, insert.body.id, true)).status).toBe(200);
	await waitFor(async () => (await paragraphText(s.docId, s.writer.cookie, 'para01')) === '（2025年）输电线路改造进度滞后于计划，需加快。', 'the insertion is in');
	s.client.destroy();

	const audit = (await api(f.server.url, 'GET', `/api/conferences/${s.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string; detail: string }[];
	expect(audit.filter((e) => e.action === 'suggestion.accepted').map((e) => e.detail)).toEqual(
		expect.arrayContaining(['吴施工（某电建集团）建议“缓慢”改为“滞后于计划”', '吴施工（某电建集团）建议插入“（2025年）”'])
	);
	expect(audit.find((e) => e.action === 'suggestion.rejected')?.detail).toBe('吴施工（某电建集团）建议删除“，需加快”');
});

test('a suggestion whose text someone changed since is not applied and stays pending; accepting all takes the others, oldest first', async () => {
	const s = await setting();
	const a = await suggest(s.suggester, s.docId, { anchor: on(s.text, 0, 4), text: '配电线路' });
	const b = await suggest(s.suggester, s.docId, { anchor: on(s.text, 8, 10), text: '较慢' });
	const c = await suggest(s.suggester, s.docId, { anchor: on(s.text, 11, 14), text: '务必加快' });
	// The writer changes the middle of b's range.
	s.text.insert(9, '很');
	await waitFor(async () => (await paragraphText(s.docId, s.writer.cookie, 'para01')).includes('缓很慢'), 'the edit is stored');
	const stale = await decide(s.moderator, s.docId, b.body.id, true);
	expect(stale.status).toBe(409);
	expect(stale.body.error.code).toBe('suggestion_stale');
	const all = await api(f.server.url, 'POST', `/api/documents/${s.docId}/suggestions/decision`, { cookie: s.moderator.cookie, body: { accept: true } });
	expect(all.body).toEqual({ decided: 2, stale: 1 });
	await waitFor(async () => (await paragraphText(s.docId, s.writer.cookie, 'para01')) === '配电线路改造进度缓很慢，务必加快', 'a and c are in, b is not');
	const threads = (await api(f.server.url, 'GET', `/api/documents/${s.docId}/comments`, { cookie: s.writer.cookie })).body.threads as { id: string; suggestion: { decision: string | null } }[];
	expect(Object.fromEntries(threads.map((t) => [t.id, t.suggestion.decision]))).toEqual({ [a.body.id]: 'accepted', [b.body.id]: null, [c.body.id]: 'accepted' });
	s.client.destroy();
});

test('on a conference document (the minutes are one), a participant suggests and the expert panel decides; a breakout’s moderator does not', async () => {
	const s = await setting();
	s.client.destroy();
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: s.expert.cookie, body: { title: '专家组意见（草稿）', kind: 'notes', conferenceId: s.conferenceId } })).body.id as string;
	const experts = await syncedClient(f.server.wsUrl, docId, s.expert.cookie);
	const text = paragraph(experts, 'minutes01', '会议要求各单位于三十日内完成整改');
	await waitFor(async () => (await paragraphText(docId, s.expert.cookie, 'minutes01')) !== '', 'the paragraph is stored');
	experts.destroy();
	const sug = await suggest(s.suggester, docId, { anchor: on(text, 8, 11), text: '六十日' });
	expect(sug.status).toBe(201);
	expect((await decide(s.moderator, docId, sug.body.id, true)).status).toBe(403);
	expect((await decide(s.expert, docId, sug.body.id, true)).status).toBe(200);
	await waitFor(async () => (await paragraphText(docId, s.expert.cookie, 'minutes01')) === '会议要求各单位于六十日内完成整改', 'the document says sixty days');
});

test('a suggestion on a measure’s field (its deadline): checked against the value now and the field’s format, applied by the moderator, audited with the field’s name', async () => {
	const s = await setting();
	const frag = s.client.doc.getXmlFragment('default');
	frag.insert(frag.length, [measureElement('measure01', { responsibleUnit: '某电网公司', deadline: '2025-09-30' }, '完成输电线路改造')]);
	const deadlineOf = async () => {
		const c = await syncedClient(f.server.wsUrl, s.docId, s.writer.cookie);
		try {
			return xmlElements(c.doc.getXmlFragment('default'), 'measure')[0]?.getAttribute('deadline');
		} finally {
			c.destroy();
		}
	};
	await waitFor(async () => (await deadlineOf()) === '2025-09-30', 'the measure is stored');
	const field = (quote: string) => ({ blockId: 'measure01', start: null, end: null, field: 'deadline', quote });
	expect((await suggest(s.suggester, s.docId, { anchor: field('2025-09-30'), text: '九月底' })).status).toBe(400);
	expect((await suggest(s.suggester, s.docId, { anchor: { ...field('2025-09-30'), field: 'causes' }, text: 'abcdef' })).status).toBe(400);
	expect((await suggest(s.suggester, s.docId, { anchor: { ...field('2025-09-30'), blockId: 'measure01p' }, text: '2025-10-31' })).status).toBe(409);
	const stale = await suggest(s.suggester, s.docId, { anchor: field('2025-08-31'), text: '2025-10-31' });
	expect(stale.body.error.code).toBe('suggestion_stale');
	const sug = await suggest(s.suggester, s.docId, { anchor: field('2025-09-30'), text: '2025-10-31', body: '设备到货延后' });
	expect(sug.status).toBe(201);
	expect(sug.body).toMatchObject({ field: 'deadline', quote: '2025-09-30', suggestion: { text: '2025-10-31' } });
	expect((await decide(s.moderator, s.docId, sug.body.id, true)).status).toBe(200);
	await waitFor(async () => (await deadlineOf()) === '2025-10-31', 'the deadline is changed');
	s.client.destroy();
	const audit = (await api(f.server.url, 'GET', `/api/conferences/${s.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string; detail: string }[];
	expect(audit.find((e) => e.action === 'suggestion.accepted')?.detail).toBe('吴施工（某电建集团）建议将时间节点由“2025-09-30”改为“2025-10-31”');
});
