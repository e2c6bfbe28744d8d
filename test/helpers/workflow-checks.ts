/**
 * Loading and checking the bundled workflows in workflows/ against the node descriptions they will meet in n8n 2.40.7:
 * this package's node classes and n8n-nodes-base 2.40.2's nodes.json.
 */
import { join } from 'node:path';
import {
	ExpressionParser,
	NodeHelpers,
	Workflow,
	type IConnections,
	type INode,
	type INodeParameters,
	type INodeProperties,
	type INodePropertyCollection,
	type INodeType,
	type INodeTypeDescription,
	type INodeTypes,
	type IVersionedNodeType,
	type NodeParameterValue,
} from 'n8n-workflow';

import { readWorkflowFiles } from '../../playground/harness/workflows';
import { findBaseNodeDescription } from './n8n-base-nodes';
import { PACKAGE } from './workflow-execute';

export interface WorkflowFile {
	file: string;
	json: {
		name: string;
		nodes: Array<INode & { credentials?: Record<string, unknown> }>;
		connections: IConnections;
		settings?: Record<string, unknown>;
		[key: string]: unknown;
	};
}

/** The bundled workflows as their files hold them, typed with n8n's own types for the checks below. */
export function workflowFiles(): WorkflowFile[] {
	return readWorkflowFiles().map(({ slug, json }) => ({ file: `${slug}.json`, json: json as unknown as WorkflowFile['json'] }));
}

/** Where each of this package's node classes lives (class name == file prefix). */
export const PACKAGE_NODES: Record<string, { file: string; className: string }> = {
	mattermost: { file: 'nodes/Mattermost/Mattermost.node', className: 'Mattermost' },
	gitlabEventFormatter: { file: 'nodes/GitlabEventFormatter/GitlabEventFormatter.node', className: 'GitlabEventFormatter' },
	recipientResolver: { file: 'nodes/RecipientResolver/RecipientResolver.node', className: 'RecipientResolver' },
	mattermostCommandTrigger: {
		file: 'nodes/MattermostCommandTrigger/MattermostCommandTrigger.node',
		className: 'MattermostCommandTrigger',
	},
	secureWebhookTrigger: { file: 'nodes/SecureWebhookTrigger/SecureWebhookTrigger.node', className: 'SecureWebhookTrigger' },
	mattermostInteractionTrigger: {
		file: 'nodes/MattermostInteractionTrigger/MattermostInteractionTrigger.node',
		className: 'MattermostInteractionTrigger',
	},
};

/**
 * Imports one of this package's nodes. Rejects with a message naming the missing file when that node has not been
 * written yet, so the checks of every workflow using it fail rather than pass or skip.
 */
export async function loadPackageNode(name: string): Promise<INodeType | IVersionedNodeType> {
	const entry = PACKAGE_NODES[name];
	if (!entry) throw new Error(`${PACKAGE}.${name} is not a node of this package`);
	let module: Record<string, new () => INodeType | IVersionedNodeType>;
	try {
		module = (await import(join(__dirname, '..', '..', `${entry.file}.ts`))) as typeof module;
	} catch (error) {
		throw new Error(`${entry.file}.ts could not be loaded: ${(error as Error).message}`);
	}
	const NodeClass = module[entry.className];
	if (typeof NodeClass !== 'function') throw new Error(`${entry.file}.ts does not export class ${entry.className}`);
	return new NodeClass();
}

function descriptionOf(nodeType: INodeType | IVersionedNodeType, typeVersion: number): INodeTypeDescription | undefined {
	if ('nodeVersions' in nodeType) {
		return nodeType.nodeVersions[typeVersion]?.description;
	}
	const versions = Array.isArray(nodeType.description.version)
		? nodeType.description.version
		: [nodeType.description.version];
	return versions.includes(typeVersion) ? nodeType.description : undefined;
}

