import { type Role, roles, type UnitType, unitTypes } from '../../src/lib/shared/roles.js';
import type { AttendeeFieldError, AttendeeRow, FileProblem } from '../../src/lib/shared/schemas.js';
import { XlsxRefusal } from './xlsx-table-reader.js';

/**
 * The attendee list (参会人员名单) an organizer imports: a CSV or XLSX table with a header row, read
 * into rows that are checked one by one. Nothing here touches storage; `AttendeeImport` decides.
 */

export const maxAttendeeRows = 2000;

/** Header spellings accepted for each field, compared trimmed and case-insensitively. */
const headerNames: Record<AttendeeField, string[]> = {
	displayName: ['姓名', '名字', 'name', 'display name'],
	unit: ['单位', '工作单位', '单位名称', 'unit', 'organization'],
	unitType: ['单位类型', 'unit type', 'unittype'],
	role: ['角色', '身份', '参会身份', 'role'],
	breakouts: ['分组', '所在分组', '参加分组', 'breakouts', 'breakout', 'group'],
	phone: ['手机', '手机号', '手机号码', '电话', '联系电话', 'phone', 'mobile'],
	email: ['邮箱', '电子邮箱', '电子邮件', 'email', 'e-mail']
};
type AttendeeField = 'displayName' | 'unit' | 'unitType' | 'role' | 'breakouts' | 'phone' | 'email';
const requiredColumns: AttendeeField[] = ['displayName', 'unit', 'unitType', 'role'];

/** Role names as people write them in a list, beside the ids. */
const roleNames: Record<string, Role> = {
	主办方: 'organizer',
	筹备组: 'organizer',
	'主办方/筹备组': 'organizer',
	分组召集人: 'moderator',
	召集人: 'moderator',
	参会单位代表: 'participant',
	参会代表: 'participant',
	代表: 'participant',
	专家: 'expert',
	专家组: 'expert',
	督查: 'supervisor',
	督查员: 'supervisor',
	远程列席: 'observer',
	列席: 'observer',
	观察员: 'observer'
};

const unitTypeAliases: Record<string, UnitType> = { 项目法人: '建设', 代建: '建设', 专家组: '专家', 第三方审计: '审计' };

const maxLength = { displayName: 64, unit: 128, phone: 32, email: 128 } as const;

export class AttendeeFileError extends Error {
	constructor(readonly problem: FileProblem) {
		super(problem.code);
	}
}

/**
 * Reads the first sheet of an XLSX file (with `readXlsx`, which refuses with XlsxRefusal), or a CSV
 * file in UTF-8 (with or without BOM) or GB18030.
 */
export async function readTable(bytes: Uint8Array, readXlsx: (bytes: Uint8Array) => Promise<string[][]>): Promise<string[][]> {
	if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
		try {
			return await readXlsx(bytes);
		} catch (err) {
			if (err instanceof XlsxRefusal) throw new AttendeeFileError({ code: err.problem });
			throw err;
		}
	}
	return parseCsv(decodeText(bytes));
}

/** UTF-8 when it is valid UTF-8; otherwise GB18030, what Excel on a Chinese Windows saves CSV as. */
export function decodeText(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

/** RFC 4180: quoted fields with doubled quotes and line breaks inside; CRLF or LF; empty lines dropped. */
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else field += ch;
		} else if (ch === '"' && field === '') quoted = true;
		else if (ch === ',') {
			row.push(field);
			field = '';
		} else if (ch === '\n' || ch === '\r') {
			if (ch === '\r' && text[i + 1] === '\n') i++;
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
		} else field += ch;
	}
	if (field !== '' || row.length > 0) {
		row.push(field);
		rows.push(row);
	}
	return rows.filter((r) => r.some((cell) => cell.trim() !== ''));
}

/** Length in characters, so that a rare character outside the BMP counts once. */
const chars = (s: string) => [...s].length;

const normalizeHeader = (h: string) => h.replace(/^\uFEFF/, '').replace(/[*＊]/g, '').trim().toLowerCase();
/** Breakout names match with or without the trailing 组 ("交通" is "交通组"). */
const breakoutKey = (name: string) => name.trim().replace(/组$/, '').toLowerCase();

function roleOf(value: string): Role | null {
	const v = value.trim();
	if ((roles as readonly string[]).includes(v.toLowerCase())) return v.toLowerCase() as Role;
	return roleNames[v] ?? null;
}

