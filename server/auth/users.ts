import type { UserRecord, UserStore } from '../storage/types.js';
import { hashPassword, noPassword } from './passwords.js';
import { randomId } from './tokens.js';

/** Caret and presence colours: distinct, legible on white, and calm. */
const palette = ['#1d4ed8', '#b91c1c', '#047857', '#7c3aed', '#c2410c', '#0e7490', '#a21caf', '#4d7c0f', '#be123c', '#1e40af'];

export interface NewUser {
	username: string;
	/** Null for accounts that never sign in with a password (guests, imported attendees). */
	password: string | null;
	displayName: string;
	unit: string;
	isAdmin: boolean;
	/** Guests (invite links) are bound to one conference. */
	guestConferenceId?: string | null;
	phone?: string;
	email?: string;
	/** The person typed the unit themselves (see UserRecord.unitDeclared). */
	unitDeclared?: boolean;
}

/** The caret colour of the n-th account. */
export const colorFor = (n: number) => palette[n % palette.length];

/** Creates a user with a hashed password and a colour of their own; null when the username is taken. */
export async function createUser(users: UserStore, input: NewUser): Promise<UserRecord | null> {
	if ((await users.findByUsername(input.username)) !== null) return null;
	const count = await users.count();
	const user: UserRecord = {
		id: randomId(12),
		username: input.username,
		displayName: input.displayName,
		unit: input.unit,
		color: colorFor(count),
		passwordHash: input.password === null ? noPassword : await hashPassword(input.password),
		isAdmin: input.isAdmin,
		createdAt: Date.now(),
		guestConferenceId: input.guestConferenceId ?? null,
		phone: input.phone ?? '',
		email: input.email ?? '',
		unitDeclared: input.unitDeclared ?? false
	};
	await users.create(user);
	return user;
}