/** Resolves node type + version to a description: this package's loaded nodes, then n8n-nodes-base 2.40.2. */
export class DescriptionRegistry {
	constructor(private readonly packageNodes: Record<string, INodeType | IVersionedNodeType>) {}

	find(type: string, typeVersion: number): INodeTypeDescription | undefined {
		if (type.startsWith(`${PACKAGE}.`)) {
			const nodeType = this.packageNodes[type.slice(PACKAGE.length + 1)];
			return nodeType ? descriptionOf(nodeType, typeVersion) : undefined;
		}
		return findBaseNodeDescription(type, typeVersion);
	}

	/** An INodeTypes over the descriptions only, enough for n8n's Workflow to compute outputs of dynamic nodes. */
	asNodeTypes(): INodeTypes {
		const byName = (type: string, version?: number): INodeType => {
			const description = this.find(type, version ?? 1);
			if (!description) throw new Error(`Unknown node type ${type} v${version}`);
			return { description } as INodeType;
		};
		return {
			getByName: (type: string) => byName(type),
			getByNameAndVersion: byName,
			getKnownTypes: () => ({}),
		};
	}
}

/** Number of main outputs of a node in this workflow, evaluated the way the editor does (Switch rules, etc.). */
export function countOutputs(workflow: Workflow, node: INode, description: INodeTypeDescription): number {
	return NodeHelpers.getNodeOutputs(workflow, node, description).filter((output) =>
		typeof output === 'string' ? output === 'main' : output.type === 'main',
	).length;
}

export function countInputs(workflow: Workflow, node: INode, description: INodeTypeDescription): number {
	return NodeHelpers.getNodeInputs(workflow, node, description).filter((input) =>
		typeof input === 'string' ? input === 'main' : input.type === 'main',
	).length;
}

export function buildWorkflow(wf: WorkflowFile, registry: DescriptionRegistry): Workflow {
	return new Workflow({
		id: wf.file,
		name: wf.json.name,
		// n8n's Workflow fills in parameter defaults on the nodes it is given; keep the loaded files as they are.
		nodes: structuredClone(wf.json.nodes),
		connections: structuredClone(wf.json.connections),
		active: false,
		nodeTypes: registry.asNodeTypes(),
		settings: wf.json.settings,
	});
}

const isExpression = (value: unknown): value is string => typeof value === 'string' && value.startsWith('=');

type Values = INodeParameters;

/**
 * Problems with a node's parameters: names the description does not have, parameters not shown for the node's
 * settings and version (n8n drops those), option values that do not exist, and the same inside collections and
 * fixed collections.
 */
