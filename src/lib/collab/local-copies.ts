/**
 * The browser's own copy of the documents an account edits (IndexedDB, through y-indexeddb): what
 * was typed and not yet acknowledged survives a closed tab, a crashed browser or a night offline, and
 * is sent when the document is opened again. One database per account and document, so that nobody
 * signing in on the same computer later sends someone else's edits under their own name.
 */
const prefix = 'concord';

/** The IndexedDB database that holds `userId`'s copy of `docId`. */
export const localCopyName = (userId: string, docId: string) => `${prefix}:${userId}:${docId}`;

/**
 * Removes every copy this browser keeps for `userId` (on sign-out: a shared computer keeps nothing of
 * the account). Browsers that cannot list their databases keep them; they are removed per document
 * when next opened and signed out again.
 */
export async function removeLocalCopies(userId: string): Promise<void> {
	if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
	const mine = `${prefix}:${userId}:`;
	const all = await indexedDB.databases().catch(() => []);
	await Promise.all(
		all
			.map((d) => d.name)
			.filter((name): name is string => name !== undefined && name.startsWith(mine))
			.map(
				(name) =>
					new Promise<void>((done) => {
						const req = indexedDB.deleteDatabase(name);
						req.onsuccess = req.onerror = req.onblocked = () => done();
					})
			)
	);
}
