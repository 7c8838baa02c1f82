import ExcelJS from 'exceljs';
import { describe, expect, test } from 'vitest';
import {
	AttendeeFileError,
	checkAttendees,
	decodeText,
	maxAttendeeRows,
	parseCsv,
	personKey,
	readTable
} from '../../server/domain/attendee-list.js';
import { XlsxUnreadable, readXlsxTable } from '../../server/domain/xlsx-table.js';
import { XlsxRefusal } from '../../server/domain/xlsx-table-reader.js';
import { sheetHead, sheetTail, stored, workbookParts, zipOf } from '../helpers/zip-files.js';

const breakouts = [
	{ id: 'b-transport', name: '交通组' },
	{ id: 'b-water', name: '水利组' }
];
const ctx = { breakouts, existingPeople: new Set<string>() };
const header = ['姓名', '单位', '单位类型', '角色', '分组', '手机', '邮箱'];

describe('CSV', () => {
	test('quoted fields keep commas, doubled quotes and line breaks; CRLF and blank lines are handled', () => {
		const text = '姓名,单位\r\n"李华","甲省交通运输厅，规划处"\r\n\r\n"王""强""",\"第一行\n第二行\"\n';
		expect(parseCsv(text)).toEqual([
			['姓名', '单位'],
			['李华', '甲省交通运输厅，规划处'],
			['王"强"', '第一行\n第二行']
		]);
	});

	test('UTF-8 with a BOM and GB18030 (what Excel on a Chinese Windows writes) both decode', () => {
		const utf8 = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode('姓名')]);
		expect(decodeText(utf8)).toBe('姓名');
		// "姓名" in GB18030.
		expect(decodeText(new Uint8Array([0xd0, 0xd5, 0xc3, 0xfb]))).toBe('姓名');
	});
});

