// Compresses the built app's text files once, at build time (gzip and brotli at their highest levels),
// so the server sends `x.js.br` or `x.js.gz` to browsers that accept it without compressing per request.
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';

const root = path.resolve(process.argv[2] ?? 'build');
const compressible = new Set(['.js', '.css', '.html', '.svg', '.json', '.txt', '.map']);
// Below this a compressed copy saves less than the headers it costs.
const minBytes = 1024;
const gzip = promisify(zlib.gzip);
const brotli = promisify(zlib.brotliCompress);

/**
 * The compressible files below `dir`.
 * @param {string} dir
 * @returns {AsyncGenerator<string>}
 */
async function* files(dir) {
	for (const entry of await readdir(dir, { withFileTypes: true })) {
		const full = path.join(dir, entry.name);
		if (entry.isDirectory()) yield* files(full);
		else if (compressible.has(path.extname(entry.name))) yield full;
	}
}

let count = 0;
let before = 0;
let after = 0;
for await (const file of files(root)) {
	if ((await stat(file)).size < minBytes) continue;
	const bytes = await readFile(file);
	const [gz, br] = await Promise.all([
		gzip(bytes, { level: zlib.constants.Z_BEST_COMPRESSION }),
		brotli(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } })
	]);
	await Promise.all([writeFile(`${file}.gz`, gz), writeFile(`${file}.br`, br)]);
	count += 1;
	before += bytes.length;
	after += br.length;
}
console.log(`precompressed ${count} files in ${path.relative(process.cwd(), root) || '.'}: ${Math.round(before / 1024)} KB → ${Math.round(after / 1024)} KB (brotli)`);
