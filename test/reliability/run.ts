/**
 * `npm run test:reliability`: the packed package in a real n8n 2.40.7 (the e2e harness), driven with a few hundred
 * GitLab deliveries while the Mattermost stand-in injects faults, n8n is killed and Mattermost goes down; then the
 * secrets and access checks and the fuzz tests. Prints one line per scenario, a table of the figures (also in
 * e2e-output/reliability.json) and `N passed, M failed`; exits non-zero on any failure.
 *
 * RELIABILITY_BUILD=full|bundle|skip (default full), RELIABILITY_SEED=<n> replays the event mix and fault plan,
 * FC_SEED / FUZZ_RUNS pass through to the fuzz tests, RELIABILITY_FUZZ=0 skips them, RELIABILITY_OUTPUT=<dir> writes
 * the artifacts elsewhere (e.g. while an e2e run uses e2e-output).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadWorkflows, REPO_ROOT, sleep, startHarness, type Harness, type LoadedWorkflow } from '../../playground/harness';
import { check, Scenarios } from '../helpers/scenarios';
import { makeWorld } from '../../playground/harness/world';
import { outgoingWebhook } from '../../playground/sample-events';
import { runFuzzers, type FuzzSummary } from '../fuzz/summary';
import { makeDeliveries } from './events';
import { Suite, type Figures } from './suite';

const OUT = process.env.RELIABILITY_OUTPUT ?? join(REPO_ROOT, 'e2e-output');
// Fixed in CI (as the fuzzers' seed), so a submission is judged on its code, not on the plan a run happened to draw.
const SEED = Number(process.env.RELIABILITY_SEED ?? (process.env.CI ? 20261122 % 1_000_000 : Date.now() % 1_000_000));
/** n8n's N8N_PAYLOAD_SIZE_MAX for the run, in MiB (n8n's default is 16). */
const PAYLOAD_MAX_MIB = 1;

const scenarios = new Scenarios(8);
const scenario = async (name: string, run: () => Promise<void>) => await scenarios.run(name, run);

/** The GitLab workflow as a team that gets user ids from GitLab would set it up (its setup note, step 4). */
function reliabilityWorkflows(): LoadedWorkflow[] {
	const workflows = loadWorkflows().filter((w) => ['gitlab-notifications', 'command-handler'].includes(w.slug));
	const gitlab = workflows.find((w) => w.slug === 'gitlab-notifications');
	const resolver = gitlab?.workflow.nodes.find((n) => n.type === 'n8n-nodes-mattermost-devops.recipientResolver');
	if (!resolver) throw new Error('workflows/gitlab-notifications.json has no Recipient Resolver');
	resolver.parameters.lookUpGitlabUsers = true;
	resolver.credentials = { ...resolver.credentials, gitlabUserLookupApi: { id: null, name: 'GitLab User Lookup' } };
	return workflows;
}

async function faultScenarios(s: Suite): Promise<void> {
	const { h } = s;
	await scenario('Faults: ≥200 GitLab deliveries to ≥10 people while Mattermost answers 429/500/slow/drop → every DM exactly once', async () => {
		const deliveries = makeDeliveries(h.world, { seed: SEED, mergeRequests: 26, pipelines: 14, firstIid: 100 });
		const people = new Set(deliveries.flatMap((d) => d.expected));
		check(deliveries.length >= 200 && people.size >= 10, `the mix has ${deliveries.length} deliveries to ${people.size} people`);
		await h.mattermost.setFaults({ rate: 0.12, kinds: ['429', '500', 'slow', 'drop'], retryAfterSeconds: 1, slowMs: 16_000, dropAfterEffect: 0.5, seed: SEED, paths: ['/api/v4/'] });
		const refused = await s.sendAll(deliveries, 6);
		const unanswered = await s.replay(refused);
		check(unanswered.length === 0, `re-sent deliveries still refused: ${unanswered.slice(0, 3).join('; ')}`);
		await s.settle(deliveries.length);
		await h.mattermost.setFaults(null);
		await s.recordFaults();
		const injected = s.figures.faultsInjected;
		check(['429', '500', 'slow', 'drop'].every((k) => (injected[k] ?? 0) > 0), `every fault kind should have fired: ${JSON.stringify(injected)}`);
		await s.retryFailed();
		await s.assertExactlyOnce('after faults and retries');
	});

	await scenario('Concurrency: the same delivery sent 3 times at once → one DM per recipient', async () => {
		await s.sendCopiesAtOnce(SEED + 1);
	});
}

