import path from 'node:path';
import { bodyLimit } from 'hono/body-limit';
import { Hono } from 'hono';
import { LoginThrottle, type SignInThrottle } from './auth/login-throttle.js';
import { SessionService } from './auth/sessions.js';
import type { ClusterBus } from './collab/relay.js';
import type { Rooms } from './collab/rooms.js';
import { syncRoute } from './http/sync-route.js';
import type { Config } from './config.js';
import { adminRoutes } from './http/admin-routes.js';
import { authRoutes } from './http/auth-routes.js';
import { conferenceRoutes } from './http/conference-routes.js';
import { inviteRoutes } from './http/invite-routes.js';
import { attendeeRoutes } from './http/attendee-routes.js';
import { AttendeeImport } from './domain/attendee-import.js';
import type { XlsxTableReader } from './domain/xlsx-table-reader.js';
import { InviteService } from './domain/invites.js';
import { AccessResolver } from './domain/access.js';
import { Auditor } from './domain/audit.js';
import { ConferenceService } from './domain/conferences.js';
import { documentRoutes } from './http/document-routes.js';
import { programRoutes } from './http/program-routes.js';
import { liveRoutes } from './http/live-routes.js';
import { promotionRoutes } from './http/promotion-routes.js';
import { Promotion } from './domain/promotion.js';
import { exclusiveWith } from './domain/exclusive.js';
import { Ledger } from './domain/ledger.js';
import { ProjectReports } from './domain/reports.js';
import { EvidenceFiles } from './domain/evidence.js';
import { ledgerRoutes } from './http/ledger-routes.js';
import { reportRoutes } from './http/report-routes.js';
import { dashboardRoutes } from './http/dashboard-routes.js';
import { StageOne } from './domain/dashboard.js';
import { Successions } from './domain/succession.js';
import { successionRoutes } from './http/succession-routes.js';
import { caseRoutes } from './http/case-routes.js';
import { CaseLibrary } from './domain/cases.js';
import { exportRoutes } from './http/export-routes.js';
import { maxReportBytes } from '../src/lib/shared/ledger.js';
import { EventHub, type LiveEvent, LiveRoom } from './domain/live-room.js';
import { DocumentService } from './domain/documents.js';
import { ConferenceProgram } from './domain/program.js';
import { userRoutes } from './http/user-routes.js';
import type { AppEnv } from './http/env.js';
import { errorBody, errors, mapError } from './http/errors.js';
import { clientAddress } from './http/client-address.js';
import { checkOrigin, loadSession } from './http/middleware.js';
import { router } from './http/openapi.js';
import { securityHeaders, inlineScriptHashes } from './http/security-headers.js';
import { readShell, staticRoutes } from './http/static.js';
import type { Storage, UserRecord } from './storage/types.js';
import { Versions } from './domain/versions.js';
import { Comments } from './domain/comments.js';
import { versionKindLabels, versionRoutes } from './http/version-routes.js';
import { commentRoutes } from './http/comment-routes.js';
import { suggestionRoutes } from './http/suggestion-routes.js';
import { ErrorCode } from '../src/lib/shared/error-codes.js';
import { serverAccount } from './collab/client-ids.js';

export interface AppDeps {
	config: Config;
	storage: Storage;
	rooms: Rooms;
	/** The other instances (a local bus when there are none). */
	cluster: ClusterBus;
	/** This process among the instances (leases name it). */
	instance: string;
	/** Failed sign-ins shared by the instances (default: this process's memory). */
	throttle?: SignInThrottle;
	buildDir: string;
	/** Attendee lists' XLSX sheets, read off the event loop. */
	xlsxTables: XlsxTableReader;
	logError(message: string, err: unknown): void;
}

/**
 * The whole HTTP surface. Middleware order: errors → security headers → session → (API: body limit,
 * Origin) → routes; the sync upgrade does its own Origin check so that it can answer with a bare HTTP
 * status.
 */
