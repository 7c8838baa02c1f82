import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's minimum for interactive logins (19 MiB, 2 passes): about 20 ms here. */
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

/** The stored hash of an account without a password: nothing verifies against it. */
export const noPassword = '';

/** False for a wrong password, a malformed stored hash and an account without a password alike. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
	// The decoy keeps the time the same, so a failed sign-in does not reveal a passwordless account.
	if (storedHash === noPassword) return verifyDecoy(password);
	try {
		return await verify(storedHash, password);
	} catch {
		return false;
	}
}

/**
 * A hash of nothing anyone knows, verified when the username does not exist so that a failed login
 * takes as long either way and does not reveal which accounts exist.
 */
let decoy: Promise<string> | null = null;
export async function verifyDecoy(password: string): Promise<false> {
	decoy ??= hashPassword(crypto.randomUUID());
	await verifyPassword(await decoy, password);
	return false;
}