export function checkParameters(node: INode, description: INodeTypeDescription): string[] {
	const problems: string[] = [];
	const root = node.parameters;
	const rootDisplay = displayValues(description.properties, root, node, description);
	walk(description.properties, root, '', rootDisplay);
	return problems;

	function walk(properties: INodeProperties[], values: Values, path: string, display: Values) {
		for (const [key, value] of Object.entries(values)) {
			const where = `${path}${key}`;
			const candidates = properties.filter((property) => property.name === key);
			if (candidates.length === 0) {
				problems.push(`unknown parameter "${where}"`);
				continue;
			}
			const shown = candidates.filter((property) =>
				NodeHelpers.displayParameter(display, property, node, description, rootDisplay),
			);
			if (shown.length === 0) {
				problems.push(`parameter "${where}" is not shown for these settings in version ${node.typeVersion}`);
				continue;
			}
			checkValue(shown[0], value, where);
		}
	}

	function checkValue(property: INodeProperties, value: unknown, where: string) {
		if (isExpression(value)) {
			if (property.noDataExpression) problems.push(`"${where}" does not accept expressions`);
			return;
		}
		switch (property.type) {
			case 'options':
			case 'multiOptions': {
				if (property.typeOptions?.loadOptionsMethod) return;
				const allowed = (property.options ?? []).map((option) => (option as { value: NodeParameterValue }).value);
				for (const item of property.type === 'multiOptions' && Array.isArray(value) ? value : [value]) {
					if (!allowed.includes(item as NodeParameterValue)) {
						problems.push(`"${where}" is ${JSON.stringify(item)}, not one of ${JSON.stringify(allowed)}`);
					}
				}
				return;
			}
			case 'boolean':
				if (typeof value !== 'boolean') problems.push(`"${where}" must be a boolean`);
				return;
			case 'number':
				if (typeof value !== 'number') problems.push(`"${where}" must be a number`);
				return;
			case 'string':
				if (typeof value !== 'string') problems.push(`"${where}" must be a string`);
				return;
			case 'resourceLocator': {
				const locator = value as { __rl?: boolean; mode?: string; value?: unknown };
				const modes = (property.modes ?? []).map((mode) => mode.name);
				if (locator?.__rl !== true || !modes.includes(String(locator.mode))) {
					problems.push(`"${where}" must be {__rl: true, mode: one of ${modes.join('|')}, value}`);
				}
				return;
			}
			case 'collection': {
				const options = (property.options ?? []) as INodeProperties[];
				const entries = property.typeOptions?.multipleValues ? (value as Values[]) : [value as Values];
				for (const entry of entries) {
					if (!isPlainObject(entry)) {
						problems.push(`"${where}" must be an object`);
						continue;
					}
					walk(options, entry, `${where}.`, displayValues(options, entry, node, description));
				}
				return;
			}
			case 'fixedCollection': {
				if (!isPlainObject(value)) {
					problems.push(`"${where}" must be an object`);
					return;
				}
				for (const [group, groupValue] of Object.entries(value)) {
					const option = (property.options as INodePropertyCollection[]).find((entry) => entry.name === group);
					if (!option) {
						problems.push(`unknown group "${where}.${group}"`);
						continue;
					}
					const multiple = property.typeOptions?.multipleValues === true;
					if (multiple !== Array.isArray(groupValue)) {
						problems.push(`"${where}.${group}" must be ${multiple ? 'a list' : 'an object'}`);
						continue;
					}
					const entries = (multiple ? groupValue : [groupValue]) as Values[];
					entries.forEach((entry, index) => {
						const at = multiple ? `${where}.${group}[${index}].` : `${where}.${group}.`;
						walk(option.values, entry, at, displayValues(option.values, entry, node, description));
					});
				}
				return;
			}
			default:
				return;
		}
	}
}

function isPlainObject(value: unknown): value is Values {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The values n8n uses to decide what is shown: the given ones plus the defaults of simple parameters. */
function displayValues(properties: INodeProperties[], values: Values, node: INode, description: INodeTypeDescription): Values {
	const withDefaults = NodeHelpers.getNodeParameters(properties, values, true, true, node, description, {
		onlySimpleTypes: true,
		dataIsResolved: true,
	});
	return { ...values, ...(withDefaults ?? {}) };
}

/** All string values anywhere inside a node's parameters, with their paths. */
export function parameterStrings(value: unknown, path = ''): Array<{ path: string; value: string }> {
	if (typeof value === 'string') return [{ path, value }];
	if (Array.isArray(value)) return value.flatMap((entry, index) => parameterStrings(entry, `${path}[${index}]`));
	if (isPlainObject(value)) {
		return Object.entries(value).flatMap(([key, entry]) => parameterStrings(entry, path ? `${path}.${key}` : key));
	}
	return [];
}

/** The JavaScript inside each `{{ … }}` of an n8n expression string. */
export function expressionSnippets(value: string): Array<{ code: string; closed: boolean }> {
	if (!isExpression(value)) return [];
	return ExpressionParser.splitExpression(value.slice(1))
		.filter((chunk) => chunk.type === 'code')
		.map((chunk) => ({ code: chunk.text, closed: (chunk as { hasClosingBrackets: boolean }).hasClosingBrackets }));
}
