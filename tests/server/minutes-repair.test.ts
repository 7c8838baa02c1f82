import JSZip from 'jszip';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { api } from '../helpers/api.js';
import { type SyncClient, connectClient, syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { approve, breakoutWithPlan, unitMember } from '../helpers/ledger.js';

const f = useUsers();

/** A conference whose minutes hold two approved measures, and an expert: an ordinary account that may edit the minutes. */
async function setUp(title: string) {
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const plan = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, [
		{ text: '成立市级征拆专班', responsibleUnit: '甲省江州市人民政府', deadline: '2025-08-31' },
		{ text: '建立交地周调度台账', responsibleUnit: '甲省江州市人民政府', deadline: '2025-09-30' }
	]);
	const proposals = await approve(f.server.url, f.admin, f.alice, plan.planId, plan.measureIds);
	const expert = await unitMember(f.server.url, f.admin, conferenceId, `ex-${Math.random().toString(36).slice(2, 7)}`, '孙教授', '专家组', 'expert');
	return { conferenceId, minutesId: `minutes_${conferenceId}`, proposals, expert };
}

const frag = (c: SyncClient) => c.doc.getXmlFragment('default');
const items = (c: SyncClient) => xmlElements(frag(c), 'minutesItem');
/** Each top-level block of the minutes as "name:blockId", the items with all their attributes. */
const layout = (c: SyncClient) =>
	frag(c)
		.toArray()
		.map((el) => (el instanceof Y.XmlElement ? (el.nodeName === 'minutesItem' ? JSON.stringify(el.getAttributes()) : `${el.nodeName}:${el.getAttribute('blockId')}`) : 'text'));

async function docxText(conferenceId: string): Promise<string> {
	const res = await fetch(`${f.server.url}/api/conferences/${conferenceId}/exports/minutes.docx`, { headers: { cookie: f.admin.cookie } });
	expect(res.status).toBe(200);
	const xml = await (await JSZip.loadAsync(await res.arrayBuffer())).file('word/document.xml')!.async('string');
	return xml.replace(/<[^>]+>/g, '');
}
const count = (haystack: string, needle: string) => haystack.split(needle).length - 1;

