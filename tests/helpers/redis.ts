import { startRedis } from '../../scripts/lib/redis-server.mjs';

/** A Redis server of the test's own (see scripts/lib/redis-server.mjs): ephemeral port, no persistence; stop, pause, start again. */
export type TestRedis = Awaited<ReturnType<typeof startRedis>>;
export const TestRedis = { start: () => startRedis() };
