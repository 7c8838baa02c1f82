// Hocuspocus 4.7, in memory or (HOCUS_SQLITE=<file>) with its SQLite extension.
import { Server } from '@hocuspocus/server';
import { SQLite } from '@hocuspocus/extension-sqlite';

const extensions = process.env.HOCUS_SQLITE ? [new SQLite({ database: process.env.HOCUS_SQLITE })] : [];
const server = new Server({ port: Number(process.env.PORT ?? 0), address: '127.0.0.1', quiet: true, stopOnSignals: false, extensions });
await server.listen();
console.log(`READY ${server.httpServer.address().port}`);
process.on('SIGTERM', async () => {
	await server.destroy();
	process.exit(0);
});
