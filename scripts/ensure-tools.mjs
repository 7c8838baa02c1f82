// The tests drive Debian's Chromium (never a downloaded browser), check the DOCX export by
// rendering it with LibreOffice and reading the PDF with poppler's tools, in CJK fonts, and start
// PostgreSQL and Redis servers of their own from Debian's binaries. Installs what
// is missing where we can (root with apt-get), or stops with a one-line instruction.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';

/**
 * Runs a shell command with the console attached, without blocking; fails with its exit code.
 * @param {string} command
 */
async function sh(command) {
	const child = spawn(command, { shell: true, stdio: 'inherit' });
	const [code] = await once(child, 'exit');
	if (code !== 0) throw new Error(`${command}: exit ${code}`);
}

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const needs = [
	{ pkg: 'chromium', path: chromium, flags: '' },
	{ pkg: 'libreoffice-writer-nogui', path: '/usr/bin/soffice', flags: '--no-install-recommends' },
	{ pkg: 'poppler-utils', path: '/usr/bin/pdftotext', flags: '--no-install-recommends' },
	{ pkg: 'fonts-noto-cjk', path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', flags: '--no-install-recommends' },
	// Any version's initdb (Debian: /usr/lib/postgresql/<version>/bin).
	{ pkg: 'postgresql', path: '/usr/lib/postgresql/<version>/bin/initdb', flags: '--no-install-recommends', present: postgresInstalled },
	{ pkg: 'redis-server', path: '/usr/bin/redis-server', flags: '--no-install-recommends' }
];

function postgresInstalled() {
	const root = '/usr/lib/postgresql';
	return fs.existsSync(root) && fs.readdirSync(root).some((v) => fs.existsSync(`${root}/${v}/bin/initdb`));
}
/** @param {{ path: string, present?: () => boolean }} n */
const installed = (n) => (n.present ? n.present() : fs.existsSync(n.path));
const missing = needs.filter((n) => !installed(n));
if (missing.length === 0) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = fs.existsSync('/usr/bin/apt-get');
const names = missing.map((n) => n.pkg).join(' ');
if (!isRoot || !hasApt || (process.env.CHROMIUM_PATH && missing.some((n) => n.pkg === 'chromium'))) {
	console.error(`Missing for the tests: ${missing.map((n) => n.path).join(', ')}. Install Debian's packages (sudo apt-get install -y ${names}) or set CHROMIUM_PATH.`);
	process.exit(1);
}
console.log(`Installing Debian packages for the tests (apt-get): ${names}…`);
await sh('apt-get update -qq');
for (const n of missing) await sh(`DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${n.flags} ${n.pkg}`);
const still = missing.filter((n) => !installed(n));
if (still.length > 0) {
	console.error(`apt-get finished but ${still.map((n) => n.path).join(', ')} is still missing.`);
	process.exit(1);
}
