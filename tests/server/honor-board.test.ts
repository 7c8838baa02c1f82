import JSZip from 'jszip';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { createConference, joinAsGuest } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { unitMember } from '../helpers/ledger.js';
import { demoProjects, reportingConference, t1Figures } from '../helpers/reports.js';
import { defaultHonorRules } from '../../src/lib/shared/honor-board.js';

const f = useUsers();

/** T1 red (−18.6); T2 +4.0 with 97.1 % of hazards fixed (红榜); T3 on schedule but with an accident (黑榜). */
const figures = [
	t1Figures,
	{ ...t1Figures, annualPlan: 60, ytdDone: 32.4, hazardsFixed: 33 },
	{ ...t1Figures, annualPlan: 25, ytdDone: 12.4, accidents: 1 }
];

async function setUp(title: string) {
	const conferenceId = await createConference(f.server.url, f.admin, title);
	const c = await reportingConference(f.server.url, f.admin, conferenceId);
	const roundId = (await api(f.server.url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '上半年', periodEnd: '2025-06-30', deadline: '2099-12-31' } })).body.id as string;
	const reports = (await api(f.server.url, 'GET', `/api/report-rounds/${roundId}`, { cookie: f.admin.cookie })).body.reports as { id: string; project: { id: string; code: string } }[];
	const byCode = (i: number) => reports.find((r) => r.project.code === demoProjects[i].code)!;
	for (const [i, values] of figures.entries()) {
		const id = byCode(i).id;
		const saved = await api(f.server.url, 'PUT', `/api/project-reports/${id}`, { cookie: c.units[i].cookie, body: { version: 0, values } });
		const submitted = await api(f.server.url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: c.units[i].cookie, body: { action: 'submit', version: saved.body.version } });
		expect((await api(f.server.url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: c.supervisor.cookie, body: { action: 'accept', version: submitted.body.version } })).status).toBe(200);
	}
	return { conferenceId, roundId, projectIds: [0, 1, 2].map((i) => byCode(i).project.id), ...c };
}

const board = (s: Session, conferenceId: string, round?: string) => api(f.server.url, 'GET', `/api/conferences/${conferenceId}/honor-board${round ? `?round=${round}` : ''}`, { cookie: s.cookie });
const names = (entries: { name: string }[]) => entries.map((e) => e.name);

test('红黑榜 is computed from the accepted reports by the rule, each entry with its figures, score and reasons; organizers change the rule and excuse force majeure', async () => {
	const t = await setUp('红黑榜');
	const live = (await board(t.units[0], t.conferenceId)).body;
	expect(live).toMatchObject({ accepted: 3, settings: { rules: defaultHonorRules, excused: [], custom: false }, published: [], mayConfigure: false });
	const [all] = live.tracks;
	expect(names(all.red)).toEqual([demoProjects[1].name]);
	expect(all.red[0]).toMatchObject({ deviation: 4, score: 4, hazardFixRate: 97.1, reasons: ['ahead', 'no_accident', 'hazards_fixed'], rank: 1 });
	expect(names(all.black)).toEqual([demoProjects[0].name, demoProjects[2].name]);
	expect(all.black.map((e: { reasons: string[] }) => e.reasons)).toEqual([['red_lamp'], ['accident']]);

	const put = (s: Session, body: unknown) => api(f.server.url, 'PUT', `/api/conferences/${t.conferenceId}/honor-settings`, { cookie: s.cookie, body });
	const excused = [{ projectId: t.projectIds[0], reason: '特大洪水停工两个月（有气象部门证明）' }];
	expect((await put(t.supervisor, { rules: defaultHonorRules, excused })).status).toBe(403);
	expect((await put(t.units[0], { rules: defaultHonorRules, excused })).status).toBe(403);
	const other = await setUp('他会');
	for (const bad of [
		{ rules: defaultHonorRules, excused: [{ projectId: other.projectIds[0], reason: '别的会议的项目' }] },
		{ rules: defaultHonorRules, excused: [excused[0], excused[0]] },
		{ rules: defaultHonorRules, excused: [{ projectId: t.projectIds[0], reason: ' ' }] },
		{ rules: { ...defaultHonorRules, topN: 0 }, excused: [] },
		{ rules: { ...defaultHonorRules, track: 'region' }, excused: [] },
		{ rules: { ...defaultHonorRules, redMinHazardFix: '97' }, excused: [] },
		{ excused: [] }
	]) {
		const res = await put(f.admin, bad);
		expect(res.status, JSON.stringify(bad)).toBe(400);
		expect(res.body.error.code).toBe('validation_failed');
	}
	expect((await board(f.admin, t.conferenceId)).body.settings.custom).toBe(false);

	// T1 excused with its reason: off 黑榜, listed apart; accidents no longer bar 黑榜: T3 goes.
	const set = await put(f.admin, { rules: { ...defaultHonorRules, blackAccident: false }, excused });
	expect(set.status).toBe(200);
	const after = (await board(t.units[0], t.conferenceId)).body.tracks[0];
	expect(names(after.black)).toEqual([]);
	expect(after.excused).toMatchObject([{ name: demoProjects[0].name, excuse: '特大洪水停工两个月（有气象部门证明）' }]);
	const audit = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string }[];
	expect(audit.some((e) => e.action === 'reports.honor_rules_changed')).toBe(true);
});

