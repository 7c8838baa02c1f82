import ExcelJS from 'exceljs';
import { expect, test } from 'vitest';
import { api, login, ownConnection } from '../helpers/api.js';
import { createBreakout, createConference, newMember, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { connectClient, waitFor } from '../helpers/clients.js';
import { pause } from '../helpers/fault.js';
import { probeSync } from '../helpers/probe.js';
import { withOrigin } from '../helpers/origin.js';
import { deflated, sheetHead, sheetTail, workbookParts, xlsxBomb, zipOf } from '../helpers/zip-files.js';

const f = useUsers();

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function upload(conferenceId: string, kind: 'preview' | 'import', body: Uint8Array<ArrayBuffer> | string, cookie = f.admin.cookie, type = 'text/csv') {
	const res = await fetch(`${f.server.url}/api/conferences/${conferenceId}/attendees/${kind}`, {
		method: 'POST',
		headers: withOrigin(f.server.url, { ...ownConnection, cookie, 'content-type': type }),
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
	const res = await fetch(`${f.server.url}/api/signin-links/${token}/redeem`, { method: 'POST', headers: withOrigin(f.server.url, ownConnection) });
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

/**
 * Runs `upload` while the server is watched: /healthz is asked every 50 ms and two sync clients on one
 * document exchange an edit every 50 ms; returns the slowest answer of each (and keeps watching until
 * each has been measured a few times, so a stall the upload caused cannot slip between samples).
 */
async function responsivenessDuring<T>(upload: () => Promise<T>): Promise<{ result: T; slowestHealthz: number; slowestEdit: number }> {
	const docId = (await api(f.server.url, 'POST', '/api/documents', { cookie: f.admin.cookie, body: { title: '导入期间的协同编辑' } })).body.id as string;
	const [a, b] = [connectClient(f.server.wsUrl, docId, f.admin.cookie), connectClient(f.server.wsUrl, docId, f.alice.cookie)];
	await waitFor(() => a.provider.synced && b.provider.synced, 'both editors synced');
	let uploading = true;
	const healthz: number[] = [];
	const edits: number[] = [];
	const watching = () => uploading || healthz.length < 5 || edits.length < 5;
	const probeHealthz = (async () => {
		while (watching()) {
			const t0 = performance.now();
			expect((await fetch(`${f.server.url}/healthz`, { headers: ownConnection })).status).toBe(200);
			healthz.push(performance.now() - t0);
			await pause(50);
		}
	})();
	const probeEdits = (async () => {
		for (let n = 0; watching(); n++) {
			const token = `〔${n}〕`;
			const t0 = performance.now();
			a.text.insert(a.text.length, token);
			await waitFor(() => b.text.toString().includes(token), 'the edit reached the other editor', 60_000);
			edits.push(performance.now() - t0);
			await pause(50);
		}
	})();
	try {
		const result = await upload();
		uploading = false;
		await Promise.all([probeHealthz, probeEdits]);
		return { result, slowestHealthz: Math.max(...healthz), slowestEdit: Math.max(...edits) };
	} finally {
		uploading = false;
		a.destroy();
		b.destroy();
	}
}

test('a zip bomb (a workbook under 1 MB declaring four sheets of 450 MB of XML each) is refused without inflating it; live editing never stalls meanwhile', async () => {
	const { conferenceId } = await conferenceWithBreakout('压缩炸弹会议');
	const bomb = await xlsxBomb(450_000_000, 4);
	expect(bomb.length).toBeLessThan(1024 * 1024);
	const before = await memberCount(conferenceId);
	const { result, slowestHealthz, slowestEdit } = await responsivenessDuring(async () => [await upload(conferenceId, 'preview', bomb, f.admin.cookie, xlsxType), await upload(conferenceId, 'import', bomb, f.admin.cookie, xlsxType)]);
	expect(slowestHealthz).toBeLessThan(1000);
	expect(slowestEdit).toBeLessThan(1000);
	const [preview, imported] = result;
	expect(preview.body).toEqual({ fileProblem: { code: 'unpacked_too_large' }, rows: [], rejectedRows: 0 });
	expect(imported.status).toBe(400);
	expect(imported.body.error.code).toBe('import_rejected');
	expect(await memberCount(conferenceId)).toBe(before);
	// The server did not hold the gigabyte either.
	const stats = await api(f.server.url, 'GET', '/api/admin/stats', { cookie: f.admin.cookie });
	expect(stats.body.rssBytes).toBeLessThan(512 * 1024 * 1024);
});

test('a sheet of 110,000 rows is refused as too many rows, read no further than the limit, without stalling live editing; a normal list still imports', async () => {
	const { conferenceId } = await conferenceWithBreakout('超长名单会议');
	// Written as Excel writes it (row and cell references, shared strings); each row holds only a name,
	// so that 110,000 of them fit in the 1 MB an upload may have.
	const header = ['姓名', '单位', '单位类型', '角色'].map((_, i) => `<c r="${'ABCD'[i]}1" t="s"><v>${i}</v></c>`).join('');
	const rows = Array.from({ length: 110_000 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="s"><v>4</v></c></row>`);
	const long = zipOf([
		...workbookParts(),
		await deflated('xl/sharedStrings.xml', `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${['姓名', '单位', '单位类型', '角色', '代表'].map((t) => `<si><t>${t}</t></si>`).join('')}</sst>`),
		await deflated('xl/worksheets/sheet1.xml', `${sheetHead}<row r="1">${header}</row>${rows.join('')}${sheetTail}`)
	]);
	expect(long.length).toBeLessThan(1024 * 1024);
	const { result, slowestHealthz, slowestEdit } = await responsivenessDuring(() => upload(conferenceId, 'import', long, f.admin.cookie, xlsxType));
	expect(slowestHealthz).toBeLessThan(1000);
	expect(slowestEdit).toBeLessThan(1000);
	expect(result.status).toBe(400);
	expect(result.body.error.code).toBe('import_rejected');
	expect((await upload(conferenceId, 'preview', long, f.admin.cookie, xlsxType)).body.fileProblem).toEqual({ code: 'too_many_rows', limit: 2000 });

	const normal = new ExcelJS.Workbook();
	normal.addWorksheet('名单').addRows([
		['姓名', '单位', '单位类型', '角色', '分组'],
		['陈工', '甲省沿江高速公路建设有限公司', '建设', '参会单位代表', '交通组']
	]);
	const ok = await upload(conferenceId, 'import', new Uint8Array(await normal.xlsx.writeBuffer()), f.admin.cookie, xlsxType);
	expect(ok.status).toBe(201);
	expect(ok.body.links.map((l: { displayName: string }) => l.displayName)).toEqual(['陈工']);
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
