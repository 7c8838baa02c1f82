/**
 * `npm run demo`: Concord on a fresh data directory (./data-demo, emptied first) seeded with the demo
 * conference of domain.md §7, then the sign-ins to try it. Ctrl+C stops it.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { conferenceDayShiftMs } from './demo/data.js';
import { seedDemo } from './demo/seed.js';

const dataDir = resolve(process.env.CONCORD_DEMO_DIR ?? 'data-demo');
const port = process.env.PORT ?? '3000';
const admin = { username: 'admin', password: 'demo-admin-2025' };

rmSync(dataDir, { recursive: true, force: true });
// The server starts on the conference's day (a month ago) and is put right once the panel has decided.
const server = spawn(process.execPath, ['--enable-source-maps', '--import', './scripts/demo/clock.mjs', 'dist/server.js'], {
	env: {
		...process.env,
		DATA_DIR: dataDir,
		PORT: port,
		CONCORD_ADMIN_USERNAME: admin.username,
		CONCORD_ADMIN_PASSWORD: admin.password,
		CONCORD_DEMO_CLOCK_SHIFT_MS: String(conferenceDayShiftMs(Date.now()))
	},
	stdio: ['ignore', 'pipe', 'inherit']
});
for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => server.kill('SIGTERM'));
server.on('exit', (code) => process.exit(code ?? 0));

const base = await new Promise<string>((done, fail) => {
	let seen = '';
	server.stdout!.on('data', (chunk: Buffer) => {
		process.stdout.write(chunk);
		seen += chunk.toString();
		const m = /Listening on (http:\/\/\S+)/.exec(seen);
		if (m) done(m[1]);
	});
	setTimeout(() => fail(new Error('Concord did not start within 30 s')), 30_000).unref();
});

// Seeding that fails must not leave the server running behind it.
process.on('uncaughtException', (err) => {
	console.error('[demo] seeding failed:', err);
	server.kill('SIGTERM');
	process.exitCode = 1;
});

const result = await seedDemo(base, base.replace(/^http/, 'ws') + '/sync', admin, (line) => console.log(`[demo] ${line}`), { present: () => server.kill('SIGUSR2') });

const roleNames: Record<string, string> = { organizer: '主办方', moderator: '分组召集人', participant: '参会单位代表', expert: '专家', supervisor: '督查', observer: '远程列席' };
console.log(`
示例会议已就绪（示例数据，人名单位均为虚构）: ${base}/c/${result.conferenceId}
远程列席邀请链接: ${base}${result.invitePath}

登录账号（密码均为 ${result.accounts[0]?.password}）:`);
for (const a of result.accounts) console.log(`  ${a.username.padEnd(12)} ${roleNames[a.role].padEnd(8, '　')} ${a.displayName}（${a.unit}）`);
console.log(`  ${admin.username.padEnd(12)} 系统管理员　　 密码 ${admin.password}
数据目录: ${dataDir}（每次运行 npm run demo 都会重新生成）。按 Ctrl+C 停止。`);
