import net from 'node:net';

/** A port of 127.0.0.1 nobody listened on a moment ago (for a server to take, or to be refused at). */
export async function freePort(): Promise<number> {
	const server = net.createServer();
	await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
	const { port } = server.address() as net.AddressInfo;
	await new Promise((r) => server.close(r));
	return port;
}
