import { expect, test } from 'vitest';
import { defaultThresholds } from '../../src/lib/shared/kpi.js';
import { type HonorProject, defaultHonorRules, honorBoard, honorSettingsSchema } from '../../src/lib/shared/honor-board.js';

/** The twelve projects of domain.md §7.3: [code, sector, plan, done, physical planned, actual, accidents, hazards, fixed]. */
const rows: [string, string, number, number, number, number, number, number, number][] = [
	['T1', '交通', 42, 13.2, 52, 38, 0, 34, 31],
	['T2', '交通', 60, 32.4, 55, 57, 0, 65, 64],
	['T3', '交通', 25, 10.6, 35, 30, 0, 40, 38],
	['W1', '水利', 50, 27.8, 58, 60, 0, 42, 41],
	['W2', '水利', 16, 4.9, 40, 27, 1, 43, 38],
	['W3', '水利', 9, 4.3, 55, 53, 0, 27, 26],
	['E1', '能源', 70, 40.6, 50, 53, 0, 100, 99],
	['E2', '能源', 14, 6.2, 34, 31, 0, 38, 36],
	['E3', '能源', 20, 7.9, 30, 24, 0, 46, 43],
	['M1', '市政', 12, 6.5, 62, 64, 0, 50, 49],
	['M2', '市政', 8, 3.1, 45, 38, 0, 27, 25],
	['M3', '市政', 5, 1.6, 48, 33, 0, 71, 64]
];
const demo: HonorProject[] = rows.map(([code, sector, annualPlan, ytdDone, physicalPlanned, physicalActual, accidents, hazards, hazardsFixed]) => ({
	projectId: `p-${code}`,
	reportId: `r-${code}`,
	code,
	name: `项目${code}`,
	sector,
	values: { annualPlan, ytdDone, physicalPlanned, physicalActual, accidents, hazards, hazardsFixed }
}));
const codes = (entries: { code: string }[]) => entries.map((e) => e.code);

test('the demo rule gives the board of domain.md §7.9: 红榜 E1 W1 M1 (T2 qualifies, fourth), 黑榜 W2 T1 M3', () => {
	const [board] = honorBoard(demo, '2025-06-30', { rules: defaultHonorRules, excused: [] }, defaultThresholds);
	expect(codes(board.red)).toEqual(['E1', 'W1', 'M1']);
	expect(board.red.map((e) => e.score)).toEqual([8, 5.6, 4.2]);
	expect(board.red[0]).toMatchObject({ rank: 1, reasons: ['ahead', 'no_accident', 'hazards_fixed'], hazardFixRate: 99, accidents: 0 });
	expect(codes(board.alsoRed)).toEqual(['T2']);
	expect(codes(board.black)).toEqual(['W2', 'T1', 'M3']);
	expect(board.black[0]).toMatchObject({ deviation: -19.4, reasons: ['red_lamp', 'accident'] });
	expect(board.black[1].reasons).toEqual(['red_lamp']);
	// W1 with 97.6 % of hazards fixed qualifies; at a 98 % bar it does not, and T2 moves up.
	const [strict] = honorBoard(demo, '2025-06-30', { rules: { ...defaultHonorRules, redMinHazardFix: 98 }, excused: [] }, defaultThresholds);
	expect(codes(strict.red)).toEqual(['E1', 'M1', 'T2']);
});

test('force majeure excuses from 黑榜 with its reason; tracks by sector; the score may weigh SPI; ties go by 项目代码', () => {
	const excused = [{ projectId: 'p-T1', reason: '特大洪水停工两个月（有气象部门证明）' }];
	const [board] = honorBoard(demo, '2025-06-30', { rules: defaultHonorRules, excused }, defaultThresholds);
	expect(codes(board.black)).toEqual(['W2', 'M3']);
	expect(board.excused).toMatchObject([{ code: 'T1', excuse: '特大洪水停工两个月（有气象部门证明）' }]);
	// An accident alone puts W3 on 黑榜 once accidents count; without the red-lamp condition only W2 remains.
	const [accidentsOnly] = honorBoard(demo, '2025-06-30', { rules: { ...defaultHonorRules, blackRedLamp: false }, excused: [] }, defaultThresholds);
	expect(codes(accidentsOnly.black)).toEqual(['W2']);
	const bySector = honorBoard(demo, '2025-06-30', { rules: { ...defaultHonorRules, track: 'sector', topN: 1, bottomN: 1 }, excused: [] }, defaultThresholds);
	expect(bySector.map((t) => [t.label, codes(t.red), codes(t.black)])).toEqual([
		['交通', ['T2'], ['T1']],
		['水利', ['W1'], ['W2']],
		['能源', ['E1'], []],
		['市政', ['M1'], ['M3']]
	]);
	// SPI weighted: (SPI − 1) × 100 × 0.5 added; E1 8 + 3 = 11.0, W1 5.6 + 1.5 = 7.1, T2 4.0 + 2 = 6.0 passes M1 4.2 + 1.5 = 5.7.
	const [spi] = honorBoard(demo, '2025-06-30', { rules: { ...defaultHonorRules, spiWeight: 0.5 }, excused: [] }, defaultThresholds);
	expect(spi.red.map((e) => [e.code, e.score])).toEqual([
		['E1', 11],
		['W1', 7.1],
		['T2', 6]
	]);
	const twins = [demo[6], { ...demo[6], projectId: 'p-E0', code: 'E0' }];
	expect(codes(honorBoard(twins.reverse(), '2025-06-30', { rules: defaultHonorRules, excused: [] }, defaultThresholds)[0].red)).toEqual(['E0', 'E1']);
	// The lamp rule moves 黑榜 with it.
	expect(codes(honorBoard(demo, '2025-06-30', { rules: { ...defaultHonorRules, blackAccident: false }, excused: [] }, { amberBelow: -10, redBelow: -19 })[0].black)).toEqual(['W2']);
});

test('settings are checked: bounds, whole counts, reasons given', () => {
	expect(honorSettingsSchema.safeParse({ rules: defaultHonorRules, excused: [] }).success).toBe(true);
	for (const rules of [{ ...defaultHonorRules, topN: 0 }, { ...defaultHonorRules, topN: 2.5 }, { ...defaultHonorRules, redMinHazardFix: 101 }, { ...defaultHonorRules, track: 'region' }, { ...defaultHonorRules, spiWeight: -1 }]) {
		expect(honorSettingsSchema.safeParse({ rules, excused: [] }).success, JSON.stringify(rules)).toBe(false);
	}
	for (const reason of ['   ', '\u200b\u200b', '洪水\u0000', '']) expect(honorSettingsSchema.safeParse({ rules: defaultHonorRules, excused: [{ projectId: 'p-T1', reason }] }).success, JSON.stringify(reason)).toBe(false);
});
