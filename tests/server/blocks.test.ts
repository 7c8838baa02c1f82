import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { editorSchemaVersion, parseAuthor } from '../../src/lib/shared/blocks.js';
import { type Session, api } from '../helpers/api.js';
import { type SyncClient, connectClient, rawSocket, syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';

const f = useUsers();

/** A breakout with two participants of different units, and a document of `kind` in it. */
async function breakoutWith(kind: 'analysis' | 'plan' | 'notes', title: string) {
	const conferenceId = await createConference(f.server.url, f.admin, `${title}会议`);
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '交通组');
	await putMember(f.server.url, f.admin, conferenceId, f.alice.userId, { role: 'participant', unitType: '行业主管', breakoutIds: [breakoutId] });
	await putMember(f.server.url, f.admin, conferenceId, f.bob.userId, { role: 'participant', unitType: '施工', breakoutIds: [breakoutId] });
	const res = await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title, kind, breakoutId } });
	expect(res.status).toBe(201);
	return { conferenceId, breakoutId, docId: res.body.id as string };
}

const fragment = (c: SyncClient) => c.doc.getXmlFragment('default');

function newCause(text: string, attrs: Record<string, string> = {}): Y.XmlElement {
	const cause = new Y.XmlElement('cause');
	for (const [k, v] of Object.entries(attrs)) cause.setAttribute(k, v);
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	cause.insert(0, [p]);
	return cause;
}

test('templates are written by the server once, however many clients open a new analysis at the same moment', async () => {
	const { docId } = await breakoutWith('analysis', '并发打开');
	const clients = Array.from({ length: 20 }, () => connectClient(f.server.wsUrl, docId, f.alice.cookie));
	try {
		await waitFor(() => clients.every((c) => c.provider.synced), 'all 20 synced');
		for (const c of clients) {
			expect(xmlElements(fragment(c), 'problem')).toHaveLength(1);
			expect(xmlElements(fragment(c), 'causeGroup').map((g) => g.getAttribute('category'))).toEqual(['人', '机', '料', '法', '环', '测']);
			expect(c.doc.getMap('meta').get('schema')).toBe(editorSchemaVersion);
		}
		const ids = xmlElements(fragment(clients[0]), 'paragraph').map((p) => p.getAttribute('blockId'));
		expect(new Set(ids).size).toBe(ids.length);
		const states = clients.map((c) => fragment(c).toString());
		expect(new Set(states).size).toBe(1);
	} finally {
		for (const c of clients) c.destroy();
	}
});

test('a plan starts with one measure; the project-delivery fishbone has its own categories', async () => {
	const { docId } = await breakoutWith('plan', '整改方案模板');
	const c = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	expect(xmlElements(fragment(c), 'measure')).toHaveLength(1);
	c.destroy();
	const { breakoutId } = await breakoutWith('notes', '推进模板');
	const res = await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: '推进类分析', kind: 'analysis', fishbone: 'delivery', breakoutId } });
	const d = await syncedClient(f.server.wsUrl, res.body.id, f.alice.cookie);
	expect(xmlElements(fragment(d), 'causeGroup').map((g) => g.getAttribute('category'))).toEqual(['前期与审批', '要素保障', '资金', '设计与技术', '施工组织', '外部协调', '监管与考核']);
	d.destroy();
});

test('authors are stamped by the server from the session: forged on a new cause, or changed on an existing one, they are corrected for everyone', async () => {
	const { docId } = await breakoutWith('analysis', '作者戳记');
	const a = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const b = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	try {
		const group = xmlElements(fragment(a), 'causeGroup')[3];
		const forged = JSON.stringify({ id: f.bob.userId, name: '王强', unit: '中衡路桥工程集团', unitType: '施工' });
		group.insert(group.length, [newCause('审批程序繁琐', { author: forged, key: 'false' })]);
		const authorOf = (c: SyncClient) => parseAuthor(xmlElements(fragment(c), 'cause').find((x) => x.toString().includes('审批程序繁琐'))?.getAttribute('author'));
		await waitFor(() => authorOf(b)?.id === f.alice.userId && authorOf(a)?.id === f.alice.userId, 'both see alice as the author');
		expect(authorOf(b)).toEqual({ id: f.alice.userId, name: '李华', unit: '甲省交通运输厅', unitType: '行业主管' });

		// Bob tries to take it over.
		const inB = xmlElements(fragment(b), 'cause').find((x) => x.toString().includes('审批程序繁琐'))!;
		inB.setAttribute('author', forged);
		await waitFor(() => authorOf(b)?.id === f.alice.userId, 'the change is undone for bob');
		expect(authorOf(a)?.id).toBe(f.alice.userId);

		// The template's empty cause belongs to whoever writes in it first.
		const first = xmlElements(fragment(b), 'cause')[0];
		(first.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('征地拆迁滞后')]);
		await waitFor(() => parseAuthor(xmlElements(fragment(a), 'cause')[0].getAttribute('author'))?.id === f.bob.userId, 'bob is the author of what he filled in');
	} finally {
		a.destroy();
		b.destroy();
	}
});

