import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { type SyncClient, syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { createConference, newMember, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { approve, breakoutWithPlan } from '../helpers/ledger.js';

// Automatic versions one second after editing pauses, so that the test sees them; few named ones, so that it reaches the cap.
const f = useUsers({ env: { CONCORD_VERSION_AFTER_IDLE_SECONDS: '1', CONCORD_VERSIONS_NAMED_MAX: '3' } });

const versionsOf = async (s: Session, docId: string) => api(f.server.url, 'GET', `/api/documents/${docId}/versions`, { cookie: s.cookie });
const named = (s: Session, docId: string, name: unknown) => api(f.server.url, 'POST', `/api/documents/${docId}/versions`, { cookie: s.cookie, body: { name } });
const restore = (s: Session, docId: string, versionId: string, blockId: string | null = null) =>
	api(f.server.url, 'POST', `/api/documents/${docId}/versions/${versionId}/restore`, { cookie: s.cookie, body: { blockId } });

const frag = (c: SyncClient) => c.doc.getXmlFragment('default');
const paragraph = (id: string, text: string) => {
	const p = new Y.XmlElement('paragraph');
	p.setAttribute('blockId', id);
	p.insert(0, [new Y.XmlText(text)]);
	return p;
};
const textOf = (el: Y.XmlElement) => el.toArray().map((t) => (t instanceof Y.XmlText ? t.toString() : '')).join('');
const byId = (c: SyncClient, id: string) => xmlElements(frag(c)).find((e) => e.getAttribute('blockId') === id);

/** The document as stored, read by a fresh client. */
async function stored(docId: string, look: (c: SyncClient) => boolean, what: string) {
	await waitFor(async () => {
		const c = await syncedClient(f.server.wsUrl, docId, f.admin.cookie);
		try {
			return look(c);
		} finally {
			c.destroy();
		}
	}, what);
}

/** Waits until the server holds everything `c` wrote, then closes it. */
async function done(docId: string, c: SyncClient) {
	const clock = Y.decodeStateVector(Y.encodeStateVector(c.doc)).get(c.doc.clientID) ?? 0;
	await stored(docId, (s) => (Y.decodeStateVector(Y.encodeStateVector(s.doc)).get(c.doc.clientID) ?? 0) >= clock, 'the edits are stored');
	c.destroy();
}

/** A breakout with a notes document of paragraphs p1…p4, written by `writer`; an observer reads it. */
async function notes() {
	const url = f.server.url;
	const conferenceId = await createConference(url, f.admin, '版本测试会议');
	const breakoutId = (await api(url, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: f.admin.cookie, body: { name: '交通组', sector: '交通' } })).body.id as string;
	const stamp = Date.now().toString(36) + Math.random().toString(36).slice(2, 6);
	const writers: Session[] = [];
	for (const n of [1, 2, 3, 4]) {
		const s = await newMember(url, f.admin, `w${n}-${stamp}`, `写作者${n}`, `单位${n}`);
		await putMember(url, f.admin, conferenceId, s.userId, { role: 'participant', breakoutIds: [breakoutId] });
		writers.push(s);
	}
	const reader = await newMember(url, f.admin, `r-${stamp}`, '列席代表', '某县发展改革局');
	await putMember(url, f.admin, conferenceId, reader.userId, { role: 'observer', breakoutIds: [breakoutId] });
	const docId = (await api(url, 'POST', '/api/documents', { cookie: writers[0].cookie, body: { title: '交通组讨论记录', kind: 'notes', breakoutId } })).body.id as string;
	const c = await syncedClient(f.server.wsUrl, docId, writers[0].cookie);
	frag(c).insert(frag(c).length, ['para01', 'para02', 'para03', 'para04'].map((id) => paragraph(id, `原文${id}`)));
	await stored(docId, (s) => byId(s, 'para04') !== undefined, 'the paragraphs are stored');
	c.destroy();
	return { conferenceId, breakoutId, docId, writers, reader };
}

test('a named version is kept with the hash of its content; readers list and open versions, only writers name or restore them, outsiders see nothing', async () => {
	const n = await notes();
	const [writer] = n.writers;
	for (const bad of ['', '   ', 'x'.repeat(61), '定稿\u0007', '\u202e定稿', 42]) expect((await named(writer, n.docId, bad)).status, JSON.stringify(bad)).toBe(400);
	expect((await named(n.reader, n.docId, '列席版')).status).toBe(403);
	expect((await named(f.bob, n.docId, '外人')).status).toBe(404);
	const v = await named(writer, n.docId, '  分组讨论初稿 ');
	expect(v.status).toBe(201);
	expect(v.body).toMatchObject({ kind: 'named', name: '分组讨论初稿', createdBy: { name: '写作者1', unit: '单位1' } });

	const list = await versionsOf(n.reader, n.docId);
	expect(list.status).toBe(200);
	expect(list.body.mayWrite).toBe(false);
	expect(list.body.versions.map((x: { id: string }) => x.id)).toContain(v.body.id);
	expect((await versionsOf(f.bob, n.docId)).status).toBe(404);

	// The state is the document as it was: the hash is SHA-256 of its content, as the audit log has it.
	const one = await api(f.server.url, 'GET', `/api/documents/${n.docId}/versions/${v.body.id}`, { cookie: n.reader.cookie });
	const doc = new Y.Doc();
	Y.applyUpdate(doc, Buffer.from(one.body.state, 'base64'));
	expect(doc.getXmlFragment('default').toString()).toContain('原文para04');
	expect(createHash('sha256').update(doc.getXmlFragment('default').toString()).digest('hex')).toBe(v.body.contentHash);
	const audit = (await api(f.server.url, 'GET', `/api/conferences/${n.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string; detail: string }[];
	expect(audit.find((e) => e.action === 'document.version')?.detail).toContain(v.body.contentHash);

	expect((await api(f.server.url, 'GET', `/api/documents/${n.docId}/versions/${v.body.id}`, { cookie: f.bob.cookie })).status).toBe(404);
	expect((await restore(n.reader, n.docId, v.body.id)).status).toBe(403);
	// A version of another document is not this one's.
	const other = (await api(f.server.url, 'POST', '/api/documents', { cookie: writer.cookie, body: { title: '另一份', kind: 'notes', breakoutId: n.breakoutId } })).body.id as string;
	expect((await api(f.server.url, 'GET', `/api/documents/${other}/versions/${v.body.id}`, { cookie: writer.cookie })).status).toBe(404);
	expect((await restore(writer, other, v.body.id)).status).toBe(404);
});

test('an automatic version is taken once editing pauses, and not again for content the newest version has', async () => {
	const n = await notes();
	const autos = async (docId: string) => (await versionsOf(f.admin, docId)).body.versions.filter((v: { kind: string }) => v.kind === 'auto');
	await waitFor(async () => (await autos(n.docId)).length === 1, 'an automatic version', 15_000);
	expect((await autos(n.docId))[0].createdBy).toBeNull();

	const c = await syncedClient(f.server.wsUrl, n.docId, n.writers[1].cookie);
	(byId(c, 'para02')!.toArray()[0] as Y.XmlText).insert(0, '补充：');
	await done(n.docId, c);
	await waitFor(async () => (await autos(n.docId)).length === 2, 'a second automatic version', 15_000);

	// Typed and taken back: a change, but the content is the newest version's.
	const again = await syncedClient(f.server.wsUrl, n.docId, n.writers[2].cookie);
	const p3 = byId(again, 'para03')!.toArray()[0] as Y.XmlText;
	p3.insert(0, 'x');
	p3.delete(0, 1);
	await done(n.docId, again);
	// Another document edited after it: once its version is there, the pause after the first has passed too.
	const later = await notes();
	await waitFor(async () => (await autos(later.docId)).length === 1, 'the other document versioned', 15_000);
	expect(await autos(n.docId)).toHaveLength(2);
});

test('restoring one block while three others type elsewhere brings that block back and keeps every keystroke of theirs; the state before is kept', async () => {
	const n = await notes();
	const [restorer, ...typists] = n.writers;
	const good = (await named(restorer, n.docId, '改动前')).body;
	// p1 is spoiled after the version.
	const spoil = await syncedClient(f.server.wsUrl, n.docId, typists[0].cookie);
	const p1 = byId(spoil, 'para01')!.toArray()[0] as Y.XmlText;
	p1.delete(0, p1.length);
	p1.insert(0, '改坏了');
	await done(n.docId, spoil);
	await stored(n.docId, (s) => textOf(byId(s, 'para01')!) === '改坏了', 'the spoiled paragraph is stored');

	// Three people type into p2, p3, p4 while the fourth restores p1.
	const clients = await Promise.all(typists.map((t) => syncedClient(f.server.wsUrl, n.docId, t.cookie)));
	const typed = ['交通', '水利', '能源'].map((w) => Array.from({ length: 40 }, (_, i) => `${w}${i}`).join(''));
	const typing = clients.map(async (c, k) => {
		const target = byId(c, `para0${k + 2}`)!.toArray()[0] as Y.XmlText;
		for (let i = 0; i < 40; i++) {
			target.insert(target.length, `${['交通', '水利', '能源'][k]}${i}`);
			await new Promise((r) => setTimeout(r, 5));
		}
	});
	const restored = await restore(restorer, n.docId, good.id, 'para01');
	await Promise.all(typing);
	expect(restored.status).toBe(200);
	expect(restored.body.before).toMatchObject({ kind: 'restored', createdBy: { name: '写作者1' } });
	for (const c of clients) await done(n.docId, c);

	await stored(
		n.docId,
		(s) => textOf(byId(s, 'para01')!) === '原文para01' && [2, 3, 4].every((k) => textOf(byId(s, `para0${k}`)!) === `原文para0${k}${typed[k - 2]}`),
		'p1 restored and every keystroke of the three typists kept'
	);
	// The state before the restore can itself be restored: p1 spoiled again, the others as they are.
	const before = await api(f.server.url, 'GET', `/api/documents/${n.docId}/versions/${restored.body.before.id}`, { cookie: restorer.cookie });
	const was = new Y.Doc();
	Y.applyUpdate(was, Buffer.from(before.body.state, 'base64'));
	expect(was.getXmlFragment('default').toString()).toContain('改坏了');
	const audit = (await api(f.server.url, 'GET', `/api/conferences/${n.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string; detail: string }[];
	expect(audit.find((e) => e.action === 'document.restored')?.detail).toContain(good.contentHash);

	// A block the version does not hold: refused, nothing changes.
	expect((await restore(restorer, n.docId, good.id, 'nosuchblock')).body.error.code).toBe('restore_refused');
	expect((await restore(restorer, n.docId, good.id, '../x')).status).toBe(400);
});

test('a whole version comes back as a new change; a heading brings its section', async () => {
	const n = await notes();
	const [writer] = n.writers;
	const c = await syncedClient(f.server.wsUrl, n.docId, writer.cookie);
	const heading = new Y.XmlElement('heading');
	heading.setAttribute('level', 2 as unknown as string);
	heading.setAttribute('blockId', 'head01');
	heading.insert(0, [new Y.XmlText('一、问题')]);
	frag(c).insert(1, [heading]);
	await done(n.docId, c);
	await stored(n.docId, (s) => byId(s, 'head01') !== undefined, 'the heading is stored');
	const v = (await named(writer, n.docId, '有标题')).body;
	// Everything after the heading is rewritten, and a paragraph is added at the end.
	const e = await syncedClient(f.server.wsUrl, n.docId, n.writers[1].cookie);
	for (const id of ['para02', 'para03']) (byId(e, id)!.toArray()[0] as Y.XmlText).insert(0, '改：');
	frag(e).push([paragraph('para09', '新增段落')]);
	await done(n.docId, e);
	await stored(n.docId, (s) => byId(s, 'para09') !== undefined, 'stored');

	// The heading's section (h1 up to the end: no heading follows) comes back; p1 before it is untouched.
	expect((await restore(writer, n.docId, v.id, 'head01')).status).toBe(200);
	await stored(n.docId, (s) => byId(s, 'para09') === undefined && textOf(byId(s, 'para02')!) === '原文para02' && textOf(byId(s, 'para01')!) === '原文para01', 'the section restored');

	const w = await syncedClient(f.server.wsUrl, n.docId, writer.cookie);
	(byId(w, 'para01')!.toArray()[0] as Y.XmlText).insert(0, '再改：');
	await done(n.docId, w);
	await stored(n.docId, (s) => textOf(byId(s, 'para01')!).startsWith('再改：'), 'stored');
	const got = await api(f.server.url, 'GET', `/api/documents/${n.docId}/versions/${v.id}`, { cookie: writer.cookie });
	const d = new Y.Doc();
	Y.applyUpdate(d, Buffer.from(got.body.state, 'base64'));
	expect((await restore(writer, n.docId, v.id)).status).toBe(200);
	await stored(n.docId, (s) => frag(s).toString() === d.getXmlFragment('default').toString(), 'the whole version restored');
});

test('the stages freeze versions: a proposal its source, an approval and an export the minutes (an export once per content); a restore never takes an approved item out of the minutes', async () => {
	const url = f.server.url;
	const conferenceId = await createConference(url, f.admin, '阶段版本会议');
	const author = await newMember(url, f.admin, `au-${Date.now()}`, '设计院代表', '华景交通规划设计研究院');
	const plan = await breakoutWithPlan(url, f.server.wsUrl, f.admin, conferenceId, author, [
		{ text: '建立交地周调度机制', responsibleUnit: '甲省江州市人民政府', deadline: '2099-09-30' },
		{ text: '增调架桥机', responsibleUnit: '中衡路桥工程集团', deadline: '2099-06-30' }
	]);
	const minutesId = `minutes_${conferenceId}`;
	await approve(url, f.admin, author, plan.planId, plan.measureIds.slice(0, 1));
	const early = (await named(f.admin, minutesId, '第一项审定后')).body;
	await approve(url, f.admin, author, plan.planId, plan.measureIds.slice(1));
	const planVersions = (await versionsOf(author, plan.planId)).body.versions as { kind: string; createdBy: { name: string } }[];
	expect(planVersions.find((v) => v.kind === 'proposed')?.createdBy.name).toBe('设计院代表');
	const approved = (await versionsOf(f.admin, minutesId)).body.versions.find((v: { kind: string }) => v.kind === 'approved');
	const state = (await api(url, 'GET', `/api/documents/${minutesId}/versions/${approved.id}`, { cookie: f.admin.cookie })).body.state;
	const d = new Y.Doc();
	Y.applyUpdate(d, Buffer.from(state, 'base64'));
	expect(d.getXmlFragment('default').toString()).toContain('增调架桥机');

	for (let i = 0; i < 2; i++) expect((await fetch(`${url}/api/conferences/${conferenceId}/exports/minutes.docx`, { headers: { cookie: f.admin.cookie } })).status).toBe(200);
	const exported = (await versionsOf(f.admin, minutesId)).body.versions.filter((v: { kind: string }) => v.kind === 'exported');
	expect(exported).toHaveLength(1);
	const audit = (await api(url, 'GET', `/api/conferences/${conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string; detail: string }[];
	expect(audit.filter((e) => e.action === 'document.version').map((e) => e.detail)).toEqual(expect.arrayContaining([`导出签发时版本：${exported[0].contentHash}`, `审定时版本：${approved.contentHash}`]));

	// The minutes as they were before the second approval, restored whole: the item approved since stays.
	expect((await restore(f.admin, minutesId, early.id)).status).toBe(200);
	await stored(minutesId, (s) => xmlElements(frag(s), 'minutesItem').length === 2, 'the item approved since is still in the minutes');
	const itemId = String(xmlElements(d.getXmlFragment('default'), 'minutesItem')[0].getAttribute('blockId'));
	expect((await restore(f.admin, minutesId, approved.id, itemId)).body.error.code).toBe('restore_refused');
	// The plan's measure keeps its link to the minutes through a restore of the plan as proposed.
	const proposed = (await versionsOf(author, plan.planId)).body.versions.find((v: { kind: string }) => v.kind === 'proposed');
	expect((await restore(author, plan.planId, proposed.id)).status).toBe(200);
	await stored(plan.planId, (s) => xmlElements(frag(s), 'measure').every((m) => String(m.getAttribute('promoted') ?? '').startsWith(minutesId)), 'both measures still link to the minutes');
});

test('the authors of a document are the accounts the server bound to its client ids as the text arrived; readers see them, outsiders nothing', async () => {
	const n = await notes();
	const c = await syncedClient(f.server.wsUrl, n.docId, n.writers[1].cookie);
	(byId(c, 'para02')!.get(0) as Y.XmlText).insert(0, '补充：');
	await done(n.docId, c);
	const res = await api(f.server.url, 'GET', `/api/documents/${n.docId}/authors`, { cookie: n.reader.cookie });
	expect(res.status).toBe(200);
	const authors = res.body.authors as { clientId: number; name: string; unit: string }[];
	expect(authors.find((a) => a.clientId === c.doc.clientID)).toMatchObject({ name: '写作者2', unit: '单位2' });
	// Readers' ids (taken in presence) are listed too; they wrote nothing, so no text shows their colour.
	expect(authors.map((a) => a.name)).toEqual(expect.arrayContaining(['写作者1', '写作者2']));
	expect((await api(f.server.url, 'GET', `/api/documents/${n.docId}/authors`, { cookie: f.bob.cookie })).status).toBe(404);
});

test('a document keeps at most CONCORD_VERSIONS_NAMED_MAX named versions: past it the writer is told and nothing is kept', async () => {
	const n = await notes();
	for (const name of ['一稿', '二稿', '三稿']) expect((await named(n.writers[0], n.docId, name)).status).toBe(201);
	const over = await named(n.writers[1], n.docId, '四稿');
	expect(over.status).toBe(409);
	expect(over.body.error.code).toBe('version_limit');
	const kept = ((await versionsOf(n.writers[0], n.docId)).body.versions as { kind: string; name: string }[]).filter((v) => v.kind === 'named');
	expect(kept.map((v) => v.name).sort()).toEqual(['一稿', '三稿', '二稿'].sort());
});
