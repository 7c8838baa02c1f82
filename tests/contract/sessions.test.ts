import { beforeEach, expect, test } from 'vitest';
import { SessionService } from '../../server/auth/sessions.js';
import { createUser } from '../../server/auth/users.js';
import { eachBackend } from '../helpers/backends.js';

const hour = 3_600_000;

eachBackend((b) => {
	let now = 1_000_000;
	let service: SessionService;
	let userId: string;

	beforeEach(async () => {
		now = 1_000_000;
		service = new SessionService(b.storage.sessions, b.storage.users, { idleMs: 10 * hour, maxMs: 100 * hour }, () => now);
		const user = await createUser(b.storage.users, { username: 'lihua', password: 'password-1', displayName: '李华', unit: '', isAdmin: false });
		userId = user!.id;
	});

	test('a token is <id>.<secret>; only a hash of the secret is stored', async () => {
		const { token, sessionId } = await service.create(userId);
		const [id, secret] = token.split('.');
		expect(id).toBe(sessionId);
		const stored = await b.storage.sessions.find(id);
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
		expect(await b.storage.sessions.find(sessionId)).toBeNull();
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

	test('expired sessions are purged in bulk', async () => {
		const stale = await service.create(userId);
		now += 11 * hour;
		const fresh = await service.create(userId);
		expect(await b.storage.sessions.deleteExpired(now)).toBe(1);
		expect(await b.storage.sessions.find(stale.sessionId)).toBeNull();
		expect(await b.storage.sessions.find(fresh.sessionId)).not.toBeNull();
	});
});
