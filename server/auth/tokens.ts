import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** A random identifier: 20 bytes as lower-case base32 (32 characters, 160 bits). */
export function randomId(bytes = 20): string {
	const buf = new Uint8Array(bytes);
	crypto.getRandomValues(buf);
	return encodeBase32LowerCaseNoPadding(buf);
}

export function hashSecret(secret: string): Uint8Array {
	return sha256(new TextEncoder().encode(secret));
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
	return constantTimeEqual(hashSecret(secret), storedHash);
}

/**
 * Link tokens (invites, one-time sign-in links): `<id>-<secret>`. Only a hash of the secret is
 * stored. A dash, not a dot, so that a `/join/…` path does not look like a file to the static server.
 */
export function newLinkToken(): { id: string; secretHash: Uint8Array; token: string } {
	const id = randomId(12);
	const secret = randomId();
	return { id, secretHash: hashSecret(secret), token: `${id}-${secret}` };
}

/** The id and secret of a link token, or null when it cannot be one. */
export function splitLinkToken(token: string): { id: string; secret: string } | null {
	const dash = token.indexOf('-');
	if (dash <= 0 || token.length > 200) return null;
	return { id: token.slice(0, dash), secret: token.slice(dash + 1) };
}
