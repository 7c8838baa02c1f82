import { readFile } from 'node:fs/promises';

/**
 * Watches a server's event loop from outside: asks `/healthz` one request after another and keeps
 * the longest answer time. A server whose event loop is blocked answers nothing, for every room at
 * once, so a long answer here is what every other user of the instance would feel.
 */
export function watchStalls(baseUrl: string): { stop(): Promise<number> } {
	let running = true;
	let longest = 0;
	const loop = (async () => {
		while (running) {
			const started = Date.now();
			try {
				await fetch(`${baseUrl}/healthz`);
			} catch {
				// A refused or reset request is a stall too: count its time like any other.
			}
			longest = Math.max(longest, Date.now() - started);
			await new Promise((r) => setTimeout(r, 25));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			return longest;
		}
	};
}

/**
 * CPU time (user + system, ms) the process `pid` has used so far, from /proc. Unlike a wall-clock
 * answer time it does not grow when other work on a busy machine delays the process: the work the
 * server itself did is what a bound on it should measure. (Linux reports it in USER_HZ ticks, 100/s.)
 */
export async function cpuTimeMs(pid: number): Promise<number> {
	const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
	// The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	const ticks = Number(fields[11]) + Number(fields[12]);
	return ticks * 10;
}
