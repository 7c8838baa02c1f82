import { z } from 'zod';
import { dateSchema } from './agenda';

/**
 * The rectification ledger (整改台账, domain.md §2): one item per resolution (an approved measure),
 * tracked after the conference through progress reports, a review and close-out (销号). The rules here
 * are shared by the server, which enforces them, and the browser, which offers only what they allow.
 */

/** 未启动 → 推进中 → 已完成待审核 → 已销号 (a return goes back to 推进中, a reopen too). */
export const ledgerStatuses = ['not_started', 'in_progress', 'pending_review', 'closed'] as const;
export type LedgerStatus = (typeof ledgerStatuses)[number];

/** What can be done to an item; `report` and the extension's own steps are separate routes. */
export const ledgerTransitions = {
	/** The responsible unit finished and asks for close-out (needs evidence). */
	submit: { from: ['in_progress'], to: 'pending_review' },
	/** The reviewer sends it back with reasons; the deadline keeps running. */
	return: { from: ['pending_review'], to: 'in_progress' },
	/** 销号, by a reviewer who is not of the responsible unit. */
	close: { from: ['pending_review'], to: 'closed' },
	/** A closed item found wanting (回头看) is opened again. */
	reopen: { from: ['closed'], to: 'in_progress' }
} as const satisfies Record<string, { from: readonly LedgerStatus[]; to: LedgerStatus }>;
export type LedgerTransition = keyof typeof ledgerTransitions;
export const ledgerTransitionNames = Object.keys(ledgerTransitions) as LedgerTransition[];

/** Transitions that need a reason (the return's 退回理由, the reopen's grounds). */
export const reasonRequired: ReadonlySet<LedgerTransition> = new Set(['return', 'reopen']);

/** Who does a transition: the responsible unit, or a reviewer from outside it. */
export const transitionActor: Record<LedgerTransition, 'unit' | 'reviewer'> = { submit: 'unit', return: 'reviewer', close: 'reviewer', reopen: 'reviewer' };

/** Blue / yellow / red escalation (三色督办, domain.md §2.5); '' when the item needs none. */
export type Escalation = '' | 'blue' | 'yellow' | 'red';

export const ledgerSettingsSchema = z
	.object({
		/** Blue (提醒): the deadline is this many days away or fewer. */
		blueDays: z.number().int().min(0).max(365),
		/** Yellow (预警): this many days or fewer, or behind schedule (below). */
		yellowDays: z.number().int().min(0).max(365),
		/** Yellow too when the reported % trails the time elapsed by more than this many points. */
		lagPoints: z.number().int().min(1).max(100)
	})
	.refine((s) => s.yellowDays <= s.blueDays, { message: 'yellowDays must not exceed blueDays', path: ['yellowDays'] });
export type LedgerSettings = z.infer<typeof ledgerSettingsSchema>;
export const defaultLedgerSettings: LedgerSettings = { blueDays: 15, yellowDays: 7, lagPoints: 20 };

const dayMs = 86_400_000;
/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs);

/** Points by which `percent` trails the share of time elapsed from `start` to `deadline` on `today` (≤ 0: on schedule). */
export function lagOf(percent: number, start: string, deadline: string, today: string): number {
	const span = daysBetween(start, deadline);
	if (span <= 0) return 0;
	const elapsed = Math.min(1, Math.max(0, daysBetween(start, today) / span));
	return Math.round(elapsed * 100 - percent);
}

/**
 * The escalation of an open item: red once overdue; yellow near the deadline or when behind
 * schedule; blue when the deadline approaches. Items awaiting review or closed are not escalated, nor
 * are items without a deadline.
 */
export function escalationOf(
	item: { status: LedgerStatus; deadline: string; percent: number; start: string },
	today: string,
	s: LedgerSettings
): Escalation {
	if (item.status === 'closed' || item.status === 'pending_review' || item.deadline === '') return '';
	const left = daysBetween(today, item.deadline);
	if (left < 0) return 'red';
	if (left <= s.yellowDays || lagOf(item.percent, item.start, item.deadline, today) > s.lagPoints) return 'yellow';
	return left <= s.blueDays ? 'blue' : '';
}

/** The units named by a 责任主体 or 配合单位 field: split at 、，,；; and spaces. */
export const unitsOf = (text: string) =>
	text
		.split(/[、，,；;\s]+/u)
		.map((u) => u.trim())
		.filter(Boolean);

/** True when a person of `unit` belongs to the item's responsible units (lead or supporting). */
export function ofResponsibleUnit(unit: string, lead: string, supporting: string): boolean {
	const u = unit.replace(/\s+/gu, '');
	return u !== '' && [...unitsOf(lead), ...unitsOf(supporting)].some((x) => x === u);
}

export const ledgerReportSchema = z.object({
	/** 本期进展 */
	progress: z.string().trim().min(1).max(2000),
	/** 累计完成 % */
	percent: z.coerce.number().int().min(0).max(100),
	/** 存在困难 */
	difficulties: z.string().trim().max(2000).default(''),
	/** 下步计划 */
	nextSteps: z.string().trim().max(2000).default('')
});
export type LedgerReportInput = z.infer<typeof ledgerReportSchema>;

export const extensionRequestSchema = z.object({ deadline: dateSchema, reason: z.string().trim().min(1).max(500) });

/** Evidence (佐证材料): documents, spreadsheets, scans and photos, recognised by their first bytes. */
export const evidenceTypes = {
	pdf: 'application/pdf',
	ofd: 'application/ofd',
	docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg'
} as const;
export type EvidenceExtension = keyof typeof evidenceTypes;
export const evidenceAccept = Object.keys(evidenceTypes).map((e) => `.${e}`).join(',');
export const maxEvidenceBytes = 20 * 1024 * 1024;
export const maxEvidenceFiles = 10;
/** A whole report, files included. */
export const maxReportBytes = 60 * 1024 * 1024;
