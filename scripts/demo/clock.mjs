/**
 * Demo only, never in the product: preloaded into the demo's server (`node --import`), it sets the
 * server's clock back by CONCORD_DEMO_CLOCK_SHIFT_MS so the seeding can hold the conference on its own
 * day (decisions dated a month ago, so ledger items can lag behind the time elapsed since). SIGUSR2 puts
 * the clock right again for the rest of the seeding and for good. The server reads time through
 * Date.now only.
 */
const realNow = Date.now.bind(Date);
let shift = Number(process.env.CONCORD_DEMO_CLOCK_SHIFT_MS ?? 0);
if (!Number.isFinite(shift)) shift = 0;
Date.now = () => realNow() + shift;
process.on('SIGUSR2', () => {
	shift = 0;
});
