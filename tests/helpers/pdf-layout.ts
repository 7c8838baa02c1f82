import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

// Asynchronous on purpose: a test blocked in LibreOffice for seconds answers nothing meanwhile.
const run = promisify(execFile);

export const hasLibreOffice = () => run('soffice', ['--version']).then(() => true, () => false);

/** A box on a rendered page, in PDF points from the page's top-left corner. */
export interface PdfBox {
	text: string;
	xMin: number;
	xMax: number;
	yMin: number;
	yMax: number;
}

/** A line of text and its words (pdftotext's words: runs of text without a gap). */
export interface PdfLine extends PdfBox {
	page: number;
	words: PdfBox[];
}

/** What a DOCX became: its PDF's path, its page count and every text line. */
export interface RenderedPdf {
	pdf: string;
	pages: number;
	lines: PdfLine[];
}

/**
 * Renders DOCX files through LibreOffice in one run (one start-up for all) and reads back each PDF's
 * lines with pdftotext -bbox-layout. `dir` is kept for `redOnPage`; the caller removes it.
 */
export async function renderDocx(files: Record<string, Buffer>): Promise<{ dir: string; rendered: Record<string, RenderedPdf> }> {
	const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'concord-docx-'));
	const names = Object.keys(files);
	for (const name of names) await fs.writeFile(path.join(dir, `${name}.docx`), files[name]);
	await run('soffice', [`-env:UserInstallation=file://${dir}/profile`, '--headless', '--convert-to', 'pdf', '--outdir', dir, ...names.map((n) => path.join(dir, `${n}.docx`))], { timeout: 120_000 });
	const rendered: Record<string, RenderedPdf> = {};
	for (const name of names) {
		const pdf = path.join(dir, `${name}.pdf`);
		const xml = (await run('pdftotext', ['-bbox-layout', pdf, '-'], { maxBuffer: 64 * 1024 * 1024 })).stdout;
		rendered[name] = { pdf, ...linesOf(xml) };
	}
	return { dir, rendered };
}

const unescape = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');

function box(attrs: string, text: string): PdfBox {
	const n = (name: string) => Number(new RegExp(`${name}="([\\d.]+)"`).exec(attrs)?.[1]);
	return { text, xMin: n('xMin'), yMin: n('yMin'), xMax: n('xMax'), yMax: n('yMax') };
}

/** The lines of pdftotext's -bbox-layout XHTML, words joined as they stand (CJK needs no spaces; Latin words keep one). */
function linesOf(xml: string): { pages: number; lines: PdfLine[] } {
	const lines: PdfLine[] = [];
	const pages = xml.split(/<page [^>]*>/).slice(1);
	pages.forEach((pageXml, i) => {
		for (const m of pageXml.matchAll(/<line (xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+")>([\s\S]*?)<\/line>/g)) {
			const words = [...m[2].matchAll(/<word (xMin="[\d.]+" yMin="[\d.]+" xMax="[\d.]+" yMax="[\d.]+")>([^<]*)<\/word>/g)].map((w) => box(w[1], unescape(w[2])));
			lines.push({ page: i + 1, words, ...box(m[1], words.map((w) => w.text).join('')) });
		}
	});
	return { pages: pages.length, lines };
}

/** The red ink of a page (printed at 144 dpi): the longest red horizontal stroke, and the top of the red ink above it. */
export interface RedInk {
	/** The red separator: where its longest row starts and ends, and its vertical position, in points. */
	rule: { xMin: number; xMax: number; y: number } | null;
	/** The topmost red pixel (the 纪要 mark's upper edge), in points from the page top. */
	top: number | null;
}

export async function redOnPage(pdf: string, page: number): Promise<RedInk> {
	const dpi = 144;
	const scale = 72 / dpi;
	const out = (await run('pdftoppm', ['-r', String(dpi), '-f', String(page), '-l', String(page), pdf], { encoding: 'buffer', maxBuffer: 128 * 1024 * 1024 })).stdout as Buffer;
	// Binary PPM (P6): "P6 <w> <h> <max>\n" then RGB bytes.
	const header = /^P6\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(out.subarray(0, 64).toString('latin1'));
	if (!header) throw new Error('pdftoppm gave no P6 image');
	const [w, h] = [Number(header[1]), Number(header[2])];
	const start = header[0].length;
	const isRed = (x: number, y: number) => {
		const o = start + (y * w + x) * 3;
		return out[o] > 180 && out[o + 1] < 90 && out[o + 2] < 90;
	};
	let top: number | null = null;
	let best = { len: 0, x0: 0, x1: 0, y: 0 };
	for (let y = 0; y < h; y++) {
		let run0 = -1;
		for (let x = 0; x <= w; x++) {
			const red = x < w && isRed(x, y);
			if (red && top === null) top = y;
			if (red && run0 < 0) run0 = x;
			if (!red && run0 >= 0) {
				if (x - run0 > best.len) best = { len: x - run0, x0: run0, x1: x, y };
				run0 = -1;
			}
		}
	}
	const rule = best.len > w / 4 ? { xMin: best.x0 * scale, xMax: best.x1 * scale, y: best.y * scale } : null;
	return { rule, top: top === null ? null : top * scale };
}
