/**
 * The import rules of nodes/ and credentials/, read from madge's dependency graph (type-only imports included):
 * - no import cycle;
 * - a node's folder (nodes/<Node>/) imports no other node's folder: what two nodes share lives in nodes/core (pure
 *   logic, no n8n) or nodes/shared (n8n-facing helpers);
 * - nodes/core and nodes/shared import no node's folder, so dependencies point one way;
 * - nodes/core imports nothing from n8n (n8n-workflow, n8n-core) and nothing outside nodes/core: it is pure logic.
 * Prints every break and exits 1 when there is one.
 */
import { readFileSync } from 'node:fs';
import madge from 'madge';

const SHARED_FOLDERS = new Set(['core', 'shared']);

/** `Mattermost` for `nodes/Mattermost/actions/...`, `core` for `nodes/core/...`, undefined outside nodes/. */
function nodeFolder(file: string): string | undefined {
	return /^nodes\/([^/]+)\//.exec(file)?.[1];
}

async function main(): Promise<void> {
	const graph = await madge(['nodes', 'credentials', 'index.ts'], {
		baseDir: process.cwd(),
		fileExtensions: ['ts'],
		tsConfig: 'tsconfig.json',
		detectiveOptions: { ts: { skipTypeImports: false }, es6: { skipTypeImports: false } },
	});

	const cycles = graph.circular();
	console.log(`Import cycles: ${cycles.length}`);
	for (const cycle of cycles) console.log(`  ${[...cycle, cycle[0]].join(' > ')}`);

	const crossings: string[] = [];
	for (const [file, imports] of Object.entries(graph.obj())) {
		const from = nodeFolder(file);
		if (!from) continue;
		for (const target of imports) {
			const to = nodeFolder(target);
			if (!to || to === from || SHARED_FOLDERS.has(to)) continue;
			crossings.push(`  ${file} imports ${target}`);
		}
	}
	console.log(`Imports of another node's folder (from nodes/<Node>/, nodes/core or nodes/shared): ${crossings.length}`);
	for (const line of crossings) console.log(line);

	const impure: string[] = [];
	for (const [file, imports] of Object.entries(graph.obj())) {
		if (nodeFolder(file) !== 'core') continue;
		for (const target of imports) if (nodeFolder(target) !== 'core') impure.push(`  ${file} imports ${target}`);
		for (const match of readFileSync(file, 'utf8').matchAll(/from '(n8n-[^']+)'/g)) impure.push(`  ${file} imports ${match[1]}`);
	}
	console.log(`Imports of n8n or of anything outside nodes/core, from nodes/core: ${impure.length}`);
	for (const line of impure) console.log(line);

	const skipped = graph.warnings().skipped;
	if (skipped.length > 0) console.log(`Not resolved (outside the graph): ${skipped.join(', ')}`);

	if (cycles.length > 0 || crossings.length > 0 || impure.length > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
	console.error(error);
	process.exitCode = 1;
});
