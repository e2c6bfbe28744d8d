/**
 * n8n's built-in nodes from n8n-nodes-base 2.40.2, the release n8n 2.40.7 ships (a devDependency pinned to it, so
 * `npm install` brings it): their descriptions, to check the bundled workflows against the real parameter names, and
 * their classes, to run the workflows' Set/Switch/If/Split Out nodes in the workflow logic tests.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { INodeType, INodeTypeDescription, IVersionedNodeType } from 'n8n-workflow';

export const N8N_NODES_BASE_VERSION = '2.40.2';

const packageDir = dirname(require.resolve('n8n-nodes-base/package.json'));

/** The installed n8n-nodes-base's version (the tests check it is the pinned one). */
export function installedBaseVersion(): string {
	return (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
}

let cached: INodeTypeDescription[] | undefined;

/** Every description in n8n-nodes-base's dist/types/nodes.json (one entry per node and version group). */
export function loadBaseNodeDescriptions(): INodeTypeDescription[] {
	cached ??= JSON.parse(readFileSync(join(packageDir, 'dist', 'types', 'nodes.json'), 'utf8')) as INodeTypeDescription[];
	return cached;
}

/**
 * The description of `n8n-nodes-base.<name>` that covers `typeVersion`, or undefined when that node or version does
 * not exist in the pinned release.
 */
export function findBaseNodeDescription(type: string, typeVersion: number): INodeTypeDescription | undefined {
	const prefix = 'n8n-nodes-base.';
	if (!type.startsWith(prefix)) return undefined;
	const name = type.slice(prefix.length);
	return loadBaseNodeDescriptions().find((description) => {
		if (description.name !== name) return false;
		const versions = Array.isArray(description.version) ? description.version : [description.version];
		return versions.includes(typeVersion);
	});
}

/** A node class of n8n-nodes-base, e.g. `loadBaseNode('Set/Set.node.js', 'Set')`. */
export async function loadBaseNode(file: string, className: string): Promise<INodeType | IVersionedNodeType> {
	const module = (await import(join(packageDir, 'dist', 'nodes', file))) as Record<string, new () => INodeType | IVersionedNodeType>;
	const NodeClass = module[className];
	if (!NodeClass) throw new Error(`n8n-nodes-base ${file} exports no ${className}`);
	return new NodeClass();
}
