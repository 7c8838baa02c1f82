import { afterEach, beforeEach, expect, test } from 'vitest';
import { LoginThrottle } from '../../server/auth/login-throttle.js';
import { SessionService } from '../../server/auth/sessions.js';
import { createUser } from '../../server/auth/users.js';
import { tempStorage } from '../helpers/temp-storage.js';

let store: Awaited<ReturnType<typeof tempStorage>>;
let now = 1_000_000;
const hour = 3_600_000;
let service: SessionService;
let userId: string;

beforeEach(async () => {
	store = await tempStorage();
	now = 1_000_000;
	service = new SessionService(store.storage.sessions, store.storage.users, { idleMs: 10 * hour, maxMs: 100 * hour }, () => now);
	const user = await createUser(store.storage.users, { username: 'lihua', password: 'password-1', displayName: '李华', unit: '', isAdmin: false });
	userId = user!.id;
});
afterEach(() => store.cleanup());

test('a token is <id>.<secret>; only a hash of the secret is stored', async () => {
	const { token, sessionId } = await service.create(userId);
	const [id, secret] = token.split('.');
	expect(id).toBe(sessionId);
	const stored = await store.storage.sessions.find(id);
	expect(stored).not.toBeNull();
	expect(Buffer.from(stored!.secretHash).toString()).not.toContain(secret);
	expect((await service.validate(token))?.user.id).toBe(userId);
});

test('a wrong secret, a malformed token or an unknown id is refused', async () => {
	const { token } = await service.create(userId);
	const id = token.split('.')[0];
	expect(await service.validate(`${id}.wrong`)).toBeNull();
	expect(await service.validate('no-dot')).toBeNull();
	expect(await service.validate(`unknown.${token.split('.')[1]}`)).toBeNull();
	expect(await service.validate(undefined)).toBeNull();
});

test('expiry slides with use but never past the absolute limit', async () => {
	const { token } = await service.create(userId);
	now += 6 * hour; // past half the idle window: the expiry moves
	const s1 = await service.validate(token);
	expect(s1?.refreshed).toBe(true);
	expect(s1?.expiresAt).toBe(now + 10 * hour);
	for (let i = 0; i < 15; i++) {
		now += 6 * hour;
		if (now >= 1_000_000 + 100 * hour) break;
		expect(await service.validate(token)).not.toBeNull();
	}
	now = 1_000_000 + 100 * hour;
	expect(await service.validate(token)).toBeNull();
});

test('an idle session expires and is deleted', async () => {
	const { token, sessionId } = await service.create(userId);
	now += 10 * hour;
	expect(await service.validate(token)).toBeNull();
	expect(await store.storage.sessions.find(sessionId)).toBeNull();
});

test('revoking one session or all of a user ends them', async () => {
	const a = await service.create(userId);
	const b = await service.create(userId);
	await service.revoke(a.sessionId);
	expect(await service.validate(a.token)).toBeNull();
	expect(await service.validate(b.token)).not.toBeNull();
	await service.revokeAllForUser(userId);
	expect(await service.validate(b.token)).toBeNull();
});

test('login throttle counts failures per account and per address within a window', () => {
	let t = 0;
	const throttle = new LoginThrottle({ perAccount: 3, perAddress: 5, windowMs: 60_000 }, () => t);
	for (let i = 0; i < 3; i++) throttle.recordFailure('LiHua', '10.0.0.1');
	expect(throttle.retryAfter('lihua', '10.0.0.9')).toBe(60_000);
	expect(throttle.retryAfter('other', '10.0.0.1')).toBe(0);
	for (let i = 0; i < 2; i++) throttle.recordFailure(`user${i}`, '10.0.0.1');
	expect(throttle.retryAfter('someone', '10.0.0.1')).toBeGreaterThan(0);
	t = 60_001;
	expect(throttle.retryAfter('lihua', '10.0.0.1')).toBe(0);
});

test('expired sessions are purged in bulk', async () => {
	const stale = await service.create(userId);
	now += 11 * hour;
	const fresh = await service.create(userId);
	expect(await store.storage.sessions.deleteExpired(now)).toBe(1);
	expect(await store.storage.sessions.find(stale.sessionId)).toBeNull();
	expect(await store.storage.sessions.find(fresh.sessionId)).not.toBeNull();
});
