// Bundles the server into dist/server.js; packages stay external and load from node_modules.
import { build } from 'esbuild';

await build({
	entryPoints: ['server/main.ts'],
	outfile: 'dist/server.js',
	bundle: true,
	platform: 'node',
	format: 'esm',
	target: 'node20',
	packages: 'external',
	sourcemap: true,
	logLevel: 'warning'
});
