import { type Action, type Scope, can } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { ConferenceStore, UserRecord } from '../storage/types.js';
import { errors } from './errors.js';

/**
 * The check every conference route makes: loads the conference and asks the policy for `action` in
 * `scope`. A conference the caller cannot see is 404 (no existence leak); one they can see but may
 * not change this way is 403.
 */
export function conferenceGuard(conferences: ConferenceStore, access: AccessResolver) {
	return async function authorize(user: UserRecord, conferenceId: string, action: Action, scope?: Scope) {
		const conference = await conferences.get(conferenceId);
		const confScope: Scope = { kind: 'conference', conferenceId };
		const subject = await access.subject(user, confScope);
		if (conference === null || !can(subject, 'conference.read', confScope)) throw errors.notFound('conference');
		if (!can(subject, action, scope ?? confScope)) throw errors.forbidden();
		return { conference, membership: subject.membership };
	};
}