test('a minutes item deleted by a raw y-websocket client is put back at once, in its place, for everyone; nothing is doubled, not even after a restart', async () => {
	const t = await setUp('纪要条目修复');
	const deleter = await syncedClient(f.server.wsUrl, t.minutesId, t.expert.cookie);
	const watcher = await syncedClient(f.server.wsUrl, t.minutesId, f.alice.cookie);
	try {
		const before = layout(deleter);
		expect(items(deleter)).toHaveLength(2);
		const first = items(deleter)[0];
		frag(deleter).delete(frag(deleter).toArray().indexOf(first), 1);
		expect(items(deleter)).toHaveLength(1);

		// The server's repair reaches the client that deleted it and every other one.
		await waitFor(() => items(deleter).length === 2, 'the deleting client gets the item back');
		await waitFor(() => JSON.stringify(layout(watcher)) === JSON.stringify(before), 'a watcher has the item back in its place');
		expect(layout(deleter)).toEqual(before);
		const fresh = await syncedClient(f.server.wsUrl, t.minutesId, f.admin.cookie);
		expect(layout(fresh)).toEqual(before);
		fresh.destroy();
		const text = await docxText(t.conferenceId);
		expect(count(text, '成立市级征拆专班')).toBe(1);
		expect(count(text, '建立交地周调度台账')).toBe(1);
		const list = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/resolutions`, { cookie: f.admin.cookie })).body.resolutions;
		expect(list.map((r: { proposalId: string }) => r.proposalId)).toEqual(t.proposals);
	} finally {
		deleter.destroy();
		watcher.destroy();
	}
	// The start-up reconciliation finds the item where it belongs and adds no second copy.
	const before = await syncedClient(f.server.wsUrl, t.minutesId, f.admin.cookie);
	const expected = layout(before);
	before.destroy();
	await f.server.stop();
	f.server = await f.server.restart();
	const after = await syncedClient(f.server.wsUrl, t.minutesId, f.admin.cookie);
	expect(layout(after)).toEqual(expected);
	after.destroy();
});

test('deleting the whole minutes over sync takes out what people wrote but not the items, which come back in their order; a withdrawal by an approver still removes one', async () => {
	const t = await setUp('全选删除');
	const deleter = await syncedClient(f.server.wsUrl, t.minutesId, t.expert.cookie);
	try {
		const order = items(deleter).map((el) => el.getAttribute('proposal'));
		const attributes = items(deleter).map((el) => el.getAttributes());
		deleter.doc.transact(() => frag(deleter).delete(0, frag(deleter).length));
		await waitFor(() => items(deleter).length === 2, 'the items come back');
		const fresh = await syncedClient(f.server.wsUrl, t.minutesId, f.admin.cookie);
		try {
			expect(fresh.doc.getXmlFragment('default').toArray().map((el) => (el as Y.XmlElement).nodeName)).toEqual(['minutesItem', 'minutesItem']);
			expect(items(fresh).map((el) => el.getAttribute('proposal'))).toEqual(order);
			expect(items(fresh).map((el) => el.getAttributes())).toEqual(attributes);
		} finally {
			fresh.destroy();
		}

		// The legitimate removal is the server's: 撤回 by an approver takes the item out for good.
		const withdrawn = await api(f.server.url, 'POST', `/api/proposals/${t.proposals[0]}/withdraw`, { cookie: t.expert.cookie, body: { reason: '合并处理' } });
		expect(withdrawn.status).toBe(200);
		await waitFor(() => items(deleter).length === 1, 'the withdrawn item leaves the open minutes');
		const reader = await syncedClient(f.server.wsUrl, t.minutesId, f.admin.cookie);
		try {
			expect(items(reader).map((el) => el.getAttribute('proposal'))).toEqual([t.proposals[1]]);
		} finally {
			reader.destroy();
		}
		expect(count(await docxText(t.conferenceId), '成立市级征拆专班')).toBe(0);
	} finally {
		deleter.destroy();
	}
});

test('a client that changes an item and deletes it in one step gets it back as the server wrote it', async () => {
	const t = await setUp('篡改后删除');
	// Without garbage collection the client sends the changed values along with the deletion.
	const deleter = connectClient(f.server.wsUrl, t.minutesId, t.expert.cookie, {}, new Y.Doc({ gc: false }));
	try {
		await waitFor(() => deleter.provider.synced && items(deleter).length === 2, 'synced');
		const before = layout(deleter);
		const first = items(deleter)[0];
		deleter.doc.transact(() => {
			first.setAttribute('snapshot', JSON.stringify({ kind: 'measure', text: '篡改的议定事项' }));
			first.setAttribute('forged', 'yes');
			first.removeAttribute('number');
			frag(deleter).delete(frag(deleter).toArray().indexOf(first), 1);
		});
		await waitFor(() => items(deleter).length === 2, 'the item comes back');
		expect(layout(deleter)).toEqual(before);
		const fresh = await syncedClient(f.server.wsUrl, t.minutesId, f.admin.cookie);
		expect(layout(fresh)).toEqual(before);
		fresh.destroy();
		expect(await docxText(t.conferenceId)).not.toContain('篡改的议定事项');
	} finally {
		deleter.destroy();
	}
});

/** The text of an element and everything below it. */
const plain = (el: Y.XmlElement): string => el.toArray().map((c) => (c instanceof Y.XmlText ? c.toString() : plain(c as Y.XmlElement))).join('');
const paragraph = (text: string) => {
	const p = new Y.XmlElement('paragraph');
	p.insert(0, [new Y.XmlText(text)]);
	return p;
};

test('a heading level, a list start or a block id that a raw client sets to an object goes back for everyone, and the minutes still export', async () => {
	const t = await setUp('对象属性');
	const writer = await syncedClient(f.server.wsUrl, t.minutesId, t.expert.cookie);
	const watcher = await syncedClient(f.server.wsUrl, t.minutesId, f.alice.cookie);
	const hostile = { toString: 1 } as unknown as string;
	try {
		const heading = new Y.XmlElement('heading');
		heading.setAttribute('level', 2 as unknown as string);
		heading.insert(0, [new Y.XmlText('三、补充意见')]);
		const list = new Y.XmlElement('orderedList');
		list.setAttribute('start', 3 as unknown as string);
		const item = new Y.XmlElement('listItem');
		item.insert(0, [paragraph('第三项意见')]);
		list.insert(0, [item]);
		frag(writer).push([heading, list]);
		// By its text only (toString would print the hostile attribute, and cannot).
		const find = (c: SyncClient, name: string) => xmlElements(frag(c), name).find((el) => /补充意见|第三项意见/u.test(plain(el)));
		await waitFor(() => find(watcher, 'orderedList') !== undefined && typeof find(watcher, 'heading')?.getAttribute('blockId') === 'string', 'the watcher has the new section');
		const id = find(watcher, 'heading')!.getAttribute('blockId');

		writer.doc.transact(() => {
			heading.setAttribute('level', hostile);
			heading.setAttribute('blockId', hostile);
			list.setAttribute('start', hostile);
		});
		// A new heading that arrives with an object for its level loses it.
		const forged = new Y.XmlElement('heading');
		forged.setAttribute('level', hostile);
		forged.insert(0, [new Y.XmlText('四、伪造层级')]);
		frag(writer).push([forged]);

		for (const c of [writer, watcher]) {
			await waitFor(() => find(c, 'heading')?.getAttribute('level') === (2 as unknown) && find(c, 'heading')?.getAttribute('blockId') === id, 'the level and id come back');
			await waitFor(() => find(c, 'orderedList')?.getAttribute('start') === (3 as unknown), 'the list start comes back');
			await waitFor(() => {
				const el = xmlElements(frag(c), 'heading').find((h) => plain(h).includes('伪造层级'));
				return el !== undefined && el.getAttribute('level') === undefined;
			}, 'the forged level is taken off');
		}
		const text = await docxText(t.conferenceId);
		// Renumbered after the outline's one section (domain.md §1.5).
		expect(text).toContain('二、补充意见');
		expect(text).toContain('（3）第三项意见');
	} finally {
		writer.destroy();
		watcher.destroy();
	}
});
