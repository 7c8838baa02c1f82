/**
 * Message types on `/sync/<docId>`. 0–3 are the y-websocket protocol; `saved` is Concord's own
 * acknowledgement, sent only to clients that ask for it with `?ack=1`, so stock y-websocket clients never
 * see it.
 */
export const MessageType = {
	sync: 0,
	awareness: 1,
	auth: 2,
	queryAwareness: 3,
	/** varuint n: the first n change-carrying sync messages this connection sent are committed to storage. */
	saved: 8
} as const;

/** Sync sub-messages (y-protocols/sync). */
export const SyncStep = {
	step1: 0,
	step2: 1,
	update: 2
} as const;

/** Query parameter with which a client asks for `saved` acknowledgements. */
export const ackParam = 'ack';
