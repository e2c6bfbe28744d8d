/**
 * Runs the fuzz tests and sums them up for the reliability report: `runFuzzers()` gives `{casesRun, seeds, failures}`;
 * `tsx test/fuzz/summary.ts` prints the same as JSON. FC_SEED and FUZZ_RUNS pass through to the tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { FuzzRecord } from './run';

export interface FuzzFailure {
	file: string;
	property: string;
	seed: number;
	counterexample?: string;
	error?: string;
}

export interface FuzzSummary {
	casesRun: number;
	seeds: number[];
	failures: FuzzFailure[];
	properties: Array<Pick<FuzzRecord, 'file' | 'property' | 'casesRun' | 'failed' | 'ms'>>;
	/** Jest's exit code: non-zero also when a test failed outside a property (a crash, a failing example). */
	exitCode: number;
	ms: number;
}

const ROOT = resolve(__dirname, '..', '..');

export function runFuzzers(options: { seed?: number; runs?: number; files?: string[] } = {}): FuzzSummary {
	const dir = mkdtempSync(join(tmpdir(), 'fuzz-report-'));
	const report = join(dir, 'report.jsonl');
	const started = Date.now();
	try {
		const env: NodeJS.ProcessEnv = { ...process.env, FUZZ_REPORT: report };
		if (options.seed !== undefined) env.FC_SEED = String(options.seed);
		if (options.runs !== undefined) env.FUZZ_RUNS = String(options.runs);
		const jest = join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js');
		const result = spawnSync(process.execPath, [jest, '--runInBand', ...(options.files ?? ['test/fuzz/'])], {
			cwd: ROOT,
			env,
			stdio: ['ignore', 'inherit', 'inherit'],
		});
		let records: FuzzRecord[] = [];
		try {
			records = readFileSync(report, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as FuzzRecord);
		} catch {
			records = [];
		}
		return {
			casesRun: records.reduce((sum, r) => sum + r.casesRun, 0),
			seeds: [...new Set(records.map((r) => r.seed))],
			failures: records.filter((r) => r.failed).map(({ file, property, seed, counterexample, error }) => ({ file, property, seed, counterexample, error })),
			properties: records.map(({ file, property, casesRun, failed, ms }) => ({ file, property, casesRun, failed, ms })),
			exitCode: result.status ?? 1,
			ms: Date.now() - started,
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

if (require.main === module) {
	const seed = process.env.FC_SEED ? Number(process.env.FC_SEED) : undefined;
	const summary = runFuzzers({ seed });
	console.log(JSON.stringify(summary, null, 2));
	process.exitCode = summary.exitCode === 0 && summary.failures.length === 0 ? 0 : 1;
}
