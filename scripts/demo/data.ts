/**
 * The demo conference of domain.md §7. Fictional throughout: every province, company and person is
 * invented, and the data is marked 示例数据 wherever it is shown.
 */
import { beijingDate } from '../../src/lib/shared/beijing-time.js';
import type { Role, UnitType } from '../../src/lib/shared/roles.js';

export const demoPassword = 'demo-2025';

/** `date` (YYYY-MM-DD) moved by `days`. */
export const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/**
 * The demo tells today's story: the conference met a month ago (two days), reviewing the first half of
 * its year, and the ledger has run since. `today` is the Beijing date of the run.
 */
export function demoConference(today: string) {
	const startDate = addDays(today, -30);
	const month = Number(startDate.slice(5, 7));
	// A 上半年 review meets after 30 June; one held in the first half reviews the year before's.
	const year = Number(startDate.slice(0, 4)) - (month >= 7 ? 0 : 1);
	return {
		title: `${year}年上半年国家重点建设项目管理总结会（示例数据）`,
		startDate,
		endDate: addDays(startDate, 1),
		venue: '北京',
		hosts: '国家发展改革委、住房和城乡建设部、财政部',
		/** The cut-off of the figures reported at the conference. */
		cutOff: `${year}年6月30日`
	};
}

/**
 * How far the demo sets the server's clock back while it seeds the conference (scripts/demo/clock.mjs):
 * to 10:00 Beijing time on the conference's second day, when the expert panel decides.
 */
export function conferenceDayShiftMs(now: number): number {
	const { endDate } = demoConference(beijingDate(now));
	return Date.parse(`${endDate}T10:00:00+08:00`) - now;
}

export type BreakoutKey = 'jt' | 'sl' | 'ny' | 'sz';
export const breakouts: Record<BreakoutKey, { name: string; sector: string }> = {
	jt: { name: '交通组', sector: '交通' },
	sl: { name: '水利组', sector: '水利' },
	ny: { name: '能源组', sector: '能源' },
	sz: { name: '市政组', sector: '市政' }
};

export interface DemoPerson {
	username: string;
	displayName: string;
	unit: string;
	unitType: UnitType;
	role: Role;
	breakouts: BreakoutKey[];
}

