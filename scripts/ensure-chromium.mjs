// Browser tests drive Debian's Chromium, never a downloaded browser. Installs it where we can (root
// with apt-get), or stops with a one-line instruction.
import { execSync } from 'node:child_process';
import fs from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (fs.existsSync(chromium)) process.exit(0);

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = fs.existsSync('/usr/bin/apt-get');
if (!isRoot || !hasApt || process.env.CHROMIUM_PATH) {
	console.error(`Chromium not found at ${chromium}: install Debian's package (sudo apt-get install -y chromium) or set CHROMIUM_PATH.`);
	process.exit(1);
}
console.log('Installing Debian chromium for the browser tests (apt-get)…');
execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
if (!fs.existsSync(chromium)) {
	console.error(`apt-get finished but ${chromium} is still missing.`);
	process.exit(1);
}
