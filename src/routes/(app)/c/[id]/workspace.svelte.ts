import { getContext, setContext } from 'svelte';
import { api } from '$lib/api/client';
import { LiveProgram } from '$lib/collab/live-program.svelte';
import { onLiveChanges } from '$lib/collab/live-events';
import { errorText } from '$lib/i18n/error-text';
import type { ConferenceView, DocumentMeta, Member, Project } from '$lib/shared/schemas';

/** What `load` reads again. */
export type WorkspacePart = 'conference' | 'documents' | 'members' | 'projects';

export interface Online {
	editors: { name: string; unit: string }[];
	watching: number;
}

/**
 * One conference as its workspace pages see it: the conference with what the caller may do there,
 * its documents, members and projects, who is online where, and the live programme. Created by the
 * conference layout, one per conference, and read by every tab through `getWorkspace()`.
 */
export class ConferenceWorkspace {
	conference = $state<ConferenceView | null>(null);
	documents = $state<DocumentMeta[]>([]);
	members = $state<Member[]>([]);
	projects = $state<Project[]>([]);
	online = $state<Record<string, Online>>({});
	/** Titles of documents that reached their size limit while the workspace is open (organizers are told). */
	fullDocuments = $state<string[]>([]);
	failure = $state('');
	readonly program: LiveProgram;
	private readonly stopEvents: () => void;

	constructor(
		readonly id: string,
		private readonly myId: string,
		onSignedOut: () => void
	) {
		this.program = new LiveProgram(id, onSignedOut);
		this.stopEvents = onLiveChanges(id, (change) => {
			if (change === null || change.type === 'presence') void this.loadOnline();
			if (change?.type === 'document-full' && this.conference?.mayManage) void this.noteFull(change.scope);
		});
		void this.load();
	}

	/**
	 * Reads again what a change made here touched (all of it when not said): the conference with the
	 * caller's abilities, its documents, members or projects.
	 */
	async load(...parts: WorkspacePart[]): Promise<void> {
		const wanted = new Set<WorkspacePart>(parts.length > 0 ? parts : ['conference', 'documents', 'members', 'projects']);
		const read = async (part: WorkspacePart) => {
			if (part === 'conference') this.conference = await api.getConference(this.id);
			else if (part === 'documents') this.documents = (await api.listDocuments(this.id)).documents;
			else if (part === 'members') this.members = (await api.listMembers(this.id)).members;
			else this.projects = (await api.listProjects(this.id)).projects;
		};
		try {
			await Promise.all([...wanted].map(read));
			this.failure = '';
		} catch (err) {
			this.failure = errorText(err);
		}
	}

	private async loadOnline(): Promise<void> {
		const r = await api.presence(this.id).catch(() => null);
		if (r !== null) this.online = Object.fromEntries(r.documents.map((d) => [d.documentId, d]));
	}

	private async noteFull(documentId: string): Promise<void> {
		const d = await api.getDocument(documentId).catch(() => null);
		if (d !== null && !this.fullDocuments.includes(d.title)) this.fullDocuments = [...this.fullDocuments, d.title];
	}

	get me(): Member | null {
		return this.members.find((x) => x.userId === this.myId) ?? null;
	}

	/** The caller's own breakouts; for those who belong to none (organizers, experts), every breakout. */
	get myBreakouts() {
		const all = this.conference?.breakouts ?? [];
		const mine = all.filter((b) => b.mine);
		return mine.length > 0 ? mine : all;
	}

	docsOf(kind: 'conference' | 'breakout', parentId: string): DocumentMeta[] {
		return this.documents.filter((d) => d.parentKind === kind && d.parentId === parentId);
	}

	breakoutName(breakoutId: string): string {
		return this.conference?.breakouts.find((b) => b.id === breakoutId)?.name ?? breakoutId;
	}

	destroy(): void {
		this.stopEvents();
		this.program.destroy();
	}
}

const key = Symbol('conference-workspace');

/** Called by the conference layout while it initialises. */
export function provideWorkspace(workspace: ConferenceWorkspace): void {
	setContext(key, workspace);
}

/** The open conference, for the pages under `/c/<id>`. */
export function getWorkspace(): ConferenceWorkspace {
	const w = getContext<ConferenceWorkspace | undefined>(key);
	if (w === undefined) throw new Error('getWorkspace() outside the conference layout');
	return w;
}
