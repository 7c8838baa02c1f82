import { sveltekit } from '@sveltejs/kit/vite';
import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { defineConfig } from 'vite';

// In development the Hono server runs beside Vite (scripts/dev.mjs); Vite forwards API and sync traffic to it.
const backend = `http://127.0.0.1:${process.env.CONCORD_DEV_API_PORT ?? '3001'}`;

export default defineConfig({
	plugins: [
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['localStorage', 'baseLocale']
		}),
		sveltekit()
	],
	server: {
		proxy: {
			'/api': { target: backend },
			'/healthz': { target: backend },
			// changeOrigin must stay false: the server checks Origin on every upgrade.
			'/sync': { target: backend, ws: true, changeOrigin: false }
		}
	}
});
