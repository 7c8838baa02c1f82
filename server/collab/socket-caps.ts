/**
 * Caps on open sync sockets per client address and per account, so that one address or one account
 * cannot exhaust the server. A socket's place is reserved when its upgrade is accepted and given back
 * when it closes, or when its handshake never completes.
 */
export class SocketCaps {
	private readonly byAddress = new Map<string, number>();
	private readonly byUser = new Map<string, number>();

	constructor(
		readonly perAddress: number,
		readonly perUser: number
	) {}

	/** A release function, or null when either cap is reached (nothing is reserved then). */
	reserve(address: string, userId: string): (() => void) | null {
		if ((this.byAddress.get(address) ?? 0) >= this.perAddress || (this.byUser.get(userId) ?? 0) >= this.perUser) return null;
		this.bump(this.byAddress, address, 1);
		this.bump(this.byUser, userId, 1);
		let released = false;
		return () => {
			if (released) return;
			released = true;
			this.bump(this.byAddress, address, -1);
			this.bump(this.byUser, userId, -1);
		};
	}

	private bump(map: Map<string, number>, key: string, by: number): void {
		const n = (map.get(key) ?? 0) + by;
		if (n <= 0) map.delete(key);
		else map.set(key, n);
	}
}
