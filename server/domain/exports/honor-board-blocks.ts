import { beijingDate, officialDate } from '../../../src/lib/shared/beijing-time.js';
import type { HonorEntry, HonorReason } from '../../../src/lib/shared/honor-board.js';
import type { HonorBoardRecord } from '../../storage/types.js';
import type { MinutesBlock } from './minutes-blocks.js';

/** The official text is Chinese whatever the reader's language. */
const reasonZh: Record<HonorReason, string> = {
	ahead: '年度投资完成率高于序时',
	no_accident: '未发生生产安全事故',
	hazards_fixed: '隐患整改率达标',
	red_lamp: '红灯',
	accident: '发生生产安全事故'
};
const signed = (v: number | null) => (v === null ? '—' : `${v > 0 ? '+' : v < 0 ? '−' : ''}${Math.abs(v).toFixed(1)}`);

function entryText(e: HonorEntry): string {
	const figures = [`较序时${signed(e.deviation)}个百分点`, e.spi === null ? '' : `SPI ${e.spi.toFixed(2)}`, e.hazardFixRate === null ? '' : `隐患整改率${e.hazardFixRate.toFixed(1)}%`, e.accidents > 0 ? `安全事故${e.accidents}起` : ''].filter(Boolean);
	return `${e.name}（${e.code}）：${figures.join('，')}；${e.reasons.map((r) => reasonZh[r]).join('、')}；得分${signed(e.score)}${e.excuse ? `；因不可抗力免于列入黑榜：${e.excuse}` : ''}`;
}

/** The rule in words, as it was applied. */
export function honorRuleText(b: Pick<HonorBoardRecord, 'settings' | 'thresholds'>): string {
	const r = b.settings.rules;
	const red = [`年度投资完成率较序时${signed(r.redMinPoints)}个百分点及以上`, r.redNoAccident ? '未发生生产安全事故' : '', `隐患整改率不低于${r.redMinHazardFix}%`].filter(Boolean).join('、');
	const black = [r.blackRedLamp ? `亮红灯（较序时低于${signed(b.thresholds.redBelow)}个百分点）` : '', r.blackAccident ? '发生生产安全事故' : ''].filter(Boolean).join('或');
	const score = r.spiWeight > 0 ? `得分＝较序时百分点＋${r.spiWeight}×（SPI−1）×100` : '得分＝较序时百分点';
	return `红榜：${red}，按得分取前${r.topN}名；黑榜：${black || '（未设条件）'}，按得分取后${r.bottomN}名；${score}；${r.track === 'sector' ? '分行业排名' : '全部项目统一排名'}；因不可抗力滞后并有证明的，免于列入黑榜。`;
}

/** A published 红黑榜 as the minutes print it (an attachment after the body): rule, lists, provenance. */
export function honorBoardBlocks(b: HonorBoardRecord, publisher: string): MinutesBlock[] {
	const blocks: MinutesBlock[] = [
		{ kind: 'level1', text: `附：${b.roundTitle}红黑榜` },
		{ kind: 'body', text: `评定规则：${honorRuleText(b)}` }
	];
	for (const t of b.tracks) {
		const track = t.label ? `（${t.label}）` : '';
		blocks.push({ kind: 'level2', text: `红榜${track}` });
		if (t.red.length === 0) blocks.push({ kind: 'body', text: '无。' });
		t.red.forEach((e, i) => blocks.push({ kind: 'listItem', text: entryText(e), marker: `（${i + 1}）`, depth: 0 }));
		blocks.push({ kind: 'level2', text: `黑榜${track}` });
		if (t.black.length === 0) blocks.push({ kind: 'body', text: '无。' });
		t.black.forEach((e, i) => blocks.push({ kind: 'listItem', text: entryText(e), marker: `（${i + 1}）`, depth: 0 }));
		for (const e of t.excused) blocks.push({ kind: 'body', text: entryText(e) });
	}
	blocks.push({
		kind: 'body',
		text: `依据截至${officialDate(b.periodEnd)}经审核通过的项目执行报告，按上述规则计算，由${publisher}于${officialDate(beijingDate(b.publishedAt))}发布。`
	});
	return blocks;
}
