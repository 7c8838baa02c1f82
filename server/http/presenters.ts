import type { UserStore } from '../storage/types.js';

/** Who did something, as the API shows it: name and unit, or null when the account is gone. */
export function personLookup(users: UserStore) {
	return async (id: string | null): Promise<{ name: string; unit: string } | null> => {
		const u = id ? await users.findById(id) : null;
		return u ? { name: u.displayName, unit: u.unit } : null;
	};
}
