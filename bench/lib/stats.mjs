/** Percentiles of a list of latencies (ms). */
export function summarize(values) {
	if (values.length === 0) return { n: 0, p50: NaN, p95: NaN, p99: NaN, max: NaN };
	const s = Float64Array.from(values).sort();
	const at = (q) => s[Math.min(s.length - 1, Math.floor(q * s.length))];
	return { n: s.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: s[s.length - 1] };
}

export function median(values) {
	const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
	if (v.length === 0) return NaN;
	return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
}
