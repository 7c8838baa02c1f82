import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from './env.js';

/** "::ffff:10.0.0.5" (IPv4 on an IPv6 socket) and "10.0.0.5" are one address. */
const plain = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/u, '');

/**
 * The client's address: the socket's peer, or, when that peer is one of `trusted` (the reverse
 * proxies), the nearest address in X-Forwarded-For that is not a trusted proxy itself. A client
 * cannot choose its address by sending the header: from anyone but a trusted proxy it is ignored, and
 * the proxy appends the address it saw, which is read from the right.
 */
export function clientAddressOf(peer: string, forwardedFor: string | undefined, trusted: ReadonlySet<string>): string {
	let address = plain(peer);
	if (!trusted.has(address) || forwardedFor === undefined) return address;
	const hops = forwardedFor
		.split(',')
		.map((h) => plain(h.trim()))
		.filter(Boolean);
	for (let i = hops.length - 1; i >= 0; i--) {
		address = hops[i];
		if (!trusted.has(address)) break;
	}
	return address;
}

/** Sets `clientAddress` for every request (see clientAddressOf). */
export function clientAddress(trustedProxies: readonly string[]): MiddlewareHandler<AppEnv> {
	const trusted = new Set(trustedProxies.map(plain));
	return async (c, next) => {
		c.set('clientAddress', clientAddressOf(getConnInfo(c).remote.address ?? '', c.req.header('x-forwarded-for'), trusted));
		await next();
	};
}

/** The request's client address (set by the `clientAddress` middleware). */
export const addressOf = (c: Context<AppEnv>) => c.get('clientAddress');