describe('XLSX', () => {
	// What the worker runs (server/domain/xlsx-worker.ts), here in-process.
	const limits = { maxRows: maxAttendeeRows + 2, maxColumns: 100 };
	const readXlsx = (bytes: Uint8Array) =>
		readXlsxTable(bytes, limits).catch((err: unknown) => {
			throw err instanceof XlsxUnreadable ? new XlsxRefusal('unreadable', err.message) : err;
		});

	test('the first sheet is read as text: numbers, hyperlinks, rich text and inline strings alike; gaps keep their columns', async () => {
		const wb = new ExcelJS.Workbook();
		const sheet = wb.addWorksheet('名单');
		sheet.addRow(header);
		sheet.addRow(['赵敏', { richText: [{ text: '乙市' }, { text: '水务局', font: { bold: true } }] }, '地方政府', '参会单位代表', '水利组', 13800138000, { text: 'zm@example.cn', hyperlink: 'mailto:zm@example.cn' }]);
		sheet.addRow([]);
		sheet.addRow(['钱&lt;工>', '', '施工', '专家']);
		wb.addWorksheet('其他').addRow(['ignored']);
		const bytes = new Uint8Array(await wb.xlsx.writeBuffer());
		expect(await readTable(bytes, readXlsx)).toEqual([header, ['赵敏', '乙市水务局', '地方政府', '参会单位代表', '水利组', '13800138000', 'zm@example.cn'], ['钱&lt;工>', '', '施工', '专家']]);

		const inline = zipOf([
			...workbookParts(),
			stored('xl/worksheets/sheet1.xml', `${sheetHead}<row r="1"><c r="B1" t="inlineStr"><is><r><t>单</t></r><r><t>位</t></r><rPh><t>ダン</t></rPh></is></c><c r="D1" t="b"><v>1</v></c></row>${sheetTail}`)
		]);
		expect(await readTable(inline, readXlsx)).toEqual([['', '单位', '', 'true']]);
	});

	test('reading stops at the row limit: a sheet of 110,000 rows yields the header, 2,000 rows and one more', async () => {
		const rows = Array.from({ length: 110_000 }, (_, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="inlineStr"><is><t>人${i}</t></is></c></row>`).join('');
		const bytes = zipOf([...workbookParts(), stored('xl/worksheets/sheet1.xml', `${sheetHead}<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c></row>${rows}${sheetTail}`)]);
		const table = await readTable(bytes, readXlsx);
		expect(table).toHaveLength(maxAttendeeRows + 2);
		expect(table.at(-1)).toEqual([`人${maxAttendeeRows}`]);
	});

	test('a file that looks like a zip but is not a workbook is unreadable, and so is broken XML', async () => {
		const fake = new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]);
		await expect(readTable(fake, readXlsx)).rejects.toMatchObject({ problem: { code: 'unreadable' } });
		const broken = zipOf([...workbookParts(), stored('xl/worksheets/sheet1.xml', `${sheetHead}<row><c t="inlineStr"><is><t>&bomb;</t></is></c></row>${sheetTail}`)]);
		await expect(readTable(broken, readXlsx)).rejects.toMatchObject({ problem: { code: 'unreadable' } });
	});
});

describe('checking rows', () => {
	test('Chinese and English headers, role names, unit types with their suffix and breakouts with or without 组', () => {
		const rows = checkAttendees(
			[
				['Name', 'Unit', 'Unit type', 'Role', 'Breakouts', 'E-mail'],
				['李华', '甲省交通运输厅', '行业主管部门', '分组召集人', '交通', 'lh@example.cn'],
				['钱工', '中衡设计院', '设计单位', 'participant', '交通组、水利组', ''],
				['孙专家', '专家组', '专家', '专家', '', '']
			],
			ctx
		);
		expect(rows.map((r) => r.errors)).toEqual([[], [], []]);
		expect(rows.map((r) => [r.row, r.role, r.unitType, r.breakoutIds])).toEqual([
			[2, 'moderator', '行业主管', ['b-transport']],
			[3, 'participant', '设计', ['b-transport', 'b-water']],
			[4, 'expert', '专家', []]
		]);
	});

	test('every problem is named on its row with the field and the value', () => {
		const rows = checkAttendees(
			[
				header,
				['', '甲单位', '施工', '参会代表', '', '', ''],
				['张三', '乙单位', '施工队', '嘉宾', '能源组', '12345', 'not-an-email'],
				['李四', '丙单位', '监理', '列席', '', '010-12345678', ''],
				['李四', '丙单位', '监理', '列席', '', '', ''],
				['王五', '丁单位', '审计', '督查', '', '+86 139 0000 0000', '']
			],
			ctx
		);
		expect(rows[0].errors).toEqual([{ field: 'displayName', code: 'required', value: '' }]);
		expect(rows[1].errors).toEqual([
			{ field: 'unitType', code: 'unknown_unit_type', value: '施工队' },
			{ field: 'role', code: 'unknown_role', value: '嘉宾' },
			{ field: 'breakouts', code: 'unknown_breakout', value: '能源组' },
			{ field: 'phone', code: 'bad_phone', value: '12345' },
			{ field: 'email', code: 'bad_email', value: 'not-an-email' }
		]);
		expect(rows[2].errors).toEqual([]);
		expect(rows[2].phone).toBe('01012345678');
		expect(rows[3].errors).toEqual([{ field: 'displayName', code: 'duplicate_in_file', value: '4' }]);
		expect(rows[4].errors).toEqual([]);
		expect(rows.map((r) => r.row)).toEqual([2, 3, 4, 5, 6]);
	});

	test('someone already in the conference is refused by name and unit', () => {
		const rows = checkAttendees([header, ['李华', '甲省交通运输厅', '行业主管', '专家', '', '', '']], {
			breakouts,
			existingPeople: new Set([personKey('李华', '甲省交通运输厅')])
		});
		expect(rows[0].errors).toEqual([{ field: 'displayName', code: 'already_member', value: '李华' }]);
	});

	test('length counts characters: 64 rare characters pass, 65 are refused, and the quoted value keeps them whole', () => {
		const rows = checkAttendees([header, ['𠮷'.repeat(65), '𠮷田县人民政府', '地方政府', '列席', '', '', ''], ['𠮷野', '𠮷田县人民政府', '地方政府', '列席', '', '', '']], ctx);
		expect(rows[0].errors).toEqual([{ field: 'displayName', code: 'too_long', value: '𠮷'.repeat(20) }]);
		expect(rows[1]).toMatchObject({ displayName: '𠮷野', errors: [] });
		expect(checkAttendees([header, ['𠮷'.repeat(64), '单位', '施工', '列席', '', '', '']], ctx)[0].errors).toEqual([]);
	});

	test('file problems: empty, a required column missing, too many rows', () => {
		const problem = (table: string[][]) => {
			try {
				checkAttendees(table, ctx);
			} catch (err) {
				if (err instanceof AttendeeFileError) return err.problem;
				throw err;
			}
			return null;
		};
		expect(problem([])).toEqual({ code: 'empty' });
		expect(problem([['姓名', '单位', '角色']])).toEqual({ code: 'missing_column', field: 'unitType' });
		const many = [header, ...Array.from({ length: maxAttendeeRows + 1 }, (_, i) => [`人${i}`, '单位', '施工', '列席', '', '', ''])];
		expect(problem(many)).toEqual({ code: 'too_many_rows', limit: maxAttendeeRows });
	});
});
