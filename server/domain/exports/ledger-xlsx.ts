import ExcelJS from 'exceljs';
import { beijingWallClock } from '../../../src/lib/shared/beijing-time.js';
import { defuseFormula } from '../../../src/lib/shared/csv.js';
import type { Escalation, LedgerStatus } from '../../../src/lib/shared/ledger.js';
import type { EvidenceRecord, LedgerReportRecord, UserRecord } from '../../storage/types.js';
import type { LedgerItem } from '../ledger.js';

/** The exports are official documents: always Chinese, whatever the reader's UI language. */
export const statusZh: Record<LedgerStatus, string> = { not_started: '未启动', in_progress: '推进中', pending_review: '已完成待审核', closed: '已销号' };
export const escalationZh: Record<Escalation, string> = { '': '', blue: '蓝色提醒', yellow: '黄色预警', red: '红色督办' };

export interface LedgerExport {
	conferenceTitle: string;
	items: readonly LedgerItem[];
	reports: readonly LedgerReportRecord[];
	evidence: ReadonlyMap<string, readonly EvidenceRecord[]>;
	people: ReadonlyMap<string, UserRecord>;
}

/** A calendar date as an Excel date (midnight UTC, so the serial is the whole day). */
const day = (d: string) => (d ? new Date(`${d}T00:00:00Z`) : null);
const text = (v: string) => defuseFormula(v);

export interface Column {
	header: string;
	width: number;
	format?: string;
}

export function sheet(book: ExcelJS.Workbook, name: string, columns: readonly Column[], rows: readonly (readonly unknown[])[]) {
	const ws = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
	ws.columns = columns.map((c) => ({ header: c.header, width: c.width, style: c.format ? { numFmt: c.format } : {} }));
	const head = ws.getRow(1);
	head.font = { bold: true };
	head.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
	head.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8EEF7' } };
	for (const r of rows) ws.addRow([...r]).alignment = { vertical: 'top', wrapText: true };
	ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: columns.length } };
	return ws;
}

/**
 * The resolution list and the ledger as one workbook: sheet 1 one row per item, sheet 2 every progress
 * report. Chinese headers, a frozen header row, dates as dates, percentages as numbers. All text is
 * untrusted: anything a spreadsheet would run as a formula is defused.
 */
export async function ledgerWorkbook(x: LedgerExport): Promise<Buffer> {
	const book = new ExcelJS.Workbook();
	book.creator = 'Concord';
	book.title = `${x.conferenceTitle}决议清单与整改台账`;
	const items = x.items.map((i) => {
		const r = i.resolution;
		return [
			r.number,
			r.ledgerNumber,
			text(r.title),
			text(r.breakout.name),
			text(r.breakout.sector),
			text(r.leadUnit),
			text(r.supportingUnits),
			text(r.type),
			day(r.deadline),
			day(i.deadline),
			text(r.criteria),
			statusZh[i.status],
			i.percent / 100,
			escalationZh[i.escalation],
			text(i.latest?.progress ?? ''),
			i.closedAt === null ? null : beijingWallClock(i.closedAt)
		];
	});
	sheet(
		book,
		'决议清单与整改台账',
		[
			{ header: '决议编号', width: 10 },
			{ header: '台账编号', width: 13 },
			{ header: '决议事项', width: 36 },
			{ header: '分组', width: 10 },
			{ header: '行业', width: 8 },
			{ header: '牵头单位', width: 22 },
			{ header: '配合单位', width: 22 },
			{ header: '整改类型', width: 12 },
			{ header: '时间节点', width: 12, format: 'yyyy-mm-dd' },
			{ header: '现行时限', width: 12, format: 'yyyy-mm-dd' },
			{ header: '考核标准', width: 30 },
			{ header: '状态', width: 13 },
			{ header: '累计完成', width: 10, format: '0%' },
			{ header: '督办等级', width: 10 },
			{ header: '最新进展', width: 36 },
			{ header: '销号日期', width: 12, format: 'yyyy-mm-dd' }
		],
		items
	);
	const numberOf = new Map(x.items.map((i) => [i.resolution.proposal.id, i.resolution]));
	const reports = x.reports
		.filter((r) => numberOf.has(r.proposalId))
		.map((r) => {
			const res = numberOf.get(r.proposalId);
			const by = x.people.get(r.byUser);
			return [
				res?.ledgerNumber ?? '',
				text(res?.title ?? ''),
				beijingWallClock(r.at),
				text(by?.displayName ?? ''),
				text(by?.unit ?? ''),
				text(r.progress),
				r.percent / 100,
				text(r.difficulties),
				text(r.nextSteps),
				text((x.evidence.get(r.id) ?? []).map((e) => e.name).join('；'))
			];
		});
	sheet(
		book,
		'整改进展',
		[
			{ header: '台账编号', width: 13 },
			{ header: '决议事项', width: 30 },
			{ header: '报送时间', width: 17, format: 'yyyy-mm-dd hh:mm' },
			{ header: '报送人', width: 10 },
			{ header: '报送单位', width: 22 },
			{ header: '本期进展', width: 36 },
			{ header: '累计完成', width: 10, format: '0%' },
			{ header: '存在困难', width: 28 },
			{ header: '下步计划', width: 28 },
			{ header: '佐证材料', width: 28 }
		],
		reports
	);
	return Buffer.from(await book.xlsx.writeBuffer());
}
