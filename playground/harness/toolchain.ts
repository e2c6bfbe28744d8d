/**
 * The tools the harness needs outside the repository: Node 24 and n8n 2.40.7 (cached under
 * ~/.cache/n8n-nodes-mattermost-devops by the ensure-*.sh scripts) and Debian's chromium for the editor checks.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runCommand } from './processes';

export const REPO_ROOT = join(__dirname, '..', '..');
export const N8N_VERSION = '2.40.7';
export const CHROMIUM = '/usr/bin/chromium';

export interface Toolchain {
	/** Folder with bin/node (Node 24). */
	nodeDir: string;
	node: string;
	/** Folder holding node_modules/n8n. */
	n8nDir: string;
	/** n8n's CLI entry point (run it with `node`). */
	n8nBin: string;
}

let cached: Toolchain | undefined;

async function runScript(script: string, timeoutMs: number): Promise<string> {
	// The scripts print progress on stderr (kept short, shown live) and the folder on stdout.
	const result = await runCommand('bash', [join(REPO_ROOT, 'playground', script)], {
		timeoutMs,
		label: script,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return result.stdout.trim().split('\n').pop() ?? '';
}

export async function ensureToolchain(): Promise<Toolchain> {
	if (cached) return cached;
	const nodeDir = await runScript('ensure-node24.sh', 10 * 60_000);
	const n8nDir = await runScript('ensure-n8n.sh', 30 * 60_000);
	const n8nBin = join(n8nDir, 'node_modules', 'n8n', 'bin', 'n8n');
	if (!existsSync(n8nBin)) throw new Error(`n8n is not installed in ${n8nDir} (no ${n8nBin})`);
	cached = { nodeDir, node: join(nodeDir, 'bin', 'node'), n8nDir, n8nBin };
	return cached;
}

/** PATH with Node 24 first, for anything the harness spawns. */
export function pathWithNode(toolchain: Toolchain): string {
	return `${join(toolchain.nodeDir, 'bin')}:${process.env.PATH ?? ''}`;
}

/** Installs Debian's chromium with apt-get when it is missing (says so); returns its path. */
export async function ensureChromium(): Promise<string> {
	if (existsSync(CHROMIUM)) return CHROMIUM;
	process.stderr.write(`[harness] ${CHROMIUM} is missing: installing Debian's chromium with apt-get (a few minutes) ...\n`);
	const sudo = process.getuid?.() === 0 ? [] : ['sudo', '-n'];
	const aptGet = (...args: string[]) =>
		runCommand(sudo[0] ?? 'apt-get', [...sudo.slice(1), ...(sudo.length ? ['apt-get'] : []), ...args], {
			timeoutMs: 20 * 60_000,
			env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
			label: `apt-get ${args.join(' ')}`,
		});
	await aptGet('update', '-qq');
	await aptGet('install', '-y', '-qq', 'chromium');
	if (!existsSync(CHROMIUM)) throw new Error(`apt-get install chromium did not provide ${CHROMIUM}`);
	process.stderr.write(`[harness] chromium installed.\n`);
	return CHROMIUM;
}
