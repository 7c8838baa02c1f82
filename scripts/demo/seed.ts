/**
 * Seeds the demo conference through Concord's own API and sync channel, as its people would: each
 * cause and measure is written by the account of the unit that raised it, so the server stamps the
 * right author on it.
 */
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { type Block, element } from '../../server/domain/templates.js';
import { editorField } from '../../src/lib/shared/blocks.js';
import { beijingDate } from '../../src/lib/shared/beijing-time.js';
import {
	type BreakoutKey,
	type DemoMeasure,
	addDays,
	analyses,
	breakouts,
	demoCases,
	demoConference,
	demoPassword,
	demoPdf,
	demoReports,
	type DemoReportStep,
	firstQuarterReports,
	firstQuarterRound,
	ledgerProgress,
	minutesText,
	pendingPlan,
	people,
	projectCode,
	projects,
	reportRound
} from './data.js';

interface Session {
	cookie: string;
	id: string;
}

export interface DemoResult {
	conferenceId: string;
	invitePath: string;
	accounts: { username: string; password: string; displayName: string; unit: string; role: string }[];
}

/** Concord takes state-changing requests and sync upgrades only from its own origin (CSRF), as a page sends it. */
const originOf = (url: string) => new URL(url.replace(/^ws/, 'http')).origin;

