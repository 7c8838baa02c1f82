import { CloseCode } from '$lib/shared/close-codes';

/** Delay before reconnect attempt `attempt` (0-based): exponential, capped, with "equal jitter". */
export function backoffDelay(attempt: number, baseMs = 500, maxMs = 15_000, random = Math.random): number {
	const cap = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
	return cap / 2 + random() * (cap / 2);
}

export type CloseVerdict = 'reconnect' | 'sign-in' | 'forbidden' | 'not-found' | 'outdated' | 'too-large' | 'document-full' | 'probe';

/**
 * What the browser does after the sync socket closed with `code`. A refused upgrade (401/403/404 as
 * HTTP) reaches the browser only as 1006, so an abnormal close is probed with an API call first.
 */
export function closeVerdict(code: number): CloseVerdict {
	switch (code) {
		case CloseCode.unauthorized:
			return 'sign-in';
		case CloseCode.forbidden:
			return 'forbidden';
		case CloseCode.notFound:
			return 'not-found';
		case CloseCode.schemaOutdated:
			return 'outdated';
		// Reconnecting would send the same change again and be refused again: stop, and say why.
		case CloseCode.tooLarge:
			return 'too-large';
		case CloseCode.documentFull:
			return 'document-full';
		case 1006:
			return 'probe';
		default:
			return 'reconnect';
	}
}