test('measure fields: valid values reach the other participant; an impossible date or an unknown type goes back for everyone', async () => {
	const { docId } = await breakoutWith('plan', '措施字段');
	const a = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const b = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	try {
		const measureIn = (c: SyncClient) => xmlElements(fragment(c), 'measure')[0];
		a.doc.transact(() => {
			const m = measureIn(a);
			m.setAttribute('responsibleUnit', '甲省江州市人民政府');
			m.setAttribute('deadline', '2025-09-30');
			m.setAttribute('type', '限期整改');
			m.setAttribute('criteria', '9月底前完成剩余12户签约');
		});
		await waitFor(() => measureIn(b).getAttribute('deadline') === '2025-09-30' && measureIn(b).getAttribute('type') === '限期整改', 'bob sees the fields');

		measureIn(b).setAttribute('deadline', '2025-02-30');
		measureIn(b).setAttribute('type', '立即整改');
		measureIn(b).setAttribute('causes', 'not a list of ids!');
		// A field is one line: a line break (which the DOCX would print) or any other control character goes back.
		measureIn(b).setAttribute('criteria', '9月底前完成\n剩余12户签约');
		measureIn(b).setAttribute('responsibleUnit', '甲省\t江州市人民政府');
		await waitFor(
			() =>
				measureIn(b).getAttribute('deadline') === '2025-09-30' &&
				measureIn(b).getAttribute('type') === '限期整改' &&
				measureIn(b).getAttribute('causes') === '' &&
				measureIn(b).getAttribute('criteria') === '9月底前完成剩余12户签约' &&
				measureIn(b).getAttribute('responsibleUnit') === '甲省江州市人民政府',
			'the bad values are undone for bob'
		);
		expect(measureIn(a).getAttribute('deadline')).toBe('2025-09-30');

		// A new measure arriving with a bad field keeps only its good ones.
		const extra = new Y.XmlElement('measure');
		extra.setAttribute('deadline', 'tomorrow');
		extra.setAttribute('criteria', '完成验收');
		extra.insert(0, [new Y.XmlElement('paragraph')]);
		fragment(b).insert(fragment(b).length, [extra]);
		await waitFor(() => xmlElements(fragment(a), 'measure').length === 2, 'alice has the second measure');
		await waitFor(() => xmlElements(fragment(a), 'measure')[1].getAttribute('deadline') === undefined, 'its bad deadline is gone');
		expect(xmlElements(fragment(a), 'measure')[1].getAttribute('criteria')).toBe('完成验收');
	} finally {
		a.destroy();
		b.destroy();
	}
});

test('schema versions: an older editor is closed with 4426 before it can drop anything; clients cannot change the recorded version', async () => {
	const { docId } = await breakoutWith('analysis', '版本');
	const closeCode = async (schema: string) => {
		const res = await rawSocket(f.server.wsUrl, `${docId}?schema=${schema}`, { cookie: f.alice.cookie });
		if (!('ws' in res)) throw new Error(`refused with ${res.status}`);
		const ws: WebSocket = res.ws;
		return new Promise<number | 'open'>((resolve) => {
			const timer = setTimeout(() => {
				ws.close();
				resolve('open');
			}, 700);
			ws.once('close', (code) => {
				clearTimeout(timer);
				resolve(code);
			});
		});
	};
	expect(await closeCode(String(editorSchemaVersion - 1))).toBe(4426);
	expect(await closeCode(String(editorSchemaVersion))).toBe('open');
	// Claiming a version from the future raises nothing: the server knows its own.
	expect(await closeCode('999')).toBe('open');

	const a = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	try {
		a.doc.getMap('meta').set('schema', 99);
		await waitFor(() => a.doc.getMap('meta').get('schema') === editorSchemaVersion, 'the version goes back');
		expect(await closeCode(String(editorSchemaVersion))).toBe('open');
	} finally {
		a.destroy();
	}
});

test("a plan lists the causes of its breakout's analyses to link to; other conferences see nothing", async () => {
	const { breakoutId, docId: analysisId } = await breakoutWith('analysis', '关联原因');
	const plan = await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: '整改方案', kind: 'plan', breakoutId } });
	const a = await syncedClient(f.server.wsUrl, analysisId, f.alice.cookie);
	try {
		const firstCause = xmlElements(fragment(a), 'cause')[0];
		(firstCause.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('资本金到位滞后')]);
		firstCause.setAttribute('key', true as unknown as string);
		await waitFor(async () => {
			const res = await api(f.server.url, 'GET', `/api/documents/${plan.body.id}/causes`, { cookie: f.bob.cookie });
			return res.body.causes.some((c: { text: string; key: boolean }) => c.text === '资本金到位滞后' && c.key);
		}, 'the cause is listed');
		const outsider = await newMember(f.server.url, f.admin, 'causes-outsider', '外人');
		expect((await api(f.server.url, 'GET', `/api/documents/${plan.body.id}/causes`, { cookie: outsider.cookie })).status).toBe(404);
	} finally {
		a.destroy();
	}
});

test('blocks a plain Yjs client writes without an id, or with a malformed one, get an id from the server', async () => {
	const { docId } = await breakoutWith('notes', '无标识段落');
	const writer = await syncedClient(f.server.wsUrl, docId, f.bob.cookie);
	const bare = new Y.XmlElement('paragraph');
	bare.insert(0, [new Y.XmlText('没有标识的段落')]);
	const bad = new Y.XmlElement('paragraph');
	bad.setAttribute('blockId', '<script>');
	bad.insert(0, [new Y.XmlText('标识不合规')]);
	fragment(writer).insert(fragment(writer).length, [bare, bad]);
	const valid = (v: unknown) => typeof v === 'string' && /^[A-Za-z0-9_-]{6,32}$/.test(v);
	await waitFor(() => xmlElements(fragment(writer), 'paragraph').every((p) => valid(p.getAttribute('blockId'))), 'the writer receives the ids');
	const reader = await syncedClient(f.server.wsUrl, docId, f.alice.cookie);
	const ids = xmlElements(fragment(reader), 'paragraph').map((p) => p.getAttribute('blockId'));
	expect(ids.every(valid)).toBe(true);
	expect(new Set(ids).size).toBe(ids.length);
	reader.destroy();
	writer.destroy();
});
