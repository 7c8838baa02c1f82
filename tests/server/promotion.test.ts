import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';

const f = useUsers();

/** A conference with a 交通组, its members, and a plan whose measure alice has filled in. */
async function setUp(title: string) {
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '交通组');
	const tag = Math.random().toString(36).slice(2, 8);
	const member = async (name: string, role: 'expert' | 'moderator' | 'observer') => {
		const s = await newMember(f.server.url, f.admin, `${role}-${tag}-${name.length}`, name, '专家组');
		await putMember(f.server.url, f.admin, conferenceId, s.userId, { role, breakoutIds: [breakoutId] });
		return s;
	};
	await putMember(f.server.url, f.admin, conferenceId, f.alice.userId, { role: 'participant', unitType: '地方政府', breakoutIds: [breakoutId] });
	const expert = await member('孙教授', 'expert');
	const expert2 = await member('周研究员', 'expert');
	const moderator = await member('陈召集人', 'moderator');
	const observer = await member('钱列席', 'observer');
	const planId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: 'T1 整改方案', kind: 'plan', breakoutId } })).body.id as string;
	const c = await syncedClient(f.server.wsUrl, planId, f.alice.cookie);
	const measure = xmlElements(c.doc.getXmlFragment('default'), 'measure')[0];
	c.doc.transact(() => {
		(measure.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('成立市级征拆专班，30日内完成剩余交地')]);
		measure.setAttribute('responsibleUnit', '甲省江州市人民政府');
		measure.setAttribute('deadline', '2025-08-31');
		measure.setAttribute('type', '限期整改');
		measure.setAttribute('criteria', '交地确认书签署');
	});
	const measureId = String(measure.getAttribute('blockId'));
	const paragraphId = String(xmlElements(c.doc.getXmlFragment('default'), 'paragraph').at(-1)!.getAttribute('blockId'));
	await waitFor(async () => {
		const check = await syncedClient(f.server.wsUrl, planId, f.admin.cookie);
		const ok = xmlElements(check.doc.getXmlFragment('default'), 'measure')[0]?.getAttribute('deadline') === '2025-08-31';
		check.destroy();
		return ok;
	}, 'the measure is stored');
	c.destroy();
	return { conferenceId, breakoutId, planId, measureId, paragraphId, expert, expert2, moderator, observer };
}

const propose = (s: Session, docId: string, blockIds: string[]) => api(f.server.url, 'POST', `/api/documents/${docId}/proposals`, { cookie: s.cookie, body: { blockIds } });

test('proposing the same block many times at once gives one proposal; two experts approving at once give one minutes item, with its provenance both ways', async () => {
	const t = await setUp('纪要提升');
	const many = await Promise.all(Array.from({ length: 10 }, () => propose(f.alice, t.planId, [t.measureId])));
	expect(many.every((r) => r.status === 201)).toBe(true);
	expect(new Set(many.map((r) => r.body.proposals[0].id)).size).toBe(1);
	const id = many[0].body.proposals[0].id;
	const listed = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/proposals`, { cookie: t.expert.cookie })).body.proposals;
	expect(listed).toHaveLength(1);
	expect(listed[0]).toMatchObject({ status: 'pending', mayDecide: true, block: { kind: 'measure', text: '成立市级征拆专班，30日内完成剩余交地' } });

	const both = await Promise.all([t.expert, t.expert2].map((s) => api(f.server.url, 'POST', `/api/proposals/${id}/approve`, { cookie: s.cookie })));
	expect(both.map((r) => r.status)).toEqual([200, 200]);
	expect(both[0].body.minutesItemId).toBe(both[1].body.minutesItemId);

	const minutesId = both[0].body.minutesDocId as string;
	const minutes = await syncedClient(f.server.wsUrl, minutesId, f.alice.cookie);
	const source = await syncedClient(f.server.wsUrl, t.planId, f.alice.cookie);
	try {
		const frag = minutes.doc.getXmlFragment('default');
		const items = xmlElements(frag, 'minutesItem');
		expect(items).toHaveLength(1);
		const item = items[0];
		expect(item.getAttribute('sourceDoc')).toBe(t.planId);
		expect(item.getAttribute('sourceBlock')).toBe(t.measureId);
		expect(JSON.parse(String(item.getAttribute('proposedBy')))).toMatchObject({ name: '李华', unit: '甲省交通运输厅' });
		expect(JSON.parse(String(item.getAttribute('snapshot')))).toMatchObject({ fields: { responsibleUnit: '甲省江州市人民政府', deadline: '2025-08-31' } });
		// Under 二、 → （一）交通组, before 三、.
		const top = frag.toArray() as Y.XmlElement[];
		const at = (pred: (e: Y.XmlElement) => boolean) => top.findIndex(pred);
		const section = at((e) => e.getAttribute('blockId') === `sec-${t.breakoutId}`);
		expect(top[section].toString()).toContain('（一）交通组');
		expect(at((e) => e === item)).toBeGreaterThan(section);
		expect(at((e) => e === item)).toBeLessThan(at((e) => e.getAttribute('blockId') === 'sec-next'));
		// The source links to it.
		const measure = xmlElements(source.doc.getXmlFragment('default'), 'measure')[0];
		expect(measure.getAttribute('promoted')).toBe(`${minutesId}#${item.getAttribute('blockId')}`);
		// Proposing it again gives back the approved proposal.
		expect((await propose(f.alice, t.planId, [t.measureId])).body.proposals[0]).toMatchObject({ id, status: 'approved' });
	} finally {
		minutes.destroy();
		source.destroy();
	}
});

