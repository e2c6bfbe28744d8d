/**
 * Every command in a shell code block of README.md and docs/ (blocks marked sh, bash, shell or unmarked), and every
 * inline `npm …`, `npx …`, `tsx …` or `bash …` in their text, still works as written: an npm script exists and
 * .ci/run runs it, each `--option` it is given is one its entry file declares, and a file a command runs exists.
 * Commands a user runs against their own machine or servers (mkdir, tar, curl) are named in EXTERNAL; an npm script
 * .ci/run does not run would have to be named in NOT_RUN_BY_CI.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** Programs of commands the docs show for the user's own machine or servers, not for this repository. */
const EXTERNAL = new Set(['mkdir', 'tar', 'curl']);

/** Scripts the docs describe that .ci/run does not run (none today; a script added here needs a reason). */
const NOT_RUN_BY_CI = new Set<string>();

interface Command {
	file: string;
	words: string[];
}

function markdownFiles(): string[] {
	const docs = readdirSync(join(ROOT, 'docs'), { recursive: true })
		.map((name) => join('docs', String(name)))
		.filter((name) => name.endsWith('.md'));
	return ['README.md', ...docs];
}

/** Shell commands of a Markdown text: comments dropped, `a && b` split, leading `NAME=value` assignments dropped. */
function commandsIn(file: string): Command[] {
	const commands: Command[] = [];
	const add = (line: string) => {
		for (const part of line.split('&&')) {
			const words = part.trim().split(/\s+/).filter((word) => word && !/^[A-Z_]+=/.test(word));
			if (words.length) commands.push({ file, words });
		}
	};
	let shell: boolean | undefined;
	// A line ending in a backslash goes on on the next line.
	for (const raw of read(file).replace(/\\\n/g, ' ').split('\n')) {
		const fence = /^\s*```(\w*)/.exec(raw);
		if (fence) {
			shell = shell === undefined ? ['', 'sh', 'bash', 'shell'].includes(fence[1]) : undefined;
			continue;
		}
		if (shell === undefined) {
			// Outside code blocks, inline code that starts with a repository command: `npm start -- --reimport`.
			for (const match of raw.matchAll(/`((?:[A-Z_]+=\S+\s+)*(?:npm|npx|tsx|bash) [^`]+)`/g)) add(match[1]);
		} else if (shell) {
			add(raw.replace(/(^|\s)#.*$/, ''));
		}
	}
	return commands;
}

const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
const ciRun = read('.ci/run');

/** The `tsx <file>` a script runs, if it runs one. */
const entryOf = (script: string) => /\btsx (\S+\.ts)/.exec(pkg.scripts[script] ?? '')?.[1];

/** A step of .ci/run that runs the script itself (`npm run <script>`, `npm test`, `npm start`, with or without options). */
function stepOfCi(script: string): boolean {
	const command = script === 'test' || script === 'start' ? `npm ${script}` : `npm run ${script}`;
	return new RegExp(`step '(npm install && )?${command.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}( |')`).test(ciRun);
}

/**
 * An npm script .ci/run runs: in a step of its own, as all the parts of a script made of `npm run` steps, or from the
 * entry file of a script a step runs (`npm run demo -- --check` runs `npm run demo:events`).
 */
function runByCi(script: string): boolean {
	if (stepOfCi(script)) return true;
	const parts = pkg.scripts[script]?.split('&&').map((part) => /^\s*npm run (\S+)\s*$/.exec(part)?.[1]);
	if (parts?.every((part) => part !== undefined && runByCi(part))) return true;
	return Object.keys(pkg.scripts).some((other) => {
		const entry = entryOf(other);
		return other !== script && stepOfCi(other) && !!entry && read(entry).includes(`['run', '${script}']`);
	});
}

/** The options a `tsx <file>` entry declares in its parseArgs options (`name: {` or `'name': {`). */
function declaresOption(entry: string, option: string): boolean {
	return new RegExp(`(^|[\\s{,])['"]?${option}['"]?\\s*:\\s*\\{`, 'm').test(read(entry));
}

function optionsOf(words: string[]): string[] {
	return words.filter((word) => word.startsWith('--')).map((word) => word.slice(2).split('=')[0]);
}

/** What is wrong with a command, or undefined when it holds. */
function problem({ words }: Command): string | undefined {
	const [program, ...args] = words[0] === 'npx' ? words.slice(1) : words;
	if (program === 'npm') {
		if (args[0] === 'install' || args[0] === 'pack') return undefined;
		const script = args[0] === 'run' ? args[1] : args[0];
		const body = pkg.scripts[script];
		if (!body) return `no npm script "${script}"`;
		if (!runByCi(script) && !NOT_RUN_BY_CI.has(script)) return `npm script "${script}" is not run by .ci/run`;
		const passed = args.indexOf('--');
		if (passed < 0) return undefined;
		const entry = entryOf(script);
		if (!entry) return `npm script "${script}" takes no options`;
		const unknown = optionsOf(args.slice(passed + 1)).filter((option) => !declaresOption(entry, option));
		return unknown.length ? `${entry} declares no option ${unknown.map((o) => `--${o}`).join(', ')}` : undefined;
	}
	if (program === 'tsx') {
		if (!existsSync(join(ROOT, args[0]))) return `no file ${args[0]}`;
		const unknown = optionsOf(args.slice(1)).filter((option) => !declaresOption(args[0], option));
		return unknown.length ? `${args[0]} declares no option ${unknown.map((o) => `--${o}`).join(', ')}` : undefined;
	}
	if (program === 'jest') {
		const path = args.find((arg) => !arg.startsWith('-')) ?? 'test';
		const known = path.includes('<') ? dirname(path) : path;
		return existsSync(join(ROOT, known)) ? undefined : `no test path ${path}`;
	}
	if (program === 'bash') return existsSync(join(ROOT, args[0])) ? undefined : `no file ${args[0]}`;
	if (program.startsWith('.ci/')) {
		return existsSync(join(ROOT, program)) && statSync(join(ROOT, program)).mode & 0o100 ? undefined : `${program} is not an executable file`;
	}
	return EXTERNAL.has(program) ? undefined : `"${program}" is neither a repository command nor one of EXTERNAL`;
}

describe('commands in README.md and docs/', () => {
	const commands = markdownFiles().flatMap(commandsIn);

	it('finds the README set-up commands', () => {
		const readme = commands.filter((c) => c.file === 'README.md').map((c) => c.words.join(' '));
		expect(readme).toEqual(expect.arrayContaining(['npm install', 'npm start', 'npm test']));
	});

	it.each(commands.map((command) => [`${command.file}: ${command.words.join(' ')}`, command] as const))('%s', (_label, command) => {
		expect(problem(command)).toBeUndefined();
	});

	it('lists as not run by CI only scripts the docs show and CI does not run', () => {
		const shown = new Set(commands.filter((c) => c.words[0] === 'npm' && c.words[1] === 'run').map((c) => c.words[2]));
		for (const script of NOT_RUN_BY_CI) {
			expect({ script, shown: shown.has(script), runByCi: runByCi(script) }).toEqual({ script, shown: true, runByCi: false });
		}
	});

	it('catches a stale command', () => {
		expect(problem({ file: 'x', words: ['npm', 'run', 'no-such-script'] })).toMatch(/no npm script/);
		expect(problem({ file: 'x', words: ['npm', 'run', 'lint:fix'] })).toMatch(/not run by .ci.run/);
		expect(problem({ file: 'x', words: ['npm', 'start', '--', '--no-such-option'] })).toMatch(/declares no option --no-such-option/);
		expect(problem({ file: 'x', words: ['npx', 'tsx', 'test/no-such-file.ts'] })).toMatch(/no file/);
		expect(problem({ file: 'x', words: ['rm', '-rf', 'x'] })).toMatch(/neither a repository command/);
	});
});
