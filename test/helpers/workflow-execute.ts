/**
 * Runs workflows through the real n8n-core engine (WorkflowExecute), the way n8n runs them, so node tests exercise
 * parameter resolution, expressions, credentials, pairedItem, continueOnFail and static data for real.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse as parseQueryString } from 'node:querystring';

import { ExecutionLifecycleHooks, WebhookContext, WorkflowExecute } from 'n8n-core';
import {
	createRunExecutionData,
	ICredentialsHelper,
	NodeConnectionTypes,
	Workflow,
	type ICredentialDataDecryptedObject,
	type ICredentialType,
	type IConnections,
	type IDataObject,
	type IExecuteFunctions,
	type IHttpRequestOptions,
	type INode,
	type INodeExecutionData,
	type INodeParameters,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
	type IWebhookData,
	type IWebhookResponseData,
	type IWorkflowExecuteAdditionalData,
	type WorkflowExecuteMode,
} from 'n8n-workflow';

export const PACKAGE = 'n8n-nodes-mattermost-devops';

/** Pass-through start node: emits the items a test gives it, like a trigger that has just fired. */
class TestStart implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Start',
		name: 'testStart',
		group: ['trigger'],
		version: 1,
		description: 'Emits the test input',
		defaults: { name: 'Start' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return [this.getInputData()];
	}
}

export class TestNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	constructor(nodeTypes: Array<INodeType | IVersionedNodeType>, extra: Record<string, INodeType | IVersionedNodeType> = {}) {
		this.types.set('test.start', new TestStart());
		for (const nodeType of nodeTypes) this.types.set(`${PACKAGE}.${nodeType.description.name}`, nodeType);
		for (const [name, nodeType] of Object.entries(extra)) this.types.set(name, nodeType);
	}

	getByName(nodeType: string) {
		const found = this.types.get(nodeType);
		if (!found) throw new Error(`Unknown node type ${nodeType}`);
		return found;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		const found = this.getByName(nodeType);
		if ('nodeVersions' in found) return found.getNodeType(version);
		return found;
	}

	getKnownTypes() {
		return {};
	}
}

/** Resolves generic `authenticate` definitions the way n8n's CredentialsHelper does for `{{$credentials.x}}`. */
function resolveCredentialTemplate(value: string, credentials: ICredentialDataDecryptedObject): string {
	const body = value.startsWith('=') ? value.slice(1) : value;
	return body.replace(/\{\{\s*\$credentials\.(\w+)\s*\}\}/g, (_m, key: string) => String(credentials[key] ?? ''));
}

export class TestCredentialsHelper extends ICredentialsHelper {
	constructor(
		private readonly credentialTypes: Record<string, ICredentialType>,
		private readonly data: Record<string, ICredentialDataDecryptedObject>,
	) {
		super();
	}

	getParentTypes() {
		return [];
	}

	isCredentialUsableByNode() {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const type = this.credentialTypes[typeName];
		if (!type?.authenticate) return requestOptions;
		if (typeof type.authenticate === 'function') return await type.authenticate(credentials, requestOptions);
		const headers = (type.authenticate.properties.headers ?? {}) as Record<string, string>;
		requestOptions.headers = { ...(requestOptions.headers ?? {}) };
		for (const [name, template] of Object.entries(headers)) {
			requestOptions.headers[name] = resolveCredentialTemplate(template, credentials);
		}
		return requestOptions;
	}

	async preAuthentication() {
		return undefined;
	}

	async runPreAuthentication() {
		return undefined;
	}

	async getCredentials(): Promise<never> {
		throw new Error('getCredentials is not used by these nodes');
	}

	async getDecrypted(_a: IWorkflowExecuteAdditionalData, _c: unknown, type: string) {
		const found = this.data[type];
		if (!found) throw new Error(`No test credentials of type ${type}`);
		return found;
	}

	async updateCredentials() {}

	async updateCredentialsOauthTokenData() {}

	getCredentialsProperties() {
		return [];
	}
}

