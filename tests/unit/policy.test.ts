import { expect, test } from 'vitest';
import { type Scope, can, syncAccess } from '../../server/auth/policy.js';
import type { MemberRecord, UserRecord } from '../../server/storage/types.js';
import { roles } from '../../src/lib/shared/roles.js';

const user = (guestConferenceId: string | null): UserRecord => ({
	id: 'u1',
	username: guestConferenceId === null ? 'lihua' : 'guest-abc123',
	displayName: '李华',
	unit: '甲省交通运输厅',
	color: '#1d4ed8',
	passwordHash: '',
	isAdmin: false,
	createdAt: 1,
	guestConferenceId,
	phone: '',
	email: ''
});
const member = (conferenceId: string, role: MemberRecord['role']): MemberRecord => ({ conferenceId, userId: 'u1', role, unitType: '', breakoutIds: ['b1'], addedAt: 1 });
const scopes = (conferenceId: string): Scope[] => [
	{ kind: 'conference', conferenceId },
	{ kind: 'breakout', conferenceId, breakoutId: 'b1', closed: false }
];

// The HTTP routes refuse to store such a membership; the policy must not honour one that exists anyway.
test('an account bound to one conference gets nothing from a membership of another, whatever its role', () => {
	for (const role of roles) {
		for (const scope of scopes('other')) {
			const subject = { user: user('home'), membership: member('other', role), grants: ['b1'] };
			expect(syncAccess(subject, scope), `${role} in ${scope.kind}`).toBe('none');
			for (const action of ['conference.read', 'conference.manage', 'breakout.manage', 'document.create', 'minutes.approve', 'ledger.review'] as const) {
				expect(can(subject, action, scope), `${role} ${action} in ${scope.kind}`).toBe(false);
			}
		}
	}
});

test('in its own conference a bound account has the rights of its role, as a regular account does', () => {
	for (const role of roles) {
		for (const scope of scopes('home')) {
			const bound = { user: user('home'), membership: member('home', role) };
			const regular = { user: user(null), membership: member('home', role) };
			expect(syncAccess(bound, scope), `${role} in ${scope.kind}`).toBe(syncAccess(regular, scope));
			expect(can(bound, 'conference.manage', scope)).toBe(can(regular, 'conference.manage', scope));
		}
	}
});
