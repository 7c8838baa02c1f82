import ExcelJS from 'exceljs';
import { expect, test } from 'vitest';
import { api, login } from '../helpers/api.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { probeSync } from '../helpers/probe.js';
import { withOrigin } from '../helpers/origin.js';

const f = useUsers();

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(conferenceId: string, kind: 'preview' | 'import', body: Uint8Array<ArrayBuffer> | string, cookie = f.admin.cookie, type = 'text/csv') {
	const res = await fetch(`${f.server.url}/api/conferences/${conferenceId}/attendees/${kind}`, {
		method: 'POST',
		headers: withOrigin(f.server.url, { cookie, 'content-type': type }),
		body
	});
	return { status: res.status, body: await res.json() };
}

async function memberCount(conferenceId: string) {
	return (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members.length;
}

async function userCount() {
	return (await api(f.server.url, 'GET', '/api/users', { cookie: f.admin.cookie })).body.users.length;
}

const tokenOf = (path: string) => path.replace('/signin/', '');

async function redeem(token: string) {
	const res = await fetch(`${f.server.url}/api/signin-links/${token}/redeem`, { method: 'POST', headers: withOrigin(f.server.url) });
	return { status: res.status, body: await res.json(), cookie: (res.headers.get('set-cookie') ?? '').split(';')[0] };
}

async function conferenceWithBreakout(title: string) {
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '交通组');
	return { conferenceId, breakoutId };
}

test('a list with one bad row is refused whole: the row is named in the preview and nobody is created', async () => {
	const { conferenceId } = await conferenceWithBreakout('名单校验会议');
	const csv = '姓名,单位,单位类型,角色,分组\n李明,甲省交通运输厅,行业主管,参会单位代表,交通组\n赵六,乙县人民政府,地方政府,嘉宾,交通组\n';
	const before = { members: await memberCount(conferenceId), users: await userCount() };

	const preview = await upload(conferenceId, 'preview', csv);
	expect(preview.status).toBe(200);
	expect(preview.body.rejectedRows).toBe(1);
	expect(preview.body.rows[1]).toMatchObject({ row: 3, displayName: '赵六', errors: [{ field: 'role', code: 'unknown_role', value: '嘉宾' }] });

	const imported = await upload(conferenceId, 'import', csv);
	expect(imported.status).toBe(400);
	expect(imported.body.error.code).toBe('import_rejected');
	expect({ members: await memberCount(conferenceId), users: await userCount() }).toEqual(before);
});

test('a good XLSX imports everyone with role, unit type and breakouts; each one-time link signs its person in exactly once', async () => {
	const { conferenceId, breakoutId } = await conferenceWithBreakout('名单导入会议');
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.admin.cookie, body: { title: '交通组根因分析', breakoutId } })).body.id;
	const wb = new ExcelJS.Workbook();
	const sheet = wb.addWorksheet('参会人员名单');
	sheet.addRow(['姓名', '单位', '单位类型', '角色', '分组', '手机', '邮箱']);
	sheet.addRow(['周工', '中交第二公路勘察设计研究院', '设计单位', '参会单位代表', '交通', 13900001111, '']);
	sheet.addRow(['吴处长', '𠮷田县人民政府', '地方政府', '远程列席', '交通组', '', 'wu@example.cn']);
	const bytes = new Uint8Array(await wb.xlsx.writeBuffer());

	const res = await upload(conferenceId, 'import', bytes, f.admin.cookie, xlsxType);
	expect(res.status).toBe(201);
	expect(res.body.links.map((l: { displayName: string; path: string }) => [l.displayName, l.path.startsWith('/signin/')])).toEqual([
		['周工', true],
		['吴处长', true]
	]);
	const [zhou, wu] = res.body.links as { userId: string; path: string }[];

	const members = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: f.admin.cookie })).body.members;
	expect(members.find((m: { userId: string }) => m.userId === zhou.userId)).toMatchObject({
		displayName: '周工',
		role: 'participant',
		unitType: '设计',
		breakoutIds: [breakoutId],
		bound: true,
		phone: '13900001111'
	});
	expect(members.find((m: { userId: string }) => m.userId === wu.userId)).toMatchObject({ unit: '𠮷田县人民政府', role: 'observer', email: 'wu@example.cn' });

	const info = await api(f.server.url, 'GET', `/api/signin-links/${tokenOf(zhou.path)}`);
	expect(info.body).toEqual({ displayName: '周工', unit: '中交第二公路勘察设计研究院', conferenceId, conferenceTitle: '名单导入会议' });

	// Opened twice at once: one sign-in.
	const both = await Promise.all([redeem(tokenOf(zhou.path)), redeem(tokenOf(zhou.path))]);
	expect(both.map((r) => r.status).sort()).toEqual([200, 410]);
	const signedIn = both.find((r) => r.status === 200)!;
	expect(signedIn.body).toMatchObject({ id: zhou.userId, conferenceId });
	expect(both.find((r) => r.status === 410)!.body.error.code).toBe('signin_link_unusable');
	expect(await probeSync(f.server.wsUrl, docId, signedIn.cookie)).toBe('write');

	const observer = await redeem(tokenOf(wu.path));
	expect(await probeSync(f.server.wsUrl, docId, observer.cookie)).toBe('read');
	// Presence carries the unit type from the list, stamped by the server.
	const editor = connectClient(f.server.wsUrl, docId, signedIn.cookie);
	const watcher = connectClient(f.server.wsUrl, docId, f.admin.cookie);
	try {
		editor.provider.awareness.setLocalStateField('user', { name: '冒名', unitType: '专家' });
		const seen = () => watcher.provider.awareness.getStates().get(editor.doc.clientID)?.user as Record<string, string> | undefined;
		await waitFor(() => seen() !== undefined, 'the watcher sees the editor');
		expect(seen()).toMatchObject({ name: '周工', unit: '中交第二公路勘察设计研究院', unitType: '设计' });
	} finally {
		editor.destroy();
		watcher.destroy();
	}
	// Contact details are for organizers: a participant's view of the list has none.
	const seenByZhou = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/members`, { cookie: signedIn.cookie })).body.members;
	expect(seenByZhou.every((m: object) => !('phone' in m) && !('email' in m))).toBe(true);
	// Imported accounts have no password to guess.
	const username = (await api(f.server.url, 'GET', '/api/me', { cookie: signedIn.cookie })).body.username;
	await expect(login(f.server.url, username, 'anything-at-all')).rejects.toThrow(/401/);

	const log = (await api(f.server.url, 'GET', `/api/conferences/${conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries;
	expect(log.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['attendees.imported', 'signin_link.used']));
});

