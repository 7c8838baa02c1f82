import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { EvidenceFiles, evidenceType, safeFileName } from '../../server/domain/evidence.js';
import { attachment } from '../../server/http/download.js';
import { esc } from '../../server/domain/exports/minutes-docx.js';
import { officialDate, officialDateRange } from '../../src/lib/shared/beijing-time.js';
import { ledgerNumber, resolutionNumber, sectorCode } from '../../src/lib/shared/decision-numbers.js';
import { defaultLedgerSettings, escalationOf, lagOf, ledgerSettingsSchema, ofResponsibleUnit, unitsOf } from '../../src/lib/shared/ledger.js';
import { stored, zipOf } from '../helpers/zip-files.js';

const open = { status: 'in_progress' as const, percent: 50, start: '2025-07-18' };

describe('escalation (三色督办)', () => {
	const s = defaultLedgerSettings; // blue 15 days, yellow 7 days or 20 points behind
	test('red once overdue, yellow near the deadline, blue when it approaches, nothing before', () => {
		expect(escalationOf({ ...open, deadline: '2025-09-30' }, '2025-10-01', s)).toBe('red');
		expect(escalationOf({ ...open, percent: 100, deadline: '2025-09-30' }, '2025-09-25', s)).toBe('yellow');
		expect(escalationOf({ ...open, percent: 100, deadline: '2025-09-30' }, '2025-09-20', s)).toBe('blue');
		expect(escalationOf({ ...open, percent: 100, deadline: '2025-09-30' }, '2025-09-01', s)).toBe('');
	});
	test('yellow when the reported % trails the time elapsed by more than the threshold', () => {
		// 2025-07-18 → 2025-12-31 is 166 days; on 2025-10-24 (98 days) 59% of the time has gone.
		expect(lagOf(30, '2025-07-18', '2025-12-31', '2025-10-24')).toBe(29);
		expect(escalationOf({ ...open, percent: 30, deadline: '2025-12-31' }, '2025-10-24', s)).toBe('yellow');
		expect(escalationOf({ ...open, percent: 45, deadline: '2025-12-31' }, '2025-10-24', s)).toBe('');
	});
	test('items awaiting review, closed, or without a deadline are not escalated', () => {
		expect(escalationOf({ ...open, status: 'pending_review', deadline: '2025-09-30' }, '2025-10-30', s)).toBe('');
		expect(escalationOf({ ...open, status: 'closed', deadline: '2025-09-30' }, '2025-10-30', s)).toBe('');
		expect(escalationOf({ ...open, deadline: '' }, '2025-10-30', s)).toBe('');
	});
	test('thresholds: yellow inside blue', () => {
		expect(ledgerSettingsSchema.safeParse({ blueDays: 5, yellowDays: 7, lagPoints: 20 }).success).toBe(false);
		expect(ledgerSettingsSchema.safeParse({ blueDays: 30, yellowDays: 7, lagPoints: 20 }).success).toBe(true);
	});
});

test('responsible units: the lead and each supporting unit, split as people write them', () => {
	expect(unitsOf('甲省财政厅、 乙省财政厅，丙省;丁省')).toEqual(['甲省财政厅', '乙省财政厅', '丙省', '丁省']);
	expect(ofResponsibleUnit('戊省财政厅', '戊省人民政府', '戊省财政厅')).toBe(true);
	expect(ofResponsibleUnit(' 戊省人民政府 ', '戊省人民政府', '')).toBe(true);
	expect(ofResponsibleUnit('戊省', '戊省人民政府', '')).toBe(false);
	expect(ofResponsibleUnit('', '', '')).toBe(false);
	expect(ledgerNumber(sectorCode('水利'), 3)).toBe('ZG-SL-003');
	expect(ledgerNumber(sectorCode('边境口岸'), 1)).toBe('ZG-QT-001');
	expect(resolutionNumber(5)).toBe('JY-05');
	expect(resolutionNumber(120)).toBe('JY-120');
});

