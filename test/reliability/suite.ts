/**
 * What the real-n8n delivery suites share (reliability, queue mode): sending GitLab deliveries as GitLab does
 * (re-sending what got no 2xx), waiting for n8n's executions, retrying failed ones as an operator would, and counting
 * every DM against who had to get it: delivered, lost, duplicated, thread errors.
 */
import { sleep, waitFor, type ExecutionSummary, type Harness } from '../../playground/harness';
import { check } from '../helpers/scenarios';
import type { HttpEvent } from '../../playground/sample-events';
import type { Post } from '../../playground/standin/mattermost/state';
import { makeDeliveries, type Delivery } from './events';

const KEY_PROP = 'n8n_idempotency_key';
/** Execution statuses an operator retries. */
const FAILED = ['error', 'crashed', 'canceled'];

export interface Execution extends ExecutionSummary {
	retryOf?: string | null;
	retrySuccessId?: string | null;
}

export interface Figures {
	seed: number;
	eventsSent: number;
	httpRequests: number;
	replayed: number;
	dmsExpected: number;
	delivered: number;
	lost: number;
	duplicated: number;
	unexpected: number;
	threadErrors: number;
	readyDuplicates: number;
	faultsInjected: Record<string, number>;
	restarts: number;
	executionsRetried: number;
	fuzzCasesRun: number;
	fuzzSeeds: number[];
	secretsChecked: number;
	secretLeaks: string[];
	oversizedStatus?: number;
}

/** Everything the scenarios share: the harness, every delivery sent so far and the counters. */
export class Suite {
	readonly deliveries: Delivery[] = [];
	readonly figures: Figures;
	readonly gitlabWorkflowId: string;
	private readonly webhookWorkflow: (path: string) => string;
	/** When n8n last started after a kill: executions "running" since before then are dead. */
	restartedAt = 0;

	constructor(
		readonly h: Harness,
		seed: number,
	) {
		const id = (path: string) => {
			const hook = h.webhooks.find((w) => w.path === path);
			if (!hook) throw new Error(`no published workflow registers /webhook/${path}`);
			return hook.workflowId;
		};
		this.gitlabWorkflowId = id('gitlab');
		this.webhookWorkflow = id;
		this.figures = {
			seed,
			eventsSent: 0,
			httpRequests: 0,
			replayed: 0,
			dmsExpected: 0,
			delivered: 0,
			lost: 0,
			duplicated: 0,
			unexpected: 0,
			threadErrors: 0,
			readyDuplicates: 0,
			faultsInjected: {},
			restarts: 0,
			executionsRetried: 0,
			fuzzCasesRun: 0,
			fuzzSeeds: [],
			secretsChecked: 0,
			secretLeaks: [],
		};
	}

	/** The `!ticket` command workflow (the reliability suite publishes it; the queue-mode suite does not). */
	get commandWorkflowId(): string {
		return this.webhookWorkflow('mattermost-ticket');
	}

	/** Posts one delivery as GitLab would; true when n8n answered 2xx (GitLab re-sends anything else). */
	async post(event: HttpEvent): Promise<boolean> {
		return (await this.postStatus(event)).ok;
	}

	async postStatus(event: HttpEvent): Promise<{ ok: boolean; status: string }> {
		this.figures.httpRequests++;
		try {
			const result = await this.h.send(event.path, { json: event.json, form: event.form, headers: event.headers, timeoutMs: 15_000 });
			return { ok: result.status >= 200 && result.status < 300, status: `HTTP ${result.status}${result.status >= 300 ? ` ${result.text.slice(0, 80)}` : ''}` };
		} catch (error) {
			return { ok: false, status: (error as Error).message };
		}
	}

	/** GitLab re-sends a delivery that got no 2xx (with back-off); returns the last answer of each that never got one. */
	async replay(list: Delivery[]): Promise<string[]> {
		const failures: string[] = [];
		for (const delivery of list) {
			let last = '';
			for (let attempt = 0; attempt < 3; attempt++) {
				const result = await this.postStatus(delivery.event);
				if (result.ok) {
					this.figures.replayed++;
					last = '';
					break;
				}
				last = result.status;
				await sleep(2000);
			}
			if (last) failures.push(`${delivery.label}: ${last}`);
		}
		return failures;
	}

