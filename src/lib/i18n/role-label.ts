import { m } from '$lib/paraglide/messages';
import type { Role } from '$lib/shared/roles';

/** The localized name of a conference role. */
export function roleLabel(role: Role): string {
	const labels: Record<Role, () => string> = {
		organizer: m.role_organizer,
		moderator: m.role_moderator,
		participant: m.role_participant,
		expert: m.role_expert,
		supervisor: m.role_supervisor,
		observer: m.role_observer
	};
	return labels[role]();
}
