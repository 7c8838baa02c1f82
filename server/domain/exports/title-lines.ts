/**
 * A 公文 title broken into lines the way GB/T 9704-2012 asks (7.3.3): words kept whole, lines balanced
 * (a trapezoid or a diamond, never a long line over one or two stray characters). Widths are counted
 * in ems of the title's font: a CJK character is one, a Latin letter or digit about a half.
 */

const segmenter = new Intl.Segmenter('zh-CN', { granularity: 'word' });
const graphemes = new Intl.Segmenter('zh-CN', { granularity: 'grapheme' });
/** What a reader sees as one character (a letter with its combining marks, a character with its variation selector). */
const charactersOf = (text: string) => Array.from(graphemes.segment(text), (g) => g.segment);

/** Punctuation that may not start a line (it belongs to the word before) or end one (to the word after). */
const closing = /^[，。、；：？！）》」』〕】〉”’…—·,.;:?!)\]}%]+$/u;
const opening = /^[（《「『〔【〈“‘([{]+$/u;

/** The width of a text in ems: CJK and full-width forms count one, combining marks nothing, everything else a half. */
export function emWidth(text: string): number {
	let w = 0;
	for (const ch of text) w += /[\p{M}\u200B-\u200D\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u.test(ch) ? 0 : /[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6\u{20000}-\u{3FFFD}]/u.test(ch) ? 1 : 0.5;
	return w;
}

/** The title's unbreakable pieces: its words, with punctuation glued to the word it belongs to. */
function pieces(text: string, maxEm: number): string[] {
	const out: string[] = [];
	let pendingOpen = '';
	for (const { segment } of segmenter.segment(text)) {
		if (opening.test(segment)) pendingOpen += segment;
		else if (closing.test(segment) && out.length > 0 && !pendingOpen) out[out.length - 1] += segment;
		else {
			out.push(pendingOpen + segment);
			pendingOpen = '';
		}
	}
	if (pendingOpen) out.push(pendingOpen);
	return bracketsWhole(out, maxEm);
}

/** A book title 《…》 or a bracketed phrase is one piece where it fits on a line, and stays its words where it does not. */
function bracketsWhole(words: string[], maxEm: number): string[] {
	const out: string[] = [];
	let open: string[] | null = null;
	for (const w of words) {
		if (open) open.push(w);
		else if (/^[《（〔【「]/u.test(w) && !/[》）〕】」]/u.test(w)) open = [w];
		else out.push(w);
		if (open && /[》）〕】」]/u.test(w)) {
			const whole = open.join('');
			if (emWidth(whole) <= maxEm) out.push(whole);
			else out.push(...open);
			open = null;
		}
	}
	if (open) out.push(...open);
	return out;
}

/**
 * The lines of a title `maxEm` ems wide at most: as few lines as fit, then the split whose line widths
 * are closest to equal (ties: the shorter line on top). A single word wider than a line is the only
 * thing ever broken, between characters as a reader sees them (never inside one).
 */
export function titleLines(text: string, maxEm: number): string[] {
	const clean = text.replace(/\s+/g, ' ').trim();
	// Longer than four lines is no title to balance: the word processor wraps it as it comes.
	if (emWidth(clean) <= maxEm || emWidth(clean) > 4 * maxEm) return [clean];
	const words = pieces(clean, maxEm).flatMap((p) => (emWidth(p) <= maxEm ? [p] : charactersOf(p)));
	const widths = words.map(emWidth);
	const total = widths.reduce((a, b) => a + b, 0);
	for (let lines = Math.ceil(total / maxEm); lines <= words.length; lines++) {
		const best = balanced(words, widths, lines, maxEm);
		if (best) return best;
	}
	return words;
}

/** The best split of `words` into exactly `lines` lines no wider than `maxEm`, or null if none fits. */
function balanced(words: string[], widths: number[], lines: number, maxEm: number): string[] | null {
	const n = words.length;
	const prefix = [0];
	for (const w of widths) prefix.push(prefix[prefix.length - 1] + w);
	const width = (i: number, j: number) => prefix[j] - prefix[i];
	// cost[k][j]: the best sum of squared widths for words[0..j) in k lines; cut[k][j]: where its last line starts.
	const cost: number[][] = Array.from({ length: lines + 1 }, () => new Array<number>(n + 1).fill(Infinity));
	const cut: number[][] = Array.from({ length: lines + 1 }, () => new Array<number>(n + 1).fill(-1));
	cost[0][0] = 0;
	for (let k = 1; k <= lines; k++) {
		for (let j = k; j <= n; j++) {
			for (let i = j - 1; i >= k - 1; i--) {
				const w = width(i, j);
				if (w > maxEm) break;
				// A line that starts on a lone character (部, 会, 局…) most likely cut a word the dictionary did not know.
				const c = cost[k - 1][i] + w * w + (i > 0 && widths[i] === 1 && charactersOf(words[i]).length === 1 ? maxEm : 0);
				// `<=` keeps the earliest start found for the last line: on a tie, the lines above are the shorter ones.
				if (c <= cost[k][j]) {
					cost[k][j] = c;
					cut[k][j] = i;
				}
			}
		}
	}
	if (!Number.isFinite(cost[lines][n])) return null;
	const out: string[] = [];
	for (let k = lines, j = n; k > 0; k--) {
		const i = cut[k][j];
		out.unshift(words.slice(i, j).join('').trim());
		j = i;
	}
	return out;
}
