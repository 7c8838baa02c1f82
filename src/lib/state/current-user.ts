import { getContext, setContext } from 'svelte';
import type { User } from '$lib/shared/schemas';

const key = Symbol('current-user');

interface Holder {
	user: User | null;
}

/**
 * Called by the (app) layout during its initialisation (context must be set synchronously); the
 * layout fills in the user once /api/me answers and renders its pages only after that.
 */
export function provideCurrentUser(): Holder {
	const holder: Holder = { user: null };
	setContext(key, holder);
	return holder;
}

/** The signed-in user, for pages under the (app) group. */
export function getCurrentUser(): User {
	const user = getContext<Holder | undefined>(key)?.user;
	if (user == null) throw new Error('getCurrentUser() outside the (app) layout');
	return user;
}