/** Members of every role, each with a unit and unit type. */
export const people: DemoPerson[] = [
	{ username: 'zhuban', displayName: '张立群', unit: '国家发展改革委投资司', unitType: '综合部门', role: 'organizer', breakouts: [] },
	{ username: 'jt-zhaoji', displayName: '陈志远', unit: '甲省交通运输厅', unitType: '行业主管', role: 'moderator', breakouts: ['jt'] },
	{ username: 'sl-zhaoji', displayName: '赵文博', unit: '戊省水利厅', unitType: '行业主管', role: 'moderator', breakouts: ['sl'] },
	{ username: 'ny-zhaoji', displayName: '孟海峰', unit: '国家能源局', unitType: '行业主管', role: 'moderator', breakouts: ['ny'] },
	{ username: 'sz-zhaoji', displayName: '林晓燕', unit: '住房和城乡建设部城市建设司', unitType: '行业主管', role: 'moderator', breakouts: ['sz'] },
	{ username: 't1-jianshe', displayName: '郑国华', unit: '甲省沿江高速公路建设有限公司', unitType: '建设', role: 'participant', breakouts: ['jt'] },
	{ username: 't1-sheji', displayName: '周明', unit: '华景交通规划设计研究院', unitType: '设计', role: 'participant', breakouts: ['jt'] },
	{ username: 't1-shigong', displayName: '王建军', unit: '中衡路桥工程集团', unitType: '施工', role: 'participant', breakouts: ['jt'] },
	{ username: 't1-jianli', displayName: '吴敏', unit: '信达工程监理咨询公司', unitType: '监理', role: 'participant', breakouts: ['jt'] },
	{ username: 't1-zhengfu', displayName: '李卫东', unit: '甲省江州市人民政府', unitType: '地方政府', role: 'participant', breakouts: ['jt'] },
	{ username: 'w2-jianshe', displayName: '高山', unit: '戊省青石峡水库建设管理局', unitType: '建设', role: 'participant', breakouts: ['sl'] },
	{ username: 'w2-sheji', displayName: '罗静', unit: '戊省水利水电勘测设计研究院', unitType: '设计', role: 'participant', breakouts: ['sl'] },
	{ username: 'w2-caizheng', displayName: '陈刚', unit: '戊省财政厅', unitType: '地方政府', role: 'participant', breakouts: ['sl'] },
	{ username: 't2-jianshe', displayName: '孙浩然', unit: '乙省城际铁路有限公司', unitType: '建设', role: 'participant', breakouts: ['jt'] },
	{ username: 't3-jianshe', displayName: '马骏', unit: '丙省机场集团', unitType: '建设', role: 'participant', breakouts: ['jt'] },
	{ username: 'w1-jianshe', displayName: '黄涛', unit: '丁省引调水工程建设管理局', unitType: '建设', role: 'participant', breakouts: ['sl'] },
	{ username: 'w3-jianshe', displayName: '杨帆', unit: '己省灌区管理局', unitType: '建设', role: 'participant', breakouts: ['sl'] },
	{ username: 'e1-jianshe', displayName: '田野', unit: '国网某特高压建设分公司', unitType: '建设', role: 'participant', breakouts: ['ny'] },
	{ username: 'e2-jianshe', displayName: '冯雪', unit: '丙省松岭抽水蓄能有限公司', unitType: '建设', role: 'participant', breakouts: ['ny'] },
	{ username: 'm1-jianshe', displayName: '蒋明辉', unit: '甲省城投管廊公司', unitType: '建设', role: 'participant', breakouts: ['sz'] },
	{ username: 'm2-jianshe', displayName: '韩冰', unit: '乙省燃气集团', unitType: '建设', role: 'participant', breakouts: ['sz'] },
	{ username: 'e3-jianshe', displayName: '许亮', unit: '丁省盐穴储气库有限公司', unitType: '建设', role: 'participant', breakouts: ['ny'] },
	{ username: 'm3-jianshe', displayName: '何琳', unit: '临江市排水有限公司', unitType: '建设', role: 'participant', breakouts: ['sz'] },
	{ username: 'm3-caizheng', displayName: '周涛', unit: '临江市某区财政局', unitType: '地方政府', role: 'participant', breakouts: ['sz'] },
	{ username: 'zhuanjia', displayName: '孙教授', unit: '专家组', unitType: '专家', role: 'expert', breakouts: [] },
	{ username: 'ducha', displayName: '刘振华', unit: '国家发展改革委稽察办', unitType: '督查', role: 'supervisor', breakouts: [] },
	{ username: 'liexi', displayName: '钱处长', unit: '审计署固定资产投资审计司', unitType: '审计', role: 'observer', breakouts: ['jt', 'sl', 'ny', 'sz'] }
];

/** Twelve featured projects with their KPIs (domain.md §7.3); amounts in 亿元. */
export const projects: {
	code: string;
	breakout: BreakoutKey;
	name: string;
	region: string;
	ownerUnit: string;
	kpi: [plan: string, done: string, rate: string, vsSchedule: string, light: '绿' | '黄' | '红', spi: string, centralPaid: string];
}[] = [
	{ code: 'T1', breakout: 'jt', name: '甲省沿江高速公路扩容工程', region: '甲省', ownerUnit: '甲省沿江高速公路建设有限公司', kpi: ['42.0', '13.2', '31.4%', '−18.6', '红', '0.73', '66.7%'] },
	{ code: 'T2', breakout: 'jt', name: '乙省城际铁路（一期）', region: '乙省', ownerUnit: '乙省城际铁路有限公司', kpi: ['60.0', '32.4', '54.0%', '+4.0', '绿', '1.04', '85.0%'] },
	{ code: 'T3', breakout: 'jt', name: '丙省枢纽机场三期改扩建工程', region: '丙省', ownerUnit: '丙省机场集团', kpi: ['25.0', '10.6', '42.4%', '−7.6', '黄', '0.86', '67.5%'] },
	{ code: 'W1', breakout: 'sl', name: '丁省江河连通引调水工程', region: '丁省', ownerUnit: '丁省引调水工程建设管理局', kpi: ['50.0', '27.8', '55.6%', '+5.6', '绿', '1.03', '85.1%'] },
	{ code: 'W2', breakout: 'sl', name: '戊省青石峡水库工程', region: '戊省', ownerUnit: '戊省青石峡水库建设管理局', kpi: ['16.0', '4.9', '30.6%', '−19.4', '红', '0.68', '46.0%'] },
	{ code: 'W3', breakout: 'sl', name: '己省平原大型灌区续建配套与现代化改造', region: '己省', ownerUnit: '己省灌区管理局', kpi: ['9.0', '4.3', '47.8%', '−2.2', '绿', '0.96', '81.7%'] },
	{ code: 'E1', breakout: 'ny', name: '西北风光基地外送±800千伏特高压直流输电工程', region: '西北', ownerUnit: '国网某特高压建设分公司', kpi: ['70.0', '40.6', '58.0%', '+8.0', '绿', '1.06', '—'] },
	{ code: 'E2', breakout: 'ny', name: '丙省松岭抽水蓄能电站', region: '丙省', ownerUnit: '丙省松岭抽水蓄能有限公司', kpi: ['14.0', '6.2', '44.3%', '−5.7', '黄', '0.91', '—'] },
	{ code: 'E3', breakout: 'ny', name: '丁省盐穴储气库及外输管道工程', region: '丁省', ownerUnit: '丁省盐穴储气库有限公司', kpi: ['20.0', '7.9', '39.5%', '−10.5', '黄', '0.80', '64.0%'] },
	{ code: 'M1', breakout: 'sz', name: '甲省省会城市地下综合管廊（二期）', region: '甲省', ownerUnit: '甲省城投管廊公司', kpi: ['12.0', '6.5', '54.2%', '+4.2', '绿', '1.03', '85.0%'] },
	{ code: 'M2', breakout: 'sz', name: '乙省老旧城区燃气管网更新改造工程', region: '乙省', ownerUnit: '乙省燃气集团', kpi: ['8.0', '3.1', '38.8%', '−11.2', '黄', '0.84', '57.5%'] },
	{ code: 'M3', breakout: 'sz', name: '丙省临江市污水处理厂提标扩容及配套管网工程', region: '丙省', ownerUnit: '临江市排水有限公司', kpi: ['5.0', '1.6', '32.0%', '−18.0', '红', '0.69', '41.0%'] }
];

