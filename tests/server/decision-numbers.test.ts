import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { expect, test } from 'vitest';
import { type Session, api } from '../helpers/api.js';
import { syncedClient, xmlElements } from '../helpers/clients.js';
import { createConference } from '../helpers/conference.js';
import { useUsers } from '../helpers/fixture.js';
import { approve, breakoutWithPlan, unitMember } from '../helpers/ledger.js';

const f = useUsers();

const measures = (prefix: string, n: number) =>
	Array.from({ length: n }, (_, i) => ({ text: `${prefix}措施${i + 1}`, responsibleUnit: '甲省江州市人民政府', deadline: '2025-09-30', criteria: `${prefix}标准${i + 1}` }));

const get = (s: Session, path: string) => api(f.server.url, 'GET', path, { cookie: s.cookie });
const resolutions = async (conferenceId: string) =>
	((await get(f.admin, `/api/conferences/${conferenceId}/resolutions`)).body.resolutions as { number: string; ledgerNumber: string; title: string; proposalId: string }[]).map((r) => [
		r.number,
		r.ledgerNumber,
		r.title
	]);
const ledger = async (conferenceId: string) =>
	((await get(f.admin, `/api/conferences/${conferenceId}/ledger`)).body.items as { number: string; resolutionNumber: string; title: string }[]).map((i) => [
		i.resolutionNumber,
		i.number,
		i.title
	]);

/** The minutes items as a reader gets them: proposal id → the number the item shows. */
async function minutesNumbers(conferenceId: string): Promise<Record<string, string>> {
	const reader = await syncedClient(f.server.wsUrl, `minutes_${conferenceId}`, f.admin.cookie);
	try {
		return Object.fromEntries(xmlElements(reader.doc.getXmlFragment('default'), 'minutesItem').map((el) => [String(el.getAttribute('proposal')), String(el.getAttribute('number') ?? '')]));
	} finally {
		reader.destroy();
	}
}

async function download(conferenceId: string, file: string): Promise<ArrayBuffer> {
	const res = await fetch(`${f.server.url}/api/conferences/${conferenceId}/exports/${file}`, { headers: { cookie: f.admin.cookie } });
	expect(res.status).toBe(200);
	return res.arrayBuffer();
}

test('one item, one number, forever: a withdrawal leaves a gap, later items keep theirs, the next approval takes the next number; minutes, list, ledger and exports agree', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '一事一号');
	const jt = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, measures('交通', 4));
	const sl = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.bob, measures('水利', 1), { name: '水利组', sector: '水利' });
	const [a, b, c] = await approve(f.server.url, f.admin, f.alice, jt.planId, jt.measureIds.slice(0, 3));
	const [s1] = await approve(f.server.url, f.admin, f.bob, sl.planId, sl.measureIds);
	expect(await ledger(conferenceId)).toEqual([
		['JY-01', 'ZG-JT-001', '交通措施1'],
		['JY-02', 'ZG-JT-002', '交通措施2'],
		['JY-03', 'ZG-JT-003', '交通措施3'],
		['JY-04', 'ZG-SL-001', '水利措施1']
	]);

	// JY-02 is withdrawn: the others keep their numbers, and no one takes JY-02 or ZG-JT-002 again.
	const withdrawn = await api(f.server.url, 'POST', `/api/proposals/${b}/withdraw`, { cookie: f.admin.cookie, body: { reason: '与JY-01合并' } });
	expect(withdrawn.status).toBe(200);
	const [d] = await approve(f.server.url, f.admin, f.alice, jt.planId, [jt.measureIds[3]]);
	// The withdrawn block proposed and approved again is a new item with a new number.
	const [again] = await approve(f.server.url, f.admin, f.alice, jt.planId, [jt.measureIds[1]]);
	const expected = [
		['JY-01', 'ZG-JT-001', '交通措施1'],
		['JY-03', 'ZG-JT-003', '交通措施3'],
		['JY-04', 'ZG-SL-001', '水利措施1'],
		['JY-05', 'ZG-JT-004', '交通措施4'],
		['JY-06', 'ZG-JT-005', '交通措施2']
	];
	expect(await ledger(conferenceId)).toEqual(expected);
	expect(await resolutions(conferenceId)).toEqual(expected);
	expect(withdrawn.body.number).toBe('JY-02');
	const byProposal = { [a]: 'JY-01', [c]: 'JY-03', [s1]: 'JY-04', [d]: 'JY-05', [again]: 'JY-06' };
	expect(await minutesNumbers(conferenceId)).toEqual(byProposal);
	const proposals = (await get(f.admin, `/api/conferences/${conferenceId}/proposals`)).body.proposals as { id: string; number: string | null }[];
	expect(Object.fromEntries(proposals.map((p) => [p.id, p.number]))).toEqual({ ...byProposal, [b]: 'JY-02' });

	// The DOCX minutes carry the number with each item; the withdrawn one is not there.
	const xml = await (await JSZip.loadAsync(await download(conferenceId, 'minutes.docx'))).file('word/document.xml')!.async('string');
	const text = xml.replace(/<[^>]+>/g, '');
	for (const [number, , title] of expected) expect(text).toMatch(new RegExp(`${title}（决议编号：${number}；`));
	expect(text).not.toContain('JY-02');

	// The XLSX has the stored numbers too.
	const book = new ExcelJS.Workbook();
	await book.xlsx.load(await download(conferenceId, 'ledger.xlsx'));
	const sheet = book.worksheets[0];
	expect(Array.from({ length: expected.length }, (_, i) => (sheet.getRow(i + 2).values as unknown[]).slice(1, 4))).toEqual(expected);

	// The numbers are stored: a restart gives the same.
	await f.server.stop();
	f.server = await f.server.restart();
	expect(await resolutions(conferenceId)).toEqual(expected);
	expect(await minutesNumbers(conferenceId)).toEqual(byProposal);
});

