import {
	NodeConnectionTypes,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import { MattermostCommandTokenApi } from '../../credentials/MattermostCommandTokenApi.credentials';
import { MattermostCommandTrigger } from '../../nodes/MattermostCommandTrigger/MattermostCommandTrigger.node';
import outgoing from '../fixtures/mattermost/outgoing-webhook.json';
import slash from '../fixtures/mattermost/slash-command.json';
import { PACKAGE, runWebhook, type RunWebhookOptions, type WebhookRequest } from '../helpers/workflow-execute';

/** Stands in for a Set node at the end of a command workflow: turns the command into a Mattermost reply. */
class TestAnswer implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Answer',
		name: 'testAnswer',
		group: ['transform'],
		version: 1,
		description: 'Builds a reply',
		defaults: { name: 'Answer' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [
			this.getInputData().map((item, index) => ({
				json: { text: `Ticket: ${(item.json.args as string[])[1]}`, response_type: 'comment' },
				pairedItem: { item: index },
			})),
		];
	}
}

const answerWorkflow = {
	nodeTypes: [new TestAnswer()],
	nodes: [{ name: 'Answer', type: `${PACKAGE}.testAnswer`, parameters: {} }],
	connections: { Start: { main: [[{ node: 'Answer', type: NodeConnectionTypes.Main, index: 0 }]] } },
};

const OTHER_TOKEN = 'z9y8x7w6v5u4t3s2r1q0p9o8n7';
const trigger = new MattermostCommandTrigger();

function form(fields: Record<string, unknown>): string {
	const pairs = Object.entries(fields).filter(([, v]) => v !== undefined);
	return new URLSearchParams(pairs.map(([k, v]): [string, string] => [k, String(v)])).toString();
}

const FORM = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
const JSON_TYPE = { 'content-type': 'application/json', accept: 'application/json' };

function post(fields: Record<string, unknown>, encoding: 'form' | 'json' = 'form', headers: Record<string, string> = {}): WebhookRequest {
	return {
		method: 'POST',
		headers: { ...(encoding === 'form' ? FORM : JSON_TYPE), ...headers },
		body: encoding === 'form' ? form(fields) : JSON.stringify(fields),
	};
}

function run(request: WebhookRequest, parameters: INodeParameters = {}, extra: Partial<RunWebhookOptions> = {}) {
	return runWebhook({
		nodeType: trigger,
		credentialTypes: [new MattermostCommandTokenApi()],
		credentials: { mattermostCommandTokenApi: { tokens: `${outgoing.token}\n${slash.token}` } },
		parameters: { path: 'mattermost-ticket', ...parameters },
		request,
		...extra,
	});
}

function firstItem(result: Awaited<ReturnType<typeof run>>) {
	const items = result.result.workflowData?.[0];
	expect(items).toHaveLength(1);
	return items![0].json as Record<string, any>;
}

