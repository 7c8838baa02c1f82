// CPU and RSS of a process from /proc: no instrumentation inside the target.
import fs from 'node:fs';

const ticksPerSecond = 100; // CLK_TCK on Linux x86_64 and arm64

/** CPU seconds (user + system) used so far by `pid`. */
export function cpuSeconds(pid) {
	const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Resident set size of `pid` in MB. */
export function rssMB(pid) {
	const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
	const m = /VmRSS:\s+(\d+) kB/.exec(status);
	return m ? Number(m[1]) / 1024 : 0;
}

/**
 * Samples RSS every 250 ms and measures CPU over the window between `start()` and `stop()`, of one
 * process or of several (the instances of one target: summed, and per instance).
 */
export function meter(pidOrPids) {
	const pids = Array.isArray(pidOrPids) ? pidOrPids : [pidOrPids];
	const cpuNow = () => pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
	let cpu0 = 0;
	let t0 = 0;
	let peak = 0;
	let sum = 0;
	let n = 0;
	let timer = null;
	const sample = () => {
		const r = pids.reduce((total, pid) => total + rssMB(pid), 0);
		peak = Math.max(peak, r);
		sum += r;
		n++;
	};
	return {
		start() {
			cpu0 = cpuNow();
			t0 = performance.now();
			sample();
			timer = setInterval(sample, 250);
		},
		stop() {
			clearInterval(timer);
			sample();
			const seconds = (performance.now() - t0) / 1000;
			const cpu = cpuNow() - cpu0;
			return { cpuSeconds: cpu, cpuPercent: (100 * cpu) / seconds, cpuPercentPerInstance: (100 * cpu) / seconds / pids.length, rssPeakMB: peak, rssMeanMB: sum / n, seconds };
		}
	};
}
