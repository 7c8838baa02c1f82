import { expect, test } from 'vitest';
import { api, createDocument } from '../helpers/api.js';
import { createBreakout, createConference, putMember } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';

/**
 * A conference page lists its documents from the server (`GET /api/documents?conferenceId=`): its own
 * and its breakouts', however many newer documents the instance holds, only what the caller may read.
 */
const f = useUsers();

const titles = (body: { documents: Array<{ title: string }> }) => body.documents.map((d) => d.title);

test('a conference’s documents are all listed, also after 500 newer documents elsewhere; others get 404', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '文档列表会议');
	const breakoutId = await createBreakout(f.server.url, f.admin, conferenceId, '水利组');
	await putMember(f.server.url, f.admin, conferenceId, f.alice.userId, { role: 'participant', breakoutIds: [breakoutId] });
	const inConference = await api(f.server.url, 'POST', '/api/documents', { cookie: f.admin.cookie, body: { title: '大会材料', kind: 'notes', conferenceId } });
	const inBreakout = await api(f.server.url, 'POST', '/api/documents', { cookie: f.alice.cookie, body: { title: 'S1 根因分析', kind: 'analysis', breakoutId } });
	expect([inConference.status, inBreakout.status]).toEqual([201, 201]);
	// 500 newer documents elsewhere push both out of the instance-wide list.
	for (let i = 0; i < 500; i++) await createDocument(f.server.url, f.admin, `其他文档${i}`);
	const recent = await api(f.server.url, 'GET', '/api/documents', { cookie: f.admin.cookie });
	expect(titles(recent.body)).not.toContain('S1 根因分析');

	const listed = await api(f.server.url, 'GET', `/api/documents?conferenceId=${conferenceId}`, { cookie: f.alice.cookie });
	expect(listed.status).toBe(200);
	expect(titles(listed.body).sort()).toEqual(['S1 根因分析', '大会材料'].sort());
	// Someone outside the conference learns nothing, not even that it exists.
	const outsider = await api(f.server.url, 'GET', `/api/documents?conferenceId=${conferenceId}`, { cookie: f.bob.cookie });
	const missing = await api(f.server.url, 'GET', '/api/documents?conferenceId=nope', { cookie: f.bob.cookie });
	expect([outsider.status, missing.status]).toEqual([404, 404]);
	expect(outsider.body).toEqual(missing.body);
}, 120_000);