/** The services n8n gives an execution, as far as these nodes use them. */
export function testAdditionalData(
	credentialTypeList: ICredentialType[] | undefined,
	credentials: Record<string, ICredentialDataDecryptedObject> | undefined,
	hooks: ExecutionLifecycleHooks,
	extra: Partial<IWorkflowExecuteAdditionalData> = {},
): IWorkflowExecuteAdditionalData {
	const credentialTypes = Object.fromEntries((credentialTypeList ?? []).map((c) => [c.name, c]));
	return {
		credentialsHelper: new TestCredentialsHelper(credentialTypes, credentials ?? {}),
		hooks,
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		executeWorkflow: async () => {
			throw new Error('not supported in tests');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => {},
		startRunnerTask: async () => {
			throw new Error('not supported in tests');
		},
		...extra,
	} as unknown as IWorkflowExecuteAdditionalData;
}

export interface RunOptions {
	nodeTypes: Array<INodeType | IVersionedNodeType>;
	/** More node types under their full type name, e.g. n8n-nodes-base classes or stand-ins for them. */
	extraNodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	credentialTypes?: ICredentialType[];
	/** Credential data by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Nodes after the start node; the start node is added and named "Start". */
	nodes: Array<Omit<INode, 'id' | 'position' | 'typeVersion'> & Partial<Pick<INode, 'typeVersion'>>>;
	connections: IConnections;
	input: INodeExecutionData[];
	/** Workflow static data; kept by the caller between runs, as n8n keeps it between production executions. */
	staticData?: IDataObject;
	mode?: WorkflowExecuteMode;
	/**
	 * Workflow id (default 'test-workflow'). Nodes keep process-wide caches per workflow and node, as in n8n, so tests
	 * that must start cold give each run its own id, like separate workflows.
	 */
	workflowId?: string;
}

export interface RunResult {
	run: IRun;
	/** Output items of a node by output index (first run of the node). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	error: IRun['data']['resultData']['error'];
	staticData: IDataObject;
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const nodeTypes = new TestNodeTypes(options.nodeTypes, options.extraNodeTypes);
	const nodes: INode[] = [
		{ id: 'start', name: 'Start', type: 'test.start', typeVersion: 1, position: [0, 0], parameters: {} },
		...options.nodes.map((node, index) => ({
			typeVersion: 1,
			...node,
			id: `node-${index}`,
			position: [200 * (index + 1), 0] as [number, number],
		})),
	];
	const staticData = options.staticData ?? {};
	const workflowId = options.workflowId ?? 'test-workflow';
	const workflow = new Workflow({
		id: workflowId,
		name: 'Test workflow',
		nodes,
		connections: options.connections,
		nodeTypes,
		active: true,
		staticData,
		settings: { executionOrder: 'v1' },
	});

	const mode = options.mode ?? 'webhook';
	const hooks = new ExecutionLifecycleHooks(mode, 'test-execution', {
		id: workflowId,
		name: 'Test workflow',
		nodes,
		connections: options.connections,
		active: true,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => {
		finished = fullRunData;
	});

	const additionalData = testAdditionalData(options.credentialTypes, options.credentials, hooks);

	const runExecutionData: IRunExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [options.input] }, source: null }],
		},
	});

	const execute = new WorkflowExecute(additionalData, mode, runExecutionData);
	const returned = await execute.processRunExecutionData(workflow);
	const run = finished ?? returned;
	return {
		run,
		error: run.data.resultData.error,
		staticData: workflow.staticData,
		output(nodeName: string, outputIndex = 0) {
			const runs = run.data.resultData.runData[nodeName];
			if (!runs) {
				const error = run.data.resultData.error;
				throw new Error(`Node "${nodeName}" did not run${error ? `: ${error.message}` : ''}`);
			}
			return runs[0].data?.main[outputIndex] ?? [];
		},
	};
}

export interface WebhookRequest {
	method: 'GET' | 'POST';
	/** Query string, without the `?`. */
	query?: string;
	headers?: Record<string, string>;
	/** Raw request body, sent as is (set the content-type header to match). */
	body?: string;
}

export interface RunWebhookOptions {
	nodeType: INodeType;
	credentialTypes?: ICredentialType[];
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** The trigger node's parameters; defaults are filled in as n8n does. The trigger is named "Trigger". */
	parameters: INodeParameters;
	request: WebhookRequest;
	/**
	 * When the trigger starts the workflow, these nodes run after it through runWorkflow: the trigger's items stand
	 * in as the output of "Start", so connections begin at "Start".
	 */
	downstream?: Pick<RunOptions, 'nodeTypes' | 'nodes' | 'connections'>;
}

export interface WebhookRunResult {
	status: number;
	contentType: string;
	/** The response body as received over HTTP. */
	body: string;
	/** What the node's webhook() returned. */
	result: IWebhookResponseData;
	/** Whether the node wrote the HTTP response itself (rather than leaving it to n8n). */
	respondedByNode: boolean;
	/** The run of the downstream nodes, when there were any and the trigger started the workflow. */
	run?: RunResult;
}

type ExpressLikeRequest = IncomingMessage & { body: unknown; query: unknown; params: object; rawBody: Buffer; contentType: string };
type ExpressLikeResponse = ServerResponse & {
	status(code: number): ExpressLikeResponse;
	send(body?: string): ExpressLikeResponse;
	json(body: unknown): ExpressLikeResponse;
};

/** Gives a node:http request the fields n8n's body parser and express add (n8n's middlewares/body-parser rules). */
async function expressRequest(req: IncomingMessage): Promise<ExpressLikeRequest> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	const rawBody = Buffer.concat(chunks);
	const contentType = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	const text = rawBody.toString('utf8').replace(/^\uFEFF/, '');
	let body: unknown = {};
	if (rawBody.length > 0) {
		if (contentType === 'application/json') body = JSON.parse(text);
		else if (contentType === 'application/x-www-form-urlencoded') body = parseQueryString(text, undefined, undefined, { maxKeys: 1000 });
		else if (contentType === 'text/plain') body = text;
	}
	const url = new URL(req.url ?? '/', 'http://localhost');
	return Object.assign(req, {
		body,
		query: parseQueryString(url.search.replace(/^\?/, '')),
		params: {},
		rawBody,
		contentType,
	});
}

