import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { sample, sampleSeed } from '../../playground/standin/mattermost';

const root = resolve(__dirname, '../..');
let child: ChildProcessWithoutNullStreams;
let url: string;
let dir: string;

beforeAll(async () => {
	dir = mkdtempSync(join(tmpdir(), 'standin-cli-'));
	const seedFile = join(dir, 'seed.json');
	writeFileSync(seedFile, JSON.stringify(sampleSeed()));
	child = spawn(process.execPath, [require.resolve('tsx/cli'), 'playground/standin/main.ts', '--port', '0', '--seed', seedFile], { cwd: root });
	const firstLine = await new Promise<string>((done, fail) => {
		createInterface({ input: child.stdout }).once('line', done);
		child.once('exit', (code) => fail(new Error(`stand-in exited with ${code}`)));
	});
	url = (JSON.parse(firstLine) as { url: string }).url;
}, 60_000);

afterAll(() => {
	rmSync(dir, { recursive: true, force: true });
});

const control = async (method: string, path: string, body?: unknown) => {
	const res = await fetch(url + path, { method, body: body === undefined ? undefined : JSON.stringify(body) });
	return res.json() as Promise<any>;
};
const createPost = (message: string) =>
	fetch(`${url}/api/v4/posts`, {
		method: 'POST',
		headers: { Authorization: `Bearer ${sample.tokens.notifier}`, 'Content-Type': 'application/json' },
		body: JSON.stringify({ channel_id: sample.townSquareId, message }),
	});

it('prints its URL first and serves the seeded API', async () => {
	expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
	expect((await createPost('hello')).status).toBe(201);
	expect((await control('GET', '/__standin/posts')).map((p: { message: string }) => p.message)).toEqual(['hello']);
	expect(await control('GET', `/__standin/posts?channel_id=${sample.releasesId}`)).toEqual([]);
});

it('switches faults on for path prefixes, counts them, and never faults or records control routes', async () => {
	await control('POST', '/__standin/faults', { sequence: ['500', '429'], paths: ['/api/v4/posts'] });
	expect((await createPost('a')).status).toBe(500);
	expect((await fetch(`${url}/api/v4/users/me`, { headers: { Authorization: `Bearer ${sample.tokens.alice}` } })).status).toBe(200);
	expect((await createPost('b')).status).toBe(429);
	const state = await control('GET', '/__standin/faults');
	expect(state.faultsInjected).toEqual({ 429: 1, 500: 1, slow: 0, drop: 0, hang: 0 });
	const recorded = await control('GET', '/__standin/requests');
	expect(recorded.every((r: { path: string }) => !r.path.startsWith('/__standin'))).toBe(true);
	await control('POST', '/__standin/faults', {});
	expect((await control('GET', '/__standin/faults')).active).toBeNull();
});

it('seeds and resets through the control API', async () => {
	const id = 'g'.repeat(26);
	await control('POST', '/__standin/seed', { users: [{ id, username: 'gina', email: 'gina@example.test' }] });
	await control('POST', '/__standin/reset');
	expect(await control('GET', '/__standin/posts')).toEqual([]);
	const res = await fetch(`${url}/api/v4/users/username/gina`, { headers: { Authorization: `Bearer ${sample.tokens.alice}` } });
	expect(((await res.json()) as { id: string }).id).toBe(id);
});

it('stops on SIGTERM', async () => {
	const exited = new Promise<number | null>((done) => child.once('exit', done));
	child.kill('SIGTERM');
	expect(await exited).toBe(0);
});
