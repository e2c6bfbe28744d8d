/**
 * Node descriptions of n8n's built-in nodes (n8n-nodes-base 2.40.2, the version n8n 2.40.7 ships), so tests can check
 * the bundled workflows against the real parameter names without making n8n-nodes-base a dependency.
 *
 * Source, in order: the full n8n 2.40.7 install made by test/harness/ensure-n8n.sh, else the package tarball fetched
 * once with `npm pack n8n-nodes-base@2.40.2` into the cache folder (one download, nothing installed).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { INodeTypeDescription } from 'n8n-workflow';

export const N8N_NODES_BASE_VERSION = '2.40.2';

const cacheDir = process.env.N8N_DEVOPS_CACHE ?? join(homedir(), '.cache', 'n8n-nodes-mattermost-devops');

/** The full n8n install's copy of n8n-nodes-base, when ensure-n8n.sh has run. */
export const n8nInstallBaseDir = join(cacheDir, 'n8n-2.40.7', 'node_modules', 'n8n-nodes-base');

function versionOf(packageDir: string): string | undefined {
	const file = join(packageDir, 'package.json');
	if (!existsSync(file)) return undefined;
	return (JSON.parse(readFileSync(file, 'utf8')) as { version?: string }).version;
}

/** True when the full n8n install (with runnable n8n-nodes-base node classes) is present at the pinned version. */
export function hasN8nInstall(): boolean {
	return versionOf(n8nInstallBaseDir) === N8N_NODES_BASE_VERSION;
}

function packedBaseDir(): string {
	const target = join(cacheDir, `n8n-nodes-base-${N8N_NODES_BASE_VERSION}`);
	const packageDir = join(target, 'package');
	if (versionOf(packageDir) === N8N_NODES_BASE_VERSION) return packageDir;
	mkdirSync(target, { recursive: true });
	const tarball = execFileSync(
		'npm',
		['pack', `n8n-nodes-base@${N8N_NODES_BASE_VERSION}`, '--pack-destination', target, '--silent', '--ignore-scripts'],
		{ encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
	)
		.trim()
		.split('\n')
		.pop();
	if (!tarball) throw new Error(`npm pack n8n-nodes-base@${N8N_NODES_BASE_VERSION} printed no tarball name`);
	execFileSync('tar', ['-xzf', join(target, tarball), '-C', target, 'package/package.json', 'package/dist/types']);
	if (versionOf(packageDir) !== N8N_NODES_BASE_VERSION) {
		throw new Error(`Unpacking n8n-nodes-base@${N8N_NODES_BASE_VERSION} into ${target} failed`);
	}
	return packageDir;
}

let cached: INodeTypeDescription[] | undefined;

/** Every description in n8n-nodes-base's dist/types/nodes.json (one entry per node and version group). */
export function loadBaseNodeDescriptions(): INodeTypeDescription[] {
	if (cached) return cached;
	const packageDir = hasN8nInstall() ? n8nInstallBaseDir : packedBaseDir();
	cached = JSON.parse(readFileSync(join(packageDir, 'dist', 'types', 'nodes.json'), 'utf8')) as INodeTypeDescription[];
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