	/** Sends deliveries with `concurrency` requests in flight; returns those n8n did not accept. */
	async sendAll(list: Delivery[], concurrency: number, onSent?: (done: number) => Promise<void> | void): Promise<Delivery[]> {
		const refused: Delivery[] = [];
		let next = 0;
		let done = 0;
		const worker = async () => {
			while (next < list.length) {
				const delivery = list[next++];
				if (!this.deliveries.includes(delivery)) {
					this.deliveries.push(delivery);
					this.figures.eventsSent++;
				}
				if (!(await this.post(delivery.event))) refused.push(delivery);
				done++;
				await onSent?.(done);
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
		return refused;
	}

	/** One comment delivery sent three times at once (a project hook and a group hook, a re-send); one DM each. */
	async sendCopiesAtOnce(seed: number): Promise<void> {
		const [delivery] = makeDeliveries(this.h.world, { seed, mergeRequests: 1, pipelines: 0, firstIid: 900 }).filter((d) => d.label.includes('comment') && d.expected.length);
		check(delivery, 'no comment delivery generated');
		const before = (await this.executions()).length;
		this.deliveries.push(delivery);
		this.figures.eventsSent++;
		const results = await Promise.all([1, 2, 3].map(() => this.post(delivery.event)));
		check(results.every(Boolean), 'n8n refused a copy');
		await this.settle(before + 3);
		await this.assertExactlyOnce('after three concurrent copies');
	}

	/** Every execution of a workflow. */
	async executions(workflowId = this.gitlabWorkflowId): Promise<Execution[]> {
		return (await this.h.n8n.executions({ workflowId })) as Execution[];
	}

	/** Waits until n8n has no running or queued execution of the workflow and at least `atLeast` in all. */
	async settle(atLeast = 0, timeoutMs = 600_000): Promise<Execution[]> {
		return await waitFor(
			'executions to finish',
			async () => {
				const list = await this.executions();
				const busy = list.filter((e) => ['running', 'new', 'waiting', 'unknown'].includes(e.status) && !this.zombie(e));
				return busy.length === 0 && list.length >= atLeast ? list : undefined;
			},
			timeoutMs,
			1000,
		);
	}

	/** An execution n8n still lists as running although it started before n8n was killed and restarted. */
	zombie(e: Execution): boolean {
		return ['running', 'new'].includes(e.status) && Date.parse(e.startedAt) < this.restartedAt;
	}

	/**
	 * After a crash n8n 2.40.7 marks most interrupted executions "crashed", but one can stay "running" for good. An
	 * operator stops it (Executions list → Stop, REST POST /rest/executions/:id/stop) and then retries it.
	 */
	async stopZombies(): Promise<number> {
		const zombies = (await this.executions()).filter((e) => this.zombie(e));
		for (const e of zombies) await this.h.n8n.rest('POST', `/executions/${e.id}/stop`).catch(() => undefined);
		return zombies.length;
	}

	/**
	 * What an operator does after an incident: retry (REST POST /rest/executions/:id/retry, as the Executions list's
	 * Retry button does) every failed or crashed execution that has no successful or pending retry, until none is left.
	 */
	async retryFailed(rounds = 4): Promise<number> {
		let retried = 0;
		for (let round = 0; round < rounds; round++) {
			const list = await this.settle();
			const retriedOnce = new Set(list.map((e) => e.retryOf).filter(Boolean));
			const todo = list.filter((e) => FAILED.includes(e.status) && !e.retrySuccessId && !retriedOnce.has(e.id));
			if (!todo.length) break;
			for (const execution of todo) {
				await this.h.n8n.rest('POST', `/executions/${execution.id}/retry`, { loadWorkflow: false }).catch(() => undefined);
				retried++;
			}
		}
		this.figures.executionsRetried += retried;
		const list = await this.settle();
		const retryOf = new Map(list.filter((e) => e.retryOf).map((e) => [String(e.retryOf), e]));
		const stillFailing = list
			.filter((e) => !e.retryOf && FAILED.includes(e.status))
			.filter((head) => {
				for (let e: Execution | undefined = head; e; e = retryOf.get(e.id)) if (e.status === 'success' || e.retrySuccessId) return false;
				return true;
			});
		check(stillFailing.length === 0, `executions still failing after ${rounds} rounds of retries: ${stillFailing.map((e) => e.id).join(', ')}`);
		return retried;
	}

	/** Counts delivered, lost, duplicated and unexpected DMs over every delivery sent so far. */
	async verify(): Promise<{ lost: string[]; duplicated: string[]; unexpected: string[]; threads: string[]; readyTwice: string[] }> {
		const { world } = this.h;
		const dmChannels = new Map<string, string>();
		for (const person of Object.values(world.people)) {
			if (!person.mattermostId) continue;
			const channel = await this.h.mattermost.directChannel(world.bot.id, person.mattermostId);
			if (channel) dmChannels.set(channel, person.mattermostId);
		}
		const posts = (await this.h.mattermost.posts()).filter((p) => dmChannels.has(p.channel_id));
		const byPair = new Map<string, Post[]>();
		const unexpected: string[] = [];
		for (const post of posts) {
			const key = String((post.props as Record<string, unknown> | undefined)?.[KEY_PROP] ?? '');
			const delivery = /:delivery:([0-9a-f-]{36})\//.exec(key)?.[1];
			const pair = `${delivery}|${dmChannels.get(post.channel_id)}`;
			if (!delivery) {
				unexpected.push(`post ${post.id} without a delivery key: ${post.message.slice(0, 60)}`);
				continue;
			}
			byPair.set(pair, [...(byPair.get(pair) ?? []), post]);
		}
		const name = (userId: string) => Object.values(world.people).find((p) => p.mattermostId === userId)?.username ?? userId;
		const lost: string[] = [];
		const duplicated: string[] = [];
		const readyTwice: string[] = [];
		const threads: string[] = [];
		const expectedPairs = new Set<string>();
		let delivered = 0;
		let expected = 0;
		const threadPosts = new Map<string, Post[]>();
		for (const delivery of this.deliveries) {
			for (const userId of delivery.expected) {
				const pair = `${delivery.id}|${userId}`;
				if (expectedPairs.has(pair)) continue;
				expectedPairs.add(pair);
				expected++;
				const found = byPair.get(pair) ?? [];
				if (found.length === 0) lost.push(`${delivery.label} → ${name(userId)}`);
				else delivered++;
				if (found.length > 1) {
					duplicated.push(`${delivery.label} → ${name(userId)} ×${found.length}`);
					if (delivery.ready) readyTwice.push(`${delivery.label} → ${name(userId)}`);
				}
				if (delivery.thread) {
					const key = `${delivery.thread}|${userId}`;
					threadPosts.set(key, [...(threadPosts.get(key) ?? []), ...found]);
				}
			}
		}
		for (const [pair, found] of byPair) if (!expectedPairs.has(pair)) unexpected.push(`${pair} ×${found.length}`);
		for (const [key, list] of threadPosts) {
			const roots = list.filter((p) => !p.root_id);
			if (roots.length !== 1) threads.push(`${key}: ${roots.length} thread roots`);
			else if (list.some((p) => p.root_id && p.root_id !== roots[0].id)) threads.push(`${key}: a reply outside its thread`);
		}
		const duplicates = [...byPair.values()].reduce((sum, list) => sum + Math.max(0, list.length - 1), 0);
		Object.assign(this.figures, {
			dmsExpected: expected,
			delivered,
			lost: lost.length,
			duplicated: duplicates,
			unexpected: unexpected.length,
			threadErrors: threads.length,
			readyDuplicates: readyTwice.length,
		});
		return { lost, duplicated, unexpected, threads, readyTwice };
	}

	async assertExactlyOnce(what: string): Promise<void> {
		const result = await this.verify();
		const problems = [
			result.lost.length ? `${result.lost.length} lost (${result.lost.slice(0, 5).join('; ')})` : '',
			result.duplicated.length ? `${result.duplicated.length} duplicated (${result.duplicated.slice(0, 5).join('; ')})` : '',
			result.unexpected.length ? `${result.unexpected.length} unexpected (${result.unexpected.slice(0, 5).join('; ')})` : '',
			result.threads.length ? `${result.threads.length} thread errors (${result.threads.slice(0, 5).join('; ')})` : '',
			result.readyTwice.length ? `ready DM sent twice: ${result.readyTwice.slice(0, 5).join('; ')}` : '',
		].filter(Boolean);
		if (result.lost.length) problems.push(`what n8n did with them: ${await this.explain(result.lost)}`);
		check(problems.length === 0, `${what}: ${problems.join(' | ')}`);
	}

	/** For failure messages: the executions that carried the first few lost deliveries, with status and mode. */
	async explain(lost: string[]): Promise<string> {
		const labels = [...new Set(lost.map((entry) => entry.split(' → ')[0]))].slice(0, 3);
		const wanted = this.deliveries.filter((d) => labels.includes(d.label));
		const found = new Map<string, string[]>(wanted.map((d) => [d.id, []]));
		for (const execution of await this.executions()) {
			const text = JSON.stringify(await this.h.n8n.execution(execution.id));
			for (const d of wanted) {
				if (text.includes(d.id)) found.get(d.id)?.push(`#${execution.id} ${execution.mode} ${execution.status}`);
			}
		}
		return wanted.map((d) => `${d.label}: ${found.get(d.id)?.join(', ') || 'no execution'}`).join('; ');
	}

	async recordFaults(): Promise<void> {
		this.figures.faultsInjected = (await this.h.mattermost.faults()).faultsInjected;
	}
}

