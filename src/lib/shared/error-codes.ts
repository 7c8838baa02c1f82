/** Stable error ids carried in `{"error":{"code","message"}}` bodies. Never rename one: clients match on them. */
export const ErrorCode = {
	badRequest: 'bad_request',
	validationFailed: 'validation_failed',
	unauthenticated: 'unauthenticated',
	invalidCredentials: 'invalid_credentials',
	tooManyAttempts: 'too_many_attempts',
	forbidden: 'forbidden',
	foreignOrigin: 'foreign_origin',
	notFound: 'not_found',
	conflict: 'conflict',
	/** An invite link that expired, was revoked or has no uses left. */
	inviteUnusable: 'invite_unusable',
	/** A one-time sign-in link that was already used or has expired. */
	signInLinkUnusable: 'signin_link_unusable',
	/** An attendee list with a bad row or a bad file: nothing was imported. */
	importRejected: 'import_rejected',
	payloadTooLarge: 'payload_too_large',
	/** The store refuses writes (disk full, read-only): see /healthz. */
	storageFailed: 'storage_failed',
	/** A ledger step that the item's status does not allow (or someone else took first). */
	ledgerStatus: 'ledger_status',
	/** Close-out asked for without evidence on file. */
	evidenceRequired: 'evidence_required',
	/** An evidence file that is empty, too large, or not what its name says. */
	evidenceRejected: 'evidence_rejected',
	/** An extension asked for after the deadline. */
	deadlinePassed: 'deadline_passed',
	/** Only the responsible units report, submit and ask for extensions. */
	notResponsibleUnit: 'not_responsible_unit',
	/** A reviewer of the responsible unit may not review its own item (separation of duties). */
	ownUnit: 'own_unit',
	/** A report step its status does not allow (a submitted report is locked until returned). */
	reportStatus: 'report_status',
	/** A submission with figures missing or refused: nothing was submitted. */
	reportIncomplete: 'report_incomplete',
	/** A username someone already has. */
	usernameTaken: 'username_taken',
	/** No account of that username (adding a member). */
	unknownAccount: 'unknown_account',
	/** Adding as a member someone who already is one (change them with PUT instead). */
	alreadyMember: 'already_member',
	/** The step would leave the conference without an organizer. */
	lastOrganizer: 'last_organizer',
	/** Someone else decided the proposal first. */
	alreadyDecided: 'already_decided',
	/** An export past what one file may hold (the minutes' 20,000 paragraphs and cells): nothing was built. */
	exportTooLarge: 'export_too_large',
	/** A case named an analysis, a measure or a project that is not of its conference (or not one the caller may read): nothing was stored. */
	caseSourceInvalid: 'case_source_invalid',
	/** A restore of a block the version does not hold (or of an approved minutes item, the server's): nothing changed. */
	restoreRefused: 'restore_refused',
	/** A comment mentioning someone who is not a member of the document's conference able to read it (or a document outside any conference): nothing was stored. */
	mentionRefused: 'mention_refused',
	/** A document's or a thread's comments at their limit: nothing was stored. */
	commentLimit: 'comment_limit',
	/** A suggestion whose range no longer holds the quoted text (someone edited it): nothing changed. */
	suggestionStale: 'suggestion_stale',
	/** A document with as many named versions as it may keep (CONCORD_VERSIONS_NAMED_MAX): nothing was kept. */
	versionLimit: 'version_limit',
	/** This instance is cut off from the others (Redis): /healthz says degraded; editing goes on. */
	relayUnavailable: 'relay_unavailable',
	internal: 'internal_error'
} as const;

/** The JSON body of every non-2xx API response. */
export interface ErrorBody {
	error: { code: string; message: string };
}
