// Development: the API/sync server (tsx, restarts on change) on 3001 and Vite on 5173 in front of it.
import { spawn } from 'node:child_process';

const apiPort = process.env.CONCORD_DEV_API_PORT ?? '3001';
const children = [
	spawn('node_modules/.bin/tsx', ['watch', 'server/main.ts'], {
		stdio: 'inherit',
		env: {
			...process.env,
			PORT: apiPort,
			CONCORD_PUBLIC_ORIGIN: process.env.CONCORD_PUBLIC_ORIGIN ?? 'http://localhost:5173,http://127.0.0.1:5173'
		}
	}),
	spawn('node_modules/.bin/vite', ['dev', '--host', '127.0.0.1', '--port', '5173'], {
		stdio: 'inherit',
		env: { ...process.env, CONCORD_DEV_API_PORT: apiPort }
	})
];
const stop = () => {
	for (const c of children) c.kill('SIGTERM');
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
for (const c of children) c.on('exit', stop);
