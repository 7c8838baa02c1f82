import type * as Y from 'yjs';
import { beijingDate } from '../../src/lib/shared/beijing-time.js';
import type { CaseCreateInput, CaseFigureSet, CaseFigures, CaseMeasure, CaseQuery, CaseSourcesInput, CaseUpdateInput } from '../../src/lib/shared/case-library.js';
import { derivedIndicators } from '../../src/lib/shared/project-report.js';
import { randomId } from '../auth/tokens.js';
import type { CaseRecord, CaseStore, ConferenceStore, DocumentRecord, DocumentStore, ProjectRecord, ReportStore, UserRecord } from '../storage/types.js';
import type { AccessResolver } from './access.js';
import { type AnalysisContent, readAnalysis } from './analysis-reader.js';
import { attrText, findBlock, readCauses } from './block-reader.js';
import { type CaseDraftInput, draftSections, draftTitle } from './case-text.js';
import type { Ledger, LedgerItem } from './ledger.js';
import { ProjectReports } from './reports.js';

/** Why a case was refused: the route turns each into a status and an error code. */
export class CaseError extends Error {
	constructor(
		readonly code: 'bad_source' | 'stale',
		message: string
	) {
		super(message);
	}
}

/** An approved measure a case may be drawn from, and whether it names (关联原因) a cause of the analysis. */
export interface MeasureOption {
	item: LedgerItem;
	linked: boolean;
}

/** The sources of a case, each checked to be of the conference and readable by its author. */
export interface ResolvedSources {
	analysis: { doc: DocumentRecord; breakoutId: string | null; content: AnalysisContent } | null;
	measure: LedgerItem | null;
	project: ProjectRecord | null;
}

/**
 * The case library (案例库): organizers and experts turn an analysis, one of its breakout's approved
 * measures and a project into a case. The server prefills the five sections from them for the author
 * to edit, and freezes the measure's numbers and ledger outcome and the project's figures (the earliest
 * and latest accepted execution reports of the conference's rounds) when the case is made.
 */
export class CaseLibrary {
	constructor(
		private readonly store: CaseStore,
		private readonly conferences: ConferenceStore,
		private readonly documents: DocumentStore,
		private readonly reports: ReportStore,
		private readonly ledger: Ledger,
		private readonly access: AccessResolver,
		private readonly read: <T>(docId: string, look: (doc: Y.Doc) => T) => Promise<T>,
		private readonly now: () => number = Date.now
	) {}

	get(id: string) {
		return this.store.get(id);
	}

	search(conferenceIds: readonly string[], query: Omit<CaseQuery, 'conference'>, limit: number) {
		return this.store.search(conferenceIds, query, limit);
	}

	/** The analyses of the conference `user` may read, in the order they were made. */
	async analyses(conferenceId: string, user: UserRecord): Promise<{ doc: DocumentRecord; breakoutId: string | null }[]> {
		const readable = await this.access.readableBreakouts(user, conferenceId);
		const inBreakouts = await Promise.all([...readable.keys()].map(async (id) => (await this.documents.listIn({ kind: 'breakout', id })).map((doc) => ({ doc, breakoutId: id as string | null }))));
		const inConference = (await this.documents.listIn({ kind: 'conference', id: conferenceId })).map((doc) => ({ doc, breakoutId: null }));
		return [...inConference, ...inBreakouts.flat()].filter((a) => a.doc.kind === 'analysis').sort((a, b) => a.doc.createdAt - b.doc.createdAt);
	}

	/** The project an analysis is about: the one it is linked to, else the one its problem statement names (its 项目 field, or its name in the statement), among `projects`. */
	async projectOf(docId: string, projects: readonly ProjectRecord[]): Promise<ProjectRecord | null> {
		const linked = (await this.documents.get(docId))?.projectId ?? null;
		const byLink = projects.find((p) => p.id === linked);
		if (byLink !== undefined) return byLink;
		const a = await this.read(docId, readAnalysis);
		const named = (p: ProjectRecord) => p.name !== '' && ((a.project !== '' && (a.project.includes(p.name) || p.name.includes(a.project))) || a.statement.includes(p.name));
		return projects.find(named) ?? null;
	}

	/** The approved measures of the analysis's breakout (of every readable breakout for a conference analysis), those naming its causes first. */
	async measuresFor(conferenceId: string, user: UserRecord, analysis: { doc: DocumentRecord; breakoutId: string | null }): Promise<MeasureOption[]> {
		const readable = await this.access.readableBreakouts(user, conferenceId);
		const items = (await this.ledger.items(conferenceId)).filter((i) => i.carried === null && readable.has(i.resolution.breakout.id) && (analysis.breakoutId === null || i.resolution.breakout.id === analysis.breakoutId));
		const causeIds = new Set((await this.read(analysis.doc.id, readCauses)).map((c) => c.id).filter(Boolean));
		const options = await Promise.all(
			items.map(async (item) => {
				const p = item.resolution.proposal;
				// The measure's 关联原因 as its plan has them now; a deleted plan names none.
				const causes = (await this.documents.get(p.sourceDocId)) ? await this.read(p.sourceDocId, (doc) => { const el = findBlock(doc, p.blockId); return el ? attrText(el, 'causes') : ''; }) : '';
				return { item, linked: causes.split(',').some((id) => causeIds.has(id)) };
			})
		);
		return options.sort((a, b) => Number(b.linked) - Number(a.linked));
	}