test('approvals at the same moment never share a number: twelve measures approved at once, each twice, by two experts', async () => {
	const conferenceId = await createConference(f.server.url, f.admin, '同时审定');
	const plan = await breakoutWithPlan(f.server.url, f.server.wsUrl, f.admin, conferenceId, f.alice, measures('并发', 12));
	const tag = Math.random().toString(36).slice(2, 7);
	const experts = [
		await unitMember(f.server.url, f.admin, conferenceId, `e1-${tag}`, '孙教授', '专家组', 'expert'),
		await unitMember(f.server.url, f.admin, conferenceId, `e2-${tag}`, '周研究员', '专家组', 'expert')
	];
	const proposed = await api(f.server.url, 'POST', `/api/documents/${plan.planId}/proposals`, { cookie: f.alice.cookie, body: { blockIds: plan.measureIds } });
	const ids = (proposed.body.proposals as { id: string }[]).map((p) => p.id);
	const answers = await Promise.all(ids.flatMap((id) => experts.map((e) => api(f.server.url, 'POST', `/api/proposals/${id}/approve`, { cookie: e.cookie }))));
	expect(answers.map((r) => r.status)).toEqual(answers.map(() => 200));
	// Both experts' answers for one proposal name the same number; no two proposals share one.
	const numberOf = new Map<string, string>();
	for (const r of answers) {
		const seen = numberOf.get(r.body.id);
		if (seen !== undefined) expect(r.body.number).toBe(seen);
		numberOf.set(r.body.id, r.body.number);
	}
	const all = [...numberOf.values()].sort();
	expect(all).toEqual(Array.from({ length: 12 }, (_, i) => `JY-${String(i + 1).padStart(2, '0')}`));
	const list = (await get(f.admin, `/api/conferences/${conferenceId}/resolutions`)).body.resolutions as { number: string; ledgerNumber: string; proposalId: string }[];
	expect(list.map((r) => r.number)).toEqual(all);
	expect(list.map((r) => r.ledgerNumber)).toEqual(Array.from({ length: 12 }, (_, i) => `ZG-JT-${String(i + 1).padStart(3, '0')}`));
	expect(Object.fromEntries(list.map((r) => [r.proposalId, r.number]))).toEqual(Object.fromEntries(numberOf));
	expect(await minutesNumbers(conferenceId)).toEqual(Object.fromEntries(numberOf));
});
