/**
 * WebSocket close codes used on `/sync/<docId>`. They mirror HTTP statuses (4000 + status) so that a
 * client can treat a closed socket like a failed request. The browser reacts to each one deliberately
 * (see src/lib/collab/close-policy.ts).
 */
export const CloseCode = {
	/** Server shutting down (SIGTERM drain); reconnect later. */
	goingAway: 1001,
	/** Malformed frame: bad varint, truncated message, undecodable update. */
	badMessage: 4400,
	/** Session expired or revoked while connected: sign in again. */
	unauthorized: 4401,
	/** Access withdrawn while connected. */
	forbidden: 4403,
	/** The document no longer exists. */
	notFound: 4404,
	/**
	 * The browser's editor schema is older than the document's (a tab left open across an upgrade):
	 * reload. Without this the editor would drop the nodes it does not know.
	 */
	schemaOutdated: 4426,
	/** No sign of life within the idle timeout. */
	timeout: 4408,
	/** Frame larger than the configured maximum, or a presence state larger than its maximum. */
	tooLarge: 4413,
	/**
	 * The document reached its size limit (CONCORD_MAX_DOCUMENT_BYTES): the change was not stored; the
	 * organizers are told. Reconnecting sends the same change again, so the browser stops and says so.
	 */
	documentFull: 4414,
	/** Message rate above the configured limit. */
	rateLimited: 4429,
	/** The server failed to load the document; nothing was written. */
	loadFailed: 4500,
	/**
	 * The server cannot store changes now (disk full, read-only database): nothing of this connection
	 * was relayed or acknowledged; the client keeps its changes and sends them again when it is back.
	 */
	storageFailed: 4507,
	/** The client does not read what it is sent (send buffer above its cap). */
	slowConsumer: 4508
} as const;
