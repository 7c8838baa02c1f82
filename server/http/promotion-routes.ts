import { createRoute, z } from '@hono/zod-openapi';
import { type BlockSnapshot, blockIdSchema, minutesItemId } from '../../src/lib/shared/blocks.js';
import { resolutionNumber } from '../../src/lib/shared/decision-numbers.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { documentIdSchema, entityIdSchema, proposalSchema, resolutionSchema } from '../../src/lib/shared/schemas.js';
import { type Scope, can, mayApprove } from '../auth/policy.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import { type Promotion, PromotionError, minutesDocId } from '../domain/promotion.js';
import { resolutionsOf } from '../domain/resolutions.js';
import type { BreakoutRecord, ConferenceStore, DocumentStore, ProposalRecord, ProposalStore, UserRecord, UserStore } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { personLookup } from './presenters.js';
import { AppError, errors } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, json, router } from './openapi.js';

export interface PromotionRoutesDeps {
	conferences: ConferenceStore;
	documents: DocumentStore;
	users: UserStore;
	store: ProposalStore;
	access: AccessResolver;
	promotion: Promotion;
	audit: Auditor;
	/** Announces a change of the conference's proposals to its open pages. */
	announce: (conferenceId: string, breakoutId: string) => void;
	/** A stage reached: the document as it stands is kept as a version (its hash in the audit log); never fails the request. */
	freeze: (docId: string, kind: 'proposed' | 'approved' | 'exported', user: UserRecord) => Promise<void>;
}

const proposalParams = z.object({ id: entityIdSchema });

const routes = {
	propose: createRoute({
		method: 'post',
		path: '/api/documents/{id}/proposals',
		summary: "Propose blocks of a breakout's document for the minutes (whoever may edit it); a block already proposed or approved gives back its proposal",
		request: { params: z.object({ id: documentIdSchema }), body: { ...json(z.object({ blockIds: z.array(blockIdSchema).min(1).max(50) })), required: true } },
		responses: { 201: { description: 'The proposals', ...json(z.object({ proposals: z.array(proposalSchema) })) }, ...errorResponses(400, 401, 403, 404) }
	}),
	list: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/proposals',
		summary: 'Proposals of the breakouts the caller may see, newest first, with what each says and whether the caller may decide; `status` and `sourceDocId` narrow the list',
		request: {
			params: z.object({ id: entityIdSchema }),
			query: z.object({ status: proposalSchema.shape.status.optional(), sourceDocId: documentIdSchema.optional() })
		},
		responses: { 200: { description: 'Proposals', ...json(z.object({ proposals: z.array(proposalSchema) })) }, ...errorResponses(400, 401, 404) }
	}),
	approve: createRoute({
		method: 'post',
		path: '/api/proposals/{id}/approve',
		summary: 'Approve: the server writes the frozen copy into the minutes and marks the source (experts, organizers; moderators when allowed). Approving twice gives one item',
		request: { params: proposalParams },
		responses: { 200: { description: 'Approved', ...json(proposalSchema) }, ...errorResponses(401, 403, 404, 409) }
	}),
	decline: createRoute({
		method: 'post',
		path: '/api/proposals/{id}/decline',
		summary: 'Decline with a reason (experts, organizers; moderators when allowed)',
		request: { params: proposalParams, body: { ...json(z.object({ reason: z.string().trim().min(1).max(500) })), required: true } },
		responses: { 204: { description: 'Declined' }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	update: createRoute({
		method: 'post',
		path: '/api/proposals/{id}/update',
		summary: 'The source changed after approval: take it into the minutes as it stands now (approvers); the minutes item and the resolution list follow',
		request: { params: proposalParams },
		responses: { 200: { description: 'Updated', ...json(proposalSchema) }, ...errorResponses(401, 403, 404, 409) }
	}),
	withdraw: createRoute({
		method: 'post',
		path: '/api/proposals/{id}/withdraw',
		summary: 'Take an approved item out of the minutes, with a reason (approvers): it leaves the resolution list and the ledger; the source block may be proposed again',
		request: { params: proposalParams, body: { ...json(z.object({ reason: z.string().trim().min(1).max(500) })), required: true } },
		responses: { 200: { description: 'Withdrawn', ...json(proposalSchema) }, ...errorResponses(400, 401, 403, 404, 409) }
	}),
	resolutions: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/resolutions',
		summary: 'The resolution list (会议决议清单): the approved measures of the breakouts the caller may see, in the order of their numbers (JY-01…, given at approval and never changed; a withdrawn one leaves a gap), as the minutes hold them',
		request: { params: z.object({ id: entityIdSchema }) },
		responses: { 200: { description: 'Resolutions', ...json(z.object({ resolutions: z.array(resolutionSchema) })) }, ...errorResponses(401, 404) }
	}),
	settings: createRoute({
		method: 'put',
		path: '/api/conferences/{id}/promotion-settings',
		summary: "Whether breakouts' moderators may approve their breakout's proposals (organizers)",
		request: { params: z.object({ id: entityIdSchema }), body: { ...json(z.object({ moderatorsApprove: z.boolean() })), required: true } },
		responses: { 204: { description: 'Saved' }, ...errorResponses(400, 401, 403, 404) }
	})
};