test('who may propose and decide; a declined proposal keeps its reason and the block can be proposed again', async () => {
	const t = await setUp('审定权限');
	expect((await propose(t.observer, t.planId, [t.paragraphId])).status).toBe(403);
	expect((await propose(f.bob, t.planId, [t.paragraphId])).status).toBe(404);
	expect((await propose(f.alice, t.planId, ['nosuchblock1'])).status).toBe(400);
	const id = (await propose(f.alice, t.planId, [t.paragraphId])).body.proposals[0].id;

	const decline = (s: Session, reason = '表述不够具体') => api(f.server.url, 'POST', `/api/proposals/${id}/decline`, { cookie: s.cookie, body: { reason } });
	expect((await decline(f.alice)).status).toBe(403);
	expect((await decline(t.moderator)).status).toBe(403);
	expect((await api(f.server.url, 'PUT', `/api/conferences/${t.conferenceId}/promotion-settings`, { cookie: f.admin.cookie, body: { moderatorsApprove: true } })).status).toBe(204);
	expect((await decline(t.moderator)).status).toBe(204);
	expect((await decline(t.expert)).status).toBe(409);
	const listed = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/proposals`, { cookie: f.alice.cookie })).body.proposals;
	expect(listed.find((p: { id: string }) => p.id === id)).toMatchObject({ status: 'declined', reason: '表述不够具体', decidedBy: { name: '陈召集人' } });

	const again = (await propose(f.alice, t.planId, [t.paragraphId])).body.proposals[0];
	expect(again.id).not.toBe(id);
	expect(again.status).toBe('pending');
	const log = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries.map((e: { action: string }) => e.action);
	expect(log).toEqual(expect.arrayContaining(['minutes.proposed', 'minutes.declined']));
});

test('only the server writes promotion: a forged mark, a pasted minutes item and a changed item are all undone', async () => {
	const t = await setUp('防伪');
	const id = (await propose(f.alice, t.planId, [t.measureId])).body.proposals[0].id;
	const approved = (await api(f.server.url, 'POST', `/api/proposals/${id}/approve`, { cookie: t.expert.cookie })).body;
	const source = await syncedClient(f.server.wsUrl, t.planId, f.alice.cookie);
	const minutes = await syncedClient(f.server.wsUrl, approved.minutesDocId, t.expert.cookie);
	try {
		const paragraph = xmlElements(source.doc.getXmlFragment('default'), 'paragraph').find((p) => p.getAttribute('blockId') === t.paragraphId)!;
		paragraph.setAttribute('promoted', `${approved.minutesDocId}#item-forged`);
		await waitFor(() => paragraph.getAttribute('promoted') === undefined, 'the forged mark is removed');

		const frag = minutes.doc.getXmlFragment('default');
		const fake = new Y.XmlElement('minutesItem');
		fake.setAttribute('blockId', 'item-fake0001');
		fake.setAttribute('snapshot', JSON.stringify({ kind: 'paragraph', text: '伪造的议定事项' }));
		frag.insert(frag.length, [fake]);
		await waitFor(() => xmlElements(frag, 'minutesItem').length === 1, 'the pasted item is taken out');

		const item = xmlElements(frag, 'minutesItem')[0];
		const before = item.getAttribute('snapshot');
		item.setAttribute('snapshot', JSON.stringify({ kind: 'measure', text: '篡改' }));
		await waitFor(() => item.getAttribute('snapshot') === before, 'the item goes back');
	} finally {
		source.destroy();
		minutes.destroy();
	}
});

