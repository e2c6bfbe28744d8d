/** The Send and Wait workflows of the e2e (one per kind of question) and how a scenario asks and reads the answer. */
import { randomBytes, randomUUID } from 'node:crypto';

import { waitFor, type LoadedWorkflow } from '../../playground/harness';
import { check } from '../helpers/scenarios';
import { TEAM_NAME } from '../../playground/harness/world';
import type { Chat } from './chat';

const PKG = 'n8n-nodes-mattermost-devops';

interface AskSpec {
	path: string;
	parameters: Record<string, unknown>;
}

export const ASKS: Record<string, AskSpec> = {
	approval: { path: 'e2e-ask-approval', parameters: {} },
	listed: { path: 'e2e-ask-listed', parameters: { whoMayAnswer: 'listed', allowedUsers: '={{ $json.body.allowed }}' } },
	menu: { path: 'e2e-ask-menu', parameters: { responseType: 'choice', choices: 'staging, production, canary', choiceStyle: 'menu' } },
	form: {
		path: 'e2e-ask-form',
		parameters: {
			responseType: 'form',
			formTitle: 'Rollback',
			formFields: {
				field: [
					{ label: 'Reason', type: 'text', required: true },
					{ label: 'Replicas', type: 'number' },
					{ label: 'Environment', type: 'select', options: 'staging, production', required: true },
				],
			},
		},
	},
	timeout: {
		path: 'e2e-ask-timeout',
		parameters: { options: { limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0.05, resumeUnit: 'minutes' } } } },
	},
};

/** One small workflow per kind of question: a Webhook starts it, Send and Wait asks in #approvals. */
export function askWorkflows(): LoadedWorkflow[] {
	return Object.entries(ASKS).map(([kind, spec]) => {
		const id = `e2eAsk${kind.charAt(0).toUpperCase()}${kind.slice(1)}`.slice(0, 16);
		return {
			slug: `e2e-ask-${kind}`,
			workflow: {
				id,
				name: `E2E: ask (${kind})`,
				active: false,
				settings: { executionOrder: 'v1' },
				connections: { Start: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] } },
				nodes: [
					{
						id: randomUUID(),
						name: 'Start',
						type: 'n8n-nodes-base.webhook',
						typeVersion: 2,
						position: [0, 0],
						webhookId: randomUUID(),
						parameters: { httpMethod: 'POST', path: spec.path, responseMode: 'onReceived', options: {} },
					},
					{
						id: randomUUID(),
						name: 'Ask',
						type: `${PKG}.mattermost`,
						typeVersion: 1,
						position: [220, 0],
						parameters: {
							resource: 'message',
							operation: 'sendAndWait',
							sendTo: 'channel',
							channel: { __rl: true, mode: 'name', value: `${TEAM_NAME}/approvals` },
							message: '={{ $json.body.question }}',
							...spec.parameters,
						},
						credentials: { mattermostDevopsApi: { id: null, name: 'Mattermost Bot' } },
					},
				],
			},
		} as unknown as LoadedWorkflow;
	});
}

export function asking({ h, approvals }: Pick<Chat, 'h' | 'approvals'>) {
	/** Starts one ask workflow and returns its question post and the execution that waits for it. */
	const ask = async (kind: keyof typeof ASKS, body: Record<string, unknown> = {}) => {
		const workflowId = h.webhooks.find((w) => w.path === ASKS[kind].path)!.workflowId;
		const before = (await h.mattermost.posts(approvals)).length;
		const question = `Deploy release ${kind}-${randomBytes(3).toString('hex')}?`;
		const sent = await h.send(ASKS[kind].path, { json: { question, ...body } });
		check(sent.status === 200, `webhook answered ${sent.status}`);
		const post = await waitFor(`the ${kind} question in ~approvals`, async () => {
			const posts = await h.mattermost.posts(approvals);
			return posts.length > before ? posts.find((p) => p.message === question) : undefined;
		}, 30_000);
		const execution = await waitFor('the waiting execution', async () => (await h.n8n.executions({ workflowId, status: ['waiting'] }))[0], 30_000);
		return { post, executionId: execution.id, workflowId };
	};
	/** The Ask node's output once the execution has finished. */
	const answer = async (executionId: string) => {
		const done = await waitFor('the execution to finish', async () => {
			const e = await h.n8n.execution(executionId);
			return ['success', 'error', 'crashed'].includes(e.status) ? e : undefined;
		}, 90_000, 250);
		check(done.status === 'success', `execution ${executionId} ended ${done.status}`);
		const data = done.data as { resultData: { runData: Record<string, Array<{ data?: { main: Array<Array<{ json: Record<string, unknown> }>> } }>> } };
		return data.resultData.runData.Ask.at(-1)!.data!.main[0][0].json;
	};
	return { ask, answer };
}