async function restartScenario(s: Suite): Promise<void> {
	const { h } = s;
	await scenario('Restart: n8n killed (SIGKILL) mid-run, GitLab re-sends what got no 2xx, crashed executions retried → nothing lost, no ready DM twice, threads intact', async () => {
		const deliveries = makeDeliveries(h.world, { seed: SEED + 2, mergeRequests: 8, pipelines: 4, firstIid: 300 });
		// Faults slow Mattermost down so that executions are in flight when n8n dies.
		await h.mattermost.setFaults({ rate: 0.2, kinds: ['slow', '429'], slowMs: 3000, retryAfterSeconds: 1, seed: SEED + 2, paths: ['/api/v4/'] });
		let killed = false;
		const killAt = Math.floor(deliveries.length * 0.4);
		const refused = await s.sendAll(deliveries, 4, async (done) => {
			if (!killed && done >= killAt) {
				killed = true;
				await h.n8n.stop('SIGKILL');
			}
		});
		check(killed, 'n8n was not killed');
		await h.mattermost.setFaults(null);
		await h.restartN8n();
		s.restartedAt = Date.now();
		s.figures.restarts++;
		const unanswered = await s.replay(refused);
		check(unanswered.length === 0, `${unanswered.length} re-sent deliveries still refused after the restart: ${unanswered.slice(0, 3).join('; ')}`);
		const zombies = await s.stopZombies();
		await s.settle();
		const crashed = (await s.executions()).filter((e) => e.status === 'crashed');
		await s.retryFailed();
		const retried = (await s.executions()).filter((e) => e.mode === 'retry');
		check(refused.length > 0, 'no delivery was refused while n8n was down');
		await s.assertExactlyOnce(`after the kill (${refused.length} re-sent, ${crashed.length} crashed, ${zombies} stuck "running", ${retried.length} retries)`);
	});
}

async function outageScenario(s: Suite): Promise<void> {
	const { h } = s;
	await scenario('Mattermost down: failed executions show a clear error naming the item; retried after it is back → every DM exactly once', async () => {
		const deliveries = makeDeliveries(h.world, { seed: SEED + 3, mergeRequests: 1, pipelines: 0, firstIid: 500 }).filter((d) => d.expected.length).slice(0, 5);
		const before = new Set((await s.executions()).map((e) => e.id));
		await h.mattermost.setFaults({ rate: 1, kinds: ['500', 'drop'], dropAfterEffect: 0, seed: SEED + 3, paths: ['/api/v4/'] });
		const refused = await s.sendAll(deliveries, 2);
		check(refused.length === 0, 'n8n should accept deliveries while Mattermost is down');
		const list = (await s.settle(before.size + deliveries.length)).filter((e) => !before.has(e.id));
		const failed = list.filter((e) => e.status === 'error');
		check(failed.length === deliveries.length, `expected ${deliveries.length} failed executions, got ${failed.length} (${list.map((e) => e.status).join(', ')})`);
		for (const execution of failed) {
			const full = (await h.n8n.execution(execution.id)) as { data?: { resultData?: { error?: { message?: string }; lastNodeExecuted?: string } } };
			const message = full.data?.resultData?.error?.message ?? '';
			check(/Mattermost/.test(message) && /\bitem \d+/.test(message), `execution ${execution.id}: error "${message}" should name Mattermost and the item`);
		}
		await h.mattermost.setFaults(null);
		await s.retryFailed();
		await s.assertExactlyOnce('after the outage and retries');
	});
}