test('a source changed after approval is flagged with its current text; an approver takes it into the minutes in one step', async () => {
	const t = await setUp('原文修改');
	const id = (await propose(f.alice, t.planId, [t.measureId])).body.proposals[0].id;
	const approved = (await api(f.server.url, 'POST', `/api/proposals/${id}/approve`, { cookie: t.expert.cookie })).body;
	const listed = async (s: Session) =>
		(await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/proposals`, { cookie: s.cookie })).body.proposals.find((p: { id: string }) => p.id === id);
	expect(await listed(t.expert)).toMatchObject({ sourceChanged: false, current: null });

	const source = await syncedClient(f.server.wsUrl, t.planId, f.alice.cookie);
	try {
		const text = xmlElements(xmlElements(source.doc.getXmlFragment('default'), 'measure')[0], 'paragraph')[0].toArray()[0] as Y.XmlText;
		text.delete(0, 2);
		text.insert(0, '提请省政府');
		await waitFor(async () => (await listed(t.expert)).sourceChanged === true, 'the change is noticed');
		expect(await listed(t.expert)).toMatchObject({
			block: { text: '成立市级征拆专班，30日内完成剩余交地' },
			current: { text: '提请省政府市级征拆专班，30日内完成剩余交地' },
			mayUpdate: true
		});
		expect((await listed(f.alice)).mayUpdate).toBe(false);
		expect((await api(f.server.url, 'POST', `/api/proposals/${id}/update`, { cookie: f.alice.cookie })).status).toBe(403);

		const updated = await api(f.server.url, 'POST', `/api/proposals/${id}/update`, { cookie: t.expert.cookie });
		expect(updated.status).toBe(200);
		expect(updated.body).toMatchObject({ sourceChanged: false, block: { text: '提请省政府市级征拆专班，30日内完成剩余交地' } });
		const minutes = await syncedClient(f.server.wsUrl, approved.minutesDocId, t.expert.cookie);
		try {
			const items = xmlElements(minutes.doc.getXmlFragment('default'), 'minutesItem');
			expect(items).toHaveLength(1);
			expect(JSON.parse(String(items[0].getAttribute('snapshot'))).text).toBe('提请省政府市级征拆专班，30日内完成剩余交地');
		} finally {
			minutes.destroy();
		}
	} finally {
		source.destroy();
	}
});

test('the resolution list holds the approved measures, numbered, as the minutes hold them; causes and paragraphs stay out of it', async () => {
	const t = await setUp('决议清单');
	const measureProposal = (await propose(f.alice, t.planId, [t.measureId])).body.proposals[0].id;
	const paragraphProposal = (await propose(f.alice, t.planId, [t.paragraphId])).body.proposals[0].id;
	for (const id of [measureProposal, paragraphProposal]) {
		expect((await api(f.server.url, 'POST', `/api/proposals/${id}/approve`, { cookie: t.expert.cookie })).status).toBe(200);
	}
	const list = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/resolutions`, { cookie: t.observer.cookie })).body.resolutions;
	expect(list).toHaveLength(1);
	expect(list[0]).toMatchObject({
		number: 'JY-01',
		title: '成立市级征拆专班，30日内完成剩余交地',
		leadUnit: '甲省江州市人民政府',
		deadline: '2025-08-31',
		type: '限期整改',
		criteria: '交地确认书签署',
		breakoutName: '交通组',
		minutesItemId: `item-${measureProposal}`
	});
	expect((await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/resolutions`, { cookie: f.bob.cookie })).status).toBe(404);
});

test('an approver withdraws an item: it leaves the minutes, the resolution list and the ledger, the source loses its mark, and the block may be proposed again', async () => {
	const t = await setUp('撤回纪要条目');
	const id = (await propose(f.alice, t.planId, [t.measureId])).body.proposals[0].id as string;
	expect((await api(f.server.url, 'POST', `/api/proposals/${id}/approve`, { cookie: t.expert.cookie })).status).toBe(200);
	const withdraw = (s: Session, body: object) => api(f.server.url, 'POST', `/api/proposals/${id}/withdraw`, { cookie: s.cookie, body });
	// Only approvers, and only with a reason.
	expect((await withdraw(f.alice, { reason: '重复' })).status).toBe(403);
	expect((await withdraw(t.expert, { reason: ' ' })).status).toBe(400);
	const done = await withdraw(t.expert, { reason: '与JY-03重复，合并处理' });
	expect(done.status).toBe(200);
	expect(done.body).toMatchObject({ status: 'withdrawn', reason: '与JY-03重复，合并处理', minutesItemId: null });
	expect((await withdraw(t.expert2, { reason: '再撤' })).status).toBe(409);

	const lists = async () => ({
		resolutions: (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/resolutions`, { cookie: t.expert.cookie })).body.resolutions,
		ledger: (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/ledger`, { cookie: t.expert.cookie })).body.items
	});
	expect(await lists()).toEqual({ resolutions: [], ledger: [] });
	const minutesId = `minutes_${t.conferenceId}`;
	const minutes = await syncedClient(f.server.wsUrl, minutesId, f.alice.cookie);
	const source = await syncedClient(f.server.wsUrl, t.planId, f.alice.cookie);
	try {
		expect(xmlElements(minutes.doc.getXmlFragment('default'), 'minutesItem')).toHaveLength(0);
		expect(xmlElements(source.doc.getXmlFragment('default'), 'measure')[0].getAttribute('promoted')).toBeUndefined();
	} finally {
		minutes.destroy();
		source.destroy();
	}
	const audit = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/audit?action=minutes.withdrawn`, { cookie: f.admin.cookie })).body.entries;
	expect(audit[0]).toMatchObject({ action: 'minutes.withdrawn', detail: '与JY-03重复，合并处理' });
	// Named by its number, text and document, never by block or document ids.
	expect(audit[0].target).toMatch(/^JY-\d\d \S.* 《.+》$/);
	expect(audit[0].target).not.toContain(t.measureId);
	// The block is free again: a new proposal, pending.
	const again = await propose(f.alice, t.planId, [t.measureId]);
	expect(again.body.proposals[0]).toMatchObject({ status: 'pending' });
	expect(again.body.proposals[0].id).not.toBe(id);
});

