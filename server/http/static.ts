import fs from 'node:fs';
import path from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { Hono } from 'hono';
import type { AppEnv } from './env.js';

/**
 * Serves the built SPA from `buildDir`. Files are served as they are (hashed assets cached for a year);
 * any other GET for a path without a file extension gets the SPA shell, so client-side routes survive
 * a reload, while a missing `favicon.ico` or `x.js` stays a 404.
 */
export function staticRoutes(buildDir: string) {
	const app = new Hono<AppEnv>();
	const shellFile = path.join(buildDir, '200.html');
	let shell: string | null = null;
	const readShell = () => (shell ??= fs.existsSync(shellFile) ? fs.readFileSync(shellFile, 'utf8') : null);

	app.use('/_app/immutable/*', async (c, next) => {
		await next();
		if (c.res.status === 200) c.header('Cache-Control', 'public, max-age=31536000, immutable');
	});
	app.use('*', serveStatic({ root: buildDir }));
	app.get('*', (c) => {
		const p = c.req.path;
		if (p.startsWith('/api/') || p.startsWith('/sync/') || path.posix.extname(p) !== '') return c.notFound();
		const html = readShell();
		if (html === null) return c.text('The web app is not built: run `npm run build`.', 503);
		c.header('Cache-Control', 'no-cache');
		return c.html(html);
	});
	return app;
}