/** A fictional 项目代码 in the platform's pattern. */
export const projectCode = (code: string, i: number) => `2023-${['110000', '330000', '440000', '510000'][i % 4]}-48-01-${String(100 + i).padStart(6, '0')}（${code}）`;

export interface DemoCause {
	category: string;
	text: string;
	by: string;
	key?: boolean;
	whys?: string[];
}

export interface DemoAnalysis {
	breakout: BreakoutKey;
	title: string;
	fishbone: '5m1e' | 'delivery';
	project: string;
	symptom: string;
	statement: string;
	writer: string;
	causes: DemoCause[];
	plan: { title: string; measures: DemoMeasure[] };
}

/** A measure of a plan; `due` is its deadline in days from the day the demo runs (negative: overdue). */
export interface DemoMeasure {
	text: string;
	unit: string;
	due: number;
	type: string;
	criteria: string;
	by: string;
	causeIndex?: number;
}

export const analyses: DemoAnalysis[] = [
	{
		breakout: 'jt',
		title: 'T1 沿江高速扩容工程进度滞后根因分析',
		fishbone: '5m1e',
		project: '甲省沿江高速公路扩容工程',
		symptom: '年度投资完成率31.4%，低于序时18.6个百分点；形象进度38%（计划52%）',
		statement: 'K32+000—K47+500段（15.5公里，桥梁6座、互通1处）进度滞后约4.5个月。',
		writer: 'jt-zhaoji',
		causes: [
			{ category: '人', text: '施工项目部关键岗位（项目经理、总工）半年内更换3人次；高峰期桥梁作业班组缺口约120人', by: 't1-jianli' },
			{ category: '机', text: '计划2台架桥机仅到场1台；钻机利用率不足60%', by: 't1-jianshe' },
			{ category: '料', text: '地材（砂石）受限采政策影响，价格上涨约35%，供应不稳定', by: 't1-shigong' },
			{ category: '法', text: '施工组织设计未随交地进度动态调整；K38互通设计变更审批平均历时63天', by: 't1-shigong' },
			{
				category: '环',
				text: '征地拆迁滞后：涉及3个乡镇127户、2处110千伏线路铁塔迁改未完成；汛期停工21天',
				by: 't1-sheji',
				key: true,
				whys: [
					'该段为什么滞后？工作面未按期移交（计划2月底，实际仍有约4.2公里未交地）。',
					'为什么未按期交地？部分拆迁户补偿诉求未解决，与相邻项目补偿标准不一致。',
					'为什么标准不一致、诉求未解决？属地征拆指挥部成立晚（开工后5个月），补偿方案未提前统一公示。',
					'为什么成立晚、方案未统一？项目批复时征拆责任与地方配套资金未以协议锁定，形成“先开工、后征拆”。',
					'根因：缺少省级统筹的征拆责任与资金前置落实机制；前期审查未把“征拆条件具备”作为开工条件。'
				]
			},
			{ category: '测', text: '形象进度与投资统计口径不一致，月报滞后，预警晚于实际约2个月（督查部门提出）', by: 'jt-zhaoji' }
		],
		plan: {
			title: 'T1 沿江高速扩容工程整改方案',
			measures: [
				{ text: '成立市级征拆专班，30日内完成剩余交地', unit: '甲省江州市人民政府', due: 10, type: '限期整改', criteria: '交地确认书签署；工作面移交率100%', by: 't1-zhengfu', causeIndex: 4 },
				{ text: '优化K38互通方案减少拆迁23户，设计变更走“绿色通道”（15个工作日）', unit: '华景交通规划设计研究院', due: -5, type: '立行立改', criteria: '变更批复取得', by: 't1-sheji', causeIndex: 3 },
				{ text: '增调1台架桥机和2个桥梁作业队', unit: '中衡路桥工程集团', due: -12, type: '立行立改', criteria: '第2台架桥机进场验收', by: 't1-shigong', causeIndex: 1 },
				{ text: '建立交地与工作面移交周调度台账，纳入挂牌督办', unit: '甲省交通运输厅', due: 120, type: '持续整改', criteria: '年度投资完成率≥90%', by: 'jt-zhaoji' }
			]
		}
	},
	{
		breakout: 'sl',
		title: 'W2 青石峡水库停工根因分析',
		fishbone: 'delivery',
		project: '戊省青石峡水库工程',
		symptom: '大坝主体停工5个月；年度完成率30.6%（−19.4）；中央资金支付率46.0%；一般安全事故1起',
		statement: '大坝主体工程自2月起停工，下半年投资追赶压力大。',
		writer: 'sl-zhaoji',
		causes: [
			{
				category: '设计与技术',
				text: '坝基揭露断层破碎带，地质条件与初设不符，需重大设计变更并报原审批部门审批',
				by: 'w2-sheji',
				key: true,
				whys: [
					'为什么停工？坝基条件与初步设计不符。',
					'为什么初设未发现？勘察钻孔间距偏大，未做专项勘察。',
					'为什么未做专项勘察？前期勘察工期与费用被压缩以赶开工节点。',
					'根因：前期工作深度不足，“倒排工期”压缩勘察。'
				]
			},
			{ category: '要素保障', text: '库区移民安置点建设滞后，淹没区林地报批未完成', by: 'w2-jianshe' },
			{ category: '资金', text: '省级资本金到位率58%，影响施工单位按月计量支付', by: 'w2-jianshe', key: true },
			{ category: '施工组织', text: '停工期间人员设备撤场，复工动员慢', by: 'sl-zhaoji' },
			{ category: '监管与考核', text: '安全教育与高处作业防护检查流于形式（督查部门提出）', by: 'sl-zhaoji' }
		],
		plan: {
			title: 'W2 青石峡水库整改方案',
			measures: [
				{ text: '补充专项勘察，提交重大设计变更，水利部门开通并联审查', unit: '戊省水利厅', due: -8, type: '限期整改', criteria: '取得变更批复文件', by: 'sl-zhaoji', causeIndex: 0 },
				{ text: '落实省级资本金', unit: '戊省财政厅', due: 5, type: '限期整改', criteria: '资本金到位率≥90%', by: 'w2-caizheng', causeIndex: 2 },
				{ text: '事故责任调查和全员安全再培训', unit: '戊省青石峡水库建设管理局', due: 30, type: '立行立改', criteria: '隐患整改率≥98%', by: 'w2-jianshe', causeIndex: 4 }
			]
		}
	},
	{
		breakout: 'sz',
		title: 'M3 临江市污水处理厂进度与支付滞后根因分析',
		fishbone: 'delivery',
		project: '丙省临江市污水处理厂提标扩容及配套管网工程',
		symptom: '年度投资完成率32.0%（−18.0）；中央资金支付率41.0%',
		statement: '进度与支付双滞后，配套管网施工受阻。',
		writer: 'sz-zhaoji',
		causes: [
			{ category: '资金', text: '计量支付审核链条长：建设单位→区财政→国库集中支付，平均38个工作日', by: 'm3-jianshe', key: true },
			{ category: '资金', text: '地方配套资金缺口1.2亿元，专项债资金不得用于配套缺口部分', by: 'm3-caizheng' },
			{ category: '资金', text: '施工单位计量资料不规范，退回率约30%', by: 'm3-caizheng' },
			{ category: '外部协调', text: '燃气、通信管线迁改协调难（涉及3家权属单位）；道路占挖许可审批分散', by: 'm3-jianshe' },
			{ category: '设计与技术', text: '出水标准由一级A提至地方准Ⅳ类，工艺包设计变更，排污许可待变更', by: 'sz-zhaoji' }
		],
		plan: {
			title: 'M3 临江市污水处理厂整改方案',
			measures: [
				{ text: '支付审核压缩至15个工作日，建立“随报随审”', unit: '临江市某区财政局', due: -2, type: '立行立改', criteria: '制度文件印发；支付率≥70%（三个月内）', by: 'm3-caizheng', causeIndex: 0 },
				{ text: '明确1.2亿元配套资金来源', unit: '临江市人民政府', due: -3, type: '限期整改', criteria: '资金来源文件印发', by: 'sz-zhaoji', causeIndex: 1 }
			]
		}
	}
];

