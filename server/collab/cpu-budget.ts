/**
 * Event-loop time per account, for the updates its connections send (however many it opens): a bucket
 * of ten seconds' worth of `perSecondMs`, refilled at that rate. A participant whose updates, each
 * within every limit, would together keep the instance busy runs it dry and is cut off, so the others'
 * typing never waits behind them for long.
 */
export class CpuBudget {
	private readonly buckets = new Map<string, { ms: number; at: number }>();

	constructor(private readonly perSecondMs: number) {}

	/** Charges `ms` to `account`; false once its bucket is empty. */
	charge(account: string, ms: number): boolean {
		const now = performance.now();
		const capacity = this.perSecondMs * 10;
		const b = this.buckets.get(account);
		const available = b === undefined ? capacity : Math.min(capacity, b.ms + ((now - b.at) * this.perSecondMs) / 1000);
		const left = available - ms;
		// One entry per account that ever wrote: bounded by the accounts of the instance.
		this.buckets.set(account, { ms: left, at: now });
		return left > 0;
	}
}