async function accessScenarios(s: Suite): Promise<void> {
	const { h } = s;
	const gitlabEvent = makeDeliveries(h.world, { seed: SEED + 4, mergeRequests: 1, pipelines: 0, firstIid: 700 })[1].event;
	const countOf = async (workflowId: string) => (await s.executions(workflowId)).length;

	await scenario('Access: GitLab webhook without or with a wrong X-Gitlab-Token → 401, no execution', async () => {
		const before = await countOf(s.gitlabWorkflowId);
		const { 'X-Gitlab-Token': _token, ...without } = gitlabEvent.headers;
		for (const headers of [without, { ...without, 'X-Gitlab-Token': 'wrong-token' }, { ...without, 'X-Gitlab-Token': `${h.world.secrets.gitlabWebhookToken}x` }]) {
			const result = await h.send('gitlab', { json: gitlabEvent.json, headers });
			check(result.status === 401, `expected 401, got ${result.status}`);
		}
		await sleep(1500);
		check((await countOf(s.gitlabWorkflowId)) === before, 'a refused delivery created an execution');
	});

	await scenario('Access: Mattermost command with a wrong or missing token → refused, no execution; the right one works', async () => {
		const person = h.world.people.commenter;
		const before = await countOf(s.commandWorkflowId);
		for (const token of ['wrong-token', '']) {
			const event = outgoingWebhook(h.world, '!ticket 123', person, token);
			const result = await h.send(event.path, { form: event.form, headers: event.headers });
			check(result.status === 401 || result.status === 403, `expected 401/403, got ${result.status}`);
		}
		await sleep(1500);
		check((await countOf(s.commandWorkflowId)) === before, 'a refused command created an execution');
		const ok = outgoingWebhook(h.world, '!ticket help', person);
		const result = await h.send(ok.path, { form: ok.form, headers: ok.headers });
		check(result.status === 200, `the right token got ${result.status}: ${result.text.slice(0, 200)}`);
	});

	await scenario(`Access: a body over N8N_PAYLOAD_SIZE_MAX (${PAYLOAD_MAX_MIB} MiB) → refused before the workflow runs, no execution`, async () => {
		const before = await countOf(s.gitlabWorkflowId);
		const big = { ...(gitlabEvent.json as object), padding: 'x'.repeat(PAYLOAD_MAX_MIB * 1024 * 1024 + 4096) };
		const result = await h.send('gitlab', { json: big, headers: gitlabEvent.headers });
		s.figures.oversizedStatus = result.status;
		check(result.status >= 400, `expected a refusal, got ${result.status}`);
		await sleep(1500);
		check((await countOf(s.gitlabWorkflowId)) === before, 'the oversized body created an execution');
		check((await h.n8n.fetch('/healthz')).ok, 'n8n is unhealthy after the oversized body');
	});

	await scenario('Secrets: no configured secret in execution data, errors, the stand-in log or n8n log', async () => {
		const named: Array<[string, string]> = [
			...Object.entries(h.world.secrets),
			['n8n encryption key', h.n8n.encryptionKey],
			['owner password', h.n8n.owner.password],
		];
		const secrets = named.filter(([, value]) => value && value.length >= 8);
		s.figures.secretsChecked = secrets.length;
		const sources: Array<[string, string]> = [];
		for (const workflowId of [s.gitlabWorkflowId, s.commandWorkflowId]) {
			for (const execution of await s.executions(workflowId)) sources.push(['execution data', JSON.stringify(await h.n8n.execution(execution.id))]);
		}
		sources.push(['mattermost-requests.jsonl', readFileSync(join(OUT, 'mattermost-requests.jsonl'), 'utf8')]);
		sources.push(['n8n.log', readFileSync(join(OUT, 'n8n.log'), 'utf8')]);
		const leaks = new Map<string, number>();
		for (const [where, text] of sources) {
			for (const [name, value] of secrets) {
				if (text.includes(value)) leaks.set(`${name} in ${where}`, (leaks.get(`${name} in ${where}`) ?? 0) + 1);
			}
		}
		s.figures.secretLeaks = [...leaks].map(([what, n]) => `${what} (${n}×)`);
		check(leaks.size === 0, s.figures.secretLeaks.join('; '));
	});
}

