import { createHash } from 'node:crypto';
import * as Y from 'yjs';
import { editorField } from '../../src/lib/shared/blocks.js';
import { randomId } from '../auth/tokens.js';
import type { UserRecord, VersionKind, VersionRecord, VersionStore } from '../storage/types.js';
import { restorableBlock, restoreBlock, restoreWhole } from './version-restore.js';

/** SHA-256 of a document's content (its editor fragment as XML): equal content, equal hash, whatever its history. */
export const contentHash = (doc: Y.Doc) => createHash('sha256').update(doc.getXmlFragment(editorField).toString()).digest('hex');

/**
 * Kinds kept once per content: the same content after another pause, exported ten times, proposed
 * or approved again unchanged, is one version. Only named versions repeat content (and are capped).
 */
const oncePerContent: readonly VersionKind[] = ['auto', 'exported', 'proposed', 'approved', 'restored'];

/** A document has as many named versions as it may keep. */
export class VersionLimitError extends Error {}

export interface VersionsOptions {
	/** A version is taken this long after the last change of a burst of editing. */
	pauseMs: number;
	/** Automatic versions kept per document (the newest); named and stage versions are all kept. */
	keepAuto: number;
	/** Named versions a document may have (a writer naming in a loop fills no disk). */
	maxNamed: number;
}

/**
 * Versions of documents (版本): taken automatically after a pause in editing, named by a writer, and
 * frozen at the conference's stages (a block proposed, an item approved, the minutes exported), each
 * with the hash of its content. A restore — of a whole version or of one block or section — is a new
 * change on top of the document: what others wrote since elsewhere stays, and the state just before
 * it is kept as a version of its own.
 */
export class Versions {
	private readonly timers = new Map<string, NodeJS.Timeout>();

	constructor(
		private readonly store: VersionStore,
		private readonly read: <T>(docId: string, look: (doc: Y.Doc) => T) => Promise<T>,
		/** Changes a document on someone's behalf (the history names them as the writer). */
		private readonly edit: (docId: string, change: (doc: Y.Doc) => void, as: string) => Promise<void>,
		private readonly opts: VersionsOptions,
		private readonly logError: (message: string, err: unknown) => void,
		private readonly now: () => number = Date.now
	) {}

	/** Documents changed: each gets an automatic version once its editing pauses. */
	changed(docIds: readonly string[]): void {
		for (const id of docIds) {
			clearTimeout(this.timers.get(id));
			const timer = setTimeout(() => {
				this.timers.delete(id);
				this.freeze(id, 'auto', null).catch((err) => this.logError(`taking a version of ${id} failed`, err));
			}, this.opts.pauseMs);
			timer.unref();
			this.timers.set(id, timer);
		}
	}

	/** Takes no more automatic versions (shutdown). */
	stop(): void {
		for (const t of this.timers.values()) clearTimeout(t);
		this.timers.clear();
	}

	/**
	 * Keeps the document as it stands now. An automatic version of content the newest version already
	 * has is not taken (`created` false, the newest returned).
	 */
	async freeze(docId: string, kind: VersionKind, by: UserRecord | null, name = ''): Promise<{ version: VersionRecord; created: boolean }> {
		const { state, hash } = await this.read(docId, (doc) => ({ state: Y.encodeStateAsUpdate(doc), hash: contentHash(doc) }));
		if (kind === 'auto') {
			const [newest] = await this.store.list(docId);
			if (newest !== undefined && newest.contentHash === hash) return { version: newest, created: false };
		}
		if (kind === 'named' && (await this.store.list(docId)).filter((v) => v.kind === 'named').length >= this.opts.maxNamed) {
			throw new VersionLimitError(`A document keeps at most ${this.opts.maxNamed} named versions.`);
		}
		const version: VersionRecord = { id: randomId(12), docId, kind, name, contentHash: hash, bytes: state.byteLength, createdBy: by?.id ?? null, createdAt: this.now() };
		const kept = await this.store.add(version, state, oncePerContent.includes(kind) ? `${kind}:${hash}` : null);
		if (kind === 'auto' && kept.created) await this.store.prune(docId, this.opts.keepAuto);
		return kept;
	}

	list(docId: string): Promise<VersionRecord[]> {
		return this.store.list(docId);
	}

	/** A version with its state, if it is one of `docId`'s. */
	async get(docId: string, versionId: string): Promise<{ version: VersionRecord; state: Uint8Array } | null> {
		const v = await this.store.get(versionId);
		return v === null || v.version.docId !== docId ? null : v;
	}

	/**
	 * Restores `version` (or, with `blockId`, that block of it; a heading brings its section) as a new
	 * change written under the restorer's name. Returns the version that keeps the document as it was just before.
	 */
	async restore(docId: string, version: { state: Uint8Array }, by: UserRecord, blockId: string | null): Promise<VersionRecord> {
		const old = new Y.Doc();
		try {
			Y.applyUpdate(old, version.state);
			// Checked before anything is kept or changed: a block the version lacks changes nothing.
			if (blockId !== null) restorableBlock(old, blockId);
			const before = await this.freeze(docId, 'restored', by);
			await this.edit(docId, (doc) => (blockId === null ? restoreWhole(doc, old) : restoreBlock(doc, old, blockId)), by.id);
			return before.version;
		} finally {
			old.destroy();
		}
	}
}
