/**
 * `npm run bench`: speed, Mattermost API cost and memory of this package, each next to a baseline taken in the same
 * run. Prints a table and writes every figure to bench-output/bench.json. Numbers are for this machine at this time;
 * they belong here and in the README's Performance section, never in test assertions.
 *
 *   npm run bench                  full run (8 to 15 minutes on 2 shared cores, as busy as they are)
 *   npm run bench -- --quick       small counts, to check that everything works (figures not meaningful; about 4 minutes)
 *   npm run bench -- --no-n8n      only the in-process benchmarks (formatter, state size)
 *   npm run bench -- --no-queue    everything but queue mode (PostgreSQL, Redis, main + 2 workers)
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
import type { PerNodeMs, RunFigures } from './e2e';
import { benchInN8n, type N8nFigures } from './in-n8n';
import { benchQueueMode, type QueueFigures } from './queue';
import { benchStateSize, FORMATTER, SENDER, type StateFigures } from './state-size';
import { round } from './stats';

const { values: args } = parseArgs({
	options: {
		quick: { type: 'boolean', default: false },
		'no-n8n': { type: 'boolean', default: false },
		'no-queue': { type: 'boolean', default: false },
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
			n8n: { countEvents: 10, people: 10, repetitions: { 1: 1, 10: 1 }, e2eEvents: { 1: 5, 10: 20 }, concurrency: [1, 10] },
			queue: { people: 10, repetitions: { 1: 1, 10: 1 }, e2eEvents: { 1: 5, 10: 20 }, concurrency: [1, 10] },
		}
	: {
			formatter: { repetitions: 5, minMs: 1000, latencyPasses: 100 },
			state: { events: 10_000, people: 1000, beyondEvents: 2000, checkpoints: [1000, 2000, 5000, 10_000, 12_000] },
			// Many short repetitions at c=1: each ratio is taken within one repetition, so shorter ones pair better.
			n8n: { countEvents: 100, people: 10, repetitions: { 1: 7, 10: 3 }, e2eEvents: { 1: 25, 10: 100 }, concurrency: [1, 10] },
			queue: { people: 10, repetitions: { 1: 7, 10: 3 }, e2eEvents: { 1: 25, 10: 100 }, concurrency: [1, 10] },
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

function rowsFor(formatter: FormatterFigures, state: StateFigures, n8n: N8nFigures | undefined, queue: QueueFigures | undefined): Row[] {
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
		const rate = (r: RunFigures) => String(r.eventsPerSecond);
		const lat = (r: RunFigures) => `${r.latencyMs.p50} / ${r.latencyMs.p99}`;
		const diff = (d: { p50: number; p99: number }) => `${d.p50} / ${d.p99}`;
		for (const e of Object.values(n8n.endToEnd)) {
			const { gitlab, gitlabBound, builtin, minimal, minimalIsolate } = e.runs;
			const baselines = `${rate(minimal)} minimal / ${rate(builtin)} built-in`;
			rows.push(
				{
					measure: `Regular mode, events/s, c=${e.concurrency}: minimal workflow with one expression on its Webhook node (its webhook phase takes an isolate, as any other trigger's does)`,
					ours: rate(minimalIsolate),
					baseline: `${rate(minimal)} minimal`,
					ratio: `this ÷ minimal = ${e.ratios.isolateOverMinimal}; GitLab at bound ÷ this = ${e.ratios.boundOverIsolate}`,
				},
				{
					measure: `Regular mode, events/s, c=${e.concurrency}: GitLab workflow, fresh state`,
					ours: rate(gitlab),
					baseline: baselines,
					ratio: `ours ÷ minimal = ${e.ratios.oursOverMinimal}; ours ÷ built-in = ${e.ratios.oursOverBuiltin}`,
				},
				{
					measure: `Regular mode, events/s, c=${e.concurrency}: GitLab workflow, every store at its bound`,
					ours: rate(gitlabBound),
					baseline: baselines,
					ratio: `ours ÷ minimal = ${e.ratios.boundOverMinimal}; ours ÷ built-in = ${e.ratios.boundOverBuiltin}; bound ÷ fresh = ${e.ratios.boundOverFresh}`,
				},
				{
					measure: `Regular mode, webhook → last DM p50 / p99 ms, c=${e.concurrency}: fresh`,
					ours: lat(gitlab),
					baseline: `${lat(minimal)} minimal / ${lat(builtin)} built-in`,
					ratio: `ours − minimal = ${diff(e.addedLatencyMs.oursMinusMinimal)}; ours − built-in = ${diff(e.addedLatencyMs.oursMinusBuiltin)}`,
				},
				{
					measure: `Regular mode, webhook → last DM p50 / p99 ms, c=${e.concurrency}: at bound`,
					ours: lat(gitlabBound),
					baseline: `${lat(minimal)} minimal / ${lat(builtin)} built-in`,
					ratio: `ours − minimal = ${diff(e.addedLatencyMs.boundMinusMinimal)}; ours − built-in = ${diff(e.addedLatencyMs.boundMinusBuiltin)}`,
				},
			);
		}
		if (queue) {
			for (const e of Object.values(queue.endToEnd)) {
				const { gitlab, minimal } = e.runs;
				rows.push(
					{
						measure: `Queue mode (${queue.workers} workers, Redis store), events/s, c=${e.concurrency}`,
						ours: rate(gitlab),
						baseline: `${rate(minimal)} minimal (queue mode)`,
						ratio: `ours ÷ minimal = ${e.oursOverMinimal}`,
					},
					{
						measure: `Queue mode, webhook → last DM p50 / p99 ms, c=${e.concurrency}`,
						ours: lat(gitlab),
						baseline: `${lat(minimal)} minimal (queue mode)`,
						ratio: `ours − minimal = ${diff(e.addedLatencyMs)}`,
					},
				);
			}
		}
		const { fresh, bound } = n8n.perNodeMs;
		const qn = queue?.perNodeMs;
		const cells = (f: number | undefined, b: number | undefined, q: number | undefined) =>
			`${f ?? '-'} fresh / ${b ?? '-'} at bound${queue ? ` / ${q ?? '-'} queue` : ''}`;
		rows.push({
			measure: `One GitLab execution at c=1, median ms (${fresh.executions} / ${bound.executions}${qn ? ` / ${qn.executions}` : ''} stored executions)`,
			ours: cells(fresh.total, bound.total, qn?.total),
			baseline: '',
			ratio: '',
		});
		for (const node of new Set([...Object.keys(fresh.nodes), ...Object.keys(bound.nodes), ...Object.keys(qn?.nodes ?? {})])) {
			rows.push({ measure: `  node: ${node}`, ours: cells(fresh.nodes[node], bound.nodes[node], qn?.nodes[node]), baseline: '', ratio: '' });
		}
		rows.push({
			measure: `  the rest (start-up, saving execution data${queue ? '; queue: job hand-off too' : ''})`,
			ours: cells(fresh.rest, bound.rest, qn?.rest),
			baseline: '',
			ratio: '',
		});
		if (queue) {
			rows.push({
				measure: '  queue mode: executions per worker; store the nodes reported',
				ours: Object.entries(queue.executionsPerWorker)
					.map(([w, n]) => `${w} ${n}`)
					.join(', '),
				baseline: queue.stateStore.join(', ') || '(no hint found)',
				ratio: '',
			});
		}
		const { minimal: m, minimalIsolate: mi } = n8n.minimalExecutionMs;
		rows.push({
			measure: `One minimal execution at c=1, median ms: all / outside its nodes (${m.executions} / ${mi.executions} stored executions)`,
			ours: `${mi.total} / ${mi.rest} with an expression on its Webhook node`,
			baseline: `${m.total} / ${m.rest} minimal`,
			ratio: '',
		});
		const b = n8n.boundState;
		rows.push({
			measure: "Bound copy's static data in n8n's database, bytes",
			ours: `${b.staticDataBytes.imported} imported → ${b.staticDataBytes.afterWarmUp} after warm-up → ${b.staticDataBytes.afterRuns} after the runs`,
			baseline: `${n8n.freshStaticDataBytesAfterRuns} (fresh copy after the runs)`,
			ratio: Object.entries(b.persistedEntriesAfterRuns)
				.map(([k, v]) => `${k.split(' / ')[1]} ${v} entries`)
				.join(', '),
		});
		rows.push({
			measure: '  bound copy: memory-only books handed over (entries)',
			ours: b.books
				.filter((x) => x.kept === 'memory')
				.map((x) => `${x.book} ${x.entries}`)
				.join(', '),
			baseline: b.neverLoaded.length ? `NEVER LOADED: ${b.neverLoaded.join(', ')}` : 'all loaded by the nodes',
			ratio: '',
		});
		rows.push({
			measure: 'Closed loop: stand-in wrote a DM → loop knows it, p50 / p99 ms',
			ours: `${n8n.watcherNoticeMs.p50} / ${n8n.watcherNoticeMs.p99}`,
			baseline: 'request log followed by inotify',
			ratio: '',
		});
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

const reps = (byConcurrency: Record<number, number>) =>
	Object.entries(byConcurrency)
		.map(([c, n]) => `${n} at c=${c}`)
		.join(', ');

/** Issue #11's "Done when" figures for regular mode, each with the figure it was judged on. */
function doneWhen(state: StateFigures, n8n: N8nFigures | undefined): Array<{ check: string; holds: boolean; figure: string }> {
	const checks: Array<{ check: string; holds: boolean; figure: string }> = [];
	const spec = state.checkpoints.find((c) => c.events === state.events);
	if (spec) {
		checks.push({
			check: `static data ≤ 256 KiB after ${spec.events} events / ${spec.people} people`,
			holds: spec.totalBytes <= 256 * 1024,
			figure: `${Math.round(spec.totalBytes / 1024)} KiB`,
		});
	}
	const c1 = n8n?.endToEnd.c1;
	if (c1) {
		checks.push(
			{ check: 'stores at their bound, c=1: GitLab throughput ≥ built-in DM chain', holds: c1.ratios.boundOverBuiltin >= 1, figure: `ours ÷ built-in = ${c1.ratios.boundOverBuiltin}` },
			{
				check: 'stores at their bound, c=1: GitLab throughput ≥ 0.7 × minimal',
				holds: c1.ratios.boundOverMinimal >= 0.7,
				figure: `ours ÷ minimal = ${c1.ratios.boundOverMinimal} (the minimal workflow itself, once its webhook phase takes an isolate: ${c1.ratios.isolateOverMinimal})`,
			},
		);
	}
	return checks;
}