	/** Checks each source named: of this conference, readable by `user`, and a measure of the analysis's breakout. */
	async resolve(conferenceId: string, user: UserRecord, input: CaseSourcesInput): Promise<ResolvedSources> {
		let analysis: ResolvedSources['analysis'] = null;
		if (input.sourceDocId !== null) {
			const found = (await this.analyses(conferenceId, user)).find((a) => a.doc.id === input.sourceDocId);
			if (found === undefined) throw new CaseError('bad_source', `Document ${input.sourceDocId} is no analysis of this conference that you may read.`);
			analysis = { ...found, content: await this.read(found.doc.id, readAnalysis) };
		}
		let measure: LedgerItem | null = null;
		if (input.proposalId !== null) {
			const readable = await this.access.readableBreakouts(user, conferenceId);
			const item = (await this.ledger.items(conferenceId)).find((i) => i.resolution.proposal.id === input.proposalId);
			if (item === undefined || !readable.has(item.resolution.breakout.id)) throw new CaseError('bad_source', `Proposal ${input.proposalId} is no approved measure of this conference.`);
			if (analysis !== null && analysis.breakoutId !== null && item.resolution.breakout.id !== analysis.breakoutId) throw new CaseError('bad_source', 'The measure is not of the analysis’s breakout.');
			measure = item;
		}
		let project: ProjectRecord | null = null;
		if (input.projectId !== null) {
			project = await this.conferences.getProject(input.projectId);
			if (project === null || project.conferenceId !== conferenceId) throw new CaseError('bad_source', `Project ${input.projectId} is not of this conference.`);
		}
		return { analysis, measure, project };
	}

	/** The project's figures: its earliest accepted report of the conference's rounds (by period end), and its latest when that is another. */
	async figuresOf(conferenceId: string, projectId: string | null): Promise<CaseFigures> {
		if (projectId === null) return { before: null, after: null };
		const rounds = (await this.reports.rounds(conferenceId)).sort((a, b) => a.periodEnd.localeCompare(b.periodEnd) || a.createdAt - b.createdAt);
		const sets: CaseFigureSet[] = [];
		for (const round of rounds) {
			for (const r of await this.reports.reports(round.id)) {
				if (r.projectId !== projectId || r.status !== 'accepted') continue;
				const values = Object.fromEntries(Object.entries(ProjectReports.values(r)).filter(([, v]) => typeof v === 'number'));
				sets.push({ reportId: r.id, roundId: round.id, roundTitle: round.title, periodEnd: round.periodEnd, values, derived: derivedIndicators(values, round.periodEnd) });
			}
		}
		return { before: sets[0] ?? null, after: sets.length > 1 ? sets[sets.length - 1] : null };
	}

	/** The measure as approved, its numbers and its ledger outcome today. */
	private measureOf(item: LedgerItem | null): CaseMeasure | null {
		if (item === null) return null;
		const r = item.resolution;
		return {
			proposalId: r.proposal.id,
			text: r.title,
			number: r.number,
			ledgerNumber: r.ledgerNumber,
			leadUnit: r.leadUnit,
			deadline: item.deadline,
			status: item.status,
			percent: item.percent,
			closedOn: item.closedAt === null ? null : beijingDate(item.closedAt),
			asOf: beijingDate(this.now())
		};
	}

	private async sectorOf(conferenceId: string, s: ResolvedSources): Promise<string> {
		if (s.project?.sector) return s.project.sector;
		const breakoutId = s.analysis?.breakoutId ?? s.measure?.resolution.breakout.id ?? null;
		return breakoutId === null ? '' : ((await this.conferences.getBreakout(breakoutId))?.sector ?? '');
	}

	/** A case as it would be made from the sources: title, sector and sections to edit, the measure and figures it would keep. Nothing is stored. */
	async draft(conferenceId: string, user: UserRecord, input: CaseSourcesInput) {
		const sources = await this.resolve(conferenceId, user, input);
		const d: CaseDraftInput = { kind: input.kind, project: sources.project, analysis: sources.analysis?.content ?? null, measure: this.measureOf(sources.measure), figures: await this.figuresOf(conferenceId, input.projectId) };
		return { sources, title: draftTitle(d), sector: await this.sectorOf(conferenceId, sources), sections: draftSections(d), measure: d.measure, figures: d.figures };
	}

	/** Makes the case: the sources checked again, the measure and the figures frozen now, the text as edited. */
	async create(conferenceId: string, user: UserRecord, input: CaseCreateInput): Promise<CaseRecord> {
		const sources = await this.resolve(conferenceId, user, input);
		const at = this.now();
		const record: CaseRecord = {
			id: randomId(12),
			conferenceId,
			kind: input.kind,
			title: input.title,
			projectId: input.projectId,
			sector: input.sector || (await this.sectorOf(conferenceId, sources)),
			sourceDocId: input.sourceDocId,
			proposalId: input.proposalId,
			sections: input.sections,
			measure: this.measureOf(sources.measure),
			figures: await this.figuresOf(conferenceId, input.projectId),
			createdBy: user.id,
			createdAt: at,
			updatedBy: user.id,
			updatedAt: at,
			version: 0
		};
		await this.store.create(record);
		return record;
	}

	/** Saves the edited text if nobody saved since `input.version`. */
	async update(record: CaseRecord, user: UserRecord, input: CaseUpdateInput): Promise<void> {
		const ok = await this.store.update(record.id, input.version, { kind: input.kind, title: input.title, sector: input.sector, sections: input.sections, updatedBy: user.id, updatedAt: this.now() });
		if (!ok) throw new CaseError('stale', 'The case changed since it was opened.');
	}

	delete(record: CaseRecord): Promise<boolean> {
		return this.store.delete(record.id);
	}
}
