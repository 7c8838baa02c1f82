import type { Kysely } from 'kysely';
import { sqlAttendeeStore } from './attendee-store.js';
import { sqlAuditLog } from './audit-log.js';
import { sqlCaseStore } from './case-store.js';
import { sqlCommentStore } from './comment-store.js';
import { sqlConferenceStore } from './conference-store.js';
import { sqlInviteStore } from './invite-store.js';
import { sqlLeaseStore } from './lease-store.js';
import { sqlLedgerStore } from './ledger-store.js';
import { sqlLiveRoomStore } from './live-room-store.js';
import { sqlProposalStore } from './proposal-store.js';
import { sqlReportStore } from './report-store.js';
import { sqlSuccessionStore } from './succession-store.js';
import { sqlVersionStore } from './version-store.js';
import type { Database } from './schema.js';
import { sqlDocumentStore, sqlSessionStore, sqlUserStore } from './sql-stores.js';
import type { Storage } from './types.js';

/** Every store but the update log (each backend has its own hot path), on the Kysely query layer. */
export function kyselyStores(db: Kysely<Database>): Omit<Storage, 'updates' | 'close'> {
	return {
		users: sqlUserStore(db),
		leases: sqlLeaseStore(db),
		conferences: sqlConferenceStore(db),
		audit: sqlAuditLog(db),
		invites: sqlInviteStore(db),
		attendees: sqlAttendeeStore(db),
		liveRoom: sqlLiveRoomStore(db),
		proposals: sqlProposalStore(db),
		ledger: sqlLedgerStore(db),
		reports: sqlReportStore(db),
		cases: sqlCaseStore(db),
		successions: sqlSuccessionStore(db),
		versions: sqlVersionStore(db),
		comments: sqlCommentStore(db),
		sessions: sqlSessionStore(db),
		documents: sqlDocumentStore(db)
	};
}
