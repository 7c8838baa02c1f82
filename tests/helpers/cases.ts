import * as Y from 'yjs';
import { type Session, api } from './api.js';
import { syncedClient, waitFor, xmlElements } from './clients.js';
import { approve, breakoutWithPlan, unitMember } from './ledger.js';
import { t1Figures } from './reports.js';

/** The five sections, empty. */
export const emptySections = { background: '', practice: '', outcome: '', lessons: '', clauses: '' };

const why = (text: string) => {
	const el = new Y.XmlElement('why');
	el.insert(0, [new Y.XmlText(text)]);
	return el;
};

/**
 * A conference's 交通组 as a case is drawn from it (domain.md §7.4): the T1 analysis (problem statement,
 * a key cause under 环 with its 5-why chain, another cause), the plan's measure naming the key cause,
 * approved (JY-01, ZG-JT-001), and the T1 project with two accepted execution reports (30 June and
 * 30 September) reviewed by a supervisor.
 */
export async function caseSources(url: string, wsUrl: string, admin: Session, conferenceId: string, author: Session) {
	const tag = Math.random().toString(36).slice(2, 7);
	const plan = await breakoutWithPlan(url, wsUrl, admin, conferenceId, author, [{ text: '成立市级征拆专班，30日内完成剩余交地', responsibleUnit: '甲省江州市人民政府', deadline: '2099-08-31', criteria: '交地确认书签署' }]);
	const analysisId = (await api(url, 'POST', '/api/documents', { cookie: author.cookie, body: { title: 'T1 沿江高速扩容工程进度滞后根因分析', kind: 'analysis', fishbone: '5m1e', breakoutId: plan.breakoutId } })).body.id as string;
	const a = await syncedClient(wsUrl, analysisId, author.cookie);
	const frag = a.doc.getXmlFragment('default');
	let keyCauseId = '';
	a.doc.transact(() => {
		const problem = xmlElements(frag, 'problem')[0];
		problem.setAttribute('project', '甲省沿江高速公路扩容工程');
		problem.setAttribute('symptom', '年度投资完成率31.4%，低于序时18.6个百分点');
		(problem.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('K32+000—K47+500段进度滞后约4.5个月')]);
		const group = (category: string) => xmlElements(frag, 'causeGroup').find((g) => g.getAttribute('category') === category)!;
		const env = group('环').toArray()[0] as Y.XmlElement;
		(env.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('征地拆迁滞后：涉及3个乡镇127户')]);
		env.setAttribute('key', true as unknown as string);
		const chain = new Y.XmlElement('whyChain');
		chain.insert(0, [why('为什么未按期交地？补偿诉求未解决。'), why('根因：缺少省级统筹的征拆责任与资金前置落实机制')]);
		env.insert(env.length, [chain]);
		keyCauseId = String(env.getAttribute('blockId'));
		const machine = group('机').toArray()[0] as Y.XmlElement;
		(machine.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText('计划2台架桥机仅到场1台')]);
	});
	// The measure names the key cause (关联原因).
	const p = await syncedClient(wsUrl, plan.planId, author.cookie);
	p.doc.transact(() => xmlElements(p.doc.getXmlFragment('default'), 'measure')[0].setAttribute('causes', keyCauseId));
	await waitFor(async () => {
		const check = await syncedClient(wsUrl, plan.planId, admin.cookie);
		const ok = xmlElements(check.doc.getXmlFragment('default'), 'measure')[0].getAttribute('causes') === keyCauseId;
		check.destroy();
		return ok;
	}, 'the measure names the cause');
	await waitFor(async () => {
		const check = await syncedClient(wsUrl, analysisId, admin.cookie);
		const ok = xmlElements(check.doc.getXmlFragment('default'), 'why').length === 2;
		check.destroy();
		return ok;
	}, 'the analysis is stored');
	a.destroy();
	p.destroy();
	const [proposalId] = await approve(url, admin, author, plan.planId, plan.measureIds);

	const project = await api(url, 'POST', `/api/conferences/${conferenceId}/projects`, {
		cookie: admin.cookie,
		body: { breakoutId: plan.breakoutId, name: '甲省沿江高速公路扩容工程', code: '2023-330000-48-01-000101', sector: '交通', region: '甲省', ownerUnit: '甲省沿江高速公路建设有限公司' }
	});
	const projectId = project.body.id as string;
	const unit = await unitMember(url, admin, conferenceId, `cu-${tag}`, '郑国华', '甲省沿江高速公路建设有限公司', 'participant', [plan.breakoutId]);
	const supervisor = await unitMember(url, admin, conferenceId, `cs-${tag}`, '刘振华', '国家发展改革委稽察办', 'supervisor');
	const rounds: { periodEnd: string; values: Record<string, unknown> }[] = [
		{ periodEnd: '2025-06-30', values: t1Figures },
		{ periodEnd: '2025-09-30', values: { ...t1Figures, ytdDone: 30.5, physicalActual: 66, physicalPlanned: 68, centralPaid: 16.2 } }
	];
	for (const [i, r] of rounds.entries()) {
		const round = await api(url, 'POST', `/api/conferences/${conferenceId}/report-rounds`, { cookie: admin.cookie, body: { title: i === 0 ? '上半年项目执行报告' : '三季度项目执行报告', periodEnd: r.periodEnd, deadline: r.periodEnd } });
		const reportId = (await api(url, 'GET', `/api/report-rounds/${round.body.id}`, { cookie: admin.cookie })).body.reports[0].id as string;
		await api(url, 'PUT', `/api/project-reports/${reportId}`, { cookie: unit.cookie, body: { version: 0, values: r.values } });
		await api(url, 'POST', `/api/project-reports/${reportId}/transitions`, { cookie: unit.cookie, body: { action: 'submit', version: 1 } });
		const accepted = await api(url, 'POST', `/api/project-reports/${reportId}/transitions`, { cookie: supervisor.cookie, body: { action: 'accept', version: 2 } });
		if (accepted.status !== 200) throw new Error(`accept: ${accepted.status} ${JSON.stringify(accepted.body)}`);
	}
	return { breakoutId: plan.breakoutId, planId: plan.planId, analysisId, proposalId, projectId, unit, supervisor };
}
