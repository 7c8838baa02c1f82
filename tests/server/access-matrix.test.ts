import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type AccountRule, type Rule, accountRules, rules } from '../../server/auth/policy.js';
import { type Role, roles } from '../../src/lib/shared/roles.js';
import { type Session, api, createDocument, login } from '../helpers/api.js';
import { createBreakout, createConference, joinAsGuest, newMember, putMember } from '../helpers/conference.js';
import * as Y from 'yjs';
import { connectClient, rawSocket, syncedClient, waitFor, xmlElements } from '../helpers/clients.js';
import { approve, png, postReport } from '../helpers/ledger.js';
import { t1Figures } from '../helpers/reports.js';
import { probeSync } from '../helpers/probe.js';
import { TestServer, adminPassword, adminUsername } from '../helpers/server.js';
import { withOrigin } from '../helpers/origin.js';

/**
 * The access matrix, written out as the specification (README "Conferences, breakouts and roles"):
 * one row per rule, one column per role in the order of `roles` — organizer, moderator, participant,
 * expert, supervisor, observer. Every cell is probed over HTTP and over sync, for a regular (password)
 * account and for an account bound to the conference (an invited guest) of each role alike. A rule the
 * server adds without a row and a probe here fails the suite, so every new rule forces a decision for
 * every role.
 */
const spec: Record<Rule, string> = {
	'conference.read': 'YYYYYY',
	'conference.manage': 'Y-----',
	'conference-documents.read': 'YYYYYY',
	'conference-documents.write': 'Y--Y--',
	'own-breakout.manage': 'YY----',
	'own-breakout.read': 'YYYYYY',
	'own-breakout.write': 'YYY---',
	'open-breakout.read': 'YYYYY-',
	'open-breakout.write': 'Y-----',
	'closed-breakout.read': 'Y--YY-',
	'closed-breakout.write': 'Y-----',
	'minutes.approve': 'Y--Y--',
	'ledger.review': 'Y---Y-',
	'reports.review': 'Y---Y-',
	'cases.write': 'Y--Y--'
};
const allowed = (role: Role, rule: Rule) => spec[rule][roles.indexOf(role)] === 'Y';

/**
 * What an account may do outside the conference, by kind (columns: regular, bound): workspace
 * documents, other conferences, and — for no one but administrators — the instance (user listing,
 * server statistics, creating conferences).
 */
const kinds = ['regular', 'bound'] as const;
type Kind = (typeof kinds)[number];
const accountSpec: Record<AccountRule | 'instance', string> = {
	'workspace-documents.read': 'Y-',
	'workspace-documents.write': 'Y-',
	'workspace-documents.create': 'Y-',
	'other-conferences.join': 'Y-',
	instance: '--'
};
type AccountRow = keyof typeof accountSpec;
const accountAllowed = (kind: Kind, row: AccountRow) => accountSpec[row][kinds.indexOf(kind)] === 'Y';

let server: TestServer;
let adminSession: Session;
/** The block id of the first paragraph of the own breakout's document. */
let ownBlockId: string;
/** A participant of 乙省某单位: the responsible unit of the items the ledger probe reviews. */
let ledgerUnit: Session;
const sessions = { regular: {}, bound: {} } as Record<Kind, Record<Role, Session>>;
let conferenceId: string;
/** Another conference, of the same administrator. */
let otherConferenceId: string;
/** A document of the workspace (outside any conference), the administrator's. */
let workspaceDoc: string;
const breakout = { own: '', open: '', closed: '' };
const doc = { conference: '', own: '', open: '', closed: '' };

