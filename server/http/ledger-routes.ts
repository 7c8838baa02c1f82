import { createRoute, z } from '@hono/zod-openapi';
import type { AuditAction } from '../../src/lib/shared/audit-actions.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { extensionRequestSchema, ledgerReportSchema, ledgerSettingsSchema, ledgerTransitionNames, reasonRequired, type LedgerTransition } from '../../src/lib/shared/ledger.js';
import { entityIdSchema, ledgerDetailSchema, ledgerItemSchema } from '../../src/lib/shared/schemas.js';
import { isBlank } from '../../src/lib/shared/text.js';
import { can } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import { type Ledger, LedgerError, type LedgerItem, breakoutIn } from '../domain/ledger.js';
import { minutesDocId } from '../domain/promotion.js';
import type { ConferenceStore, UserRecord, UserStore } from '../storage/types.js';
import { minutesItemId } from '../../src/lib/shared/blocks.js';
import { conferenceGuard } from './conference-guard.js';
import { downloadHeaders } from './download.js';
import { personLookup } from './presenters.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { formWithUploads } from './uploads.js';
import { errorResponses, json, router } from './openapi.js';

export interface LedgerRoutesDeps {
	conferences: ConferenceStore;
	users: UserStore;
	access: AccessResolver;
	ledger: Ledger;
	audit: Auditor;
	/** Announces a change of an item to the conference's open pages (they fetch what they may see). */
	announce: (conferenceId: string, breakoutId: string) => void;
}

const idParams = z.object({ id: entityIdSchema });
const settingsBody = ledgerSettingsSchema;

