/**
 * Headers of a file download: an attachment (never shown inline), its type taken as given (nosniff),
 * kept out of shared caches. The file name is already safe (see `safeFileName`).
 */
export function downloadHeaders(name: string, type: string): Record<string, string> {
	return { 'Content-Type': type, 'Content-Disposition': attachment(name), 'X-Content-Type-Options': 'nosniff', 'Cache-Control': 'private, no-store' };
}

/** `Content-Disposition` for a download: an ASCII fallback and the UTF-8 name (RFC 6266 / 5987). */
export function attachment(name: string): string {
	const ascii = name.replace(/[^\x20-\x7e]/gu, '_').replace(/["\\]/gu, '_');
	const utf8 = encodeURIComponent(name).replace(/['()*]/gu, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
	return `attachment; filename="${ascii}"; filename*=UTF-8''${utf8}`;
}