/**
 * What the secretariat writes into the minutes around the approved items (domain.md §1.5): the
 * overall assessment under 一、 and the requirements under 三、, in the words a 纪要 uses.
 */
export const minutesText = {
	overall:
		'会议认为，上半年国家重点建设项目总体推进平稳，但部分项目存在前期手续办理滞后、要素保障不到位、资金拨付慢等问题。各分组围绕典型项目开展了根因分析，形成了整改共识。',
	next: '会议要求，各责任单位按照决议清单明确的时限和考核标准抓好整改落实，每月5日前报送整改进展；督查部门对红色、黄色督办事项跟踪督办，逾期未完成的予以通报。'
};

/**
 * 能源组's plan, written after the others: its measure is proposed for the minutes and waits for the
 * expert panel (the demo's 待我审定).
 */
export const pendingPlan: { breakout: BreakoutKey; title: string; writer: string; measures: DemoMeasure[] } = {
	breakout: 'ny',
	title: 'E3 盐穴储气库注采工程整改方案',
	writer: 'ny-zhaoji',
	measures: [{ text: '制定注采井组接续计划，补齐2口注采井', unit: '丁省盐穴储气库有限公司', due: 45, type: '限期整改', criteria: '注采井完钻验收', by: 'e3-jianshe' }]
};

