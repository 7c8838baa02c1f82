import type { AttendeePreview } from '../../src/lib/shared/schemas.js';
import { noPassword } from '../auth/passwords.js';
import { newLinkToken, randomId, secretMatches, splitLinkToken } from '../auth/tokens.js';
import { colorFor } from '../auth/users.js';
import type { AttendeeStore, ConferenceRecord, ConferenceStore, ImportedPerson, SignInLinkRecord, UserRecord, UserStore } from '../storage/types.js';
import { AttendeeFileError, checkAttendees, personKey, readTable } from './attendee-list.js';

/** Thrown when a sign-in link is unknown ('invalid') or used or expired ('unusable'). */
export class SignInLinkError extends Error {
	constructor(readonly problem: 'invalid' | 'unusable') {
		super(problem === 'invalid' ? 'No such sign-in link.' : 'This sign-in link was already used or has expired.');
	}
}

export interface IssuedLink {
	user: UserRecord;
	token: string;
	expiresAt: number;
}

/**
 * The attendee list import and one-time sign-in links. An import is checked whole first: one bad row
 * refuses the file and nothing is created; a good file creates every account (bound to the conference,
 * no password), membership and link in one transaction.
 */
export class AttendeeImport {
	constructor(
		private readonly store: AttendeeStore,
		private readonly conferences: ConferenceStore,
		private readonly users: UserStore,
		private readonly onAccessChanged: (userId: string | null) => void,
		/** Reads an XLSX list's first sheet (off the event loop, bounded: XlsxTableReader). */
		private readonly readXlsx: (bytes: Uint8Array) => Promise<string[][]>,
		private readonly now: () => number = Date.now
	) {}

	/** Every row of the file with its problems; nothing is stored. */
	async preview(conferenceId: string, file: Uint8Array): Promise<AttendeePreview> {
		try {
			const table = await readTable(file, this.readXlsx);
			const breakouts = await this.conferences.listBreakouts(conferenceId);
			const existingPeople = new Set<string>();
			for (const m of await this.conferences.listMembers(conferenceId)) {
				const u = await this.users.findById(m.userId);
				if (u !== null) existingPeople.add(personKey(u.displayName, u.unit));
			}
			const rows = checkAttendees(table, { breakouts, existingPeople });
			return { fileProblem: null, rows, rejectedRows: rows.filter((r) => r.errors.length > 0).length };
		} catch (err) {
			if (err instanceof AttendeeFileError) return { fileProblem: err.problem, rows: [], rejectedRows: 0 };
			throw err;
		}
	}

	/** Imports the file if every row is good; otherwise returns the preview and changes nothing. */
	async commit(
		conferenceId: string,
		file: Uint8Array,
		createdBy: string,
		linkHours: number
	): Promise<{ preview: AttendeePreview; links: IssuedLink[] | null }> {
		const preview = await this.preview(conferenceId, file);
		if (preview.fileProblem !== null || preview.rejectedRows > 0 || preview.rows.length === 0) return { preview, links: null };
		const at = this.now();
		let count = await this.users.count();
		const people: (ImportedPerson & { token: string })[] = preview.rows.map((r) => {
			const user: UserRecord = {
				id: randomId(12),
				username: `p-${randomId(8)}`,
				displayName: r.displayName,
				unit: r.unit,
				color: colorFor(count++),
				passwordHash: noPassword,
				isAdmin: false,
				createdAt: at,
				guestConferenceId: conferenceId,
				phone: r.phone,
				email: r.email
			};
			const { link, token } = this.newLink(user.id, conferenceId, createdBy, linkHours);
			return { user, link, token, member: { conferenceId, userId: user.id, role: r.role, unitType: r.unitType, breakoutIds: r.breakoutIds, addedAt: at } };
		});
		await this.store.importPeople(people);
		for (const p of people) this.onAccessChanged(p.user.id);
		return { preview, links: people.map((p) => ({ user: p.user, token: p.token, expiresAt: p.link.expiresAt })) };
	}

	/** A fresh link for a member whose account is bound to this conference; their unused links stop working. */
	async issueLink(conferenceId: string, user: UserRecord, createdBy: string, hours: number): Promise<IssuedLink> {
		const { link, token } = this.newLink(user.id, conferenceId, createdBy, hours);
		await this.store.replaceLink(link);
		return { user, token, expiresAt: link.expiresAt };
	}

	/** The link, its person and conference for a token; throws SignInLinkError. */
	async resolve(token: string): Promise<{ link: SignInLinkRecord; user: UserRecord; conference: ConferenceRecord }> {
		const parts = splitLinkToken(token);
		const link = parts === null ? null : await this.store.getLink(parts.id);
		if (parts === null || link === null || !secretMatches(parts.secret, link.secretHash)) throw new SignInLinkError('invalid');
		const [user, conference, member] = await Promise.all([
			this.users.findById(link.userId),
			this.conferences.get(link.conferenceId),
			this.conferences.getMember(link.conferenceId, link.userId)
		]);
		// A person removed from the conference keeps no way in.
		if (user === null || conference === null || member === null) throw new SignInLinkError('invalid');
		if (link.usedAt !== null || link.expiresAt <= this.now()) throw new SignInLinkError('unusable');
		return { link, user, conference };
	}

	/** Uses the link up (atomically) and returns whom it signs in. */
	async redeem(token: string): Promise<{ user: UserRecord; conference: ConferenceRecord }> {
		const { link, user, conference } = await this.resolve(token);
		if (!(await this.store.redeemLink(link.id, this.now()))) throw new SignInLinkError('unusable');
		return { user, conference };
	}

	private newLink(userId: string, conferenceId: string, createdBy: string, hours: number) {
		const { id, secretHash, token } = newLinkToken();
		const at = this.now();
		const link: SignInLinkRecord = { id, userId, conferenceId, secretHash, expiresAt: at + hours * 3_600_000, usedAt: null, createdBy, createdAt: at };
		return { link, token };
	}
}
