import { expect, test } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { clientAddressOf } from '../../server/http/client-address.js';

test('the client address: the socket peer, or behind a trusted proxy the nearest untrusted hop of X-Forwarded-For', () => {
	const proxies = new Set(['127.0.0.1', '10.0.0.2']);
	// Not from a proxy: the header is whatever the client wrote, and is ignored.
	expect(clientAddressOf('203.0.113.9', '1.1.1.1', proxies)).toBe('203.0.113.9');
	// From the proxy: the address it appended (the rightmost); what the client put before it is not believed.
	expect(clientAddressOf('127.0.0.1', '192.168.5.20', proxies)).toBe('192.168.5.20');
	expect(clientAddressOf('127.0.0.1', '6.6.6.6, 192.168.5.20', proxies)).toBe('192.168.5.20');
	// Two proxies in a row; IPv4 seen on an IPv6 socket.
	expect(clientAddressOf('::ffff:127.0.0.1', '192.168.5.21, 10.0.0.2', proxies)).toBe('192.168.5.21');
	// A proxy that sent no header is the client.
	expect(clientAddressOf('127.0.0.1', undefined, proxies)).toBe('127.0.0.1');
	expect(clientAddressOf('127.0.0.1', 'x', new Set())).toBe('127.0.0.1');
});

test('CONCORD_TRUSTED_PROXIES takes IP addresses only', () => {
	expect(loadConfig({ CONCORD_TRUSTED_PROXIES: '127.0.0.1, ::1' }).trustedProxies).toEqual(['127.0.0.1', '::1']);
	expect(() => loadConfig({ CONCORD_TRUSTED_PROXIES: '127.0.0.1,nginx.intranet' })).toThrow(/CONCORD_TRUSTED_PROXIES: "nginx.intranet" is not an IP address/);
	expect(loadConfig({}).trustedProxies).toEqual([]);
});