test('a published board is frozen into the minutes with its rule and provenance: later rules leave it, the minutes print it', async () => {
	const t = await setUp('发布');
	const publish = (s: Session, roundId: string) => api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/honor-boards`, { cookie: s.cookie, body: { roundId } });
	expect((await publish(t.supervisor, t.roundId)).status).toBe(403);
	const other = await setUp('他会发布');
	expect((await publish(f.admin, other.roundId)).status).toBe(404);
	// A round with no accepted report has nothing to rank.
	const empty = (await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '三季度', periodEnd: '2025-09-30', deadline: '2099-12-31' } })).body.id as string;
	const nothing = await publish(f.admin, empty);
	expect(nothing.status).toBe(400);
	expect(nothing.body.error.code).toBe('validation_failed');

	// Five at once (a double click, two organizers): one board.
	const five = await Promise.all([1, 2, 3, 4, 5].map(() => publish(f.admin, t.roundId)));
	expect(five.map((r) => r.status).sort()).toEqual([200, 200, 200, 200, 201]);
	expect(new Set(five.map((r) => r.body.id)).size).toBe(1);
	const published = five.find((r) => r.status === 201)!;
	expect(published.body).toMatchObject({ roundTitle: '上半年', periodEnd: '2025-06-30', thresholds: { amberBelow: -5, redBelow: -15 }, publishedBy: { name: 'admin' } });
	expect(names(published.body.tracks[0].red)).toEqual([demoProjects[1].name]);
	expect(published.body.tracks[0].red[0].reportId).toBeTruthy();

	// A stricter rule afterwards changes the live board, not the published one.
	await api(f.server.url, 'PUT', `/api/conferences/${t.conferenceId}/honor-settings`, { cookie: f.admin.cookie, body: { rules: { ...defaultHonorRules, redMinPoints: 5 }, excused: [] } });
	// The empty 三季度 just opened does not take over: the half-year's stays the default.
	expect((await board(t.units[1], t.conferenceId)).body).toMatchObject({ accepted: 3, round: { title: '上半年' } });
	const view = (await board(t.units[1], t.conferenceId, t.roundId)).body;
	expect(view.tracks[0].red).toEqual([]);
	expect(view.published).toHaveLength(1);
	expect(names(view.published[0].tracks[0].red)).toEqual([demoProjects[1].name]);
	expect(view.published[0].settings.rules.redMinPoints).toBe(3);

	const res = await fetch(`${f.server.url}/api/conferences/${t.conferenceId}/exports/minutes.docx`, { headers: { cookie: t.units[0].cookie } });
	expect(res.status).toBe(200);
	const xml = await (await JSZip.loadAsync(await res.arrayBuffer())).file('word/document.xml')!.async('string');
	for (const text of [
		'附：上半年红黑榜',
		'评定规则：红榜：年度投资完成率较序时+3.0个百分点及以上、未发生生产安全事故、隐患整改率不低于97%，按得分取前3名；黑榜：亮红灯（较序时低于−15.0个百分点）或发生生产安全事故',
		`${demoProjects[1].name}（${demoProjects[1].code}）：较序时+4.0个百分点`,
		`${demoProjects[0].name}（${demoProjects[0].code}）：较序时−18.6个百分点`,
		'依据截至2025年6月30日经审核通过的项目执行报告，按上述规则计算，由admin于'
	]) {
		expect(xml).toContain(text);
	}
	const audit = (await api(f.server.url, 'GET', `/api/conferences/${t.conferenceId}/audit`, { cookie: f.admin.cookie })).body.entries as { action: string }[];
	expect(audit.filter((e) => e.action === 'reports.honor_board_published')).toHaveLength(1);
	// A board published since: the latest in full, the earlier one by who, what and when only.
	expect((await publish(f.admin, t.roundId)).status).toBe(201);
	const both = (await board(t.units[1], t.conferenceId, t.roundId)).body.published;
	expect(both).toHaveLength(2);
	expect(both[0].tracks[0].red).toEqual([]);
	expect(both[1]).toEqual({ id: published.body.id, roundId: t.roundId, roundTitle: '上半年', periodEnd: '2025-06-30', publishedAt: published.body.publishedAt, publishedBy: { name: 'admin', unit: expect.any(String) } });

	// A guest of another conference sees nothing of it.
	const elsewhere = await createConference(f.server.url, f.admin, '他处');
	const guest = await joinAsGuest(f.server.url, f.admin, elsewhere, { displayName: '他处来宾', unit: '某市发展改革委', role: 'observer' });
	expect((await board(guest, t.conferenceId)).status).toBe(404);
});

test('a closed breakout stays closed: its projects are never published, and its excusals are the organizers’ to see', async () => {
	const t = await setUp('闭门');
	const closed = (await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/breakouts`, { cookie: f.admin.cookie, body: { name: '闭门组', sector: '市政' } })).body.id as string;
	const secret = (await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/projects`, { cookie: f.admin.cookie, body: { breakoutId: closed, name: '闭门项目', code: '2024-000000-00-00-000777', sector: '市政', region: '丁省', ownerUnit: '闭门单位' } })).body.id as string;
	await api(f.server.url, 'PATCH', `/api/conferences/${t.conferenceId}/breakouts/${closed}`, { cookie: f.admin.cookie, body: { closed: true } });
	const round = (await api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/report-rounds`, { cookie: f.admin.cookie, body: { title: '含闭门', periodEnd: '2025-06-30', deadline: '2099-12-31' } })).body.id as string;
	const reports = (await api(f.server.url, 'GET', `/api/report-rounds/${round}`, { cookie: f.admin.cookie })).body.reports as { id: string; project: { id: string } }[];
	const ownerSession = await unitMember(f.server.url, f.admin, t.conferenceId, `closed-${Date.now()}`, '闭门填报员', '闭门单位', 'participant', [closed]);
	const id = reports.find((r) => r.project.id === secret)!.id;
	const saved = await api(f.server.url, 'PUT', `/api/project-reports/${id}`, { cookie: ownerSession.cookie, body: { version: 0, values: { ...t1Figures, ytdDone: 1 } } });
	const submitted = await api(f.server.url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: ownerSession.cookie, body: { action: 'submit', version: saved.body.version } });
	expect((await api(f.server.url, 'POST', `/api/project-reports/${id}/transitions`, { cookie: t.supervisor.cookie, body: { action: 'accept', version: submitted.body.version } })).status).toBe(200);
	await api(f.server.url, 'PUT', `/api/conferences/${t.conferenceId}/honor-settings`, { cookie: f.admin.cookie, body: { rules: defaultHonorRules, excused: [{ projectId: secret, reason: '闭门组内部事由' }] } });

	// The organizer's live board has it (excused); a 交通组 member sees neither the project nor the reason.
	expect((await board(f.admin, t.conferenceId, round)).body.tracks[0].excused.map((e: { name: string }) => e.name)).toEqual(['闭门项目']);
	const member = (await board(t.units[0], t.conferenceId, round)).body;
	expect(member.settings.excused).toEqual([]);
	expect(JSON.stringify(member.tracks)).not.toContain('闭门项目');
	// Published: the minutes every member reads leave the closed breakout's project out — with nothing else accepted, there is nothing to publish.
	const publish = () => api(f.server.url, 'POST', `/api/conferences/${t.conferenceId}/honor-boards`, { cookie: f.admin.cookie, body: { roundId: round } });
	expect((await publish()).status).toBe(400);
	const t1 = reports.find((r) => r.project.id === t.projectIds[0])!.id;
	const t1Saved = await api(f.server.url, 'PUT', `/api/project-reports/${t1}`, { cookie: t.units[0].cookie, body: { version: 0, values: t1Figures } });
	const t1Submitted = await api(f.server.url, 'POST', `/api/project-reports/${t1}/transitions`, { cookie: t.units[0].cookie, body: { action: 'submit', version: t1Saved.body.version } });
	await api(f.server.url, 'POST', `/api/project-reports/${t1}/transitions`, { cookie: t.supervisor.cookie, body: { action: 'accept', version: t1Submitted.body.version } });
	const published = await publish();
	expect(published.status).toBe(201);
	expect(published.body.tracks[0].black.map((e: { name: string }) => e.name)).toEqual([demoProjects[0].name]);
	expect(JSON.stringify(published.body.tracks)).not.toContain('闭门项目');
	const xml = await (await JSZip.loadAsync(await (await fetch(`${f.server.url}/api/conferences/${t.conferenceId}/exports/minutes.docx`, { headers: { cookie: t.units[0].cookie } })).arrayBuffer())).file('word/document.xml')!.async('string');
	expect(xml).toContain('附：含闭门红黑榜');
	expect(xml).not.toContain('闭门项目');
	expect(xml).not.toContain('闭门组内部事由');
});
