/**
 * Send-and-wait through the real n8n-core engine, the way n8n 2.40 runs it: the workflow runs until a node puts the
 * execution to wait; a small HTTP server plays n8n's `/webhook-waiting/:execution/:node` route (WaitingWebhooks): it
 * checks the resume URL's HMAC with n8n-core's own validateUrlSignature, answers "no action required" (HTML) for a
 * finished execution and 409 for a running one, runs the waiting node's webhook() in a WebhookContext of a *fresh*
 * workflow and node type (another process, as in queue mode: nothing is shared but the stored execution), and resumes
 * the execution with what webhook() returned. `expire()` plays n8n's WaitTracker when the wait time is up.
 */
process.env.N8N_HMAC_SIGNATURE_SECRET ??= `test-hmac-${process.pid}`;

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import { ExecutionLifecycleHooks, validateUrlSignature, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type INode,
	type INodeExecutionData,
	type INodeType,
	type IRun,
	type IRunExecutionData,
	type IWebhookData,
} from 'n8n-workflow';

import { PACKAGE, TestNodeTypes, testAdditionalData } from './workflow-execute';

export interface WaitingOptions {
	/** Makes the node type; called again for every click, like a process that did not post the question. */
	nodeType: () => INodeType;
	credentialTypes: ICredentialType[];
	credentials: Record<string, ICredentialDataDecryptedObject>;
	/** The waiting node's parameters; it is named "Ask" and runs after "Start". */
	parameters: INode['parameters'];
	input?: INodeExecutionData[];
}

export interface Click {
	status: number;
	contentType: string;
	body: string;
}

export class WaitingExecution {
	/** The stored execution, as n8n keeps it in its database between the question and the answer. */
	private stored!: { data: IRunExecutionData; status: IRun['status']; waitTill?: Date };
	private server!: Server;
	baseUrl = '';
	readonly executionId = `exec${Math.floor(Math.random() * 1e9)}`;
	private readonly nodes: INode[];
	private readonly connections: IConnections;

	constructor(private readonly options: WaitingOptions) {
		const type = `${PACKAGE}.${options.nodeType().description.name}`;
		this.nodes = [
			{ id: 'start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'ask-node-id',
				name: 'Ask',
				type,
				typeVersion: 1,
				position: [200, 0],
				parameters: options.parameters,
				credentials: Object.fromEntries(options.credentialTypes.map((c) => [c.name, { id: `${c.name}-id`, name: c.name }])),
				webhookId: 'ask-webhook',
			},
		];
		this.connections = { Start: { main: [[{ node: 'Ask', type: 'main', index: 0 }]] } };
	}

	get status() {
		return this.stored.status;
	}

	get waitTill() {
		return this.stored.waitTill;
	}

	private workflow(): Workflow {
		return new Workflow({
			id: 'waiting-workflow',
			name: 'Waiting workflow',
			nodes: structuredClone(this.nodes),
			connections: this.connections,
			nodeTypes: new TestNodeTypes([this.options.nodeType()]),
			active: true,
			settings: { executionOrder: 'v1', timezone: 'UTC' },
		});
	}

	private additionalData() {
		const hooks = new ExecutionLifecycleHooks('webhook', this.executionId, { id: 'waiting-workflow' } as never);
		return testAdditionalData(this.options.credentialTypes, this.options.credentials, hooks, {
			executionId: this.executionId,
			webhookWaitingBaseUrl: `${this.baseUrl}/webhook-waiting`,
		});
	}

	/** Stores the run the way n8n's database does (JSON), so no object survives from one process to the next. */
	private store(run: IRun) {
		this.stored = { data: JSON.parse(JSON.stringify(run.data)), status: run.status, waitTill: run.waitTill ?? undefined };
		if (this.stored.data.waitTill) this.stored.data.waitTill = new Date(this.stored.data.waitTill);
	}

	private async resume(): Promise<IRun> {
		const execute = new WorkflowExecute(this.additionalData(), 'webhook', this.stored.data);
		this.stored.status = 'running';
		const run = await execute.processRunExecutionData(this.workflow());
		this.store(run);
		return run;
	}

