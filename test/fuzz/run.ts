/**
 * Shared settings for the fuzz tests: one seed per process (FC_SEED replays a run), FUZZ_RUNS cases per property
 * (10,000 by default), a per-case hang guard, and a record of every property run for test/fuzz/summary.ts.
 */
import { appendFileSync } from 'node:fs';

import * as fc from 'fast-check';

export const DEFAULT_RUNS = 10_000;

function envNumber(name: string): number | undefined {
	const raw = process.env[name];
	if (raw === undefined || raw.trim() === '') return undefined;
	const n = Number(raw);
	return Number.isFinite(n) ? n : undefined;
}

/**
 * FC_SEED from the environment; in CI a fixed seed, so a submission lands or fails on its own code rather than on a
 * counterexample another run happened to draw; otherwise a fresh one, so every local run explores new cases. Every
 * property prints the seed, so a failure can be replayed.
 */
export const CI_SEED = 20261122;
export const SEED = envNumber('FC_SEED') ?? (process.env.CI ? CI_SEED : (Date.now() ^ Math.floor(Math.random() * 0x7fffffff)) | 0);

/** Cases per property: FUZZ_RUNS, or `fallback` (10,000 for the main properties). */
export function runs(fallback = DEFAULT_RUNS): number {
	const wanted = envNumber('FUZZ_RUNS');
	if (wanted === undefined) return fallback;
	// A lowered FUZZ_RUNS scales every property down alike; a raised one scales them up.
	return Math.max(1, Math.round((fallback * wanted) / DEFAULT_RUNS));
}

/** A single case taking this long is treated as a hang (catastrophic backtracking, runaway recursion). */
export const HANG_MS = envNumber('FUZZ_HANG_MS') ?? 5_000;

/** Runs `check` and fails the case if it took longer than HANG_MS. */
export function guarded<T>(label: string, check: () => T): T {
	const started = performance.now();
	const result = check();
	const took = performance.now() - started;
	if (took > HANG_MS) throw new Error(`${label}: one case took ${Math.round(took)} ms (hang guard ${HANG_MS} ms)`);
	return result;
}

/** guarded() for a check that is asynchronous. */
export async function guardedAsync<T>(label: string, check: () => Promise<T>): Promise<T> {
	const started = performance.now();
	const result = await check();
	const took = performance.now() - started;
	if (took > HANG_MS) throw new Error(`${label}: one case took ${Math.round(took)} ms (hang guard ${HANG_MS} ms)`);
	return result;
}

export interface FuzzRecord {
	file: string;
	property: string;
	seed: number;
	casesRun: number;
	failed: boolean;
	counterexample?: string;
	error?: string;
	ms: number;
}

function record(entry: FuzzRecord) {
	const target = process.env.FUZZ_REPORT;
	if (target) appendFileSync(target, `${JSON.stringify(entry)}\n`);
}

function preview(value: unknown): string {
	try {
		const text = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'string' && v.length > 300 ? `${v.slice(0, 300)}…(${v.length} chars)` : v));
		return text.length > 4000 ? `${text.slice(0, 4000)}…` : text;
	} catch {
		return String(value);
	}
}

/**
 * Checks a property with the shared seed and run count, prints the seed, records the outcome for the summary and
 * throws fast-check's report (counterexample, seed and path) when it fails.
 */
export function fuzz<Ts extends [unknown, ...unknown[]]>(
	file: string,
	property: string,
	prop: fc.IProperty<Ts> | fc.IAsyncProperty<Ts>,
	options: { numRuns?: number; timeLimitMs?: number } = {},
): Promise<void> | void {
	const numRuns = options.numRuns ?? runs();
	console.log('fast-check seed', SEED, `${file} › ${property}`, `(FC_SEED=${SEED} FUZZ_RUNS=${process.env.FUZZ_RUNS ?? DEFAULT_RUNS} to replay)`);
	const params: fc.Parameters<Ts> = {
		seed: SEED,
		numRuns,
		interruptAfterTimeLimit: options.timeLimitMs ?? 110_000,
		markInterruptAsFailure: true,
		endOnFailure: process.env.FUZZ_SHRINK === '0',
		includeErrorInReport: true,
	};
	const started = performance.now();
	const finish = (details: fc.RunDetails<Ts>) => {
		record({
			file,
			property,
			seed: SEED,
			casesRun: details.numRuns,
			failed: details.failed,
			counterexample: details.counterexample ? preview(details.counterexample) : undefined,
			error: details.failed ? String(details.errorInstance ?? 'interrupted').slice(0, 2000) : undefined,
			ms: Math.round(performance.now() - started),
		});
		if (details.failed) throw new Error(fc.defaultReportMessage(details) ?? 'property failed');
	};
	if (prop.isAsync()) return fc.check(prop as fc.IAsyncProperty<Ts>, params).then(finish);
	finish(fc.check(prop as fc.IProperty<Ts>, params) as fc.RunDetails<Ts>);
}
