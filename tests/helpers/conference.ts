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
