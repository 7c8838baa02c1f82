import type { CaseCreateInput, CaseFigures, CaseKind, CaseMeasure, CaseSections, CaseSourcesInput, CaseUpdateInput } from '$lib/shared/case-library';
import { request } from './client';

/** A case as listed (a conference's list, the search across conferences). */
export interface CaseSummary {
	id: string;
	conference: { id: string; title: string };
	kind: CaseKind;
	title: string;
	sector: string;
	project: { id: string; name: string; code: string; sector: string } | null;
	measure: { number: string; ledgerNumber: string } | null;
	excerpt: string;
	createdAt: string;
	updatedAt: string;
}

/** One case with its sections, source, measure (as frozen) and figures. */
export interface CaseDetail extends Omit<CaseSummary, 'measure'> {
	sections: CaseSections;
	/** The source analysis; its title is null for someone who may not read it. */
	source: { id: string; title: string | null; deleted: boolean } | null;
	measure: CaseMeasure | null;
	figures: CaseFigures;
	createdBy: { name: string; unit: string } | null;
	updatedBy: { name: string; unit: string } | null;
	version: number;
	mayWrite: boolean;
}

/** What a case may be drawn from. */
export interface CaseSourceOptions {
	analyses: {
		id: string;
		title: string;
		breakout: { id: string; name: string; sector: string } | null;
		/** The project its problem statement names, or null. */
		projectId: string | null;
		measures: { proposalId: string; number: string; ledgerNumber: string; text: string; status: string; percent: number; linked: boolean }[];
	}[];
	projects: { id: string; name: string; code: string; sector: string }[];
}

export interface CaseDraft {
	title: string;
	sector: string;
	sections: CaseSections;
	measure: CaseMeasure | null;
	figures: CaseFigures;
}

export interface CaseFilter {
	q: string;
	sector: string;
	kind: CaseKind | '';
	conference?: string;
}

const enc = encodeURIComponent;
const query = (f: CaseFilter) => `?${new URLSearchParams(Object.entries(f).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== '')).toString()}`;
const base = (conferenceId: string) => `/api/conferences/${enc(conferenceId)}/cases`;

/** Typed client for the case library's routes. */
export const casesApi = {
	list: (conferenceId: string, f: CaseFilter) => request<{ cases: CaseSummary[]; mayWrite: boolean; limit: number }>('GET', `${base(conferenceId)}${query(f)}`),
	search: (f: CaseFilter) => request<{ cases: CaseSummary[]; conferences: { id: string; title: string }[]; limit: number }>('GET', `/api/cases${query(f)}`),
	sources: (conferenceId: string) => request<CaseSourceOptions>('GET', `${base(conferenceId)}/sources`),
	draft: (conferenceId: string, body: CaseSourcesInput) => request<CaseDraft>('POST', `${base(conferenceId)}/draft`, body),
	create: (conferenceId: string, body: CaseCreateInput) => request<CaseDetail>('POST', base(conferenceId), body),
	get: (conferenceId: string, caseId: string) => request<CaseDetail>('GET', `${base(conferenceId)}/${enc(caseId)}`),
	update: (conferenceId: string, caseId: string, body: CaseUpdateInput) => request<CaseDetail>('PUT', `${base(conferenceId)}/${enc(caseId)}`, body),
	remove: (conferenceId: string, caseId: string) => request<void>('DELETE', `${base(conferenceId)}/${enc(caseId)}`),
	/** The 案例汇编 of the conference, or of the cases named. */
	exportHref: (conferenceId: string, ids: readonly string[] = []) => `${base(conferenceId)}/export.docx${ids.length ? `?ids=${ids.map(enc).join(',')}` : ''}`
};