	async start(): Promise<IRun> {
		this.server = createServer((req, res) => {
			void this.handle(req.url ?? '/', req, res);
		});
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		const data = createRunExecutionData({
			executionData: { nodeExecutionStack: [{ node: this.nodes[0], data: { main: [this.options.input ?? [{ json: {} }]] }, source: null }] },
		});
		const execute = new WorkflowExecute(this.additionalData(), 'webhook', data);
		const run = await execute.processRunExecutionData(this.workflow());
		this.store(run);
		return run;
	}

	/** n8n's WaitTracker when waitTill has passed: the waiting node is skipped and passes its items on. */
	async expire(): Promise<IRun> {
		if (this.stored.status !== 'waiting') throw new Error(`execution is ${this.stored.status}, not waiting`);
		return await this.resume();
	}

	/** The node's output after the execution finished. */
	output(): INodeExecutionData[] {
		return this.stored.data.resultData.runData.Ask?.at(-1)?.data?.main[0] ?? [];
	}

	error() {
		return this.stored.data.resultData.error;
	}

	async stop(): Promise<void> {
		await new Promise<void>((resolve) => this.server.close(() => resolve()));
	}

	private async handle(rawUrl: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const url = new URL(rawUrl, this.baseUrl);
		const send = (status: number, type: string, body: string): void => {
			res.writeHead(status, { 'Content-Type': type }).end(body);
		};
		const [, route, executionId, nodeId] = url.pathname.split('/');
		if (route !== 'webhook-waiting' || executionId !== this.executionId) return send(404, 'application/json', '{"message":"not found"}');
		const signature = url.searchParams.get('signature') ?? '';
		const { Container } = await import('@n8n/di');
		const { InstanceSettings } = await import('n8n-core');
		if (!validateUrlSignature(signature, url, Container.get(InstanceSettings).hmacSignatureSecret)) {
			return send(401, 'text/html', '<html>Invalid token</html>');
		}
		// Before the first run is stored the execution exists in n8n's database as running.
		if (!this.stored || this.stored.status === 'running') return send(409, 'application/json', '{"message":"The execution is running already."}');
		if (this.stored.status !== 'waiting') return send(200, 'text/html', '<html>No action required</html>');

		const workflow = this.workflow();
		const node = workflow.getNode('Ask')!;
		if (node.id !== nodeId) return send(404, 'application/json', '{"message":"no waiting webhook"}');
		const text = Buffer.concat(chunks).toString('utf8');
		const body = text ? JSON.parse(text) : {};
		const nodeType = workflow.nodeTypes.getByNameAndVersion(node.type, 1);
		const description = nodeType.description.webhooks!.find((w) => w.httpMethod === req.method && w.restartWebhook)!;
		const additionalData = this.additionalData();
		const request = Object.assign(req, { body, query: parseQueryString(url.search.slice(1)), params: {}, rawBody: Buffer.from(text) });
		const webhookData: IWebhookData = {
			httpMethod: 'POST',
			node: 'Ask',
			path: node.id,
			webhookDescription: description,
			workflowId: workflow.id,
			workflowExecuteAdditionalData: { ...additionalData, httpRequest: request as never, httpResponse: res as never },
		};
		const context = new WebhookContext(workflow, node, webhookData.workflowExecuteAdditionalData, 'webhook', webhookData, [], this.stored.data);
		let result;
		try {
			result = await nodeType.webhook!.call(context);
		} catch (error) {
			return send(500, 'application/json', JSON.stringify({ message: (error as Error).message }));
		}
		if (result.workflowData) {
			// n8n resumes a waiting execution once (ActiveExecutions.add requires status 'waiting'): a request whose
			// webhook() ran while another one resumed it fails with ExecutionAlreadyResumingError, answered as a 500.
			if (this.stored.status !== 'waiting') return send(500, 'application/json', '{"message":"There was a problem executing the workflow"}');
			// As n8n's webhook helpers do: the answer becomes the waiting node's data, then the run continues.
			const stack = this.stored.data.executionData!.nodeExecutionStack[0];
			stack.data.main = result.workflowData;
			stack.metadata = { ...stack.metadata, forwardAllOutputs: true };
			this.stored.status = 'running';
			send(200, 'application/json', JSON.stringify(result.webhookResponse ?? { message: 'Workflow was started' }));
			await this.resume();
			return;
		}
		send(200, 'application/json', JSON.stringify(result.webhookResponse ?? { message: 'Webhook call received' }));
	}
}