beforeAll(async () => {
	server = await TestServer.start();
	const admin = await login(server.url, adminUsername, adminPassword);
	conferenceId = await createConference(server.url, admin, '2025年上半年国家重点建设项目管理总结会');
	breakout.own = await createBreakout(server.url, admin, conferenceId, '交通组');
	breakout.open = await createBreakout(server.url, admin, conferenceId, '水利组');
	breakout.closed = await createBreakout(server.url, admin, conferenceId, '能源组');
	for (const role of roles) {
		sessions.regular[role] = await newMember(server.url, admin, `m-${role}`, `${role} 代表`, '甲省');
		await putMember(server.url, admin, conferenceId, sessions.regular[role].userId, { role, breakoutIds: [breakout.own] });
		sessions.bound[role] = await joinAsGuest(server.url, admin, conferenceId, { displayName: `${role} 嘉宾`, unit: '甲省', role, breakoutIds: [breakout.own] });
	}
	otherConferenceId = await createConference(server.url, admin, '另一场会议');
	workspaceDoc = await createDocument(server.url, admin, '管理员的工作区文档');
	const mk = async (body: object) => (await api(server.url, 'POST', '/api/documents', { cookie: admin.cookie, body })).body.id as string;
	doc.conference = await mk({ title: '会议纪要', conferenceId });
	doc.own = await mk({ title: '交通组根因分析', breakoutId: breakout.own });
	doc.open = await mk({ title: '水利组根因分析', breakoutId: breakout.open });
	doc.closed = await mk({ title: '能源组根因分析', breakoutId: breakout.closed });
	expect((await api(server.url, 'PATCH', `/api/conferences/${conferenceId}/breakouts/${breakout.closed}`, { cookie: admin.cookie, body: { closed: true } })).status).toBe(200);
	adminSession = admin;
	// A paragraph to propose in the own breakout's document (free notes start empty).
	ownBlockId = 'matrixprobe1';
	const writer = connectClient(server.wsUrl, doc.own, admin.cookie);
	await waitFor(() => writer.provider.synced, 'synced');
	const paragraph = new Y.XmlElement('paragraph');
	paragraph.setAttribute('blockId', ownBlockId);
	paragraph.insert(0, [new Y.XmlText('探针段落')]);
	writer.doc.getXmlFragment('default').insert(0, [paragraph]);
	const reader = connectClient(server.wsUrl, doc.own, admin.cookie);
	await waitFor(() => reader.doc.getXmlFragment('default').length === 1, 'the paragraph is stored');
	writer.destroy();
	reader.destroy();
	ledgerUnit = await newMember(server.url, admin, 'm-ledger-unit', '乙省代表', '乙省某单位');
	const me = await api(server.url, 'GET', '/api/me', { cookie: ledgerUnit.cookie });
	await putMember(server.url, admin, conferenceId, me.body.id, { role: 'participant', breakoutIds: [breakout.own] });
});

/** A new measure of 乙省某单位 in the own breakout's document; returns its block id. */
async function measureOf(unit: Session): Promise<string> {
	const c = await syncedClient(server.wsUrl, doc.own, adminSession.cookie);
	const id = `matrixm${Math.random().toString(36).slice(2, 10)}`;
	const m = new Y.XmlElement('measure');
	m.setAttribute('blockId', id);
	m.insert(0, [new Y.XmlElement('paragraph')]);
	c.doc.transact(() => {
		c.doc.getXmlFragment('default').push([m]);
		(m.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('矩阵探测措施')]);
		m.setAttribute('responsibleUnit', '乙省某单位');
	});
	await waitFor(async () => {
		const check = await syncedClient(server.wsUrl, doc.own, unit.cookie);
		const ok = xmlElements(check.doc.getXmlFragment('default'), 'measure').some((e) => e.getAttribute('blockId') === id && e.getAttribute('responsibleUnit'));
		check.destroy();
		return ok;
	}, 'the measure is stored');
	c.destroy();
	return id;
}

afterAll(async () => {
	await server.stop();
	server.removeData();
});

const readDoc = async (s: Session, id: string) => (await api(server.url, 'GET', `/api/documents/${id}`, { cookie: s.cookie })).status === 200;
const canSync = async (s: Session, id: string, level: 'read' | 'write') => {
	const got = await probeSync(server.wsUrl, id, s.cookie);
	return level === 'read' ? got !== 'none' : got === 'write';
};
const createIn = async (s: Session, body: object) => (await api(server.url, 'POST', '/api/documents', { cookie: s.cookie, body: { title: '新文档', ...body } })).status === 201;