/**
 * The ledger as it stood some weeks after the conference (domain.md §7.8): progress reported by the
 * responsible units, evidence attached, items awaiting review, one closed out by the 督查 reviewer.
 */
export const ledgerProgress: {
	number: string;
	by: string;
	progress: string;
	percent: number;
	difficulties?: string;
	nextSteps?: string;
	evidence?: string;
	submit?: boolean;
	closeBy?: string;
	opinion?: string;
}[] = [
	{ number: 'ZG-JT-001', by: 't1-zhengfu', progress: '已交地14.9 km，剩0.6 km（2户）', percent: 96, difficulties: '2户补偿诉求未解决，已进入司法程序', nextSteps: '依法推进，10日内完成', evidence: '交地确认书（第1—11批）.pdf' },
	{ number: 'ZG-JT-003', by: 't1-shigong', progress: '第2台架桥机已进场并通过验收，2个桥梁作业队到位', percent: 100, evidence: '架桥机进场验收单.pdf', submit: true },
	{ number: 'ZG-SL-001', by: 'sl-zhaoji', progress: '已取得重大设计变更批复', percent: 100, evidence: '设计变更批复文件.pdf', submit: true, closeBy: 'ducha', opinion: '批复文件齐全，同意销号' },
	{ number: 'ZG-SL-002', by: 'w2-caizheng', progress: '省级资本金到位率76%', percent: 76, difficulties: '省级财力紧张', nextSteps: '本月调度专项资金', evidence: '拨款凭证.pdf' },
	{ number: 'ZG-SZ-001', by: 'm3-caizheng', progress: '审核时限压至15个工作日，制度已印发', percent: 100, evidence: '随报随审制度.pdf', submit: true }
];

/**
 * The reporting rounds (项目执行报告, domain.md §5.4) of the twelve featured projects, each reported by
 * its 建设单位 and reviewed by 稽察办: the half-year round with the §7.3 figures (T3 never submitted and
 * overdue; M2 returned and not yet resubmitted; W2 returned once, corrected and accepted; the others
 * accepted), and the first quarter's before it, all accepted, for the dashboard's view over time.
 */
