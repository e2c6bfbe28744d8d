/**
 * CLI for the GitLab users stand-in: `tsx test/standin/gitlab-main.ts --port 0 --seed <file.json> [--log <file>]`.
 * Prints `{"url": ...}` as its first stdout line, then serves until SIGTERM/SIGINT.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { startGitlabStandin, type GitlabSeed } from './gitlab';

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: { port: { type: 'string', default: '0' }, seed: { type: 'string' }, log: { type: 'string' } },
	});
	const seed = values.seed ? (JSON.parse(readFileSync(values.seed, 'utf8')) as Partial<GitlabSeed>) : {};
	const standin = await startGitlabStandin({ port: Number(values.port), seed, logFile: values.log });
	process.stdout.write(`${JSON.stringify({ url: standin.url })}\n`);
	const stop = () => void standin.stop().then(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
