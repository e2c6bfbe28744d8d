/**
 * `npm run bench`: speed, Mattermost API cost and memory of this package, each next to a baseline taken in the same
 * run. Prints a table and writes every figure to bench-output/bench.json. Numbers are for this machine at this time;
 * they belong here and in the README's Performance section, never in test assertions.
 *
 *   npm run bench                  full run (about 10 to 15 minutes on 2 cores)
 *   npm run bench -- --quick       small counts, to check that everything works (figures not meaningful)
 *   npm run bench -- --no-n8n      only the in-process benchmarks (formatter, state size)
 *   npm run bench -- --build=skip  reuse dist/ as it is (default: bundle with esbuild, as `npm run build` does)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { OBJECT_STATE } from '../../nodes/core/gitlab';
import { THREAD_BOOK } from '../../nodes/core/mattermost';
import { killAllNow, REPO_ROOT } from '../../playground/harness';
import { benchFormatter, type FormatterFigures } from './formatter';
import { benchInN8n, type N8nFigures } from './in-n8n';
import { benchStateSize, type StateFigures } from './state-size';
import { round } from './stats';

const { values: args } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		'no-n8n': { type: 'boolean', default: false },
		build: { type: 'string', default: 'bundle' },
		out: { type: 'string', default: join(REPO_ROOT, 'bench-output') },
	},
});

const quick = Boolean(args.quick);
const outputDir = String(args.out);
const build = String(args.build) as 'full' | 'bundle' | 'skip';
if (!['full', 'bundle', 'skip'].includes(build)) throw new Error(`--build must be full, bundle or skip, not ${build}`);

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

const SETTINGS = quick
	? {
			formatter: { repetitions: 3, minMs: 200, latencyPasses: 10 },
			state: { events: 1000, people: 100, beyondEvents: 300, checkpoints: [500, 1000, 1300] },
			n8n: { countEvents: 10, people: 10, repetitions: 1, e2eEvents: { 1: 5, 10: 20 }, concurrency: [1, 10] },
		}
	: {
			formatter: { repetitions: 5, minMs: 1000, latencyPasses: 100 },
			state: { events: 10_000, people: 1000, beyondEvents: 2000, checkpoints: [1000, 2000, 5000, 10_000, 12_000] },
			n8n: { countEvents: 100, people: 10, repetitions: 3, e2eEvents: { 1: 40, 10: 100 }, concurrency: [1, 10] },
		};

interface Row {
	measure: string;
	ours: string;
	baseline: string;
	ratio: string;
}

function table(rows: Row[]): string {
	const head: Row = { measure: 'Measure', ours: 'This package', baseline: 'Baseline', ratio: 'Ratio' };
	const all = [head, ...rows];
	const width = (key: keyof Row) => Math.max(...all.map((r) => r[key].length));
	const line = (r: Row) => `| ${(['measure', 'ours', 'baseline', 'ratio'] as const).map((k) => r[k].padEnd(width(k))).join(' | ')} |`;
	const rule = `|${(['measure', 'ours', 'baseline', 'ratio'] as const).map((k) => '-'.repeat(width(k) + 2)).join('|')}|`;
	return [line(head), rule, ...rows.map(line)].join('\n');
}

function rowsFor(formatter: FormatterFigures, state: StateFigures, n8n: N8nFigures | undefined): Row[] {
	const rows: Row[] = [
		{
			measure: `Formatter, events/s (${formatter.corpus.events} fixtures, fresh state)`,
			ours: String(formatter.fresh.eventsPerSecond),
			baseline: `${formatter.floor.eventsPerSecond} (JSON deep copy)`,
			ratio: `ours ÷ copy = ${formatter.ratio.fresh}`,
		},
		{
			measure: 'Formatter, events/s (delivery store at its bound)',
			ours: String(formatter.full.eventsPerSecond),
			baseline: `${formatter.floor.eventsPerSecond} (JSON deep copy)`,
			ratio: `ours ÷ copy = ${formatter.ratio.full}`,
		},
		{
			measure: 'Formatter latency p50 / p99, µs (fresh)',
			ours: `${formatter.fresh.latencyUs.p50} / ${formatter.fresh.latencyUs.p99}`,
			baseline: `${formatter.floor.latencyUs.p50} / ${formatter.floor.latencyUs.p99}`,
			ratio: '',
		},
		{
			measure: 'Formatter latency p50 / p99, µs (at bound)',
			ours: `${formatter.full.latencyUs.p50} / ${formatter.full.latencyUs.p99}`,
			baseline: `${formatter.floor.latencyUs.p50} / ${formatter.floor.latencyUs.p99}`,
			ratio: '',
		},
	];
	if (n8n) {
		const { apiCalls } = n8n;
		for (const phase of ['cold', 'warm'] as const) {
			rows.push({
				measure: `Mattermost calls per DM, ${phase} (${apiCalls.events} events, ${apiCalls.people} people)`,
				ours: `${apiCalls.ours[phase].callsPerDm} (${apiCalls.ours[phase].calls}/${apiCalls.ours[phase].dms})`,
				baseline: `${apiCalls.builtin[phase].callsPerDm} (${apiCalls.builtin[phase].calls}/${apiCalls.builtin[phase].dms}, built-in nodes)`,
				ratio: `built-in ÷ ours = ${apiCalls.ratio[phase]}`,
			});
		}
		for (const run of Object.values(n8n.endToEnd)) {
			rows.push({
				measure: `n8n end to end, events/s, concurrency ${run.concurrency}`,
				ours: String(run.gitlab.eventsPerSecond),
				baseline: `${run.minimal.eventsPerSecond} (Webhook → Respond)`,
				ratio: `minimal ÷ ours = ${run.throughputRatio}`,
			});
			rows.push({
				measure: `n8n webhook→post p50 / p99, ms, concurrency ${run.concurrency}`,
				ours: `${run.gitlab.latencyMs.p50} / ${run.gitlab.latencyMs.p99}`,
				baseline: `${run.minimal.latencyMs.p50} / ${run.minimal.latencyMs.p99}`,
				ratio: `ours − minimal = ${run.addedLatencyMs.p50} / ${run.addedLatencyMs.p99} ms`,
			});
		}
		const { perNodeMs } = n8n;
		rows.push({ measure: `One GitLab execution, median ms (${perNodeMs.executions} stored executions)`, ours: String(perNodeMs.total), baseline: '', ratio: '' });
		for (const [node, ms] of Object.entries(perNodeMs.nodes)) rows.push({ measure: `  node: ${node}`, ours: String(ms), baseline: '', ratio: '' });
		rows.push({ measure: '  the rest (start-up, saving execution data)', ours: String(perNodeMs.rest), baseline: '', ratio: '' });
		for (const [phase, mb] of Object.entries(n8n.memory.peakRssMb)) {
			rows.push({ measure: `n8n peak RSS, ${phase}`, ours: `${mb} MB`, baseline: `${n8n.memory.idleAfterStartMb} MB idle after start`, ratio: '' });
		}
	}
	const spec = state.checkpoints.find((c) => c.events === state.events);
	const last = state.checkpoints[state.checkpoints.length - 1];
	if (spec) {
		rows.push({
			measure: `Static data after ${spec.events} events / ${spec.people} people`,
			ours: `${Math.round(spec.totalBytes / 1024)} KiB`,
			baseline: `${Math.round(state.legacy.totalBytes / 1024)} KiB (one object per entry, as before)`,
			ratio: `before ÷ now = ${round(state.legacy.totalBytes / Math.max(1, spec.totalBytes))}`,
		});
		rows.push({
			measure: `  n8n load + save of it per execution, ms (ObservableObject)`,
			ours: String(spec.loadSaveMs),
			baseline: String(state.legacy.loadSaveMs),
			ratio: `before ÷ now = ${round(state.legacy.loadSaveMs / Math.max(0.001, spec.loadSaveMs))}`,
		});
	}
	for (const [label, bound] of Object.entries(state.bounds)) {
		rows.push({
			measure: `  ${label}: entries (bound)`,
			ours: `${spec?.namespaces[label]?.entries ?? '?'} → ${bound.entriesAtEnd} after ${last.events} events (≤ ${bound.maxEntries})`,
			baseline: `≤ ${Math.round(bound.bytesAtBound / 1024)} KiB at bound`,
			ratio: '',
		});
	}
	return rows;
}

async function main(): Promise<void> {
	const started = Date.now();
	mkdirSync(outputDir, { recursive: true });
	const loadBefore = loadavg();
	log(`${quick ? 'QUICK run (figures not meaningful)' : 'full run'}; timings are medians of ${SETTINGS.formatter.repetitions} (formatter) and ${SETTINGS.n8n.repetitions} (n8n) repetitions`);

	log('1/3 formatter throughput over the fixture corpus');
	const formatter = await benchFormatter(SETTINGS.formatter);

	log('2/3 static data size after many events and people (in-process nodes)');
	// What each node keeps in static data is its books' `persist` newest entries; the rest is memory only.
	const bounds = {
		[`Format GitLab Event / ${OBJECT_STATE.name}`]: OBJECT_STATE.persist,
		[`Send Direct Message / ${THREAD_BOOK.name}`]: THREAD_BOOK.persist,
	};
	const state = await benchStateSize({ ...SETTINGS.state, bounds, log });

	let n8n: N8nFigures | undefined;
	if (!args['no-n8n']) {
		log('3/3 real n8n: API calls per DM, end-to-end throughput and latency, memory');
		n8n = await benchInN8n({ ...SETTINGS.n8n, outputDir, build, log });
	}

	const report = {
		generatedAt: new Date().toISOString(),
		quick,
		machine: {
			cores: cpus().length,
			cpu: cpus()[0]?.model ?? 'unknown',
			memoryMb: Math.round(totalmem() / 1024 / 1024),
			loadAverage1mBefore: Number(loadBefore[0].toFixed(2)),
			loadAverage1mAfter: Number(loadavg()[0].toFixed(2)),
		},
		node: process.version,
		n8nVersion: n8n?.n8nVersion ?? null,
		repetitions: { formatter: SETTINGS.formatter.repetitions, n8n: SETTINGS.n8n.repetitions, note: 'timings are medians over repetitions' },
		ratios: {
			formatterVsJsonCopy: formatter.ratio,
			apiCallsPerDmBuiltinOverOurs: n8n?.apiCalls.ratio ?? null,
			endToEndThroughputMinimalOverOurs: n8n ? Object.fromEntries(Object.entries(n8n.endToEnd).map(([k, v]) => [k, v.throughputRatio])) : null,
		},
		formatter,
		apiCalls: n8n?.apiCalls ?? null,
		endToEnd: n8n?.endToEnd ?? null,
		memory: { n8n: n8n?.memory ?? null, staticData: state },
		durationSeconds: Math.round((Date.now() - started) / 1000),
	};
	const file = join(outputDir, 'bench.json');
	writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
	process.stdout.write(
		`\n${table(rowsFor(formatter, state, n8n))}\n\n` +
			`Machine: ${report.machine.cores} cores (${report.machine.cpu}), Node ${report.node}, n8n ${report.n8nVersion ?? '(not run)'}, ` +
			`load average ${report.machine.loadAverage1mBefore} → ${report.machine.loadAverage1mAfter}. ` +
			`Medians of ${SETTINGS.formatter.repetitions} (formatter) / ${SETTINGS.n8n.repetitions} (n8n) repetitions; ${report.durationSeconds} s in all.\n` +
			`Every figure: ${file}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	killAllNow();
	process.exit(1);
});
