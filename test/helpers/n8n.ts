/**
 * Runs workflows through the real n8n-core engine (WorkflowExecute), the way n8n runs them, so node tests exercise
 * parameter resolution, expressions, credentials, pairedItem, continueOnFail and static data for real.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
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
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IRun,
	type IRunExecutionData,
	type IVersionedNodeType,
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

	constructor(nodeTypes: Array<INodeType | IVersionedNodeType>, extra: Record<string, INodeType> = {}) {
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

export interface RunOptions {
	nodeTypes: Array<INodeType | IVersionedNodeType>;
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
}

export interface RunResult {
	run: IRun;
	/** Output items of a node by output index (first run of the node). */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	error: IRun['data']['resultData']['error'];
	staticData: IDataObject;
}

export async function runWorkflow(options: RunOptions): Promise<RunResult> {
	const nodeTypes = new TestNodeTypes(options.nodeTypes);
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
	const workflow = new Workflow({
		id: 'test-workflow',
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
		id: 'test-workflow',
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

	const credentialTypes = Object.fromEntries((options.credentialTypes ?? []).map((c) => [c.name, c]));
	const additionalData = {
		credentialsHelper: new TestCredentialsHelper(credentialTypes, options.credentials ?? {}),
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
	} as unknown as IWorkflowExecuteAdditionalData;

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
