import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from './env.js';

/** The SPA shell (`200.html`) of the build in `buildDir`, or null when the app is not built. */
export function readShell(buildDir: string): string | null {
	const file = path.join(buildDir, '200.html');
	return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : null;
}

/**
 * Serves the built SPA from `buildDir`. Files are served as they are (hashed assets cached for a year),
 * or as the `.br`/`.gz` copy made at build time when the browser accepts it; any other GET for a path
 * without a file extension gets the SPA shell, so client-side routes survive a reload, while a missing
 * `favicon.ico` or `x.js` stays a 404.
 */
export function staticRoutes(buildDir: string, shell: string | null) {
	const app = new Hono<AppEnv>();

	app.use('/_app/immutable/*', async (c, next) => {
		await next();
		if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
	});
	app.use('*', serveStatic({ root: buildDir, precompressed: true }));
	app.get('*', (c) => {
		const p = c.req.path;
		if (p.startsWith('/api/') || p.startsWith('/sync/') || path.posix.extname(p) !== '') return c.notFound();
		if (shell === null) return c.text('The web app is not built: run `npm run build`.', 503);
		c.header('Cache-Control', 'no-cache');
		return c.html(shell);
	});
	return app;
}
