/** Text that a spreadsheet would take for a formula (= + - @, or a tab or CR first) gets a leading apostrophe. */
export const defuseFormula = (v: string) => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

/**
 * CSV for spreadsheet programs: UTF-8 with a byte-order mark (so WPS and Excel read the Chinese text),
 * CRLF lines, every field quoted, and fields that a spreadsheet would run as a formula defused.
 */
export function spreadsheetCsv(rows: readonly (readonly string[])[]): string {
	const field = (v: string) => `"${defuseFormula(v).replaceAll('"', '""')}"`;
	return `\uFEFF${rows.map((r) => r.map(field).join(',')).join('\r\n')}\r\n`;
}
