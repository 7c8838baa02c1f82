import { hash, verify } from '@node-rs/argon2';

/** argon2id with OWASP's minimum for interactive logins (19 MiB, 2 passes): about 20 ms here. */
const options = { memoryCost: 19456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
	return hash(password, options);
}

/** False for a wrong password and for a malformed stored hash alike. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
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