function promotionFailure(err: unknown): never {
	if (err instanceof PromotionError) {
		if (err.reason === 'decided') throw new AppError(409, ErrorCode.alreadyDecided, err.message);
		throw errors.validation(err.message);
	}
	throw err;
}

export function promotionRoutes(deps: PromotionRoutesDeps) {
	const app = router();

	/** A proposal as the audit log names it: its resolution number and text, and the document it came from (never ids). */
	const proposalLabel = async (p: ProposalRecord) => {
		const snapshot = p.snapshot === '' ? null : (JSON.parse(p.snapshot) as { text?: string });
		const doc = await deps.documents.get(p.sourceDocId);
		return [p.numbers === null ? '' : resolutionNumber(p.numbers.resolution), (snapshot?.text ?? '').slice(0, 60), doc ? `《${doc.title}》` : ''].filter(Boolean).join(' ');
	};
	const authorize = conferenceGuard(deps.conferences, deps.access);
	const breakoutScope = (b: BreakoutRecord): Scope & { kind: 'breakout' } => ({ kind: 'breakout', conferenceId: b.conferenceId, breakoutId: b.id, closed: b.closed });
	const personOf = personLookup(deps.users);

	/** What the caller sees of a proposal. */
	async function present(p: ProposalRecord, user: UserRecord, conference: { id: string; moderatorsApprove: boolean }) {
		const [breakout, source, proposedBy, decidedBy] = await Promise.all([
			deps.conferences.getBreakout(p.breakoutId),
			deps.documents.get(p.sourceDocId),
			personOf(p.proposedBy),
			personOf(p.decidedBy)
		]);
		const subject = breakout ? await deps.access.subject(user, breakoutScope(breakout)) : null;
		// The source as it stands: what a pending proposal shows, and what an approved one is compared with
		// (a declined or withdrawn one shows its own copy; reading every source document is not free).
		const current = p.status === 'approved' || !p.snapshot ? await deps.promotion.current(p) : null;
		const snapshot: BlockSnapshot | null = p.snapshot ? (JSON.parse(p.snapshot) as BlockSnapshot) : current;
		// After approval the source may change, or be deleted: the minutes keep the approved copy either way.
		const sourceChanged = p.status === 'approved' && current !== null && JSON.stringify(current) !== p.snapshot;
		const sourceDeleted = p.status === 'approved' && current === null;
		const mayUpdate = p.status === 'approved' && subject !== null && breakout !== null && mayApprove(subject, conference, breakoutScope(breakout));
		return {
			id: p.id,
			number: p.numbers === null ? null : resolutionNumber(p.numbers.resolution),
			status: p.status,
			breakoutId: p.breakoutId,
			breakoutName: breakout?.name ?? '',
			sourceDocId: p.sourceDocId,
			sourceTitle: source?.title ?? '',
			blockId: p.blockId,
			block: snapshot,
			sourceChanged,
			sourceDeleted,
			current: sourceChanged ? current : null,
			proposedBy,
			proposedAt: new Date(p.proposedAt).toISOString(),
			decidedBy,
			decidedAt: p.decidedAt === null ? null : new Date(p.decidedAt).toISOString(),
			reason: p.reason,
			minutesDocId: p.status === 'approved' ? minutesDocId(p.conferenceId) : null,
			minutesItemId: p.status === 'approved' ? minutesItemId(p.id) : null,
			mayDecide: p.status === 'pending' && subject !== null && breakout !== null && mayApprove(subject, conference, breakoutScope(breakout)),
			mayUpdate
		};
	}

	/** The proposal, its conference and breakout, checked: invisible ones are 404, undecidable 403. */
	async function decidable(user: UserRecord, id: string, status: ProposalRecord['status'] = 'pending') {
		const p = await deps.store.get(id);
		const breakout = p ? await deps.conferences.getBreakout(p.breakoutId) : null;
		if (p === null || breakout === null) throw errors.notFound('proposal');
		const { conference } = await authorize(user, p.conferenceId, 'conference.read');
		const subject = await deps.access.subject(user, breakoutScope(breakout));
		if (!can(subject, 'document.read', breakoutScope(breakout))) throw errors.notFound('proposal');
		if (!mayApprove(subject, conference, breakoutScope(breakout))) throw errors.forbidden();
		if (status === 'approved' && p.status !== 'approved') throw new AppError(409, ErrorCode.conflict, 'Only an approved proposal is updated or withdrawn.');
		return { p, conference, breakout };
	}

	app.openapi(routes.propose, async (c) => {
		const { user } = requireSession(c);
		const doc = await deps.documents.get(c.req.valid('param').id);
		const access = doc ? await deps.access.documentAccess(user, doc) : 'none';
		if (doc === null || access === 'none' || doc.kind === 'live' || doc.kind === 'minutes') throw errors.notFound('document');
		if (doc.parent.kind !== 'breakout') throw errors.validation('Only documents of a breakout are proposed for the minutes.');
		if (access !== 'write') throw errors.forbidden();
		const breakout = await deps.conferences.getBreakout(doc.parent.id);
		const conference = breakout ? await deps.conferences.get(breakout.conferenceId) : null;
		if (breakout === null || conference === null) throw errors.notFound('breakout');
		const proposals = await deps.promotion.propose(doc, breakout, c.req.valid('json').blockIds, user).catch(promotionFailure);
		deps.announce(conference.id, breakout.id);
		await deps.audit.record('minutes.proposed', { actor: user, conferenceId: conference.id, target: `《${doc.title}》`, detail: `${proposals.length}项` });
		await deps.freeze(doc.id, 'proposed', user);
		return c.json({ proposals: await Promise.all(proposals.map((p) => present(p, user, conference))) }, 201);
	});

	/** The conference (checked) and the proposals of the breakouts `user` may read, newest first. */
	async function visibleProposals(user: UserRecord, conferenceId: string) {
		const { conference } = await authorize(user, conferenceId, 'conference.read');
		const readable = await deps.access.readableBreakouts(user, conference.id);
		const visible = (await deps.store.list(conference.id)).filter((p) => readable.has(p.breakoutId));
		return { conference, visible };
	}

	app.openapi(routes.list, async (c) => {
		const { user } = requireSession(c);
		const { conference, visible } = await visibleProposals(user, c.req.valid('param').id);
		const { status, sourceDocId } = c.req.valid('query');
		const wanted = visible.filter((p) => (status === undefined || p.status === status) && (sourceDocId === undefined || p.sourceDocId === sourceDocId));
		return c.json({ proposals: await Promise.all(wanted.map((p) => present(p, user, conference))) }, 200);
	});

	app.openapi(routes.resolutions, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.read');
		const readable = await deps.access.readableBreakouts(user, conference.id);
		const resolutions = (await resolutionsOf(conference.id, deps.store, deps.conferences))
			.filter((r) => readable.has(r.breakout.id))
			.map((r) => ({
				number: r.number,
				ledgerNumber: r.ledgerNumber,
				proposalId: r.proposal.id,
				title: r.title,
				leadUnit: r.leadUnit,
				supportingUnits: r.supportingUnits,
				deadline: r.deadline,
				type: r.type,
				criteria: r.criteria,
				breakoutName: r.breakout.name,
				sourceDocId: r.proposal.sourceDocId,
				sourceBlockId: r.proposal.blockId,
				minutesDocId: minutesDocId(conference.id),
				minutesItemId: minutesItemId(r.proposal.id)
			}));
		return c.json({ resolutions }, 200);
	});

	app.openapi(routes.approve, async (c) => {
		const { user } = requireSession(c);
		const { p, conference } = await decidable(user, c.req.valid('param').id);
		const approved = await deps.promotion.approve(p, user).catch(promotionFailure);
		deps.announce(conference.id, p.breakoutId);
		await deps.audit.record('minutes.approved', { actor: user, conferenceId: conference.id, target: await proposalLabel(approved) });
		await deps.freeze(minutesDocId(conference.id), 'approved', user);
		return c.json(await present(approved, user, conference), 200);
	});

	app.openapi(routes.decline, async (c) => {
		const { user } = requireSession(c);
		const { p, conference } = await decidable(user, c.req.valid('param').id);
		const reason = c.req.valid('json').reason;
		await deps.promotion.decline(p, user, reason).catch(promotionFailure);
		deps.announce(conference.id, p.breakoutId);
		await deps.audit.record('minutes.declined', { actor: user, conferenceId: conference.id, target: await proposalLabel(p), detail: reason });
		return c.body(null, 204);
	});

	app.openapi(routes.update, async (c) => {
		const { user } = requireSession(c);
		const { p, conference } = await decidable(user, c.req.valid('param').id, 'approved');
		const updated = await deps.promotion.update(p, user).catch(promotionFailure);
		deps.announce(conference.id, p.breakoutId);
		await deps.audit.record('minutes.updated', { actor: user, conferenceId: conference.id, target: await proposalLabel(updated) });
		return c.json(await present(updated, user, conference), 200);
	});

	app.openapi(routes.withdraw, async (c) => {
		const { user } = requireSession(c);
		const { p, conference } = await decidable(user, c.req.valid('param').id, 'approved');
		const reason = c.req.valid('json').reason;
		const withdrawn = await deps.promotion.withdraw(p, user, reason).catch(promotionFailure);
		deps.announce(conference.id, p.breakoutId);
		await deps.audit.record('minutes.withdrawn', { actor: user, conferenceId: conference.id, target: await proposalLabel(withdrawn), detail: reason });
		return c.json(await present(withdrawn, user, conference), 200);
	});

	app.openapi(routes.settings, async (c) => {
		const { user } = requireSession(c);
		const id = c.req.valid('param').id;
		await authorize(user, id, 'conference.manage');
		await deps.conferences.setModeratorsApprove(id, c.req.valid('json').moderatorsApprove);
		return c.body(null, 204);
	});

	return app;
}