async function call(base: string, method: string, path: string, cookie: string | null, body?: unknown): Promise<any> {
	const res = await fetch(`${base}${path}`, {
		method,
		headers: { origin: originOf(base), ...(cookie ? { cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await res.text();
	if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
	return text === '' ? null : JSON.parse(text);
}

async function login(base: string, username: string, password: string): Promise<Session> {
	const res = await fetch(`${base}/api/auth/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: originOf(base) },
		body: JSON.stringify({ username, password })
	});
	if (!res.ok) throw new Error(`login ${username}: ${res.status}`);
	return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], id: ((await res.json()) as { id: string }).id };
}

/** A y-websocket client with a session cookie. */
function connect(wsBase: string, docId: string, cookie: string): { doc: Y.Doc; provider: WebsocketProvider; close(): void } {
	const doc = new Y.Doc();
	const Socket = class extends WebSocket {
		constructor(url: string | URL, protocols?: string | string[]) {
			super(url, protocols, { headers: { cookie, origin: originOf(String(url)) } });
		}
	};
	const provider = new WebsocketProvider(wsBase, docId, doc, { WebSocketPolyfill: Socket as unknown as typeof globalThis.WebSocket, disableBc: true });
	return {
		doc,
		provider,
		close() {
			provider.destroy();
			doc.destroy();
		}
	};
}

async function until(check: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
	const end = Date.now() + timeoutMs;
	while (!check()) {
		if (Date.now() > end) throw new Error(`demo seeding: timed out waiting for ${what}`);
		await new Promise((r) => setTimeout(r, 20));
	}
}

function elementsNamed(parent: Y.XmlElement | Y.XmlFragment, name: string): Y.XmlElement[] {
	const out: Y.XmlElement[] = [];
	for (const child of parent.toArray()) {
		if (child instanceof Y.XmlElement) {
			if (child.nodeName === name) out.push(child);
			out.push(...elementsNamed(child, name));
		}
	}
	return out;
}

const para = (text: string): Block => ({ type: 'paragraph', text });

/**
 * Writes as `session` into `docId`, then waits until `watcher` (another connection) has the change,
 * so that what follows builds on stored content.
 */
async function writeAs(wsBase: string, docId: string, session: Session, watcher: Y.Doc, change: (doc: Y.Doc) => void, done: (doc: Y.Doc) => boolean) {
	const c = connect(wsBase, docId, session.cookie);
	try {
		await until(() => c.provider.synced, 'a client to sync');
		c.doc.transact(() => change(c.doc));
		await until(() => done(watcher), 'the change to reach the others');
	} finally {
		c.close();
	}
}

const textOf = (el: Y.XmlElement | Y.XmlFragment): string =>
	el
		.toArray()
		.map((x) => (x instanceof Y.XmlText ? x.toString() : x instanceof Y.XmlElement ? textOf(x) : ''))
		.join('');

/**
 * The server's clock, where the demo set it back to the conference's day (scripts/demo/clock.mjs):
 * `present()` puts it right.
 */
export interface DemoClock {
	present(): void;
}

/** Waits until the server's clock reads the time here again, after `clock.present()`. */
async function clockPresent(base: string, clock: DemoClock): Promise<void> {
	clock.present();
	const skew = async () => Math.abs(((await call(base, 'GET', '/api/time', null)) as { now: number }).now - Date.now());
	const until = Date.now() + 15_000;
	while ((await skew()) > 60_000) {
		if (Date.now() > until) throw new Error('the server clock did not come back to the present');
		await new Promise((r) => setTimeout(r, 50));
	}
}

/**
 * Seeds the demo. With `clock`, the server runs on the conference's day until the panel has decided
 * (so decisions, and the ledger's time elapsed, date from the conference), then on today.
 */
export async function seedDemo(
	base: string,
	wsBase: string,
	admin: { username: string; password: string },
	log: (line: string) => void = () => {},
	clock?: DemoClock
): Promise<DemoResult> {
	log('创建示例账号…');
	let adminCookie = (await login(base, admin.username, admin.password)).cookie;
	const sessions = new Map<string, Session>();
	const signIn = async () => {
		for (const p of people) sessions.set(p.username, await login(base, p.username, demoPassword));
	};
	for (const p of people) await call(base, 'POST', '/api/users', adminCookie, { username: p.username, password: demoPassword, displayName: p.displayName, unit: p.unit });
	await signIn();
	const who = (username: string) => sessions.get(username) ?? (() => { throw new Error(`no demo account ${username}`); })();

	/** The organizer fills the paragraph under 一、会议总体情况 and under 三、下一步工作要求 of the minutes. */
	const writeMinutesText = async (conferenceId: string) => {
		const docId = `minutes_${conferenceId}`;
		const watch = connect(wsBase, docId, adminCookie);
		try {
			await until(() => watch.provider.synced, 'the minutes to sync');
			const after = (d: Y.Doc, headingId: string) => {
				const children = d.getXmlFragment(editorField).toArray();
				const at = children.findIndex((c) => c instanceof Y.XmlElement && c.getAttribute('blockId') === headingId);
				const next = children[at + 1];
				return at >= 0 && next instanceof Y.XmlElement && next.nodeName === 'paragraph' ? next : null;
			};
			for (const [headingId, text] of [['sec-overall', minutesText.overall], ['sec-next', minutesText.next]] as const) {
				await writeAs(
					wsBase,
					docId,
					who('zhuban'),
					watch.doc,
					(d) => after(d, headingId)?.insert(0, [new Y.XmlText(text)]),
					(d) => textOf(after(d, headingId) ?? new Y.XmlElement('paragraph')) === text
				);
			}
		} finally {
			watch.close();
		}
	};

	log('创建会议、分组和项目…');
	const today = beijingDate(Date.now());
	const { cutOff, ...conference } = demoConference(today);
	const conf = await call(base, 'POST', '/api/conferences', adminCookie, { ...conference, organizerId: who('zhuban').id });
	const breakoutIds = {} as Record<BreakoutKey, string>;
	for (const [key, b] of Object.entries(breakouts) as [BreakoutKey, { name: string; sector: string }][]) {
		breakoutIds[key] = (await call(base, 'POST', `/api/conferences/${conf.id}/breakouts`, adminCookie, { ...b, region: '' })).id;
	}
	for (const p of people) {
		await call(base, 'PUT', `/api/conferences/${conf.id}/members/${who(p.username).id}`, adminCookie, {
			role: p.role,
			unitType: p.unitType,
			breakoutIds: p.breakouts.map((k) => breakoutIds[k])
		});
	}
	const projectIds: Record<string, string> = {};
	for (const [i, p] of projects.entries()) {
		projectIds[p.code] = (await call(base, 'POST', `/api/conferences/${conf.id}/projects`, adminCookie, {
			breakoutId: breakoutIds[p.breakout],
			name: p.name,
			code: projectCode(p.code, i),
			sector: breakouts[p.breakout].sector,
			region: p.region,
			ownerUnit: p.ownerUnit
		})).id;
	}
	/** The project an analysis names. */
	const projectNamed = (name: string) => projectIds[projects.find((p) => p.name === name)?.code ?? ''];

	log('写入第一阶段项目执行情况…');
	const overview = await call(base, 'POST', '/api/documents', who('zhuban').cookie, { title: '第一阶段：重点项目执行情况一览（示例数据）', kind: 'notes', conferenceId: conf.id });
	const overviewWatch = connect(wsBase, overview.id, adminCookie);
	await until(() => overviewWatch.provider.synced, 'the overview to sync');
	const cell = (type: 'tableHeader' | 'tableCell', text: string): Block => ({ type, attrs: { colspan: 1, rowspan: 1 }, children: [para(text)] });
	const header = ['编号', '项目', '年度计划', '1—6月完成', '年度完成率', '较序时', '灯', 'SPI', '中央资金支付率'];
	const table: Block = {
		type: 'table',
		children: [
			{ type: 'tableRow', children: header.map((h) => cell('tableHeader', h)) },
			...projects.map((p) => ({ type: 'tableRow', children: [p.code, p.name, ...p.kpi].map((t) => cell('tableCell', t)) }))
		]
	};
	await writeAs(
		wsBase,
		overview.id,
		who('zhuban'),
		overviewWatch.doc,
		(doc) =>
			doc.getXmlFragment(editorField).insert(0, [
				element({ type: 'heading', attrs: { level: 2 }, text: `一、重点项目执行情况（截至${cutOff}，序时进度50%；单位：亿元）` }),
				element(table),
				element({ type: 'heading', attrs: { level: 2 }, text: '二、红黑榜' }),
				element(para('红黑榜由“总体评价”按规则从已审定的执行报告计算，发布后附于会议纪要。上榜黑榜项目15日内提交整改方案，并在第三阶段作表态发言。'))
			]),
		(doc) => elementsNamed(doc.getXmlFragment(editorField), 'tableRow').length === projects.length + 1
	);
	overviewWatch.close();

	/** A plan with `measures` written by their authors, proposed for the minutes by `writer`; returns the proposals. */
	async function writePlan(breakoutId: string, title: string, writer: string, measures: DemoMeasure[], causeIds: string[], projectId?: string): Promise<{ id: string }[]> {
		const frag = (d: Y.Doc) => d.getXmlFragment(editorField);
		const plan = await call(base, 'POST', '/api/documents', who(writer).cookie, { title, kind: 'plan', breakoutId, projectId });
		const planWatch = connect(wsBase, plan.id, adminCookie);
		await until(() => planWatch.provider.synced, 'the plan to sync');
		for (const [i, m] of measures.entries()) {
			const deadline = addDays(today, m.due);
			await writeAs(
				wsBase,
				plan.id,
				who(m.by),
				planWatch.doc,
				(d) => {
					let measure = elementsNamed(frag(d), 'measure')[0];
					if (i === 0) (measure.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText(m.text)]);
					else {
						const last = elementsNamed(frag(d), 'measure').at(-1)!;
						measure = element({ type: 'measure', children: [para(m.text)] });
						frag(d).insert(frag(d).toArray().indexOf(last) + 1, [measure]);
					}
					measure.setAttribute('responsibleUnit', m.unit);
					measure.setAttribute('deadline', deadline);
					measure.setAttribute('type', m.type);
					measure.setAttribute('criteria', m.criteria);
					measure.setAttribute('causes', m.causeIndex === undefined ? '' : causeIds[m.causeIndex]);
				},
				(d) => elementsNamed(frag(d), 'measure').some((x) => textOf(x) === m.text && x.getAttribute('deadline') === deadline)
			);
		}
		const measureIds = elementsNamed(frag(planWatch.doc), 'measure').map((x) => String(x.getAttribute('blockId')));
		planWatch.close();
		return (await call(base, 'POST', `/api/documents/${plan.id}/proposals`, who(writer).cookie, { blockIds: measureIds })).proposals;
	}

	const analysisIds = {} as Partial<Record<BreakoutKey, { docId: string; firstProposalId: string }>>;
	for (const a of analyses) {
		log(`写入${breakouts[a.breakout].name}根因分析与整改方案…`);
		const breakoutId = breakoutIds[a.breakout];
		const doc = await call(base, 'POST', '/api/documents', who(a.writer).cookie, { title: a.title, kind: 'analysis', fishbone: a.fishbone, breakoutId, projectId: projectNamed(a.project) });
		const watch = connect(wsBase, doc.id, adminCookie);
		await until(() => watch.provider.synced, 'the analysis to sync');
		const frag = (d: Y.Doc) => d.getXmlFragment(editorField);
		await writeAs(
			wsBase,
			doc.id,
			who(a.writer),
			watch.doc,
			(d) => {
				const problem = elementsNamed(frag(d), 'problem')[0];
				problem.setAttribute('project', a.project);
				problem.setAttribute('symptom', a.symptom);
				(problem.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText(a.statement)]);
			},
			(d) => textOf(elementsNamed(frag(d), 'problem')[0]) === a.statement
		);
		for (const c of a.causes) {
			await writeAs(
				wsBase,
				doc.id,
				who(c.by),
				watch.doc,
				(d) => {
					const group = elementsNamed(frag(d), 'causeGroup').find((g) => g.getAttribute('category') === c.category);
					if (!group) throw new Error(`no category ${c.category}`);
					const first = group.toArray()[0] as Y.XmlElement;
					const empty = group.length === 1 && textOf(first) === '';
					let cause = first;
					if (empty) (first.toArray()[0] as Y.XmlElement).insert(0, [new Y.XmlText(c.text)]);
					else {
						cause = element({ type: 'cause', attrs: { key: false }, children: [para(c.text)] });
						group.insert(group.length, [cause]);
					}
					if (c.key) cause.setAttribute('key', true as unknown as string);
					if (c.whys) cause.insert(cause.length, [element({ type: 'whyChain', children: c.whys.map((w) => ({ type: 'why', text: w })) })]);
				},
				(d) => elementsNamed(frag(d), 'cause').some((x) => textOf(x).startsWith(c.text))
			);
		}
		const causeIds = a.causes.map((c) => String(elementsNamed(frag(watch.doc), 'cause').find((x) => textOf(x).startsWith(c.text))?.getAttribute('blockId') ?? ''));
		watch.close();

		// The breakout's consensus: its measures proposed for the minutes, approved by the expert panel.
		const proposals = await writePlan(breakoutId, a.plan.title, a.writer, a.plan.measures, causeIds, projectNamed(a.project));
		for (const p of proposals) await call(base, 'POST', `/api/proposals/${p.id}/approve`, who('zhuanjia').cookie);
		analysisIds[a.breakout] = { docId: doc.id, firstProposalId: proposals[0].id };
	}
	log('写入会议纪要的总体情况和工作要求…');
	await writeMinutesText(conf.id);
	log(`写入${breakouts[pendingPlan.breakout].name}整改方案（待专家组审定）…`);
	await writePlan(breakoutIds[pendingPlan.breakout], pendingPlan.title, pendingPlan.writer, pendingPlan.measures, []);
	if (clock) {
		// A month on: the sessions of the conference's day have run out.
		await clockPresent(base, clock);
		adminCookie = (await login(base, admin.username, admin.password)).cookie;
		await signIn();
	}

	log('写入整改台账进展…');
	const { items } = await call(base, 'GET', `/api/conferences/${conf.id}/ledger`, who('zhuban').cookie);
	for (const step of ledgerProgress) {
		const item = (items as { id: string; number: string }[]).find((i) => i.number === step.number);
		if (!item) throw new Error(`no ledger item ${step.number}`);
		const form = new FormData();
		form.append('progress', step.progress);
		form.append('percent', String(step.percent));
		form.append('difficulties', step.difficulties ?? '');
		form.append('nextSteps', step.nextSteps ?? '');
		if (step.evidence) form.append('files', new Blob([new Uint8Array(demoPdf(step.evidence))], { type: 'application/pdf' }), step.evidence);
		const res = await fetch(`${base}/api/ledger/${item.id}/reports`, { method: 'POST', headers: { cookie: who(step.by).cookie, origin: originOf(base) }, body: form });
		if (!res.ok) throw new Error(`report ${step.number}: ${res.status} ${await res.text()}`);
		if (step.submit) await call(base, 'POST', `/api/ledger/${item.id}/transitions`, who(step.by).cookie, { action: 'submit', reason: '' });
		if (step.closeBy) await call(base, 'POST', `/api/ledger/${item.id}/transitions`, who(step.closeBy).cookie, { action: 'close', reason: step.opinion ?? '' });
	}

	log('写入项目执行报告…');
	/** A round with each report's steps: figures, evidence, submission, and the reviewer's decisions. */
	async function reportingRound(title: string, periodEnd: string, steps: readonly DemoReportStep[], reviewer: string) {
		// Reports were due twenty days after the period's end.
		const round = await call(base, 'POST', `/api/conferences/${conf.id}/report-rounds`, who('zhuban').cookie, { title, periodEnd, deadline: addDays(periodEnd, 20) });
		const { reports } = await call(base, 'GET', `/api/report-rounds/${round.id}`, who('zhuban').cookie);
		for (const r of steps) {
			const report = (reports as { id: string; project: { code: string } }[]).find((x) => x.project.code.endsWith(`（${r.code}）`));
			if (!report) throw new Error(`no report of ${r.code}`);
			const unit = who(r.by).cookie;
			await call(base, 'PUT', `/api/project-reports/${report.id}`, unit, { version: 0, values: r.figures });
			if (r.outcome === 'draft') continue;
			const form = new FormData();
			form.append('section', 'progress');
			form.append('files', new Blob([new Uint8Array(demoPdf(r.evidence))], { type: 'application/pdf' }), r.evidence);
			const res = await fetch(`${base}/api/project-reports/${report.id}/evidence`, { method: 'POST', headers: { cookie: unit, origin: originOf(base) }, body: form });
			if (!res.ok) throw new Error(`evidence ${r.code}: ${res.status} ${await res.text()}`);
			const step = (cookie: string, action: string, version: number, reason = '') => call(base, 'POST', `/api/project-reports/${report.id}/transitions`, cookie, { action, version, reason });
			let at = await step(unit, 'submit', ((await res.json()) as { version: number }).version);
			if (r.outcome === 'submitted') continue;
			if (r.outcome !== 'accepted') at = await step(who(reviewer).cookie, 'return', at.version, r.reason);
			if (r.outcome === 'returned then accepted') {
				at = await step(unit, 'submit', at.version);
				await step(who(reviewer).cookie, 'accept', at.version);
			} else if (r.outcome === 'accepted') await step(who(reviewer).cookie, 'accept', at.version);
		}
		return round.id as string;
	}
	const year = cutOff.slice(0, 4);
	await reportingRound(firstQuarterRound.title, `${year}-03-31`, firstQuarterReports, firstQuarterRound.reviewer);
	const halfYear = await reportingRound(reportRound.title, `${year}-06-30`, demoReports, reportRound.reviewer);
	log('发布红黑榜…');
	// The demo rule of domain.md §7.9 is the default: 红榜 E1 W1 M1, 黑榜 W2 T1 M3.
	await call(base, 'POST', `/api/conferences/${conf.id}/honor-boards`, who('zhuban').cookie, { roundId: halfYear });

	log('写入案例库…');
	const { projects: projectList } = await call(base, 'GET', `/api/conferences/${conf.id}/projects`, who('zhuanjia').cookie);
	for (const c of demoCases) {
		const project = (projectList as { id: string; code: string }[]).find((p) => p.code.endsWith(`（${c.project}）`));
		if (!project) throw new Error(`no project ${c.project}`);
		const from = c.fromAnalysis === undefined ? undefined : analysisIds[c.fromAnalysis];
		const sources = { kind: c.kind, sourceDocId: from?.docId ?? null, proposalId: from?.firstProposalId ?? null, projectId: project.id };
		// Drawn from an analysis: the server's draft, with the expert's own words where they wrote them.
		const drafted = from ? ((await call(base, 'POST', `/api/conferences/${conf.id}/cases/draft`, who('zhuanjia').cookie, sources)) as { sections: Record<string, string> }).sections : {};
		const sections = { background: '', practice: '', outcome: '', lessons: '', clauses: '', ...drafted, ...c.sections };
		await call(base, 'POST', `/api/conferences/${conf.id}/cases`, who('zhuanjia').cookie, { ...sources, title: c.title, sector: '', sections });
	}

	log('生成邀请链接…');
	const invite = await call(base, 'POST', `/api/conferences/${conf.id}/invites`, who('zhuban').cookie, {
		role: 'observer',
		breakoutIds: Object.values(breakoutIds),
		expiresInHours: 720,
		maxUses: 500
	});
	const { agenda } = await call(base, 'GET', `/api/conferences/${conf.id}/agenda`, adminCookie);
	await call(base, 'PUT', `/api/conferences/${conf.id}/now`, who('zhuban').cookie, { itemId: agenda.stages[1].items[0].id });

	return {
		conferenceId: conf.id,
		invitePath: invite.path,
		accounts: people.map((p) => ({ username: p.username, password: demoPassword, displayName: p.displayName, unit: p.unit, role: p.role }))
	};
}