export const reportRound = { title: '上半年项目执行报告（示例数据）', reviewer: 'ducha' };
export const firstQuarterRound = { title: '一季度项目执行报告（示例数据）', reviewer: 'ducha' };

export type ReportOutcome = 'accepted' | 'returned' | 'submitted' | 'draft' | 'returned then accepted';

/** The year as 开工率 and 竣工率 count it: [本年计划新开工, 已开工, 本年计划竣工, 已竣工]. */
type Year = [plannedStart: 0 | 1, started: 0 | 1, plannedCompletion: 0 | 1, completed: 0 | 1];

interface DemoReport {
	code: string;
	by: string;
	/** 总投资, 年度计划, 1—6月完成, 开累完成, 形象进度 计划/实际, 中央资金 下达/支付, 设计变更. */
	money: [total: number, plan: number, done: number, cumulative: number, physicalPlanned: number, physicalActual: number, allocated: number, paid: number, changes: number];
	/** 一次验收合格率, 质量问题/已整改, 安全事故, 隐患/已整改. */
	safety: [firstPass: number, issues: number, issuesFixed: number, accidents: number, hazards: number, hazardsFixed: number];
	year: Year;
	environment: string;
	problems: string;
	suggestions: string;
	evidence: string;
	outcome: ReportOutcome;
	reason?: string;
}

const demoReportRows: DemoReport[] = [
	{ code: 'T1', by: 't1-jianshe', money: [186.4, 42, 13.2, 61.51, 52, 38, 18, 12, 0.35], safety: [98.6, 12, 11, 0, 34, 31], year: [0, 1, 0, 0], environment: '环评已批复；水保方案已批复', problems: 'K32+000—K47+500段征地拆迁滞后4.5个月，桥梁工作面无法展开', suggestions: '由江州市政府牵头建立交地周调度机制', evidence: '形象进度影像资料.pdf', outcome: 'accepted' },
	{ code: 'T2', by: 't2-jianshe', money: [320, 60, 32.4, 171.2, 55, 57, 40, 34, 0.8], safety: [99.3, 8, 8, 0, 65, 64], year: [0, 1, 0, 0], environment: '环评已批复', problems: '部分站房设计优化待批复', suggestions: '', evidence: '站房施工影像.pdf', outcome: 'accepted' },
	{ code: 'T3', by: 't3-jianshe', money: [98, 25, 10.6, 29.4, 35, 30, 12, 8.1, 0.6], safety: [99, 5, 5, 0, 40, 38], year: [1, 1, 0, 0], environment: '环评已批复；噪声评估补充中', problems: '飞行区不停航施工时段受限', suggestions: '', evidence: '飞行区施工方案.pdf', outcome: 'draft' },
	{ code: 'W1', by: 'w1-jianshe', money: [245, 50, 27.8, 132.3, 58, 60, 35, 29.8, 1.2], safety: [99.1, 6, 6, 0, 42, 41], year: [0, 1, 0, 0], environment: '环评、水保、取水许可齐全', problems: '隧洞段局部围岩变差', suggestions: '', evidence: '隧洞掘进记录.pdf', outcome: 'accepted' },
	{ code: 'W2', by: 'w2-jianshe', money: [78, 16, 4.9, 21.68, 40, 27, 10, 4.6, 2.1], safety: [97.2, 9, 7, 1, 43, 38], year: [0, 1, 0, 0], environment: '环评已批复；移民安置规划已批复', problems: '坝址地质条件变化导致设计变更，省级资本金到位滞后', suggestions: '', evidence: '资金拨付凭证.pdf', outcome: 'returned then accepted', reason: '中央资金已支付数与财政厅拨付台账不一致，请核实后重报' },
	{ code: 'W3', by: 'w3-jianshe', money: [32, 9, 4.3, 17.89, 55, 53, 6, 4.9, 0.1], safety: [98.8, 4, 4, 0, 27, 26], year: [1, 1, 1, 0], environment: '环评已批复', problems: '末级渠系施工受灌溉期影响', suggestions: '', evidence: '渠系改造照片.pdf', outcome: 'accepted' },
	{ code: 'E1', by: 'e1-jianshe', money: [210, 70, 40.6, 111.93, 50, 53, 0, 0, 0], safety: [99.5, 3, 3, 0, 100, 99], year: [0, 1, 1, 0], environment: '环评、水保等手续齐全', problems: '换流站设备到货节点偏紧', suggestions: '推广EPC总承包与数字化周调度', evidence: '周调度记录.pdf', outcome: 'accepted' },
	{ code: 'E2', by: 'e2-jianshe', money: [95, 14, 6.2, 30.4, 34, 31, 0, 0, 0.4], safety: [98.9, 5, 5, 0, 38, 36], year: [1, 1, 0, 0], environment: '环评已批复', problems: '地下厂房开挖进度滞后', suggestions: '', evidence: '厂房开挖影像.pdf', outcome: 'accepted' },
	{ code: 'E3', by: 'e3-jianshe', money: [66, 20, 7.9, 18.48, 30, 24, 5, 3.2, 0], safety: [99, 4, 4, 0, 46, 43], year: [0, 1, 0, 0], environment: '环评已批复；安全预评价已备案', problems: '管道穿越段用地预审延迟', suggestions: '', evidence: '用地预审材料.pdf', outcome: 'accepted' },
	{ code: 'M1', by: 'm1-jianshe', money: [48, 12, 6.5, 28.8, 62, 64, 6, 5.1, 0.2], safety: [99.2, 3, 3, 0, 50, 49], year: [0, 1, 1, 0], environment: '环评已批复', problems: '入廊管线单位协调周期长', suggestions: '', evidence: '管廊主体验收记录.pdf', outcome: 'accepted' },
	{ code: 'M2', by: 'm2-jianshe', money: [22, 8, 3.1, 7.59, 45, 38, 4, 2.3, 0.1], safety: [98.4, 7, 6, 0, 27, 25], year: [1, 0, 0, 0], environment: '登记表备案', problems: '老旧小区入户改造协调难度大', suggestions: '', evidence: '入户改造台账.pdf', outcome: 'returned', reason: '本年计划新开工项目“已开工”与开工报告不符，请补充开工报告后重报' },
	{ code: 'M3', by: 'm3-jianshe', money: [15, 5, 1.6, 5.2, 48, 33, 3, 1.23, 0.2], safety: [97.9, 6, 5, 0, 71, 64], year: [0, 1, 0, 0], environment: '环评已批复；排污许可待变更', problems: '区级配套资金审核周期长，管网工程进度滞后', suggestions: '推行随报随审', evidence: '配套管网进度照片.pdf', outcome: 'accepted' }
];