export function createApp(deps: AppDeps) {
	const { config, storage, rooms } = deps;
	const cookies = { secure: config.secureCookies };
	const sessions = new SessionService(storage.sessions, storage.users, config.session);
	const throttle = deps.throttle ?? new LoginThrottle(config.loginThrottle);
	const access = new AccessResolver(storage.conferences, storage.liveRoom);
	const audit = new Auditor(storage.audit, deps.logError);
	// Open connections follow membership changes at once (re-decided per socket).
	const decide = async (userId: string, docId: string) => {
		const [user, doc] = await Promise.all([storage.users.findById(userId), storage.documents.get(docId)]);
		return user === null || doc === null ? 'none' : access.documentAccess(user, doc);
	};
	rooms.decideAccessWith(decide);
	const accessChanged = (userId: string | null) => rooms.reauthorize(userId);
	const conferences = new ConferenceService(storage.conferences, storage.users, accessChanged);
	const versions = new Versions(storage.versions, (docId, look) => rooms.read(docId, look), (docId, change, as) => rooms.edit(docId, change, { latest: true, as }), config.versions, deps.logError);
	rooms.changeListener = (docIds) => versions.changed(docIds);
	/** A stage of the conference reached: the document as it stands is kept, its hash in the audit log. */
	const freeze = async (docId: string, kind: 'proposed' | 'approved' | 'exported', user: UserRecord) => {
		try {
			const doc = await storage.documents.get(docId);
			if (doc === null) return;
			const { version, created } = await versions.freeze(docId, kind, user);
			if (!created) return;
			const scope = await access.scopeOf(doc);
			const conferenceId = scope?.kind === 'conference' || scope?.kind === 'breakout' ? scope.conferenceId : null;
			await audit.record('document.version', { actor: user, conferenceId, target: `《${doc.title}》`, detail: `${versionKindLabels[kind]}版本：${version.contentHash}` });
		} catch (err) {
			deps.logError(`keeping the ${kind} version of ${docId} failed`, err);
		}
	};

	const app = new Hono<AppEnv>();
	app.onError((err, c) => mapError(err, c, deps.logError));
	// Read once: the policy allows exactly the inline bootstrap of the shell that is served.
	const shell = readShell(deps.buildDir);
	app.use('*', securityHeaders(shell === null ? [] : inlineScriptHashes(shell)));

	// Ready when the store takes writes: while it refuses them (disk full, read-only), 503 says why.
	// Degraded (200): cut off from the other instances, which catch up once the relay is back.
	app.get('/healthz', (c) => {
		const failure = rooms.committer.storageFailure;
		const degraded = deps.cluster.degraded();
		if (failure === null) return c.json(degraded === null ? { ok: true } : { ok: true, degraded: { code: ErrorCode.relayUnavailable, message: degraded } });
		return c.json({ ok: false, error: { code: ErrorCode.storageFailed, message: `storage refuses writes since ${new Date(failure.at).toISOString()}: ${failure.message}` } }, 503);
	});

	app.use('*', clientAddress(config.trustedProxies));
	app.use('/api/*', loadSession(sessions, cookies));
	app.use('/sync/*', loadSession(sessions, cookies));
	// Bodies are small JSON or files of at most 1 MB, but for progress reports, which carry evidence.
	const tooLarge = () => {
		throw errors.payloadTooLarge();
	};
	const smallBody = bodyLimit({ maxSize: 1024 * 1024, onError: tooLarge });
	const reportBody = bodyLimit({ maxSize: maxReportBytes, onError: tooLarge });
	// Uploads (a ledger report's or a project report's evidence) may be large; everything else is small.
	app.use('/api/*', (c, next) => (/^\/api\/(ledger\/[^/]+\/reports|project-reports\/[^/]+\/evidence|report-rounds\/[^/]+\/import)$/u.test(c.req.path) ? reportBody(c, next) : smallBody(c, next)));
	app.use('/api/*', checkOrigin(config.publicOrigins));

	const api = router();
	api.route('/', authRoutes({ users: storage.users, audit, sessions, throttle, rooms, cookies }));
	api.route('/', adminRoutes({ rooms, auditLog: storage.audit }));
	api.route('/', userRoutes({ users: storage.users, audit, sessions, rooms }));
	const documentService = new DocumentService(storage.documents, async (docId, update, clientId) => {
		await storage.updates.append([{ docId, data: update, claims: [{ clientId, userId: serverAccount }] }]);
	});
	const program = new ConferenceProgram(storage.conferences, documentService, (docId, change) => rooms.edit(docId, change));
	api.route('/', conferenceRoutes({ conferences: storage.conferences, audit, auditLog: storage.audit, service: conferences, users: storage.users, access, program }));
	api.route('/', programRoutes({ conferences: storage.conferences, access, program, audit, projectInUse: (projectId) => storage.reports.projectHasReports(projectId) }));
	const invites = new InviteService(storage.invites, storage.conferences, conferences, storage.users);
	api.route('/', inviteRoutes({ service: invites, invites: storage.invites, conferences: storage.conferences, access, sessions, audit, cookies }));
	const attendees = new AttendeeImport(storage.attendees, storage.conferences, storage.users, accessChanged, (bytes) => deps.xlsxTables.read(bytes));
	api.route('/', attendeeRoutes({ attendees, conferences: storage.conferences, users: storage.users, access, sessions, audit, cookies }));
	const promotion = new Promotion(
		storage.proposals,
		storage.conferences,
		storage.users,
		storage.documents,
		documentService,
		(docId, change) => rooms.edit(docId, change, { latest: true }),
		(docId, look) => rooms.read(docId, look),
		exclusiveWith(storage.leases, deps.instance)
	);
	// Live events reach the event streams of every instance.
	const hub = new EventHub((conferenceId, event) => deps.cluster.send('live.event', { conferenceId, event }));
	deps.cluster.on('live.event', (p) => {
		const { conferenceId, event } = p as { conferenceId: string; event: LiveEvent };
		hub.deliver(conferenceId, event);
	});
	// Approved proposals whose minutes item or source mark a crash interrupted are completed now.
	void promotion.reconcile(deps.logError);
	api.route('/', promotionRoutes({ conferences: storage.conferences, documents: storage.documents, users: storage.users, store: storage.proposals, access, promotion, audit, announce: (conferenceId, breakoutId) => hub.publish(conferenceId, { type: 'proposals', scope: breakoutId }), freeze }));
	// Who is online where: a join or leave is announced to the conference (pages fetch the presence).
	rooms.presenceListener = (docId) => {
		void (async () => {
			const doc = await storage.documents.get(docId);
			const scope = doc === null ? null : await access.scopeOf(doc);
			if (scope?.kind === 'conference') hub.publish(scope.conferenceId, { type: 'presence', scope: 'plenary' });
			if (scope?.kind === 'breakout') hub.publish(scope.conferenceId, { type: 'presence', scope: scope.breakoutId });
		})().catch((err) => deps.logError('announcing presence failed', err));
	};
	// A document at its size limit: the organizers are told (audit log, and live on the conference page).
	rooms.fullListener = (docId) => {
		void (async () => {
			const doc = await storage.documents.get(docId);
			const scope = doc === null ? null : await access.scopeOf(doc);
			const conferenceId = scope?.kind === 'conference' || scope?.kind === 'breakout' ? scope.conferenceId : null;
			await audit.record('document.full', { actor: null, conferenceId, target: doc?.title ?? docId, detail: `${config.room.maxDocumentBytes}` });
			if (conferenceId !== null) hub.publish(conferenceId, { type: 'document-full', scope: docId });
		})().catch((err) => deps.logError('announcing a full document failed', err));
	};
	const liveRoom = new LiveRoom(storage.liveRoom, storage.users, hub, (userId) => accessChanged(userId));
	api.route(
		'/',
		liveRoutes({
			conferences: storage.conferences,
			users: storage.users,
			store: storage.liveRoom,
			documents: storage.documents,
			presence: (docId) => rooms.presence(docId),
			access,
			room: liveRoom,
			hub,
			audit
		})
	);
	const evidenceFiles = new EvidenceFiles(path.join(config.dataDir, 'evidence'));
	const ledger = new Ledger(storage.proposals, storage.conferences, storage.ledger, evidenceFiles, storage.successions);
	api.route(
		'/',
		ledgerRoutes({ conferences: storage.conferences, users: storage.users, access, ledger, audit, announce: (conferenceId, breakoutId) => hub.publish(conferenceId, { type: 'ledger', scope: breakoutId }) })
	);
	const reports = new ProjectReports(storage.reports, storage.conferences, evidenceFiles);
	api.route(
		'/',
		reportRoutes({
			conferences: storage.conferences,
			users: storage.users,
			access,
			reports,
			audit,
			announce: (conferenceId, roundId) => hub.publish(conferenceId, { type: 'reports', scope: roundId }),
			announceDashboard: (conferenceId) => hub.publish(conferenceId, { type: 'dashboard', scope: '' }),
			readXlsx: (bytes) => deps.xlsxTables.read(bytes)
		})
	);
	const cases = new CaseLibrary(storage.cases, storage.conferences, storage.documents, storage.reports, ledger, access, (docId, look) => rooms.read(docId, look));
	api.route(
		'/',
		caseRoutes({ conferences: storage.conferences, documents: storage.documents, users: storage.users, access, cases, audit, announce: (conferenceId, caseId) => hub.publish(conferenceId, { type: 'cases', scope: caseId }) })
	);
	const stageOne = new StageOne(reports, storage.reports, storage.conferences, storage.documents, ledger, (conferenceId) => storage.successions.predecessorOf(conferenceId));
	const successions = new Successions(conferences, storage.conferences, storage.users, storage.successions, ledger, reports, stageOne, exclusiveWith(storage.leases, deps.instance));
	api.route('/', successionRoutes({ conferences: storage.conferences, access, successions, program, audit }));
	api.route('/', dashboardRoutes({ conferences: storage.conferences, users: storage.users, access, stageOne, reports, audit, announce: (conferenceId) => hub.publish(conferenceId, { type: 'dashboard', scope: '' }) }));
	api.route(
		'/',
		exportRoutes({
			conferences: storage.conferences,
			documents: storage.documents,
			users: storage.users,
			access,
			ledger,
			read: (docId, look) => rooms.read(docId, look),
			audit,
			honorBoards: (conferenceId) => stageOne.honorBoards(conferenceId),
			freeze
		})
	);
	api.route(
		'/',
		documentRoutes({
			documents: storage.documents,
			service: documentService,
			read: (docId, look) => rooms.read(docId, look),
			users: storage.users,
			conferences: storage.conferences,
			access,
			projectLinked: async (doc, project, user) => {
				const scope = await access.scopeOf(doc);
				const conferenceId = scope?.kind === 'breakout' || scope?.kind === 'conference' ? scope.conferenceId : null;
				await audit.record('document.project_linked', { actor: user, conferenceId, target: doc.title, detail: project === null ? '取消关联' : `${project.name}（${project.code}）` });
				if (conferenceId !== null) hub.publish(conferenceId, { type: 'dashboard', scope: '' });
			}
		})
	);
	api.route('/', versionRoutes({ documents: storage.documents, conferences: storage.conferences, users: storage.users, access, versions, audit }));
	const comments = new Comments(
		storage.comments,
		storage.users,
		access,
		(e) => hub.publish(e.conferenceId, { type: e.type, scope: e.scope, doc: e.docId, ...(e.type === 'mentions' ? { user: e.userId } : {}) }),
		config.comments,
		(docId, look) => rooms.read(docId, look),
		(docId, change, as) => rooms.edit(docId, change, { latest: true, as })
	);
	const threadDeps = { documents: storage.documents, conferences: storage.conferences, users: storage.users, access, store: storage.comments, comments, audit };
	api.route('/', commentRoutes(threadDeps));
	api.route('/', suggestionRoutes(threadDeps));
	api.doc31('/api/openapi.json', {
		openapi: '3.1.0',
		info: {
			title: 'Concord API',
			version: '1',
			description: 'Errors are `{"error":{"code","message"}}`. Sync runs on `GET /sync/{docId}` (WebSocket, y-websocket protocol).'
		}
	});
	app.route('/', api);
	app.all('/api/*', (c) => c.json(errorBody(ErrorCode.notFound, 'No such API route.'), 404));

	app.route(
		'/',
		syncRoute({
			documents: storage.documents,
			sessions,
			audit,
			access,
			rooms,
			publicOrigins: config.publicOrigins,
			cluster: config.redisUrl === null ? null : { bus: deps.cluster, instance: deps.instance },
			limits: config.limits
		})
	);
	app.route('/', staticRoutes(deps.buildDir, shell));
	return app;
}