test('a GB18030 CSV from Excel imports with its Chinese intact', async () => {
	const { conferenceId } = await conferenceWithBreakout('编码测试会议');
	const text = '姓名,单位,单位类型,角色\r\n钱工,丙市市政设计院,设计,专家\r\n';
	const gb = gb18030Bytes(text);
	expect(() => new TextDecoder('utf-8', { fatal: true }).decode(gb)).toThrow();
	const res = await upload(conferenceId, 'import', gb);
	expect(res.status).toBe(201);
	expect(res.body.links[0]).toMatchObject({ displayName: '钱工', unit: '丙市市政设计院' });
});

test('a new link voids the unused one; links are only for accounts of this conference; a removed member has no way in', async () => {
	const { conferenceId } = await conferenceWithBreakout('补发链接会议');
	const res = await upload(conferenceId, 'import', '姓名,单位,单位类型,角色\n郑工,丁省水利厅,行业主管,参会单位代表\n');
	const first = res.body.links[0] as { userId: string; path: string };

	const reissued = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/members/${first.userId}/signin-link`, { cookie: f.admin.cookie });
	expect(reissued.status).toBe(201);
	expect((await redeem(tokenOf(first.path))).status).toBe(404);

	// Alice is a member with her own password account: an organizer may not mint a way into it.
	await putMember(f.server.url, f.admin, conferenceId, f.alice.userId, { role: 'organizer' });
	const intoAlice = await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/members/${f.alice.userId}/signin-link`, { cookie: f.alice.cookie });
	expect(intoAlice.status).toBe(403);

	expect((await api(f.server.url, 'DELETE', `/api/conferences/${conferenceId}/members/${first.userId}`, { cookie: f.admin.cookie })).status).toBe(204);
	expect((await redeem(tokenOf(reissued.body.path))).status).toBe(404);
});

test('only organizers import, and only into their own conference; bad files change nothing', async () => {
	const { conferenceId } = await conferenceWithBreakout('权限测试会议');
	const other = await createConference(f.server.url, f.admin, '另一个会议');
	const participant = await newMember(f.server.url, f.admin, 'importer-p', '参会者');
	await putMember(f.server.url, f.admin, conferenceId, participant.userId, { role: 'participant' });
	await putMember(f.server.url, f.admin, other, f.bob.userId, { role: 'organizer' });
	const csv = '姓名,单位,单位类型,角色\n冯工,某单位,施工,列席\n';

	expect((await upload(conferenceId, 'import', csv, participant.cookie)).status).toBe(403);
	expect((await upload(conferenceId, 'import', csv, f.bob.cookie)).status).toBe(404);
	expect((await upload(conferenceId, 'preview', csv, f.bob.cookie)).status).toBe(404);

	const garbage = await upload(conferenceId, 'preview', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 9, 9, 9]), f.admin.cookie, xlsxType);
	expect(garbage.body).toEqual({ fileProblem: { code: 'unreadable' }, rows: [], rejectedRows: 0 });
	const noHeader = await upload(conferenceId, 'import', '冯工,某单位\n');
	expect(noHeader.body.error.code).toBe('import_rejected');
	const huge = await upload(conferenceId, 'import', 'x'.repeat(2 * 1024 * 1024));
	expect(huge.status).toBe(413);
	expect(await memberCount(conferenceId)).toBe(2);
});

/** GB18030 bytes of `text`: Node decodes GB18030 but cannot encode it, so invert the decoder for these characters. */
function gb18030Bytes(text: string): Uint8Array<ArrayBuffer> {
	const decoder = new TextDecoder('gb18030');
	const table = new Map<string, number[]>();
	for (let hi = 0x81; hi <= 0xfe; hi++) {
		for (let lo = 0x40; lo <= 0xfe; lo++) {
			if (lo === 0x7f) continue;
			const ch = decoder.decode(new Uint8Array([hi, lo]));
			if (!table.has(ch)) table.set(ch, [hi, lo]);
		}
	}
	const out: number[] = [];
	for (const ch of text) {
		const code = ch.codePointAt(0)!;
		if (code < 0x80) out.push(code);
		else {
			const bytes = table.get(ch);
			if (!bytes) throw new Error(`no GB18030 bytes for ${ch}`);
			out.push(...bytes);
		}
	}
	return new Uint8Array(out);
}
