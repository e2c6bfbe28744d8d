/**
 * `npm start`: builds this package, installs it into ./.n8n-local (an n8n user folder with SQLite, kept between runs),
 * imports the bundled workflows once, and runs n8n 2.40.7 on http://localhost:5678 until Ctrl+C.
 *
 * `npm run demo` (`--demo`): the same with a fresh ./.n8n-local/demo folder, plus stand-ins for Mattermost (with a
 * page listing what it received), GitLab and Redmine, credentials created against them and every workflow published.
 * `npm run demo:events` then fires sample events at it.
 *
 * `npm start -- --check`: starts as `npm start` does, then, as a user would, logs in as the printed owner through n8n's
 * REST API, confirms the bundled workflows are imported and n8n knows every node and credential of this package, and
 * stops n8n (exit code 1 when something is missing). CI runs it.
 *
 * `npm run demo -- --check`: starts the demo, runs `npm run demo:events` against it as a user would in a second
 * terminal, checks that every sample event was accepted and that the Mattermost stand-in received the posts the
 * bundled workflows make of them (DMs, #tickets, #alerts), and stops everything. CI runs it.
 *
 * Options: --port <n> (default 5678), --demo, --check, --reimport (import the bundled workflows again, replacing the
 * copies in .n8n-local), --demo-page-port <n> (default 8065).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { generatePassword, startHarness, waitFor, writeJson, type Harness, type Owner } from './harness';
import { N8nInstance } from './harness/n8n-process';
import { buildPackage, installTarball, packPackage, unknownTypes } from './harness/package';
import { DEMO_DIR, DEMO_INFO, LOCAL_DIR } from './harness/paths';
import { isPortFree } from './harness/ports';
import { runCommand } from './harness/processes';
import { ensureToolchain, pathWithNode, REPO_ROOT } from './harness/toolchain';
import { loadWorkflows } from './harness/workflows';


const say = (line = '') => process.stdout.write(`${line}\n`);

/** The owner login of the local instance: generated on first use, kept in .n8n-local/owner.json (git-ignored). */
function localOwner(): Owner {
	const file = join(LOCAL_DIR, 'owner.json');
	if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Owner;
	const owner: Owner = { email: 'admin@localhost.test', password: generatePassword(), firstName: 'Local', lastName: 'Admin' };
	mkdirSync(LOCAL_DIR, { recursive: true });
	writeJson(file, owner);
	return owner;
}

/** n8n encrypts credentials with this key; it must stay the same for the life of .n8n-local. */
function localEncryptionKey(): string {
	const file = join(LOCAL_DIR, 'encryption-key.json');
	if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { key: string }).key;
	const key = randomBytes(24).toString('hex');
	writeJson(file, { key });
	return key;
}

async function requirePort(port: number, flag: string): Promise<void> {
	if (!(await isPortFree(port))) {
		throw new Error(`port ${port} is already in use (another n8n or demo?). Stop it, or pass ${flag} <another port>.`);
	}
}

function printLogin(url: string, owner: Owner): void {
	say(`  n8n:       ${url}`);
	say(`  log in as: ${owner.email}`);
	say(`  password:  ${owner.password}   (kept in .n8n-local/owner.json)`);
}

async function startLocal(port: number, reimport: boolean): Promise<{ n8n: N8nInstance; owner: Owner }> {
	await requirePort(port, '--port');
	const toolchain = await ensureToolchain();
	say('Building and packing n8n-nodes-mattermost-devops ...');
	await buildPackage(toolchain);
	const tarball = await packPackage(toolchain);
	const install = await installTarball(toolchain, tarball, LOCAL_DIR);
	rmSync(join(tarball, '..'), { recursive: true, force: true });
	if (install.missing.length) throw new Error(`package.json lists files the build did not produce: ${install.missing.join(', ')}`);
	const owner = localOwner();
	const n8n = new N8nInstance({
		toolchain,
		userFolder: LOCAL_DIR,
		port,
		owner,
		encryptionKey: localEncryptionKey(),
		logFile: join(LOCAL_DIR, 'n8n.log'),
		publicHost: 'localhost',
	});
	const markerFile = join(LOCAL_DIR, 'imported-workflows.json');
	const imported = new Set<string>(existsSync(markerFile) ? (JSON.parse(readFileSync(markerFile, 'utf8')) as string[]) : []);
	const workflows = loadWorkflows().filter((w) => reimport || !imported.has(w.workflow.id));
	if (workflows.length) {
		say(`Importing ${workflows.length} bundled workflow(s) from workflows/ ...`);
		await n8n.importWorkflows(workflows.map((w) => w.workflow));
		for (const w of workflows) imported.add(w.workflow.id);
		writeJson(markerFile, [...imported]);
	}
	say('Starting n8n (log: .n8n-local/n8n.log) ...');
	await n8n.start();
	say('');
	say('n8n is running with n8n-nodes-mattermost-devops installed.');
	printLogin(`http://localhost:${port}`, owner);
	return { n8n, owner };
}

function printNextSteps(): void {
	say('  The bundled workflows are imported but not published: create the credentials each one names (its sticky');
	say('  note says which), then publish it. `npm run demo` shows everything working against stand-ins.');
	say('  Ctrl+C stops n8n; your workflows and credentials stay in .n8n-local/.');
}

