/** A piece of a character diff: kept, inserted or deleted text. */
export interface DiffPart {
	op: '=' | '+' | '-';
	text: string;
}

/**
 * The difference between two texts, character by character (Chinese has no spaces to split words
 * at), by longest common subsequence. Texts longer than `limit` are compared as a whole.
 */
export function diffText(before: string, after: string, limit = 2000): DiffPart[] {
	if (before === after) return before === '' ? [] : [{ op: '=', text: before }];
	const a = [...before];
	const b = [...after];
	if (a.length > limit || b.length > limit) return [{ op: '-', text: before }, { op: '+', text: after }].filter((p) => p.text !== '') as DiffPart[];
	// lcs[i][j]: the common subsequence length of a[i..] and b[j..].
	const lcs = Array.from({ length: a.length + 1 }, () => new Uint16Array(b.length + 1));
	for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
	const parts: DiffPart[] = [];
	const push = (op: DiffPart['op'], ch: string) => {
		const last = parts.at(-1);
		if (last?.op === op) last.text += ch;
		else parts.push({ op, text: ch });
	};
	let i = 0;
	let j = 0;
	while (i < a.length && j < b.length) {
		if (a[i] === b[j]) {
			push('=', a[i]);
			i++;
			j++;
		} else if (lcs[i + 1][j] >= lcs[i][j + 1]) push('-', a[i++]);
		else push('+', b[j++]);
	}
	while (i < a.length) push('-', a[i++]);
	while (j < b.length) push('+', b[j++]);
	return parts;
}
