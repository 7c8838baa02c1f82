import type { Generated } from 'kysely';

/** Table types for the Kysely query layer; shared by every SQL backend. Times are epoch milliseconds. */
export interface Database {
	users: {
		id: string;
		username: string;
		username_key: string;
		display_name: string;
		unit: string;
		color: string;
		password_hash: string;
		is_admin: number;
		created_at: number;
		guest_conference_id: string | null;
		phone: string;
		email: string;
		/** 1 when the person typed their unit themselves (an invite guest). */
		unit_declared: number;
	};
	sessions: {
		id: string;
		user_id: string;
		secret_hash: Uint8Array;
		created_at: number;
		expires_at: number;
		absolute_expires_at: number;
	};
	documents: {
		id: string;
		title: string;
		owner_id: string;
		parent_kind: string;
		parent_id: string | null;
		created_at: number;
		updated_at: number;
		kind: string;
		project_id: string | null;
	};
	conferences: {
		id: string;
		title: string;
		created_by: string;
		created_at: number;
		start_date: string;
		end_date: string;
		venue: string;
		hosts: string;
		agenda: string;
		moderators_approve: number;
	};
	proposals: {
		id: string;
		conference_id: string;
		breakout_id: string;
		source_doc_id: string;
		block_id: string;
		status: string;
		proposed_by: string;
		proposed_at: number;
		decided_by: string | null;
		decided_at: number | null;
		reason: string;
		snapshot: string;
		resolution_no: number | null;
		ledger_series: string | null;
		ledger_no: number | null;
	};
	ledger_items: {
		proposal_id: string;
		conference_id: string;
		status: string;
		deadline: string;
		percent: number;
		updated_at: number;
		closed_at: number | null;
	};
	ledger_reports: {
		id: string;
		proposal_id: string;
		progress: string;
		percent: number;
		difficulties: string;
		next_steps: string;
		by_user: string;
		at: number;
	};
	ledger_evidence: {
		id: string;
		proposal_id: string;
		report_id: string;
		name: string;
		mime: string;
		size: number;
		sha256: string;
	};
	ledger_events: {
		id: string;
		proposal_id: string;
		kind: string;
		from_status: string;
		to_status: string;
		reason: string;
		by_user: string;
		at: number;
		/** The item's n-th step, in the order the steps took effect. */
		seq: number;
	};
	ledger_extensions: {
		id: string;
		proposal_id: string;
		old_deadline: string;
		new_deadline: string;
		reason: string;
		status: string;
		requested_by: string;
		requested_at: number;
		decided_by: string | null;
		decided_at: number | null;
		decision_reason: string;
	};
	ledger_settings: {
		conference_id: string;
		settings: string;
	};
	projects: {
		id: string;
		conference_id: string;
		breakout_id: string;
		name: string;
		code: string;
		sector: string;
		region: string;
		owner_unit: string;
		created_at: number;
	};
	breakouts: {
		id: string;
		conference_id: string;
		name: string;
		closed: number;
		created_at: number;
		sector: string;
		region: string;
	};
	conference_members: {
		conference_id: string;
		user_id: string;
		role: string;
		unit_type: string;
		added_at: number;
		on_leave: Generated<number>;
	};
	breakout_members: {
		breakout_id: string;
		conference_id: string;
		user_id: string;
	};
	invites: {
		id: string;
		conference_id: string;
		secret_hash: Uint8Array;
		role: string;
		breakout_ids: string;
		expires_at: number;
		max_uses: number;
		uses: number;
		revoked: number;
		created_by: string;
		created_at: number;
	};
	signin_links: {
		id: string;
		user_id: string;
		conference_id: string;
		secret_hash: Uint8Array;
		expires_at: number;
		used_at: number | null;
		created_by: string;
		created_at: number;
	};
	questions: {
		id: string;
		conference_id: string;
		scope: string;
		asker_id: string;
		text: string;
		private: number;
		hidden: number;
		pinned: number;
		answer: string;
		answered_by: string | null;
		created_at: number;
	};
	question_votes: {
		question_id: string;
		user_id: string;
	};
	raised_hands: {
		conference_id: string;
		breakout_id: string;
		user_id: string;
		raised_at: number;
	};
	edit_grants: {
		conference_id: string;
		breakout_id: string;
		user_id: string;
		granted_by: string;
		expires_at: number;
	};
	audit_log: {
		id: Generated<number>;
		at: number;
		actor_id: string | null;
		actor_name: string;
		conference_id: string | null;
		action: string;
		target: string;
		detail: string;
		address: string;
	};
	doc_updates: {
		id: Generated<number>;
		doc_id: string;
		data: Uint8Array;
		/** The document's sequence number of the update (see doc_heads). */
		seq: number;
	};
	doc_snapshots: {
		doc_id: string;
		data: Uint8Array;
		/** Unused since 0014 (kept equal to up_to_seq). */
		up_to_id: number;
		updated_at: number;
		/** The snapshot holds every update of the document numbered up to this. */
		up_to_seq: number;
	};
	leases: {
		name: string;
		holder: string;
		until: number;
	};
	report_rounds: {
		id: string;
		conference_id: string;
		title: string;
		/** YYYY-MM-DD: the end of the period reported on (序时进度 is taken there). */
		period_end: string;
		/** YYYY-MM-DD: the last day (Beijing time) to submit. */
		deadline: string;
		created_by: string;
		created_at: number;
	};
	project_reports: {
		id: string;
		round_id: string;
		conference_id: string;
		project_id: string;
		/** The reporting unit: its members fill in and submit. */
		unit: string;
		/** draft, submitted, returned, accepted. */
		status: string;
		/** JSON: figure key → { value, by, at, submission } (see ReportFigure). */
		figures: string;
		/** Counts every save and step: a save based on an older version is refused. */
		version: number;
		submissions: number;
		updated_at: number;
		decided_by: string | null;
		decided_at: number | null;
	};
	report_evidence: {
		id: string;
		report_id: string;
		/** The section of the template whose figures it backs. */
		section: string;
		name: string;
		mime: string;
		size: number;
		sha256: string;
		by_user: string;
		at: number;
	};
	report_events: {
		id: string;
		report_id: string;
		seq: number;
		kind: string;
		from_status: string;
		to_status: string;
		reason: string;
		by_user: string;
		at: number;
	};
	/** A conference's lamp rule, in tenths of a point against 序时 (−50 = −5.0). */
	lamp_thresholds: {
		conference_id: string;
		amber_below: number;
		red_below: number;
		updated_by: string;
		updated_at: number;
	};
	honor_settings: {
		conference_id: string;
		settings: string;
		updated_by: string;
		updated_at: number;
	};
	honor_boards: {
		id: string;
		conference_id: string;
		round_id: string;
		round_title: string;
		period_end: string;
		settings: string;
		thresholds: string;
		tracks: string;
		published_by: string;
		published_at: number;
		content_hash: string;
	};
	cases: {
		id: string;
		conference_id: string;
		/** good (优秀实践) or lesson (失败教训). */
		kind: string;
		title: string;
		project_id: string | null;
		sector: string;
		/** The analysis (根因分析) the case was drawn from, if any. */
		source_doc_id: string | null;
		proposal_id: string | null;
		/** The five sections: 背景, 做法/问题, 成效/损失, 经验启示, 可推广条款. */
		background: string;
		practice: string;
		outcome: string;
		lessons: string;
		clauses: string;
		/** JSON of the measure as approved with its numbers and ledger outcome (CaseMeasure), frozen at creation; null without one. */
		measure: string | null;
		/** JSON of the before/after figures (CaseFigures), frozen at creation. */
		figures: string;
		created_by: string;
		created_at: number;
		updated_by: string;
		updated_at: number;
		/** Counts every save: an edit based on an older version is refused. */
		version: number;
	};
	conference_successions: {
		conference_id: string;
		predecessor_id: string;
		created_by: string;
		created_at: number;
	};
	/** An open ledger item of an earlier conference carried into this one, under one of its breakouts. */
	carried_items: {
		conference_id: string;
		proposal_id: string;
		breakout_id: string;
		carried_at: number;
	};
	document_versions: {
		id: string;
		doc_id: string;
		/** auto, named, proposed, approved, exported, restored (the state just before a restore). */
		kind: string;
		name: string;
		/** SHA-256 of the document's content (its editor fragment as XML). */
		content_hash: string;
		/** `<kind>:<hash>` for kinds kept once per content; null for the others. */
		dedupe_key: string | null;
		state: Uint8Array;
		bytes: number;
		created_by: string | null;
		created_at: number;
	};
	comment_threads: {
		id: string;
		doc_id: string;
		block_id: string | null;
		/** Base64 of a Yjs relative position; null for a thread on a whole block. */
		anchor_start: string | null;
		anchor_end: string | null;
		quote: string;
		created_by: string;
		created_at: number;
		resolved_by: string | null;
		resolved_at: number | null;
		/** The proposed text of a suggestion; null for a comment thread. */
		suggestion: string | null;
		/** A suggestion on a measure's field: its name. */
		field: string | null;
		/** accepted, rejected, or null while pending. */
		decision: string | null;
		decided_by: string | null;
		decided_at: number | null;
	};
	comments: {
		id: string;
		thread_id: string;
		author_id: string;
		body: string;
		created_at: number;
		hidden_by: string | null;
		hidden_at: number | null;
	};
	comment_mentions: {
		comment_id: string;
		user_id: string;
		conference_id: string;
		read_at: number | null;
	};
	/** The last sequence number each document gave; its row lock orders concurrent appends. */
	doc_heads: {
		doc_id: string;
		seq: number;
	};
	doc_clients: {
		doc_id: string;
		client_id: number;
		user_id: string;
	};
}
