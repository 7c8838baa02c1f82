/** Bytes as base64 (btoa, available in browsers and Node alike). */
export function toBase64(bytes: Uint8Array): string {
	let text = '';
	for (const b of bytes) text += String.fromCharCode(b);
	return btoa(text);
}

/** Base64 back to bytes; throws on text that is not base64. */
export const fromBase64 = (base64: string): Uint8Array => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