function expressResponse(res: ServerResponse): ExpressLikeResponse {
	const extended = res as ExpressLikeResponse;
	extended.status = (code) => {
		res.statusCode = code;
		return extended;
	};
	extended.send = (body) => {
		if (!res.writableEnded) res.end(body ?? '');
		return extended;
	};
	extended.json = (body) => {
		if (!res.writableEnded) {
			res.setHeader('content-type', 'application/json; charset=utf-8');
			res.end(JSON.stringify(body));
		}
		return extended;
	};
	return extended;
}

/**
 * Sends a real HTTP request to a node:http server that runs a trigger node's webhook() in n8n-core's
 * WebhookContext, then answers the way n8n's webhook handler does for the node's response mode: nothing more when
 * the node set noWebhookResponse (it answered itself), the first item of the last node for `lastNode`, and
 * `{message: 'Workflow was started'}` or the node's webhookResponse for `onReceived`. For `responseNode` the
 * answer would come from a Respond to Webhook node, which is not part of this package, so it ends with 204.
 */
export async function runWebhook(options: RunWebhookOptions): Promise<WebhookRunResult> {
	const { nodeType } = options;
	const nodeTypes = new TestNodeTypes([nodeType]);
	const type = `${PACKAGE}.${nodeType.description.name}`;
	const credentials = Object.fromEntries(
		(nodeType.description.credentials ?? []).map((c) => [c.name, { id: `${c.name}-id`, name: `Test ${c.name}` }]),
	);
	const trigger: INode = {
		id: 'trigger',
		name: 'Trigger',
		type,
		typeVersion: 1,
		position: [0, 0],
		parameters: options.parameters,
		credentials,
		webhookId: 'test-webhook-id',
	};
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Test webhook workflow',
		nodes: [trigger],
		connections: {},
		nodeTypes,
		active: true,
		settings: { executionOrder: 'v1' },
	});
	const node = workflow.getNode('Trigger')!;

	let outcome: Omit<WebhookRunResult, 'status' | 'contentType' | 'body'> | undefined;
	let failure: unknown;
	const server = createServer((rawReq, rawRes) => {
		void (async () => {
			const res = expressResponse(rawRes);
			try {
				const req = await expressRequest(rawReq);
				const description = (nodeType.description.webhooks ?? []).find((w) => w.httpMethod === req.method);
				if (!description) {
					res.status(405).send('Method not allowed');
					return;
				}
				const hooks = new ExecutionLifecycleHooks('webhook', 'test-execution', { id: 'test-workflow' } as never);
				const additionalData = testAdditionalData(options.credentialTypes, options.credentials, hooks, {
					httpRequest: req as never,
					httpResponse: res as never,
				});
				const webhookData: IWebhookData = {
					httpMethod: req.method as IWebhookData['httpMethod'],
					node: 'Trigger',
					path: String(node.parameters.path ?? ''),
					webhookDescription: description,
					workflowId: 'test-workflow',
					workflowExecuteAdditionalData: additionalData,
					webhookId: 'test-webhook-id',
				};
				const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], null);
				const result = await nodeType.webhook!.call(context);
				const respondedByNode = rawRes.writableEnded;
				outcome = { result, respondedByNode };
				if (result.noWebhookResponse) {
					if (!rawRes.writableEnded) res.status(599).send('noWebhookResponse set but the node did not answer');
					return;
				}
				if (!result.workflowData) {
					res.status(200).json(result.webhookResponse ?? { message: 'Webhook call received' });
					return;
				}
				const responseMode = String(node.parameters.responseMode ?? 'onReceived');
				let run: RunResult | undefined;
				if (options.downstream) {
					run = await runWorkflow({ ...options.downstream, input: result.workflowData[0] });
					outcome.run = run;
				}
				if (responseMode === 'lastNode') {
					if (!run) throw new Error('lastNode needs downstream nodes');
					const last = run.run.data.resultData.lastNodeExecuted;
					const first = last ? run.run.data.resultData.runData[last]?.[0]?.data?.main[0]?.[0] : undefined;
					if (!first) res.status(500).json({ message: 'No item to return was found' });
					else res.status(200).json(first.json);
				} else if (responseMode === 'responseNode') {
					res.status(204).end();
				} else {
					res.status(200).json(result.webhookResponse ?? { message: 'Workflow was started' });
				}
			} catch (error) {
				failure = error;
				if (!rawRes.writableEnded) res.status(500).send(String(error));
			}
		})();
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	try {
		const { port } = server.address() as AddressInfo;
		const { request } = options;
		const response = await fetch(`http://127.0.0.1:${port}/webhook/${String(node.parameters.path ?? '')}${request.query ? `?${request.query}` : ''}`, {
			method: request.method,
			headers: request.headers,
			body: request.method === 'POST' ? request.body : undefined,
		});
		const body = await response.text();
		if (failure) throw failure;
		if (!outcome) throw new Error(`The webhook did not run (HTTP ${response.status}: ${body})`);
		return { ...outcome, status: response.status, contentType: response.headers.get('content-type') ?? '', body };
	} finally {
		await new Promise<void>((resolve) => server.close(() => resolve()));
	}
}
