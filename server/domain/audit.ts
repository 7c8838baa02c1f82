import { spreadsheetCsv } from '../../src/lib/shared/csv.js';
import type { AuditAction, AuditEntry, AuditLog, UserRecord } from '../storage/types.js';

export interface AuditEvent {
	actor: UserRecord | null;
	conferenceId?: string | null;
	target?: string;
	detail?: string;
	address?: string;
	/** For events without a signed-in actor (a failed sign-in): the name that was tried. */
	actorName?: string;
}

/**
 * A person as the log names them: by name and username, or by name and unit for an account bound to a
 * conference (an invited guest, an imported attendee), whose username is generated and means nothing.
 */
export const personLabel = (u: UserRecord) => `${u.displayName}（${u.guestConferenceId === null ? u.username : u.unit}）`;

/**
 * Records what happened, for organizers and administrators to review. Writing the log never fails the
 * action it records: an error is logged and the action stands.
 */
export class Auditor {
	constructor(
		private readonly log: AuditLog,
		private readonly logError: (message: string, err: unknown) => void,
		private readonly now: () => number = Date.now
	) {}

	async record(action: AuditAction, e: AuditEvent): Promise<void> {
		try {
			await this.log.append({
				at: this.now(),
				actorId: e.actor?.id ?? null,
				actorName: e.actor ? personLabel(e.actor) : (e.actorName ?? ''),
				conferenceId: e.conferenceId ?? null,
				action,
				target: e.target ?? '',
				detail: e.detail ?? '',
				address: e.address ?? ''
			});
		} catch (err) {
			this.logError(`audit entry ${action} could not be written`, err);
		}
	}
}

const csvColumns = ['时间', '操作人', '操作', '对象', '详情', '地址'] as const;

/** The audit log as CSV for spreadsheet programs (see `spreadsheetCsv`). */
export function auditCsv(entries: AuditEntry[], formatTime: (ms: number) => string): string {
	return spreadsheetCsv([csvColumns, ...entries.map((e) => [formatTime(e.at), e.actorName, e.action, e.target, e.detail, e.address])]);
}