describe('Mattermost Command Trigger webhook', () => {
	it('starts the workflow for a JSON outgoing webhook and answers with an empty body by default', async () => {
		const result = await run(post(outgoing, 'json'));
		expect(result.status).toBe(200);
		expect(result.body).toBe('');
		expect(result.respondedByNode).toBe(true);
		const json = firstItem(result);
		expect(json).toMatchObject({
			kind: 'outgoing_webhook',
			command: '!ticket',
			args: ['new', 'Login fails', 'on', 'Safari'],
			text: outgoing.text,
			user: { id: outgoing.user_id, name: outgoing.user_name },
			channel: { id: outgoing.channel_id, name: outgoing.channel_name },
			team: { id: outgoing.team_id, domain: outgoing.team_domain },
			post_id: outgoing.post_id,
			timestamp: outgoing.timestamp,
		});
		expect(json.raw).toMatchObject({ trigger_word: '!ticket', channel_name: 'ops-desk' });
		expect(JSON.stringify(result.result.workflowData)).not.toContain(outgoing.token);
	});

	it('parses a form-encoded outgoing webhook through the HTTP body parser (timestamp in seconds)', async () => {
		const result = await run(post({ ...outgoing, timestamp: '1767003600' }), { acknowledgement: 'On it, @channel' });
		expect(result.status).toBe(200);
		expect(result.contentType).toMatch(/^application\/json/);
		expect(JSON.parse(result.body)).toEqual({ text: 'On it, @\u200bchannel', response_type: 'comment' });
		const json = firstItem(result);
		expect(json.args).toEqual(['new', 'Login fails', 'on', 'Safari']);
		expect(json.timestamp).toBe(1767003600000);
		expect(json.raw).not.toHaveProperty('token');
	});

	it('replies at channel level when asked (Mattermost drops a thread reply when the trigger post is itself a reply)', async () => {
		const result = await run(post({ ...outgoing }), { acknowledgement: 'On it', outgoingReplyPlace: 'channel' });
		expect(JSON.parse(result.body)).toEqual({ text: 'On it' });
	});

	it('says in its setup notice that Mattermost must be allowed to call n8n on an internal address', () => {
		const notices = trigger.description.properties.filter((p) => p.type === 'notice').map((p) => p.displayName);
		expect(notices.join(' ')).toContain('AllowedUntrustedInternalConnections');
	});

	it('accepts a slash command POST with the token in the Authorization header only', async () => {
		const { token, ...withoutToken } = slash;
		const result = await run(post(withoutToken, 'form', { authorization: `Token ${token}` }), {
			acknowledgement: 'Deploying…',
			slashResponseType: 'in_channel',
		});
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body)).toEqual({ response_type: 'in_channel', text: 'Deploying…' });
		expect(firstItem(result)).toMatchObject({
			kind: 'slash_command',
			command: '/deploy',
			args: ['web', 'release 2.4', '--dry-run'],
			response_url: slash.response_url,
			trigger_id: slash.trigger_id,
		});
	});

	it('accepts a slash command sent as GET with its fields in the query string', async () => {
		const result = await run(
			{ method: 'GET', query: form(slash), headers: { authorization: `Token ${slash.token}` } },
			{ acknowledgement: 'Checking' },
		);
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body)).toEqual({ response_type: 'ephemeral', text: 'Checking' });
		const json = firstItem(result);
		expect(json.command).toBe('/deploy');
		expect(JSON.stringify(json)).not.toContain(slash.token);
	});

	it.each([
		['a wrong body token', post({ ...outgoing, token: OTHER_TOKEN })],
		['no token at all', post({ ...outgoing, token: undefined, text: outgoing.text })],
		['a wrong header token', post({ ...slash, token: undefined }, 'form', { authorization: `Token ${OTHER_TOKEN}` })],
		['a right body token but a wrong header token', post(slash, 'form', { authorization: `Token ${OTHER_TOKEN}` })],
		['a wrong token in a GET query', { method: 'GET' as const, query: form({ ...slash, token: OTHER_TOKEN }) }],
	])('answers 401 and starts nothing for %s', async (_name, request) => {
		const result = await run(request);
		expect(result.status).toBe(401);
		expect(result.result.workflowData).toBeUndefined();
		expect(result.result.noWebhookResponse).toBe(true);
	});

	it('accepts any of several configured tokens', async () => {
		for (const token of [outgoing.token, slash.token]) {
			const result = await run(post({ ...outgoing, token }));
			expect(result.status).toBe(200);
			expect(result.result.workflowData).toHaveLength(1);
		}
	});

	it('refuses to run with a credential that holds no token', async () => {
		await expect(
			runWebhook({
				nodeType: trigger,
				credentialTypes: [new MattermostCommandTokenApi()],
				credentials: { mattermostCommandTokenApi: { tokens: ' , ' } },
				parameters: { path: 'x' },
				request: post(outgoing),
			}),
		).rejects.toThrow(/holds no token/);
	});

	it('answers other commands with an empty 200 and starts nothing', async () => {
		const result = await run(post({ ...outgoing, text: '!deploy web', trigger_word: '!deploy' }), {
			acceptedCommands: '!ticket, /deploy',
			acknowledgement: 'not sent',
		});
		expect(result.status).toBe(200);
		expect(result.body).toBe('');
		expect(result.result.workflowData).toBeUndefined();

		const accepted = await run(post(slash), { acceptedCommands: '!ticket, /deploy' });
		expect(accepted.result.workflowData).toHaveLength(1);
	});

	it('ignores posts by listed bot users, and runs for them when the loop guard is off', async () => {
		const botPost = post({ ...outgoing, user_name: 'n8n-bot', user_id: 'b0t5kw2nx9qm4bf7dz3yc6hjpe' });
		const ignored = await run(botPost, { ignoreUsers: '@n8n-bot', acknowledgement: 'x' });
		expect(ignored.status).toBe(200);
		expect(ignored.body).toBe('');
		expect(ignored.result.workflowData).toBeUndefined();

		const guardOff = await run(botPost, { ignoreBots: false, ignoreUsers: '@n8n-bot' });
		expect(guardOff.result.workflowData).toHaveLength(1);
	});

	it('ignores requests without a user id by default', async () => {
		const result = await run(post({ ...outgoing, user_id: '' }));
		expect(result.status).toBe(200);
		expect(result.result.workflowData).toBeUndefined();
	});

	it("answers with the last node's first item when set to wait for the last node", async () => {
		const result = await run(post(outgoing), { responseMode: 'lastNode', acknowledgement: 'not sent' }, { downstream: answerWorkflow });
		expect(result.respondedByNode).toBe(false);
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body)).toEqual({ text: 'Ticket: Login fails', response_type: 'comment' });
		expect(result.run?.output('Answer')).toHaveLength(1);
	});

	it('leaves the answer to a Respond to Webhook node in responseNode mode', async () => {
		const result = await run(post(slash), { responseMode: 'responseNode' });
		expect(result.respondedByNode).toBe(false);
		expect(result.result.noWebhookResponse).toBeUndefined();
		expect(firstItem(result).command).toBe('/deploy');
	});

	it('still answers ignored requests itself in lastNode mode, so Mattermost is not left waiting', async () => {
		const result = await run(post({ ...outgoing, user_id: '' }), { responseMode: 'lastNode' });
		expect(result.respondedByNode).toBe(true);
		expect(result.status).toBe(200);
		expect(result.result.workflowData).toBeUndefined();
	});
});