function figuresOf(r: Pick<DemoReport, 'money' | 'safety' | 'year' | 'environment' | 'problems' | 'suggestions'>): Record<string, number | string> {
	const [totalInvestment, annualPlan, ytdDone, cumulativeDone, physicalPlanned, physicalActual, centralAllocated, centralPaid, designChanges] = r.money;
	const [firstPassRate, qualityIssues, qualityIssuesFixed, accidents, hazards, hazardsFixed] = r.safety;
	const [plannedStart, started, plannedCompletion, completed] = r.year;
	return {
		totalInvestment,
		annualPlan,
		ytdDone,
		cumulativeDone,
		plannedStart,
		started,
		plannedCompletion,
		completed,
		physicalPlanned,
		physicalActual,
		centralAllocated,
		centralPaid,
		designChanges,
		firstPassRate,
		qualityIssues,
		qualityIssuesFixed,
		accidents,
		hazards,
		hazardsFixed,
		environmentStatus: r.environment,
		problems: r.problems,
		...(r.suggestions ? { suggestions: r.suggestions } : {})
	};
}

export interface DemoReportStep {
	code: string;
	by: string;
	figures: Record<string, number | string>;
	evidence: string;
	outcome: ReportOutcome;
	reason?: string;
}

/** The half-year round (§7.3 figures). */
export const demoReports: DemoReportStep[] = demoReportRows.map((r) => ({ code: r.code, by: r.by, figures: figuresOf(r), evidence: r.evidence, outcome: r.outcome, reason: r.reason }));

/**
 * The first quarter: 42 % of each half-year's investment done by 31 March (to the 万元), the rest of
 * the cumulative figure and of the central funds paid accordingly, physical progress 10 points short
 * of June's; T3, E2 and W3 (new this year) had not started yet. All accepted.
 */
