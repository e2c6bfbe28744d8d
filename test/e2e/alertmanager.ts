/** A private Prometheus Alertmanager from Debian for the e2e, and the alerts workflow pointed at it. */
import { execFileSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort, waitFor, type LoadedWorkflow } from '../../playground/harness';
import { spawnTracked, stopProcess } from '../../playground/harness/processes';

/** A private Prometheus Alertmanager from Debian on a free loopback port with its own data directory. */
export class Alertmanager {
	private constructor(
		readonly url: string,
		private readonly child: ChildProcess,
	) {}

	static async start(dir: string): Promise<Alertmanager> {
		const binary = '/usr/bin/prometheus-alertmanager';
		if (!existsSync(binary)) {
			process.stdout.write('e2e: installing prometheus-alertmanager with apt-get\n');
			execFileSync('apt-get', ['update', '-qq'], { stdio: 'ignore', timeout: 300_000 });
			execFileSync('apt-get', ['install', '-y', '-qq', 'prometheus-alertmanager'], { stdio: 'ignore', timeout: 600_000, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
			// Debian starts a system instance on :9093; this suite runs its own.
			try {
				execFileSync('service', ['prometheus-alertmanager', 'stop'], { stdio: 'ignore', timeout: 30_000 });
			} catch {
				// No service manager in containers: nothing was started.
			}
		}
		mkdirSync(join(dir, 'data'), { recursive: true });
		const config = join(dir, 'alertmanager.yml');
		writeFileSync(config, 'route:\n  receiver: nobody\nreceivers:\n  - name: nobody\n');
		const port = await freePort();
		const child = spawnTracked(
			binary,
			[`--config.file=${config}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='],
			{ stdio: ['ignore', 'ignore', 'pipe'] },
		);
		let stderr = '';
		child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
		const url = `http://127.0.0.1:${port}`;
		await waitFor(`Alertmanager on ${url} (${stderr})`, async () => ((await fetch(`${url}/-/ready`).catch(() => undefined))?.ok ? true : undefined), 30_000);
		return new Alertmanager(url, child);
	}

	async silences(): Promise<Array<{ id: string; status: { state: string }; matchers: Array<{ name: string; value: string }>; createdBy: string; comment: string; startsAt: string; endsAt: string }>> {
		return (await (await fetch(`${this.url}/api/v2/silences`)).json()) as never;
	}

	async stop(): Promise<void> {
		await stopProcess(this.child, 'SIGTERM', 5_000);
	}
}

/** Points the alerts workflow's buttons at this n8n and its silences at this Alertmanager (the two URL settings). */
export function bindAlertSettings(workflows: LoadedWorkflow[], n8nUrl: string, alertmanagerUrl: string): void {
	for (const { workflow } of workflows) {
		for (const node of workflow.nodes) {
			const assignments = (node.parameters.assignments as { assignments?: Array<{ name: string; value: unknown }> } | undefined)?.assignments ?? [];
			for (const a of assignments) {
				if (a.name === 'n8nUrl') a.value = n8nUrl;
				if (a.name === 'alertmanagerUrl') a.value = alertmanagerUrl;
			}
		}
	}
}
