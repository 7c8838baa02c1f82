/**
 * GB2312 covers 6,763 hanzi; fonts built on it (仿宋_GB2312, 楷体_GB2312, still common in official
 * templates) show anything else — rare characters in personal and place names — as empty boxes
 * (domain.md §1.6). The table is read once from the platform's GB18030 decoder: GB2312 is its two-byte
 * rows A1–A9 (symbols) and B0–F7 (hanzi).
 */
let table: Set<string> | null = null;

function gb2312(): Set<string> {
	if (table) return table;
	const decoder = new TextDecoder('gb18030');
	const set = new Set<string>();
	const rows = [...Array.from({ length: 9 }, (_, i) => 0xa1 + i), ...Array.from({ length: 0xf7 - 0xb0 + 1 }, (_, i) => 0xb0 + i)];
	for (const row of rows) {
		for (let cell = 0xa1; cell <= 0xfe; cell++) {
			const c = decoder.decode(Uint8Array.from([row, cell]));
			if ([...c].length === 1 && c !== '\ufffd' && !/[\uE000-\uF8FF]/u.test(c)) set.add(c);
		}
	}
	table = set;
	return set;
}

/** The characters of `text` outside GB2312 (ASCII counts as inside), each once, in order. */
export function outsideGb2312(text: string): string[] {
	const set = gb2312();
	return [...new Set([...text].filter((c) => c > '\u007f' && !set.has(c)))];
}
