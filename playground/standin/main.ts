/**
 * Runs the Mattermost stand-in as its own process (e2e, reliability, demo, benchmarks):
 *   tsx playground/standin/main.ts [--port 0] [--seed seed.json] [--log requests.jsonl] [--max-post-size 16383]
 *     [--settings '{"PostPriority":false}'] (server settings, see mattermost/settings.ts; the rest keep the defaults)
 * The first stdout line is `{"url":"http://127.0.0.1:<port>"}`; the process runs until SIGTERM/SIGINT.
 * `--allowed-untrusted-internal-connections '127.0.0.1 ::1'` and `--integration-timeout <s>` set what a Mattermost
 * admin sets for interactive messages (ServiceSettings).
 * `--demo-port <port>` also serves the demo page (demo-page.ts) there; the first line then has `demoUrl` too.
 * Drive it through the /__standin/* control routes (see mattermost.ts).
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startDemoPage } from './demo-page';
import { startMattermostStandin, type ServerSettings, type StandinSeed } from './mattermost';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			port: { type: 'string', default: '0' },
			seed: { type: 'string' },
			log: { type: 'string' },
			'max-post-size': { type: 'string' },
			settings: { type: 'string' },
			'demo-port': { type: 'string' },
			'allowed-untrusted-internal-connections': { type: 'string' },
			'integration-timeout': { type: 'string' },
		},
	});
	const port = Number(values.port);
	if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be 0..65535, got '${values.port}'`);
	const seed = values.seed ? (JSON.parse(readFileSync(values.seed, 'utf8')) as Partial<StandinSeed>) : undefined;
	const standin = await startMattermostStandin({
		port,
		seed,
		logFile: values.log,
		maxPostSize: values['max-post-size'] ? Number(values['max-post-size']) : undefined,
		settings: values.settings ? (JSON.parse(values.settings) as Partial<ServerSettings>) : undefined,
		allowedUntrustedInternalConnections: values['allowed-untrusted-internal-connections'],
		integrationTimeoutSeconds: values['integration-timeout'] ? Number(values['integration-timeout']) : undefined,
	});
	const demo =
		values['demo-port'] === undefined ? undefined : await startDemoPage({ standin, seed: seed ?? {}, port: Number(values['demo-port']) });
	process.stdout.write(`${JSON.stringify({ url: standin.url, ...(demo ? { demoUrl: demo.url } : {}) })}\n`);
	const shutdown = () => {
		Promise.all([standin.stop(), demo?.stop()]).then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGTERM', shutdown);
	process.once('SIGINT', shutdown);
}

main().catch((error: unknown) => {
	process.stderr.write(`mattermost stand-in: ${(error as Error).message}\n`);
	process.exit(1);
});