/** How each rule is observed from outside, over HTTP and over sync. Both must agree with the table. */
const probes: Record<Rule, (s: Session) => Promise<boolean[]>> = {
	'conference.read': async (s) => [(await api(server.url, 'GET', `/api/conferences/${conferenceId}`, { cookie: s.cookie })).status === 200],
	'conference.manage': async (s) => [
		(await api(server.url, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: s.cookie, body: { name: '临时组' } })).status === 201,
		(
			await fetch(`${server.url}/api/conferences/${conferenceId}/attendees/preview`, {
				method: 'POST',
				headers: withOrigin(server.url, { cookie: s.cookie, 'content-type': 'text/csv' }),
				body: '姓名,单位,单位类型,角色\n张三,某单位,施工,列席\n'
			})
		).status === 200
	],
	'conference-documents.read': async (s) => [await readDoc(s, doc.conference), await canSync(s, doc.conference, 'read')],
	'conference-documents.write': async (s) => [await canSync(s, doc.conference, 'write'), await createIn(s, { conferenceId })],
	'own-breakout.manage': async (s) => [
		(await api(server.url, 'PATCH', `/api/conferences/${conferenceId}/breakouts/${breakout.own}`, { cookie: s.cookie, body: { closed: false } })).status === 200
	],
	'own-breakout.read': async (s) => [await readDoc(s, doc.own), await canSync(s, doc.own, 'read')],
	'own-breakout.write': async (s) => [await canSync(s, doc.own, 'write'), await createIn(s, { breakoutId: breakout.own })],
	'open-breakout.read': async (s) => [await readDoc(s, doc.open), await canSync(s, doc.open, 'read')],
	'open-breakout.write': async (s) => [await canSync(s, doc.open, 'write'), await createIn(s, { breakoutId: breakout.open })],
	'closed-breakout.read': async (s) => [await readDoc(s, doc.closed), await canSync(s, doc.closed, 'read')],
	'closed-breakout.write': async (s) => [await canSync(s, doc.closed, 'write'), await createIn(s, { breakoutId: breakout.closed })],
	// A proposal of a paragraph of the own breakout's document; declining it is deciding on it.
	'minutes.approve': async (s) => {
		const proposal = await api(server.url, 'POST', `/api/documents/${doc.own}/proposals`, { cookie: adminSession.cookie, body: { blockIds: [ownBlockId] } });
		const id = proposal.body.proposals[0].id;
		return [(await api(server.url, 'POST', `/api/proposals/${id}/decline`, { cookie: s.cookie, body: { reason: '矩阵探测' } })).status === 204];
	},
	// A ledger item of another unit (乙省某单位) awaiting review; returning it is reviewing it.
	'ledger.review': async (s) => {
		const [id] = await approve(server.url, adminSession, adminSession, doc.own, [await measureOf(ledgerUnit)]);
		expect((await postReport(server.url, ledgerUnit, id, { progress: '矩阵探测', percent: 100 }, [{ name: '佐证.png', bytes: png }])).status).toBe(201);
		expect((await api(server.url, 'POST', `/api/ledger/${id}/transitions`, { cookie: ledgerUnit.cookie, body: { action: 'submit' } })).status).toBe(200);
		return [(await api(server.url, 'POST', `/api/ledger/${id}/transitions`, { cookie: s.cookie, body: { action: 'return', reason: '矩阵探测' } })).status === 200];
	},
	// A project execution report of 乙省某单位, submitted in a round of its own; accepting it is reviewing it.
	'reports.review': async (s) => {
		const project = await api(server.url, 'POST', `/api/conferences/${conferenceId}/projects`, { cookie: adminSession.cookie, body: { breakoutId: breakout.own, name: '矩阵探测项目', ownerUnit: '乙省某单位' } });
		const round = await api(server.url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, {
			cookie: adminSession.cookie,
			body: { title: '矩阵探测', periodEnd: '2025-06-30', deadline: '2025-07-10', assignments: [{ projectId: project.body.id, unit: '乙省某单位' }] }
		});
		const reportId = (await api(server.url, 'GET', `/api/report-rounds/${round.body.id}`, { cookie: adminSession.cookie })).body.reports[0].id;
		expect((await api(server.url, 'PUT', `/api/project-reports/${reportId}`, { cookie: ledgerUnit.cookie, body: { version: 0, values: t1Figures } })).status).toBe(200);
		expect((await api(server.url, 'POST', `/api/project-reports/${reportId}/transitions`, { cookie: ledgerUnit.cookie, body: { action: 'submit', version: 1 } })).status).toBe(200);
		return [(await api(server.url, 'POST', `/api/project-reports/${reportId}/transitions`, { cookie: s.cookie, body: { action: 'accept', version: 2 } })).status === 200];
	},
	// A case of the case library, without sources; making one is writing the library.
	'cases.write': async (s) => {
		const sections = { background: '矩阵探测', practice: '', outcome: '', lessons: '', clauses: '' };
		return [(await api(server.url, 'POST', `/api/conferences/${conferenceId}/cases`, { cookie: s.cookie, body: { kind: 'good', title: '矩阵探测案例', sections } })).status === 201];
	}
};

