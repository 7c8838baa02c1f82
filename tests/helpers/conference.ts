import type { Role } from '../../src/lib/shared/roles.js';
import { type Session, api, createUser, login } from './api.js';

/** Test set-up of a conference through the real API: the caller must be an administrator. */
export async function createConference(baseUrl: string, admin: Session, title: string): Promise<string> {
	const res = await api(baseUrl, 'POST', '/api/conferences', { cookie: admin.cookie, body: { title } });
	if (res.status !== 201) throw new Error(`create conference: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.id;
}

export async function createBreakout(baseUrl: string, organizer: Session, conferenceId: string, name: string): Promise<string> {
	const res = await api(baseUrl, 'POST', `/api/conferences/${conferenceId}/breakouts`, { cookie: organizer.cookie, body: { name } });
	if (res.status !== 201) throw new Error(`create breakout: ${res.status} ${JSON.stringify(res.body)}`);
	return res.body.id;
}

export async function putMember(
	baseUrl: string,
	organizer: Session,
	conferenceId: string,
	userId: string,
	body: { role: Role; unitType?: string; breakoutIds?: string[] }
): Promise<void> {
	const res = await api(baseUrl, 'PUT', `/api/conferences/${conferenceId}/members/${userId}`, { cookie: organizer.cookie, body });
	if (res.status !== 200) throw new Error(`put member: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Creates an account and signs it in. */
export async function newMember(baseUrl: string, admin: Session, username: string, displayName: string, unit = ''): Promise<Session> {
	const password = `${username}-password`;
	await createUser(baseUrl, admin, { username, password, displayName, unit });
	return login(baseUrl, username, password);
}

/**
 * An invited guest of `conferenceId` (an account bound to it, no password) with `role`, signed in
 * through an invite link the organizer creates.
 */
export async function joinAsGuest(
	baseUrl: string,
	organizer: Session,
	conferenceId: string,
	person: { displayName: string; unit: string; role: Role; breakoutIds?: string[] }
): Promise<Session> {
	const created = await api(baseUrl, 'POST', `/api/conferences/${conferenceId}/invites`, {
		cookie: organizer.cookie,
		body: { role: person.role, breakoutIds: person.breakoutIds ?? [], maxUses: 1 }
	});
	if (created.status !== 201) throw new Error(`create invite: ${created.status} ${JSON.stringify(created.body)}`);
	const token = String(created.body.path).replace('/join/', '');
	const res = await api(baseUrl, 'POST', `/api/invites/${token}/accept`, { body: { displayName: person.displayName, unit: person.unit } });
	if (res.status !== 200) throw new Error(`accept invite: ${res.status} ${JSON.stringify(res.body)}`);
	return { cookie: (res.headers.get('set-cookie') ?? '').split(';')[0], userId: res.body.id };
}