async function main(): Promise<void> {
	const started = Date.now();
	mkdirSync(outputDir, { recursive: true });
	const loadBefore = loadavg();
	log(`${quick ? 'QUICK run (figures not meaningful)' : 'full run'}; timings are medians of ${SETTINGS.formatter.repetitions} (formatter) and ${reps(SETTINGS.n8n.repetitions)} (n8n) repetitions`);

	log('1/4 formatter throughput over the fixture corpus');
	const formatter = await benchFormatter(SETTINGS.formatter);

	log('2/4 static data size after many events and people (in-process nodes)');
	// What each node keeps in static data is its books' `persist` newest entries; the rest is memory only.
	const bounds = {
		[`Format GitLab Event / ${OBJECT_STATE.name}`]: OBJECT_STATE.persist,
		[`Send Direct Message / ${THREAD_BOOK.name}`]: THREAD_BOOK.persist,
	};
	const { figures: state, staticData: simulated } = await benchStateSize({ ...SETTINGS.state, bounds, log });

	let n8n: N8nFigures | undefined;
	let queue: QueueFigures | undefined;
	if (!args['no-n8n']) {
		log('3/4 real n8n, regular mode: API calls per DM, end to end (GitLab fresh and at its bound, built-in chain, minimal), memory');
		n8n = await benchInN8n({ ...SETTINGS.n8n, outputDir, build, simulated: { staticData: simulated, formatter: FORMATTER, sender: SENDER }, log });
		if (!args['no-queue']) {
			log('4/4 real n8n, queue mode: GitLab workflow against the minimal one, PostgreSQL + Redis + main + 2 workers');
			queue = await benchQueueMode({ ...SETTINGS.queue, outputDir, log });
		}
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
		repetitions: { formatter: SETTINGS.formatter.repetitions, n8n: SETTINGS.n8n.repetitions, queue: SETTINGS.queue.repetitions, note: 'timings are medians over repetitions' },
		ratios: {
			formatterVsJsonCopy: formatter.ratio,
			apiCallsPerDmBuiltinOverOurs: n8n?.apiCalls.ratio ?? null,
			endToEndRegular: n8n ? Object.fromEntries(Object.entries(n8n.endToEnd).map(([k, v]) => [k, v.ratios])) : null,
			endToEndQueueOursOverMinimal: queue ? Object.fromEntries(Object.entries(queue.endToEnd).map(([k, v]) => [k, v.oursOverMinimal])) : null,
		},
		formatter,
		apiCalls: n8n?.apiCalls ?? null,
		endToEnd: n8n?.endToEnd ?? null,
		perNodeMs: n8n ? ({ ...n8n.perNodeMs, queue: queue?.perNodeMs ?? null } as Record<string, PerNodeMs | null>) : null,
		minimalExecutionMs: n8n?.minimalExecutionMs ?? null,
		boundState: n8n ? { ...n8n.boundState, freshStaticDataBytesAfterRuns: n8n.freshStaticDataBytesAfterRuns } : null,
		watcherNoticeMs: n8n?.watcherNoticeMs ?? null,
		queueMode: queue ?? null,
		memory: { n8n: n8n?.memory ?? null, staticData: state },
		doneWhen: doneWhen(state, n8n),
		durationSeconds: Math.round((Date.now() - started) / 1000),
	};
	const file = join(outputDir, 'bench.json');
	writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
	process.stdout.write(
		`\n${table(rowsFor(formatter, state, n8n, queue))}\n\n` +
			(report.doneWhen.length ? `Issue #11, Done when (regular mode):\n${report.doneWhen.map((d) => `  ${(d.holds ? 'holds' : 'FALLS SHORT').padEnd(11)} ${d.check}: ${d.figure}`).join('\n')}\n\n` : '') +
			`Machine: ${report.machine.cores} cores (${report.machine.cpu}), Node ${report.node}, n8n ${report.n8nVersion ?? '(not run)'}, ` +
			`load average ${report.machine.loadAverage1mBefore} → ${report.machine.loadAverage1mAfter}. ` +
			`Medians of ${SETTINGS.formatter.repetitions} (formatter) / ${reps(SETTINGS.n8n.repetitions)} (n8n, queue mode) repetitions; c = closed-loop senders; end-to-end ratios and differences are medians of each repetition's own. ${report.durationSeconds} s in all.\n` +
			`Every figure: ${file}\n`,
	);
}

main().catch((error: unknown) => {
	process.stderr.write(`[bench] FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
	killAllNow();
	process.exit(1);
});