const listsWorkspaceDoc = async (s: Session) =>
	((await api(server.url, 'GET', '/api/documents', { cookie: s.cookie })).body.documents ?? []).some((d: { id: string }) => d.id === workspaceDoc);

/** How each account rule is observed from outside. */
const accountProbes: Record<AccountRow, (s: Session) => Promise<boolean[]>> = {
	'workspace-documents.read': async (s) => [
		await listsWorkspaceDoc(s),
		await readDoc(s, workspaceDoc),
		(await api(server.url, 'GET', `/api/documents/${workspaceDoc}/causes`, { cookie: s.cookie })).status === 200,
		await canSync(s, workspaceDoc, 'read')
	],
	'workspace-documents.write': async (s) => [await canSync(s, workspaceDoc, 'write')],
	'workspace-documents.create': async (s) => [await createIn(s, {})],
	// An organizer of the other conference (here the administrator) adds the account; it then sees that conference.
	'other-conferences.join': async (s) => [
		(await api(server.url, 'PUT', `/api/conferences/${otherConferenceId}/members/${s.userId}`, { cookie: adminSession.cookie, body: { role: 'participant' } })).status === 200,
		(await api(server.url, 'GET', `/api/conferences/${otherConferenceId}`, { cookie: s.cookie })).status === 200,
		((await api(server.url, 'GET', '/api/conferences', { cookie: s.cookie })).body.conferences as { id: string }[]).some((c) => c.id === otherConferenceId)
	],
	instance: async (s) => [
		(await api(server.url, 'GET', '/api/users', { cookie: s.cookie })).status === 200,
		(await api(server.url, 'GET', '/api/admin/stats', { cookie: s.cookie })).status === 200,
		(await api(server.url, 'GET', '/api/admin/audit', { cookie: s.cookie })).status === 200,
		(await api(server.url, 'POST', '/api/conferences', { cookie: s.cookie, body: { title: '越权会议' } })).status === 201
	]
};

test('every rule of the server has a row in the specification and a probe', () => {
	for (const rule of rules) {
		expect(spec[rule], `no specification for rule ${rule}`).toMatch(/^[Y-]{6}$/);
		expect(probes[rule], `no probe for rule ${rule}`).toBeTypeOf('function');
	}
	for (const rule of accountRules) {
		expect(accountSpec[rule], `no specification for account rule ${rule}`).toMatch(/^[Y-]{2}$/);
		expect(accountProbes[rule], `no probe for account rule ${rule}`).toBeTypeOf('function');
	}
});

describe.each(kinds.flatMap((kind) => roles.map((role) => [kind, role] as const)))('%s %s', (kind, role) => {
	test.each(rules.map((r) => [r]))(`%s matches the role table`, async (rule) => {
		const expected = allowed(role, rule as Rule);
		const observed = await probes[rule as Rule](sessions[kind][role]);
		expect(observed).toEqual(observed.map(() => expected));
	});
	test.each(Object.keys(accountSpec).map((r) => [r]))(`%s matches the account table`, async (row) => {
		const expected = accountAllowed(kind, row as AccountRow);
		const observed = await accountProbes[row as AccountRow](sessions[kind][role]);
		expect(observed).toEqual(observed.map(() => expected));
	});
});

test('what a bound account may not see looks absent: 404 for the workspace document, its sync upgrade and the other conference', async () => {
	const guest = sessions.bound.participant;
	expect((await api(server.url, 'GET', `/api/documents/${workspaceDoc}`, { cookie: guest.cookie })).status).toBe(404);
	expect(await rawSocket(server.wsUrl, workspaceDoc, { cookie: guest.cookie })).toEqual({ status: 404 });
	expect((await api(server.url, 'GET', `/api/conferences/${otherConferenceId}`, { cookie: guest.cookie })).status).toBe(404);
	const created = await api(server.url, 'POST', '/api/documents', { cookie: guest.cookie, body: { title: '越界文档' } });
	expect(created.status).toBe(403);
	expect(created.body.error.code).toBe('forbidden');
});