function unitTypeOf(value: string): UnitType | null {
	const v = value.trim();
	for (const candidate of [v, v.replace(/(单位|部门|机关)$/, '')]) {
		if ((unitTypes as readonly string[]).includes(candidate)) return candidate as UnitType;
		if (candidate in unitTypeAliases) return unitTypeAliases[candidate];
	}
	return null;
}

/** A mobile (11 digits from 1), or a landline with area code; spaces and dashes allowed, +86 optional. */
const phonePattern = /^(?:\+?86)?(?:1\d{10}|0\d{9,11})$/;
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface ListContext {
	breakouts: { id: string; name: string }[];
	/** `name\u0000unit` of people already in the conference. */
	existingPeople: Set<string>;
}

export const personKey = (displayName: string, unit: string) => `${displayName.trim()}\u0000${unit.trim()}`;

/**
 * Checks every row. File-level problems (no header, a required column missing, too many rows) are
 * thrown as AttendeeFileError; row problems are reported on their row with the field and the value.
 * Row numbers are those of the spreadsheet (the header is row 1 when it is the first line).
 */
export function checkAttendees(table: string[][], ctx: ListContext): AttendeeRow[] {
	if (table.length === 0) throw new AttendeeFileError({ code: 'empty' });
	const header = table[0].map(normalizeHeader);
	const column = new Map<AttendeeField, number>();
	for (const [field, names] of Object.entries(headerNames) as [AttendeeField, string[]][]) {
		const index = header.findIndex((h) => names.includes(h));
		if (index >= 0) column.set(field, index);
	}
	const missing = requiredColumns.find((f) => !column.has(f));
	if (missing !== undefined) throw new AttendeeFileError({ code: 'missing_column', field: missing });
	if (table.length - 1 > maxAttendeeRows) throw new AttendeeFileError({ code: 'too_many_rows', limit: maxAttendeeRows });

	const breakoutsByKey = new Map(ctx.breakouts.map((b) => [breakoutKey(b.name), b.id]));
	const seen = new Map<string, number>();
	return table.slice(1).map((cells, i) => {
		const rowNumber = i + 2;
		const get = (f: AttendeeField) => (column.has(f) ? (cells[column.get(f)!] ?? '').trim() : '');
		const errors: AttendeeFieldError[] = [];
		const fail = (field: AttendeeFieldError['field'], code: AttendeeFieldError['code'], value = '') => errors.push({ field, code, value });

		const displayName = get('displayName');
		const unit = get('unit');
		for (const [field, value] of [['displayName', displayName], ['unit', unit]] as const) {
			if (value === '') fail(field, 'required');
			else if (chars(value) > maxLength[field]) fail(field, 'too_long', [...value].slice(0, 20).join(''));
		}
		const unitTypeText = get('unitType');
		const unitType = unitTypeOf(unitTypeText);
		if (unitTypeText === '') fail('unitType', 'required');
		else if (unitType === null) fail('unitType', 'unknown_unit_type', unitTypeText);
		const roleText = get('role');
		const role = roleOf(roleText);
		if (roleText === '') fail('role', 'required');
		else if (role === null) fail('role', 'unknown_role', roleText);

		const breakoutIds: string[] = [];
		for (const name of get('breakouts').split(/[、,，;；/\s]+/).filter(Boolean)) {
			const id = breakoutsByKey.get(breakoutKey(name));
			if (id === undefined) fail('breakouts', 'unknown_breakout', name);
			else if (!breakoutIds.includes(id)) breakoutIds.push(id);
		}
		const phone = get('phone').replace(/[\s-]/g, '');
		if (phone !== '' && (phone.length > maxLength.phone || !phonePattern.test(phone))) fail('phone', 'bad_phone', get('phone'));
		const email = get('email');
		if (email !== '' && (email.length > maxLength.email || !emailPattern.test(email))) fail('email', 'bad_email', email);

		if (displayName !== '' && unit !== '') {
			const key = personKey(displayName, unit);
			const first = seen.get(key);
			if (first !== undefined) fail('displayName', 'duplicate_in_file', String(first));
			else seen.set(key, rowNumber);
			if (ctx.existingPeople.has(key)) fail('displayName', 'already_member', displayName);
		}
		return { row: rowNumber, displayName, unit, unitType: unitType ?? '', role: role ?? 'participant', breakoutIds, phone, email, errors };
	});
}