describe('Mattermost Command Token credential test', () => {
	const test = trigger.methods.credentialTest.mattermostCommandTokenFormat;
	const check = (tokens: string) => test.call({} as never, { id: '1', name: 't', type: 'mattermostCommandTokenApi', data: { tokens } });

	it('accepts tokens in the format Mattermost issues', async () => {
		await expect(check(`${outgoing.token}, ${slash.token}`)).resolves.toMatchObject({ status: 'OK' });
	});

	it('names the token that cannot be a Mattermost token', async () => {
		await expect(check(`${outgoing.token}\nBearer abc`)).resolves.toEqual({
			status: 'Error',
			message: expect.stringMatching(/^Token 2 is not a Mattermost token/),
		});
		await expect(check('')).resolves.toMatchObject({ status: 'Error', message: 'Enter at least one token' });
	});
});

describe('node description', () => {
	it('listens for POST and GET on the path parameter and takes the response mode from "Respond"', () => {
		const { webhooks, name } = trigger.description;
		expect(`${PACKAGE}.${name}`).toBe('n8n-nodes-mattermost-devops.mattermostCommandTrigger');
		expect(webhooks?.map((w) => [w.httpMethod, w.path, w.responseMode, w.isFullPath])).toEqual([
			['POST', '={{$parameter["path"]}}', '={{$parameter["responseMode"]}}', true],
			['GET', '={{$parameter["path"]}}', '={{$parameter["responseMode"]}}', true],
		]);
	});
});
