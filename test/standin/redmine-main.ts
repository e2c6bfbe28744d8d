/**
 * CLI for the Redmine stand-in: `tsx test/standin/redmine-main.ts --port 0 --seed <file.json>`.
 * Prints `{"url": ...}` as its first stdout line, then serves until SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startRedmineStandin, type RedmineSeed } from './redmine';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { port: { type: 'string', default: '0' }, seed: { type: 'string' }, log: { type: 'string' } },
	});
	const seed = values.seed ? (JSON.parse(readFileSync(values.seed, 'utf8')) as Partial<RedmineSeed>) : {};
	const standin = await startRedmineStandin({ port: Number(values.port), seed, logFile: values.log });
	process.stdout.write(`${JSON.stringify({ url: standin.url })}\n`);
	const stop = () => void standin.stop().then(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
