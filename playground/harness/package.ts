/**
 * Builds and packs this package, then installs the tarball into an n8n user folder the way n8n's community-package
 * installer does (packages/cli community-packages.service downloadPackage): extract into
 * <userFolder>/.n8n/nodes/node_modules/<name>, strip dev/peer/optional dependencies from its package.json, install
 * runtime dependencies without scripts. The bundle has no runtime dependencies, so normally nothing is installed.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCommand } from './processes';
import { REPO_ROOT, pathWithNode, type Toolchain } from './toolchain';

export const PACKAGE_NAME = 'n8n-nodes-mattermost-devops';

export interface PackageJson {
	name: string;
	version: string;
	dependencies?: Record<string, string>;
	devDependencies?: Record<string, string>;
	peerDependencies?: Record<string, string>;
	optionalDependencies?: Record<string, string>;
	n8n?: { nodes?: string[]; credentials?: string[] };
	[key: string]: unknown;
}

export function readPackageJson(dir = REPO_ROOT): PackageJson {
	return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
}

/** n8n's type names for what package.json's n8n section declares: nodes as `<package>.<node>`, credentials by name. */
export function declaredTypes(pkg = readPackageJson()): { nodes: string[]; credentials: string[] } {
	const typeName = (file: string, suffix: string) => {
		const name = file.split('/').pop()!.replace(suffix, '');
		return `${name.charAt(0).toLowerCase()}${name.slice(1)}`;
	};
	return {
		nodes: (pkg.n8n?.nodes ?? []).map((file) => `${PACKAGE_NAME}.${typeName(file, '.node.js')}`),
		credentials: (pkg.n8n?.credentials ?? []).map((file) => typeName(file, '.credentials.js')),
	};
}

/** What of declaredTypes() a running n8n does not know, given its /types/nodes.json and /types/credentials.json. */
export function unknownTypes(known: { nodes: Array<{ name: string }>; credentials: Array<{ name: string }> }): string[] {
	const declared = declaredTypes();
	return [
		...declared.nodes.filter((type) => !known.nodes.some((t) => t.name === type)),
		...declared.credentials.filter((type) => !known.credentials.some((c) => c.name === type)).map((type) => `credential ${type}`),
	];
}

/**
 * `full` is `npm run build` (type check + bundle), as CI and users build. `bundle` runs only the esbuild/gulp step,
 * for iterating while other parts of the shared tree do not type-check yet.
 */
export async function buildPackage(toolchain: Toolchain, mode: 'full' | 'bundle' = 'full'): Promise<void> {
	const [command, args] = mode === 'full' ? ['npm', ['run', 'build', '--silent']] : [join(REPO_ROOT, 'node_modules', '.bin', 'gulp'), ['build']];
	await runCommand(command as string, args as string[], {
		cwd: REPO_ROOT,
		env: { ...process.env, PATH: pathWithNode(toolchain) },
		timeoutMs: 5 * 60_000,
		label: mode === 'full' ? 'npm run build' : 'gulp build',
	});
}

/** `npm pack` into a temporary folder (not the shared working tree); returns the tarball path. */
export async function packPackage(toolchain: Toolchain): Promise<string> {
	const out = mkdtempSync(join(tmpdir(), 'mmdevops-pack-'));
	const result = await runCommand('npm', ['pack', '--json', '--pack-destination', out], {
		cwd: REPO_ROOT,
		env: { ...process.env, PATH: pathWithNode(toolchain) },
		timeoutMs: 2 * 60_000,
		label: 'npm pack',
	});
	const [info] = JSON.parse(result.stdout.slice(result.stdout.indexOf('['))) as Array<{ filename: string }>;
	return join(out, info.filename);
}

export interface InstallReport {
	dir: string;
	/** Entries of package.json's n8n section whose file is not in the tarball. */
	missing: string[];
}

/**
 * Installs the tarball into `<userFolder>/.n8n/nodes/node_modules/<name>`. Entries of the n8n section whose file is
 * absent from the tarball make n8n fail to load the whole package; with `pruneMissing` they are dropped from the
 * installed package.json (and reported) so the rest can still be tried while other nodes are being written.
 */
export async function installTarball(
	toolchain: Toolchain,
	tarball: string,
	userFolder: string,
	options: { pruneMissing?: boolean } = {},
): Promise<InstallReport> {
	const nodesDir = join(userFolder, '.n8n', 'nodes');
	const dest = join(nodesDir, 'node_modules', PACKAGE_NAME);
	mkdirSync(join(nodesDir, 'node_modules'), { recursive: true });
	// n8n keeps a package.json in the nodes folder so npm installs land there.
	const nodesPackageJson = join(nodesDir, 'package.json');
	if (!existsSync(nodesPackageJson)) writeFileSync(nodesPackageJson, JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
	const staging = mkdtempSync(join(nodesDir, '.extract-'));
	try {
		await runCommand('tar', ['-xzf', tarball, '-C', staging], { timeoutMs: 60_000 });
		rmSync(dest, { recursive: true, force: true });
		renameSync(join(staging, 'package'), dest);
	} finally {
		rmSync(staging, { recursive: true, force: true });
	}
	const pkg = readPackageJson(dest);
	delete pkg.devDependencies;
	delete pkg.peerDependencies;
	delete pkg.optionalDependencies;
	const missing: string[] = [];
	for (const key of ['nodes', 'credentials'] as const) {
		const entries = pkg.n8n?.[key] ?? [];
		const present = entries.filter((entry) => existsSync(join(dest, entry)));
		missing.push(...entries.filter((entry) => !present.includes(entry)));
		if (options.pruneMissing && pkg.n8n) pkg.n8n[key] = present;
	}
	writeFileSync(join(dest, 'package.json'), JSON.stringify(pkg, null, 2));
	if (Object.keys(pkg.dependencies ?? {}).length > 0) {
		await runCommand('npm', ['install', '--ignore-scripts=true', '--install-strategy=shallow', '--package-lock=false', '--no-audit', '--no-fund'], {
			cwd: dest,
			env: { ...process.env, PATH: pathWithNode(toolchain) },
			timeoutMs: 10 * 60_000,
			label: 'npm install (package runtime dependencies)',
		});
	}
	return { dir: dest, missing };
}
