// Bundles the server into dist/server.js, the attendee-list reader's worker into
// dist/xlsx-worker.js and the SQLite → PostgreSQL copy into dist/migrate-to-postgres.js; packages
// stay external and load from node_modules.
import { build } from 'esbuild';

await build({
	entryPoints: { server: 'server/main.ts', 'xlsx-worker': 'server/domain/xlsx-worker.ts', 'migrate-to-postgres': 'server/tools/migrate-to-postgres.ts' },
	outdir: 'dist',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
