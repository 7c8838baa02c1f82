import type * as Y from 'yjs';
import { type Agenda, type Countdown, type CountdownAction, applyCountdown, liveDocId, liveKeys } from '../../src/lib/shared/agenda.js';
import type { ConferenceRecord, ConferenceStore } from '../storage/types.js';
import type { DocumentService, EditDocument } from './documents.js';

/** The scope of a countdown: the plenary, or one breakout. */
export type CountdownScope = 'plenary' | { breakoutId: string };

const scopeKey = (scope: CountdownScope) => liveKeys.countdown(scope === 'plenary' ? 'plenary' : scope.breakoutId);
const live = (doc: Y.Doc) => doc.getMap<unknown>('live');

/**
 * The conference's programme as everyone sees it live: the agenda, the session under way and the
 * countdowns. It is pushed through the conference's live document, which the server alone writes
 * (ordinary durable updates) and every member's browser follows read-only over the sync channel, so
 * a change reaches every open client at once without polling.
 */
export class ConferenceProgram {
	constructor(
		private readonly conferences: ConferenceStore,
		private readonly documentService: DocumentService,
		private readonly edit: EditDocument,
		private readonly now: () => number = Date.now
	) {}

	/** Creates the live document of `conference` if it has none yet (once, however many ask at once). */
	async ensureLive(conference: ConferenceRecord): Promise<void> {
		await this.documentService.ensure({
			id: liveDocId(conference.id),
			kind: 'live',
			title: conference.title,
			ownerId: conference.createdBy,
			parent: { kind: 'conference', id: conference.id },
			seed: (doc) => {
				if (conference.agenda !== null) live(doc).set(liveKeys.agenda, conference.agenda);
			}
		});
	}

	async setAgenda(conference: ConferenceRecord, agenda: Agenda): Promise<void> {
		await this.conferences.setAgenda(conference.id, agenda);
		await this.ensureLive({ ...conference, agenda });
		await this.edit(liveDocId(conference.id), (doc) => live(doc).set(liveKeys.agenda, agenda));
	}

	/** Marks the session under way (null: none). */
	async setCurrent(conference: ConferenceRecord, itemId: string | null): Promise<void> {
		await this.ensureLive(conference);
		await this.edit(liveDocId(conference.id), (doc) => live(doc).set(liveKeys.current, { itemId }));
	}

	/** Starts, pauses, resumes, extends or stops a countdown; returns it as it now stands. */
	async countdown(conference: ConferenceRecord, scope: CountdownScope, action: CountdownAction): Promise<Countdown | null> {
		await this.ensureLive(conference);
		let result: Countdown | null = null;
		await this.edit(liveDocId(conference.id), (doc) => {
			const map = live(doc);
			const key = scopeKey(scope);
			const current = (map.get(key) as Countdown | undefined) ?? null;
			result = applyCountdown(current, action, this.now());
			if (result === null) {
				if (map.has(key)) map.delete(key);
			} else if (result !== current) map.set(key, result);
		});
		return result;
	}
}
