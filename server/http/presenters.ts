import type { ConferenceStore, UserStore } from '../storage/types.js';

/** Who did something, as the API shows it: name and unit, or null when the account is gone. */
export function personLookup(users: UserStore) {
	return async (id: string | null): Promise<{ name: string; unit: string } | null> => {
		const u = id ? await users.findById(id) : null;
		return u ? { name: u.displayName, unit: u.unit } : null;
	};
}

export interface PresentedMember {
	id: string;
	name: string;
	unit: string;
	/** The unit type their membership of the conference gives; empty outside a conference. */
	unitType: string;
}

/** People with their unit type in `conferenceId` (if any), each read once however often asked for. */
export function memberLookup(users: UserStore, conferences: ConferenceStore, conferenceId: string | null) {
	const cache = new Map<string, Promise<PresentedMember | null>>();
	const load = async (id: string): Promise<PresentedMember | null> => {
		const [u, member] = await Promise.all([users.findById(id), conferenceId === null ? null : conferences.getMember(conferenceId, id)]);
		return u === null ? null : { id: u.id, name: u.displayName, unit: u.unit, unitType: member?.unitType ?? '' };
	};
	return (id: string | null): Promise<PresentedMember | null> => {
		if (id === null) return Promise.resolve(null);
		if (!cache.has(id)) cache.set(id, load(id));
		return cache.get(id)!;
	};
}
