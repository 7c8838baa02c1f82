import { type Session, api, ownConnection } from './api.js';
import { withOrigin } from './origin.js';
import { unitMember } from './ledger.js';

/** Three projects of the 交通组 (domain.md §7.3), each reported by its 建设单位. */
export const demoProjects = [
	{ name: '甲省沿江高速公路扩容工程', code: '2023-330000-48-01-000101', region: '甲省', ownerUnit: '甲省沿江高速公路建设有限公司' },
	{ name: '乙省城际铁路（一期）', code: '2022-320000-53-01-000202', region: '乙省', ownerUnit: '乙省城际铁路有限公司' },
	{ name: '丙省枢纽机场三期改扩建工程', code: '2024-440000-56-01-000303', region: '丙省', ownerUnit: '丙省机场集团有限公司' }
];

/** T1's half-year figures (domain.md §7.3): 年度完成率 31.4%, 18.6 points below 序时 — a red lamp. */
export const t1Figures = {
	totalInvestment: 186.4,
	annualPlan: 42,
	ytdDone: 13.2,
	cumulativeDone: 61.51,
	plannedStart: 0,
	started: 1,
	plannedCompletion: 0,
	completed: 0,
	physicalPlanned: 52,
	physicalActual: 38,
	centralAllocated: 18,
	centralPaid: 12,
	designChanges: 0.35,
	firstPassRate: 98.6,
	qualityIssues: 12,
	qualityIssuesFixed: 11,
	accidents: 0,
	hazards: 34,
	hazardsFixed: 31,
	environmentStatus: '环评已批复；水保方案已批复',
	problems: 'K32—K47段征地拆迁滞后，交地不足导致桥梁工作面无法展开',
	suggestions: '建议由江州市政府牵头建立交地周调度机制'
};

/** A conference with the three projects in one breakout, a member of each reporting unit, and two reviewers. */
export async function reportingConference(url: string, admin: Session, conferenceId: string) {
	const breakoutId = (await api(url, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: admin.cookie, body: { name: '交通组', sector: '交通' } })).body.id as string;
	const projects: string[] = [];
	for (const p of demoProjects) {
		const res = await api(url, 'POST', `/api/conferences/${conferenceId}/projects`, { cookie: admin.cookie, body: { breakoutId, sector: '交通', ...p } });
		if (res.status !== 201) throw new Error(`project: ${res.status} ${JSON.stringify(res.body)}`);
		projects.push(res.body.id);
	}
	const tag = Math.random().toString(36).slice(2, 7);
	const units = await Promise.all(demoProjects.map((p, i) => unitMember(url, admin, conferenceId, `u${i}-${tag}`, `填报员${i + 1}`, p.ownerUnit, 'participant', [breakoutId])));
	const supervisor = await unitMember(url, admin, conferenceId, `sv-${tag}`, '交通运输部规划司审核员', '交通运输部综合规划司', 'supervisor');
	// A supervisor of T1's own unit: may not review T1's report.
	const ownSupervisor = await unitMember(url, admin, conferenceId, `os-${tag}`, '沿江公司审核员', demoProjects[0].ownerUnit, 'supervisor');
	return { breakoutId, projects, units, supervisor, ownSupervisor, usernames: { units: demoProjects.map((_, i) => `u${i}-${tag}`), supervisor: `sv-${tag}` } };
}

/** Evidence for a section of a report, as the browser's form sends it. */
export async function postEvidence(url: string, s: Session, reportId: string, section: string, files: { name: string; bytes: Uint8Array; type?: string }[]) {
	const form = new FormData();
	form.append('section', section);
	for (const f of files) form.append('files', new Blob([new Uint8Array(f.bytes)], { type: f.type ?? 'application/octet-stream' }), f.name);
	const res = await fetch(`${url}/api/project-reports/${reportId}/evidence`, { method: 'POST', headers: withOrigin(url, { ...ownConnection, cookie: s.cookie }), body: form });
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : null };
}