test('official dates (GB/T 9704 7.3.5)', () => {
	expect(officialDate('2025-07-08')).toBe('2025年7月8日');
	expect(officialDateRange('2025-07-17', '2025-07-18')).toBe('2025年7月17日至18日');
	expect(officialDateRange('2025-07-30', '2025-08-01')).toBe('2025年7月30日至8月1日');
	expect(officialDateRange('2025-12-31', '2026-01-01')).toBe('2025年12月31日至2026年1月1日');
	expect(officialDateRange('2025-07-17', '')).toBe('2025年7月17日');
});

describe('untrusted names and content', () => {
	test('evidence is what its first bytes say, and one of the accepted types', () => {
		const pdf = new TextEncoder().encode('%PDF-1.7\n');
		expect(evidenceType('批复.PDF', pdf)).toEqual({ ext: 'pdf', mime: 'application/pdf' });
		expect(evidenceType('批复.pdf', new TextEncoder().encode('<html>'))).toBeNull();
		expect(evidenceType('批复.html', pdf)).toBeNull();
		expect(evidenceType('批复', pdf)).toBeNull();
		const zip = (...entries: string[]) => zipOf(entries.map((name) => stored(name, '<x/>')));
		expect(evidenceType('报告.docx', zip('[Content_Types].xml', 'word/document.xml'))?.ext).toBe('docx');
		expect(evidenceType('报告.docx', zip('[Content_Types].xml', 'xl/workbook.xml'))).toBeNull();
		expect(evidenceType('台账.xlsx', zip('[Content_Types].xml', 'xl/workbook.xml'))?.ext).toBe('xlsx');
		expect(evidenceType('凭证.ofd', zip('OFD.xml'))?.ext).toBe('ofd');
		// The names alone, in bytes that are no zip, are nothing.
		expect(evidenceType('报告.docx', Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new TextEncoder().encode('....[Content_Types].xml word/document.xml')]))).toBeNull();
	});
	test('file names lose separators, control and reserved characters, keep Chinese and the extension', () => {
		expect(safeFileName('../../etc/passwd')).toBe('文件.etcpasswd');
		expect(safeFileName('..\\..\\报告.docx')).toBe('报告.docx');
		expect(safeFileName('交地确认书\u202e.png')).toBe('交地确认书.png');
		expect(safeFileName('a<b>:"c|?*.pdf')).toBe('abc.pdf');
		expect(safeFileName('.png')).toBe('文件.png');
		expect([...safeFileName(`${'𠀀'.repeat(200)}.pdf`)]).toHaveLength(100);
		expect(attachment('纪要 "1".docx')).toBe(`attachment; filename="__ _1_.docx"; filename*=UTF-8''${encodeURIComponent('纪要 "1".docx')}`);
		expect(attachment("台账(1)'.xlsx")).toBe(`attachment; filename="__(1)'.xlsx"; filename*=UTF-8''%E5%8F%B0%E8%B4%A6%281%29%27.xlsx`);
	});
	test('DOCX text is escaped and stripped of what XML forbids', () => {
		expect(esc('<w:t>&"x"\u0001\u{20000}')).toBe('&lt;w:t&gt;&amp;&quot;x&quot;\u{20000}');
	});
});

test('characters outside GB2312 are found, so names that 仿宋_GB2312 cannot show are flagged', async () => {
	const { outsideGb2312 } = await import('../../src/lib/shared/gb2312.js');
	expect(outsideGb2312('张立群（国家发展改革委投资司）· A1')).toEqual([]);
	expect(outsideGb2312('朱镕基、王𠀾、李喆、朱镕')).toEqual(['镕', '𠀾', '喆']);
	expect(outsideGb2312('')).toEqual([]);
});

test('an evidence file recorded but not in this DATA_DIR names the cause (instances that do not share the directory)', async () => {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'concord-evidence-'));
	try {
		const files = new EvidenceFiles(path.join(dir, 'evidence'));
		await files.save('kept1', Uint8Array.of(1, 2, 3));
		expect([...(await files.read('kept1'))]).toEqual([1, 2, 3]);
		await expect(files.read('elsewhere1')).rejects.toThrow(/must use the same DATA_DIR/);
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
});