test('a source block deleted after approval is reported as deleted, distinct from changed; the minutes keep the approved copy', async () => {
	const t = await setUp('原文删除');
	const id = (await propose(f.alice, t.planId, [t.measureId])).body.proposals[0].id;
	expect((await api(f.server.url, 'POST', `/api/proposals/${id}/approve`, { cookie: t.expert.cookie })).status).toBe(200);
	const listed = async () =>
		(await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/proposals`, { cookie: t.expert.cookie })).body.proposals.find((p: { id: string }) => p.id === id);
	expect(await listed()).toMatchObject({ sourceChanged: false, sourceDeleted: false });

	const source = await syncedClient(f.server.wsUrl, t.planId, f.alice.cookie);
	try {
		const frag = source.doc.getXmlFragment('default');
		frag.delete(frag.toArray().indexOf(xmlElements(frag, 'measure')[0]), 1);
		await waitFor(async () => (await listed()).sourceDeleted === true, 'the deletion is noticed');
	} finally {
		source.destroy();
	}
	expect(await listed()).toMatchObject({ status: 'approved', sourceChanged: false, sourceDeleted: true, current: null, block: { text: '成立市级征拆专班，30日内完成剩余交地' } });
	// There is nothing to take into the minutes; the item stays on the list as approved.
	expect((await api(f.server.url, 'POST', `/api/proposals/${id}/update`, { cookie: t.expert.cookie })).status).toBe(400);
	const list = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/resolutions`, { cookie: t.expert.cookie })).body.resolutions;
	expect(list.map((r: { proposalId: string }) => r.proposalId)).toEqual([id]);
});

test('the proposal list narrows by status and by source document; a bad filter is refused with 400 and changes nothing', async () => {
	const t = await setUp('提议筛选');
	const otherPlan = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: 'T2 整改方案', kind: 'plan', breakoutId: t.breakoutId } })).body.id as string;
	const [measure] = (await propose(f.alice, t.planId, [t.measureId])).body.proposals;
	const [paragraph] = (await propose(f.alice, t.planId, [t.paragraphId])).body.proposals;
	expect((await api(f.server.url, 'POST', `/api/proposals/${measure.id}/approve`, { cookie: t.expert.cookie })).status).toBe(200);
	const list = async (query: string) => {
		const res = await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/proposals${query}`, { cookie: t.expert.cookie });
		return { status: res.status, ids: res.status === 200 ? (res.body.proposals as { id: string }[]).map((p) => p.id).sort() : res.body.error.code };
	};
	expect(await list('')).toEqual({ status: 200, ids: [measure.id, paragraph.id].sort() });
	expect(await list('?status=pending')).toEqual({ status: 200, ids: [paragraph.id] });
	expect(await list('?status=approved')).toEqual({ status: 200, ids: [measure.id] });
	expect(await list(`?status=pending&sourceDocId=${t.planId}`)).toEqual({ status: 200, ids: [paragraph.id] });
	expect(await list(`?sourceDocId=${otherPlan}`)).toEqual({ status: 200, ids: [] });
	// A pending proposal still shows its block as it stands; the approved one its approved copy.
	const pending = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/proposals?status=pending`, { cookie: t.expert.cookie })).body.proposals[0];
	expect(pending.block).toMatchObject({ kind: 'paragraph' });
	for (const bad of ['?status=open', '?status=', '?sourceDocId=..%2F..']) expect(await list(bad), bad).toEqual({ status: 400, ids: 'validation_failed' });
	expect(await list('')).toEqual({ status: 200, ids: [measure.id, paragraph.id].sort() });
});
