/**
 * The command line shared by the GitLab and Redmine stand-ins: `--port <n>` (0 = free), `--seed <file.json>`,
 * `--log <file>`. Prints `{"url": ...}` as its first stdout line, then serves until SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface Served {
	url: string;
	stop(): Promise<void>;
}

export function serveStandin<Seed>(start: (options: { port: number; seed: Partial<Seed>; logFile?: string }) => Promise<Served>): void {
	const run = async () => {
		const { values } = parseArgs({
			options: { port: { type: 'string', default: '0' }, seed: { type: 'string' }, log: { type: 'string' } },
		});
		const seed = values.seed ? (JSON.parse(readFileSync(values.seed, 'utf8')) as Partial<Seed>) : {};
		const standin = await start({ port: Number(values.port), seed, logFile: values.log });
		process.stdout.write(`${JSON.stringify({ url: standin.url })}\n`);
		const stop = () => void standin.stop().then(() => process.exit(0));
		process.on('SIGTERM', stop);
		process.on('SIGINT', stop);
	};
	run().catch((error: unknown) => {
		process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
		process.exit(1);
	});
}