const to4 = (v: number) => Math.round(v * 10_000) / 10_000;
export const firstQuarterReports: DemoReportStep[] = demoReportRows.map((r) => {
	const [total, plan, done, cumulative, planned, actual, allocated, paid, changes] = r.money;
	const q1 = to4(done * 0.42);
	const year: Year = r.year[0] === 1 ? [1, 0, r.year[2], 0] : [r.year[0], r.year[1], r.year[2], 0];
	return {
		code: r.code,
		by: r.by,
		figures: figuresOf({ ...r, year, money: [total, plan, q1, to4(cumulative - done + q1), Math.max(0, planned - 10), Math.max(0, actual - 10), allocated, to4(paid * 0.5), changes] }),
		evidence: `一季度${r.evidence}`,
		outcome: 'accepted'
	};
});

/** A small, valid one-page PDF naming the evidence (ASCII only: a demo placeholder for a scan). */
export function demoPdf(title: string): Uint8Array {
	const text = `Concord demo evidence: ${Buffer.from(title).toString('hex').slice(0, 32)}`;
	const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
	];
	let pdf = '%PDF-1.4\n';
	const offsets = objects.map((o, i) => {
		const at = pdf.length;
		pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
		return at;
	});
	const xref = pdf.length;
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return new TextEncoder().encode(pdf);
}

/**
 * The case compilation's entries (domain.md §7.10), written by the expert panel after the meeting.
 * T1's is drawn from its analysis, its first measure (JY-01) and its accepted report, with the sections
 * the server drafts from them and the expert's own 经验启示 and 可推广条款. E1 and W1 were never
 * analysed (they are on the 红榜), so their cases have no source document, measure or accepted
 * report: the good practice is told in the sections, with the §7.3 figures written in.
 */
export interface DemoCase {
	kind: 'good' | 'lesson';
	title: string;
	project: string;
	/** Drawn from the breakout's analysis and its first measure (the server drafts the sections). */
	fromAnalysis?: BreakoutKey;
	sections: Partial<Record<'background' | 'practice' | 'outcome' | 'lessons' | 'clauses', string>>;
}

export const demoCases: DemoCase[] = [
	{
		kind: 'good',
		title: 'EPC总承包 + 数字化周调度',
		project: 'E1',
		sections: {
			background: '西北风光基地外送±800千伏特高压直流输电工程总投资210.0亿元，线路长、跨越多、参建单位多，年度计划投资70.0亿元。',
			practice: '采用EPC工程总承包，设计、采购、施工一体化管理，总承包单位对进度和投资负总责。\n建立数字化周调度平台：各标段每周报送形象进度、物资到货和人员设备投入，建设单位每周一召开调度会，对偏差超过5%的标段当周约谈。',
			outcome: '1—6月完成投资40.6亿元，年度投资完成率58.0%，高于序时8.0个百分点；SPI为1.06，一次验收合格率99.5%，未发生安全事故。',
			lessons: '进度管理靠“算清账、天天见”：责任主体单一、数据周周更新，偏差在萌芽阶段即被发现和纠正。',
			clauses: '建议在《国家重点建设项目管理办法》修订中，鼓励具备条件的重点项目采用工程总承包，并建立以周为单位的进度调度和偏差约谈制度。'
		}
	},
	{
		kind: 'good',
		title: '移民安置先行、工程建设跟进',
		project: 'W1',
		sections: {
			background: '丁省江河连通引调水工程总投资245.0亿元，涉及移民安置和大量永久占地。',
			practice: '坚持“先移民、后建设”：开工前完成移民安置规划审批和安置点建设，征地补偿标准在批复前统一公示、以协议锁定地方配套资金。\n环评、水保、取水许可在开工前全部取得。',
			outcome: '1—6月年度投资完成率55.6%，高于序时5.6个百分点；SPI为1.03，中央资金支付率85.1%，未因征迁停工。',
			lessons: '把“征拆条件具备”作为开工的前置条件，前期多用几个月，建设期少停几个月。',
			clauses: '建议在《国家重点建设项目管理办法》修订中，明确移民安置和征地拆迁条件具备作为项目开工的必要条件。'
		}
	},
	{
		kind: 'lesson',
		title: '先开工后征拆：沿江高速扩容工程延误4.5个月',
		project: 'T1',
		fromAnalysis: 'jt',
		sections: {
			lessons: '项目批复时未以协议锁定征拆责任与地方配套资金，形成“先开工、后征拆”，工作面无法按期移交，桥梁作业无法展开，最终延误4.5个月。',
			clauses: '建议在《国家重点建设项目管理办法》修订中，将“征拆条件具备”列为开工条件，并建立省级统筹的征拆责任与资金前置落实机制。'
		}
	}
];
