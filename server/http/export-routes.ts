import { createRoute, z } from '@hono/zod-openapi';
import * as Y from 'yjs';
import { unitsOf } from '../../src/lib/shared/ledger.js';
import { ErrorCode } from '../../src/lib/shared/error-codes.js';
import { entityIdSchema } from '../../src/lib/shared/schemas.js';
import type { AccessResolver } from '../domain/access.js';
import type { Auditor } from '../domain/audit.js';
import { safeFileName } from '../domain/evidence.js';
import { downloadHeaders } from './download.js';
import { ledgerWorkbook } from '../domain/exports/ledger-xlsx.js';
import { type MinutesBlock, minutesBlocks } from '../domain/exports/minutes-blocks.js';
import { type Attendee, MinutesTooLarge, minutesDocx, printLimits } from '../domain/exports/minutes-docx.js';
import { honorBoardBlocks } from '../domain/exports/honor-board-blocks.js';
import { type Ledger, breakoutIn } from '../domain/ledger.js';
import { minutesDocId, minutesOutline } from '../domain/promotion.js';
import { seedBlocks } from '../domain/templates.js';
import type { ConferenceRecord, ConferenceStore, DocumentStore, EvidenceRecord, HonorBoardRecord, UserRecord, UserStore } from '../storage/types.js';
import { conferenceGuard } from './conference-guard.js';
import { AppError } from './errors.js';
import { requireSession } from './middleware.js';
import { errorResponses, router } from './openapi.js';

export interface ExportRoutesDeps {
	conferences: ConferenceStore;
	documents: DocumentStore;
	users: UserStore;
	access: AccessResolver;
	ledger: Ledger;
	read: <T>(docId: string, look: (doc: Y.Doc) => T) => Promise<T>;
	audit: Auditor;
	/** The conference's published 红黑榜, newest first: the latest is the minutes' attachment. */
	honorBoards: (conferenceId: string) => Promise<HonorBoardRecord[]>;
	/** A stage reached: the document as it stands is kept as a version (its hash in the audit log); never fails the request. */
	freeze: (docId: string, kind: 'proposed' | 'approved' | 'exported', user: UserRecord) => Promise<void>;
}

const idParams = z.object({ id: entityIdSchema });
const docx = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const xlsx = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

const routes = {
	minutes: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/exports/minutes.docx',
		summary: 'The consolidated minutes (纪要) as DOCX per GB/T 9704-2012, with the 出席 / 请假 / 列席 lists from the members (every member)',
		request: { params: idParams },
		responses: { 200: { description: 'DOCX', content: { [docx]: { schema: z.string() } } }, ...errorResponses(401, 404, 413) }
	}),
	ledger: createRoute({
		method: 'get',
		path: '/api/conferences/{id}/exports/ledger.xlsx',
		summary: 'The resolution list and the ledger as XLSX (items of the breakouts the caller may see; progress reports on a second sheet)',
		request: { params: idParams },
		responses: { 200: { description: 'XLSX', content: { [xlsx]: { schema: z.string() } } }, ...errorResponses(401, 404) }
	})
};

/** The outline the minutes start from, for a conference where nothing was approved yet: read like the minutes themselves. */
function outlineBlocks(c: ConferenceRecord, breakouts: Parameters<typeof minutesOutline>[1]): MinutesBlock[] {
	const doc = new Y.Doc();
	seedBlocks(doc, minutesOutline(c, breakouts));
	const blocks = minutesBlocks(doc);
	doc.destroy();
	return blocks;
}

const download = (name: string, type: string) => downloadHeaders(safeFileName(name, '导出'), type);

export function exportRoutes(deps: ExportRoutesDeps) {
	const app = router();
	const authorize = conferenceGuard(deps.conferences, deps.access);

	app.openapi(routes.minutes, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'document.read');
		const docId = minutesDocId(conference.id);
		const body = (await deps.documents.get(docId))
			? await deps.read(docId, minutesBlocks)
			: outlineBlocks(conference, await deps.conferences.listBreakouts(conference.id));
		const [board] = await deps.honorBoards(conference.id);
		const publisher = board ? await deps.users.findById(board.publishedBy) : null;
		const blocks = board ? [...body, ...honorBoardBlocks(board, publisher?.displayName ?? '')] : body;
		// 出席: the members; 列席: observers (remote attendees); 请假: those the organizer marked excused.
		const present: Attendee[] = [];
		const attending: Attendee[] = [];
		const onLeave: Attendee[] = [];
		for (const m of await deps.conferences.listMembers(conference.id)) {
			const u = await deps.users.findById(m.userId);
			if (u) (m.onLeave ? onLeave : m.role === 'observer' ? attending : present).push({ unit: u.unit, name: u.displayName });
		}
		const file = await minutesDocx({ issuer: unitsOf(conference.hosts)[0] ?? '', date: conference.endDate || conference.startDate, blocks, present, attending, onLeave }).catch((err: unknown) => {
			if (err instanceof MinutesTooLarge) throw new AppError(413, ErrorCode.exportTooLarge, `The minutes are too large to export (more than ${printLimits.parts} paragraphs and table cells or ${printLimits.chars} characters).`);
			throw err;
		});
		await deps.audit.record('export.downloaded', { actor: user, conferenceId: conference.id, target: 'minutes.docx' });
		await deps.freeze(minutesDocId(conference.id), 'exported', user);
		return c.body(new Uint8Array(file), 200, download(`${conference.title}纪要.docx`, docx));
	});

	app.openapi(routes.ledger, async (c) => {
		const { user } = requireSession(c);
		const { conference } = await authorize(user, c.req.valid('param').id, 'conference.read');
		const readable = await deps.access.readableBreakouts(user, conference.id);
		const items = (await deps.ledger.items(conference.id)).filter((i) => readable.has(breakoutIn(i)));
		const reports = await deps.ledger.reportsOf(conference.id);
		// Reports and evidence of items the caller may not see are left out by the workbook (it goes by the items).
		const evidence = new Map<string, EvidenceRecord[]>();
		for (const e of await deps.ledger.evidenceOfConference(conference.id)) evidence.set(e.reportId, [...(evidence.get(e.reportId) ?? []), e]);
		const people = new Map<string, UserRecord>();
		for (const id of new Set(reports.map((r) => r.byUser))) {
			const u = await deps.users.findById(id);
			if (u) people.set(id, u);
		}
		const file = await ledgerWorkbook({ conferenceTitle: conference.title, items, reports, evidence, people });
		await deps.audit.record('export.downloaded', { actor: user, conferenceId: conference.id, target: 'ledger.xlsx' });
		return c.body(new Uint8Array(file), 200, download(`${conference.title}决议清单与整改台账.xlsx`, xlsx));
	});

	return app;
}