const routes = {
	list: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/ledger',
		summary: 'The rectification ledger (整改台账): one item per resolution of the breakouts the caller may see, with status, progress and escalation as of today (Beijing time)',
		request: { params: idParams },
		responses: {
			200: { description: 'Items', ...json(z.object({ items: z.array(ledgerItemSchema), today: z.string(), settings: settingsBody, mayConfigure: z.boolean() })) },
			...errorResponses(401, 404)
		}
	}),
	detail: createRoute({
		method: 'get',
		path: '/api/ledger/{id}',
		summary: 'One ledger item (id = its proposal) with its progress reports, evidence, history and extensions',
		request: { params: idParams },
		responses: { 200: { description: 'The item', ...json(ledgerDetailSchema) }, ...errorResponses(401, 404) }
	}),
	report: createRoute({
		method: 'post',
		path: '/api/ledger/{id}/reports',
		summary:
			'A progress report by the responsible unit, as multipart/form-data: progress (本期进展), percent (累计完成, 0–100), difficulties, nextSteps, and up to 10 evidence files (PDF, OFD, DOCX, XLSX, PNG, JPEG; 20 MB each), checked by content. All or nothing',
		request: { params: idParams },
		responses: { 201: { description: 'The item', ...json(ledgerDetailSchema) }, ...errorResponses(400, 401, 403, 404, 409, 413) }
	}),
	transition: createRoute({
		method: 'post',
		path: '/api/ledger/{id}/transitions',
		summary:
			'A workflow step: submit (the unit asks for close-out; needs evidence), return (退回, with a reason), close (销号), reopen (with a reason). Reviewers are supervisors and organizers who are not of the responsible unit',
		request: {
			params: idParams,
			body: { ...json(z.object({ action: z.enum(ledgerTransitionNames as [LedgerTransition, ...LedgerTransition[]]), reason: z.string().trim().max(500).default('') })), required: true }
		},
		responses: { 200: { description: 'The item', ...json(ledgerDetailSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	requestExtension: createRoute({
		method: 'post',
		path: '/api/ledger/{id}/extensions',
		summary: 'Ask for an extension (申请延期): the responsible unit, on or before the deadline in force, with the new date and a reason; organizers decide',
		request: { params: idParams, body: { ...json(extensionRequestSchema), required: true } },
		responses: { 201: { description: 'The item', ...json(ledgerDetailSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	decideExtension: createRoute({
		method: 'post',
		path: '/api/ledger-extensions/{id}/decision',
		summary: 'Approve an extension (the deadline moves) or decline it with a reason (organizers)',
		request: { params: idParams, body: { ...json(z.object({ approve: z.boolean(), reason: z.string().trim().max(500).default('') })), required: true } },
		responses: { 200: { description: 'The item', ...json(ledgerDetailSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	evidence: createRoute({
		method: 'get',
		path: '/api/evidence/{id}',
		summary: 'An evidence file, as an attachment, to those who may see its item',
		request: { params: z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }) },
		responses: { 200: { description: 'The file' }, ...errorResponses(401, 404) }
	}),
	settings: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/ledger-settings',
		summary: 'Escalation thresholds (organizers): blue when the deadline is blueDays away or fewer; yellow at yellowDays or when the reported % trails the time elapsed by more than lagPoints; red when overdue',
		request: { params: idParams, body: { ...json(settingsBody), required: true } },
		responses: { 204: { description: 'Saved' }, ...errorResponses(400, 401, 403, 404) }
	})
};

const statusOf: Record<LedgerError['code'], [400 | 403 | 409, string]> = {
	wrong_status: [409, ErrorCode.ledgerStatus],
	evidence_required: [409, ErrorCode.evidenceRequired],
	deadline_passed: [409, ErrorCode.deadlinePassed],
	extension_open: [409, ErrorCode.conflict],
	bad_deadline: [400, ErrorCode.validationFailed],
	bad_file: [400, ErrorCode.evidenceRejected],
	not_responsible: [403, ErrorCode.notResponsibleUnit],
	own_unit: [403, ErrorCode.ownUnit]
};

function ledgerFailure(err: unknown): never {
	if (err instanceof LedgerError) {
		const [status, code] = statusOf[err.code];
		throw new AppError(status, code, err.message);
	}
	throw err;
}

const transitionAudit: Record<LedgerTransition, AuditAction> = {
	submit: 'ledger.submitted',
	return: 'ledger.returned',
	close: 'ledger.closed',
	reopen: 'ledger.reopened'
};

const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

export function ledgerRoutes(deps: LedgerRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);

	/** What the caller may do across the conference's ledger. */
	async function rights(user: UserRecord, conferenceId: string) {
		const subject = await deps.access.subject(user, { kind: 'conference', conferenceId });
		const scope = { kind: 'conference', conferenceId } as const;
		return { review: can(subject, 'ledger.review', scope), manage: can(subject, 'conference.manage', scope) };
	}

	function row(item: LedgerItem, user: UserRecord, review: boolean, carriedFromTitle = '') {
		const r = item.resolution;
		const responsible = deps.ledger.isResponsible(item, user);
		return {
			id: r.proposal.id,
			number: r.ledgerNumber,
			resolutionNumber: r.number,
			title: r.title,
			breakoutId: breakoutIn(item),
			/** 上年转入: the conference it was carried from; null for the conference's own items. */
			carriedFrom: item.carried ? { conferenceId: item.carried.fromConferenceId, title: carriedFromTitle } : null,
			breakoutName: r.breakout.name,
			sector: r.breakout.sector,
			leadUnit: r.leadUnit,
			supportingUnits: r.supportingUnits,
			type: r.type,
			criteria: r.criteria,
			planDeadline: r.deadline,
			deadline: item.deadline,
			daysLeft: item.daysLeft,
			behind: item.behind,
			status: item.status,
			percent: item.percent,
			escalation: item.escalation,
			latest: item.latest ? { progress: item.latest.progress, at: new Date(item.latest.at).toISOString() } : null,
			closedAt: iso(item.closedAt),
			sourceDocId: r.proposal.sourceDocId,
			sourceBlockId: r.proposal.blockId,
			minutesDocId: minutesDocId(r.proposal.conferenceId),
			minutesItemId: minutesItemId(r.proposal.id),
			responsible,
			mayReview: review && !responsible
		};
	}

	/**
	 * The item, visible to the caller (else 404), and the caller's rights: through its own conference,
	 * or through a later one it was carried into (the breakout it is under there). Announcements go
	 * to both.
	 */
	async function visibleItem(user: UserRecord, id: string) {
		const item = await deps.ledger.item(id);
		if (item === null) throw errors.notFound('ledger item');
		const carriers = await deps.ledger.carriersOf(id);
		const ways = [{ conferenceId: item.resolution.proposal.conferenceId, breakoutId: item.resolution.breakout.id }, ...carriers.map((c) => ({ conferenceId: c.conferenceId, breakoutId: c.breakoutId }))];
		for (const way of ways) {
			const readable = await authorize(user, way.conferenceId, 'conference.read').then(
				() => deps.access.readableBreakouts(user, way.conferenceId),
				() => null
			);
			if (readable?.has(way.breakoutId)) {
				const conferenceId = way.conferenceId;
				return { item, conferenceId, rights: await rights(user, conferenceId), announce: () => ways.forEach((w) => deps.announce(w.conferenceId, w.breakoutId)) };
			}
		}
		throw errors.notFound('ledger item');
	}

	const personOf = personLookup(deps.users);

	async function detail(user: UserRecord, id: string) {
		const { item, rights: r } = await visibleItem(user, id);
		const [reports, evidence, events, extensions] = await Promise.all([
			deps.ledger.reports(id),
			deps.ledger.evidenceOf(id),
			deps.ledger.events(id),
			deps.ledger.extensions(id)
		]);
		return {
			...row(item, user, r.review),
			reports: await Promise.all(
				reports.map(async (rep) => ({
					id: rep.id,
					progress: rep.progress,
					percent: rep.percent,
					difficulties: rep.difficulties,
					nextSteps: rep.nextSteps,
					at: new Date(rep.at).toISOString(),
					by: await personOf(rep.byUser),
					evidence: evidence.filter((e) => e.reportId === rep.id).map((e) => ({ id: e.id, name: e.name, size: e.size, mime: e.mime }))
				}))
			),
			events: await Promise.all(
				events.map(async (e) => ({ kind: e.kind, fromStatus: e.fromStatus, toStatus: e.toStatus, reason: e.reason, at: new Date(e.at).toISOString(), by: await personOf(e.byUser) }))
			),
			extensions: await Promise.all(
				extensions.map(async (e) => ({
					id: e.id,
					oldDeadline: e.oldDeadline,
					newDeadline: e.newDeadline,
					reason: e.reason,
					status: e.status,
					requestedAt: new Date(e.requestedAt).toISOString(),
					requestedBy: await personOf(e.requestedBy),
					decidedBy: await personOf(e.decidedBy),
					decidedAt: iso(e.decidedAt),
					decisionReason: e.decisionReason
				}))
			),
			mayDecideExtension: r.manage
		};
	}

	app.openapi(routes.list, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.read');
		const [items, readable, r, settings] = await Promise.all([
			deps.ledger.items(conference.id),
			deps.access.readableBreakouts(user, conference.id),
			rights(user, conference.id),
			deps.ledger.settings(conference.id)
		]);
		// The titles of the conferences items were carried from (上年转入), as they are now: one read each.
		const origins = [...new Set(items.flatMap((i) => (i.carried ? [i.carried.fromConferenceId] : [])))];
		const titles = new Map(await Promise.all(origins.map(async (id) => [id, (await deps.conferences.get(id))?.title ?? ''] as const)));
		return c.json(
			{
				items: items.filter((i) => readable.has(breakoutIn(i))).map((i) => row(i, user, r.review, i.carried ? titles.get(i.carried.fromConferenceId) : '')),
				today: deps.ledger.today(),
				settings,
				mayConfigure: r.manage
			},
			200
		);
	});

	app.openapi(routes.detail, async (c) => {
		const { user } = requireSession(c);
		return c.json(await detail(user, c.req.valid('param').id), 200);
	});

	app.openapi(routes.report, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const { item, conferenceId, announce } = await visibleItem(user, id);
		const { field, uploads } = await formWithUploads(c);
		const parsed = ledgerReportSchema.safeParse({ progress: field('progress'), percent: field('percent'), difficulties: field('difficulties'), nextSteps: field('nextSteps') });
		if (!parsed.success) {
			const issue = parsed.error.issues[0];
			throw errors.validation(`${issue.path.join('.')}: ${issue.message}`);
		}
		await deps.ledger.report(item, user, parsed.data, uploads).catch(ledgerFailure);
		announce();
		await deps.audit.record('ledger.reported', { actor: user, conferenceId, target: item.resolution.ledgerNumber, detail: `${parsed.data.percent}%` });
		return c.json(await detail(user, id), 201);
	});

	app.openapi(routes.transition, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const { action, reason } = c.req.valid('json');
		const { item, conferenceId, rights: r, announce } = await visibleItem(user, id);
		if (reasonRequired.has(action) && isBlank(reason)) throw errors.validation('reason: a reason is required for this step.');
		if ((action === 'return' || action === 'close' || action === 'reopen') && !r.review) throw errors.forbidden();
		await deps.ledger.transition(item, user, action, reason).catch(ledgerFailure);
		announce();
		await deps.audit.record(transitionAudit[action], { actor: user, conferenceId, target: item.resolution.ledgerNumber, detail: reason });
		return c.json(await detail(user, id), 200);
	});

	app.openapi(routes.requestExtension, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		const { deadline, reason } = c.req.valid('json');
		const { item, conferenceId, announce } = await visibleItem(user, id);
		await deps.ledger.requestExtension(item, user, deadline, reason).catch(ledgerFailure);
		announce();
		await deps.audit.record('ledger.extension_requested', { actor: user, conferenceId, target: item.resolution.ledgerNumber, detail: `${item.deadline} → ${deadline}：${reason}` });
		return c.json(await detail(user, id), 201);
	});

	app.openapi(routes.decideExtension, async (c) => {
		const { user } = requireSession(c);
		const ext = await deps.ledger.extension(c.req.valid('param').id);
		if (ext === null) throw errors.notFound('extension');
		const { item, conferenceId, rights: r, announce } = await visibleItem(user, ext.proposalId);
		if (!r.manage) throw errors.forbidden();
		const { approve, reason } = c.req.valid('json');
		if (!approve && isBlank(reason)) throw errors.validation('reason: say why the extension is declined.');
		await deps.ledger.decideExtension(conferenceId, ext, user, approve, reason).catch(ledgerFailure);
		announce();
		await deps.audit.record(approve ? 'ledger.extension_approved' : 'ledger.extension_declined', {
			actor: user,
			conferenceId,
			target: item.resolution.ledgerNumber,
			detail: approve ? ext.newDeadline : reason
		});
		return c.json(await detail(user, ext.proposalId), 200);
	});

	app.openapi(routes.evidence, async (c) => {
		const { user } = requireSession(c);
		const e = await deps.ledger.evidence(c.req.valid('param').id);
		if (e === null) throw errors.notFound('file');
		await visibleItem(user, e.proposalId).catch(() => {
			throw errors.notFound('file');
		});
		const bytes = await deps.ledger.readEvidence(e.id);
		// Uploaded content: also sandboxed, should a browser ever render it.
		return c.body(new Uint8Array(bytes), 200, { ...downloadHeaders(e.name, e.mime), 'Content-Security-Policy': "default-src 'none'; sandbox" });
	});

	app.openapi(routes.settings, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.manage');
		const settings = c.req.valid('json');
		await deps.ledger.setSettings(id, settings);
		await deps.audit.record('ledger.settings_updated', { actor: user, conferenceId: id, detail: `蓝色提醒${settings.blueDays}天；黄色预警${settings.yellowDays}天；滞后超过${settings.lagPoints}个百分点` });
		return c.body(null, 204);
	});

	return app;
}
