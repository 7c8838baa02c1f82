import { api } from '$lib/api/client';

const joinedKey = (token: string) => `concord.joined.${token}`;

/**
 * Where someone who has just come in by an invite or a one-time link belongs: the live document of
 * their breakout (the one most recently worked on), or the conference when their breakout has none.
 */
export async function landingPath(conferenceId: string): Promise<string> {
	const conference = `/c/${conferenceId}`;
	const [c, docs] = await Promise.all([api.getConference(conferenceId), api.listDocuments(conferenceId)]).catch(() => [null, null] as const);
	if (c === null || docs === null) return conference;
	const mine = new Set(c.breakouts.filter((b) => b.mine).map((b) => b.id));
	const candidates = docs.documents.filter((d) => d.parentKind === 'breakout' && d.parentId !== null && mine.has(d.parentId));
	candidates.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
	return candidates.length > 0 ? `/d/${candidates[0].id}?welcome=1` : conference;
}

/** Remembers on this device that this invite brought it into `conferenceId`. */
export function rememberJoin(token: string, conferenceId: string): void {
	try {
		localStorage.setItem(joinedKey(token), conferenceId);
	} catch {
		// Private windows may refuse storage: the invite page then just shows its form again.
	}
}

/** The conference this device joined with this invite before, or null. */
export function joinedBefore(token: string): string | null {
	try {
		return localStorage.getItem(joinedKey(token));
	} catch {
		return null;
	}
}