function printTable(f: Figures, fuzz: FuzzSummary | undefined): void {
	const rows: Array<[string, string]> = [
		['events sent', String(f.eventsSent)],
		['HTTP deliveries (incl. re-sends)', String(f.httpRequests)],
		['re-sent after no 2xx', String(f.replayed)],
		['DMs expected', String(f.dmsExpected)],
		['delivered', String(f.delivered)],
		['lost', String(f.lost)],
		['duplicated', String(f.duplicated)],
		['unexpected posts', String(f.unexpected)],
		['thread errors', String(f.threadErrors)],
		...Object.entries(f.faultsInjected).map(([kind, n]) => [`faults injected: ${kind}`, String(n)] as [string, string]),
		['restarts (SIGKILL)', String(f.restarts)],
		['executions retried', String(f.executionsRetried)],
		['fuzz cases run', fuzz ? String(f.fuzzCasesRun) : 'skipped'],
		['seeds', `reliability ${f.seed}${f.fuzzSeeds.length ? `, fast-check ${f.fuzzSeeds.join(' ')}` : ''}`],
		['secrets checked', String(f.secretsChecked)],
		['secret leaks', f.secretLeaks.length ? f.secretLeaks.join('; ') : '0'],
		['oversized body answered', String(f.oversizedStatus ?? '-')],
	];
	const width = Math.max(...rows.map(([k]) => k.length));
	process.stdout.write(`\n${'-'.repeat(width + 20)}\n`);
	for (const [k, v] of rows) process.stdout.write(`${k.padEnd(width)}  ${v}\n`);
	process.stdout.write(`${'-'.repeat(width + 20)}\n`);
}

async function main(): Promise<void> {
	const started = Date.now();
	const build = (process.env.RELIABILITY_BUILD ?? 'full') as 'full' | 'bundle' | 'skip';
	process.stdout.write(`reliability seed ${SEED} (RELIABILITY_SEED=${SEED} to replay)\n`);
	let harness: Harness | undefined;
	let suite: Suite | undefined;
	try {
		harness = await startHarness({
			outputDir: OUT,
			world: makeWorld({ extraPeople: 8 }),
			workflows: reliabilityWorkflows(),
			build,
			n8nEnv: { N8N_PAYLOAD_SIZE_MAX: String(PAYLOAD_MAX_MIB) },
		});
		suite = new Suite(harness, SEED);
		await faultScenarios(suite);
		await restartScenario(suite);
		await outageScenario(suite);
		await suite.recordFaults();
		await accessScenarios(suite);
	} catch (error) {
		scenarios.record({ name: 'harness', ok: false, detail: (error as Error).message });
		process.stdout.write(`FAIL  harness\n      ${(error as Error).message}\n`);
	} finally {
		await harness?.stop();
	}

	let fuzz: FuzzSummary | undefined;
	if (process.env.RELIABILITY_FUZZ !== '0') {
		fuzz = runFuzzers();
		const ok = fuzz.exitCode === 0 && fuzz.failures.length === 0;
		scenarios.record({ name: 'Fuzz: property-based tests', ok, detail: ok ? undefined : JSON.stringify(fuzz.failures.slice(0, 3)) });
		process.stdout.write(`${ok ? 'ok   ' : 'FAIL '} Fuzz: ${fuzz.casesRun} cases, seeds ${fuzz.seeds.join(' ')}${ok ? '' : ` (exit ${fuzz.exitCode})`}\n`);
	}
	const figures: Figures = suite?.figures ?? ({ seed: SEED, faultsInjected: {}, fuzzSeeds: [], secretLeaks: [] } as unknown as Figures);
	if (fuzz) {
		figures.fuzzCasesRun = fuzz.casesRun;
		figures.fuzzSeeds = fuzz.seeds;
	}
	printTable(figures, fuzz);
	const { passed, failed } = scenarios;
	writeFileSync(
		join(OUT, 'reliability.json'),
		`${JSON.stringify({ ...figures, scenarios: scenarios.outcomes, passed, failed, seconds: Math.round((Date.now() - started) / 1000) }, null, 2)}\n`,
	);
	process.stdout.write(`\n${scenarios.summaryLine()}\n`);
	process.exitCode = failed ? 1 : 0;
}

void main();
