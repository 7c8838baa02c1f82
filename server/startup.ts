import type { Server } from 'node:http';

/**
 * A mistake in the machine's set-up that stops the start: the operator reads `message` as the one
 * console line (no stack trace), and nothing was left on disk by the attempt.
 */
export class StartupError extends Error {}

/** Why listening failed, in the operator's terms: the setting to change and what is wrong with it. */
function listenProblem(err: NodeJS.ErrnoException, host: string, port: number): string {
	switch (err.code) {
		case 'EADDRINUSE':
			return `PORT ${port} on ${host} is already in use by another program; stop it or choose another PORT`;
		case 'EACCES':
			return `PORT ${port} on ${host} needs privileges this process does not have; choose a PORT above 1023`;
		case 'ENOTFOUND':
		case 'EAI_AGAIN':
		case 'EAI_NONAME':
		case 'EAI_FAIL':
			return `HOST "${host}" does not resolve to an address (${err.code}); use an address of this machine, e.g. 0.0.0.0 or 127.0.0.1`;
		case 'EADDRNOTAVAIL':
			return `HOST "${host}" is not an address of this machine (EADDRNOTAVAIL); use one of its addresses, or 0.0.0.0`;
		default:
			return `cannot listen on HOST "${host}" PORT ${port}: ${err.code ?? ''} ${err.message}`.trim();
	}
}

/** Listens on host:port; a refusal becomes a StartupError naming the setting to change. */
export function listen(server: Server, port: number, host: string): Promise<void> {
	return new Promise((resolve, reject) => {
		const onError = (err: NodeJS.ErrnoException) => reject(new StartupError(listenProblem(err, host, port)));
		server.once('error', onError);
		server.listen(port, host, () => {
			server.off('error', onError);
			resolve();
		});
	});
}
