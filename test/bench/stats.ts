/** Small statistics for the benchmark figures. Pure. */

/**
 * The p-th percentile (0..100) by linear interpolation between the closest ranks (numpy's default). NaN for no
 * samples.
 */
export function percentile(samples: readonly number[], p: number): number {
	if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
	if (samples.length === 0) return Number.NaN;
	const sorted = [...samples].sort((a, b) => a - b);
	const rank = (p / 100) * (sorted.length - 1);
	const low = Math.floor(rank);
	const high = Math.ceil(rank);
	return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function median(samples: readonly number[]): number {
	return percentile(samples, 50);
}

export interface Summary {
	n: number;
	p50: number;
	p99: number;
	min: number;
	max: number;
	mean: number;
}

export function summarise(samples: readonly number[]): Summary {
	const n = samples.length;
	return {
		n,
		p50: percentile(samples, 50),
		p99: percentile(samples, 99),
		min: n ? Math.min(...samples) : Number.NaN,
		max: n ? Math.max(...samples) : Number.NaN,
		mean: n ? samples.reduce((a, b) => a + b, 0) / n : Number.NaN,
	};
}

/** Rounds for display and JSON: 3 significant digits below 100, whole numbers above. */
export function round(value: number): number {
	if (!Number.isFinite(value)) return value;
	if (Math.abs(value) >= 100) return Math.round(value);
	return Number(value.toPrecision(3));
}

/** Every figure of a summary rounded as round() does. */
export function roundSummary(summary: Summary): Summary {
	return Object.fromEntries(Object.entries(summary).map(([k, v]) => [k, round(v)])) as unknown as Summary;
}
