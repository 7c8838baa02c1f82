import net from 'node:net';

/** A port of 127.0.0.1 nobody listened on a moment ago (for a server to take, or to be refused at). */
export async function freePort() {
	const server = net.createServer();
	await /** @type {Promise<void>} */ (new Promise((r) => server.listen(0, '127.0.0.1', r)));
	const { port } = /** @type {net.AddressInfo} */ (server.address());
	await new Promise((r) => server.close(r));
	return port;
}