/** What a user checks first, through n8n's own REST API: the login works, the workflows and the nodes are there. */
async function checkLocal(n8n: N8nInstance, owner: Owner): Promise<boolean> {
	say('');
	await n8n.login();
	say(`Check: logged in as ${owner.email} through n8n's REST API.`);
	const inN8n = await n8n.workflows();
	const bundled = loadWorkflows();
	const absent = bundled.filter((w) => !inN8n.some((found) => found.id === w.workflow.id)).map((w) => w.workflow.name);
	say(
		absent.length
			? `Check FAILED: bundled workflow(s) not in n8n: ${absent.join(', ')} (npm start -- --reimport imports them again).`
			: `Check: the ${bundled.length} bundled workflows are imported: ${bundled.map((w) => w.workflow.name).join(', ')}.`,
	);
	const unknown = unknownTypes({ nodes: await n8n.nodeTypes(), credentials: await n8n.credentialTypes() });
	say(
		unknown.length
			? `Check FAILED: n8n does not know ${unknown.join(', ')} (see .n8n-local/n8n.log).`
			: 'Check: n8n knows every node and credential of n8n-nodes-mattermost-devops.',
	);
	return absent.length === 0 && unknown.length === 0 && bundled.length > 0;
}

/** `npm run demo:events` against the running demo, then what a user looks for on the demo page. */
async function checkDemo(harness: Harness): Promise<boolean> {
	say('');
	say('Check: running `npm run demo:events` against the demo ...');
	const events = await runCommand('npm', ['run', 'demo:events'], {
		cwd: REPO_ROOT,
		env: { ...process.env, PATH: pathWithNode(harness.toolchain) },
		timeoutMs: 5 * 60_000,
		allowFailure: true,
	});
	const lines = events.stdout.split('\n').filter((line) => /^(sent|HTTP \d+) /.test(line));
	const refused = lines.filter((line) => !line.startsWith('sent'));
	say(`Check: ${lines.length - refused.length} of ${lines.length} sample events accepted${refused.length ? `; refused: ${refused.join('; ')}` : ''}.`);
	const channels = harness.world.channels;
	const where = async () => {
		const posts = await harness.mattermost.posts();
		const inChannel = (name: string) => posts.filter((post) => post.channel_id === channels[name]).length;
		const dms = posts.filter((post) => !Object.values(channels).includes(post.channel_id)).length;
		const counts = { dms, tickets: inChannel('tickets'), alerts: inChannel('alerts'), fallback: inChannel('gitlab-notifications') };
		return Object.values(counts).every((n) => n > 0) ? counts : undefined;
	};
	const counts = await waitFor('posts in DMs, #tickets, #alerts and the fallback channel', where, 60_000).catch(() => undefined);
	say(
		counts
			? `Check: the Mattermost stand-in shows ${counts.dms} DM posts, ${counts.tickets} in #tickets, ${counts.alerts} in #alerts, ${counts.fallback} in #gitlab-notifications.`
			: 'Check FAILED: the Mattermost stand-in is missing posts in DMs, #tickets, #alerts or #gitlab-notifications.',
	);
	return events.code === 0 && lines.length > 0 && refused.length === 0 && counts !== undefined;
}

async function startDemo(port: number, pagePort: number): Promise<Harness> {
	await requirePort(port, '--port');
	await requirePort(pagePort, '--demo-page-port');
	const owner = localOwner();
	rmSync(DEMO_DIR, { recursive: true, force: true });
	mkdirSync(DEMO_DIR, { recursive: true });
	say('Building the package and starting n8n with stand-ins for Mattermost, GitLab and Redmine ...');
	const harness = await startHarness({
		outputDir: join(DEMO_DIR, 'logs'),
		userFolder: join(DEMO_DIR, 'n8n'),
		keepUserFolder: true,
		port,
		publicHost: 'localhost',
		owner,
		mattermostArgs: ['--demo-port', String(pagePort)],
	});
	const demoUrl = String(harness.mattermost.info.demoUrl ?? '');
	writeJson(DEMO_INFO, {
		n8nUrl: harness.n8n.baseUrl,
		mattermostUrl: harness.mattermost.url,
		demoUrl,
		world: { team: harness.world.team, bot: harness.world.bot, people: harness.world.people, channels: harness.world.channels, secrets: harness.world.secrets },
		webhooks: harness.webhooks,
	});
	say('');
	say('Demo running. The Mattermost here is a STAND-IN (a small fake of its API), not a real Mattermost server.');
	printLogin(`http://localhost:${port}`, owner);
	say(`  messages the Mattermost stand-in received: ${demoUrl}`);
	say(`  published workflows: ${harness.workflows.map((w) => w.workflow.name).join(', ') || '(none in workflows/)'}`);
	say('  Now run `npm run demo:events` in another terminal and watch the page. Ctrl+C stops everything.');
	return harness;
}

async function main(): Promise<void> {
	const { values } = parseArgs({
		options: {
			demo: { type: 'boolean', default: false },
			port: { type: 'string', default: '5678' },
			'demo-page-port': { type: 'string', default: '8065' },
			reimport: { type: 'boolean', default: false },
			check: { type: 'boolean', default: false },
		},
	});
	const port = Number(values.port);
	if (values.demo) {
		const harness = await startDemo(port, Number(values['demo-page-port']));
		if (values.check) {
			const passed = await checkDemo(harness);
			await harness.stop();
			say(passed ? 'Check passed; the demo stopped.' : 'Check failed; the demo stopped.');
			process.exit(passed ? 0 : 1);
		}
	} else {
		const { n8n, owner } = await startLocal(port, values.reimport ?? false);
		if (values.check) {
			const passed = await checkLocal(n8n, owner);
			await n8n.close();
			say(passed ? 'Check passed; n8n stopped.' : 'Check failed; n8n stopped.');
			process.exit(passed ? 0 : 1);
		}
		printNextSteps();
	}
	// Child processes keep running; SIGINT/SIGTERM stop them (processes.ts).
	await new Promise(() => undefined);
}

main().catch((error: unknown) => {
	process.stderr.write(`\n${(error as Error).message}\n`);
	process.exit(1);
});
