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
	internal: 'internal_error'
} as const;

/** The JSON body of every non-2xx API response. */
export interface ErrorBody {
	error: { code: string; message: string };
}
