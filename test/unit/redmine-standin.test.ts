import { startRedmineStandin, type RedmineStandin } from '../../playground/standin/redmine';

describe('Redmine stand-in', () => {
	let redmine: RedmineStandin;
	const key = 'test-key-1';
	beforeAll(async () => {
		redmine = await startRedmineStandin({
			seed: {
				apiKeys: [key],
				projects: [{ id: 3, identifier: 'shop', name: 'Shop' }],
				issues: [
					{
						id: 40,
						project: { id: 3, name: 'Shop' },
						tracker: { id: 1, name: 'Bug' },
						status: { id: 1, name: 'New' },
						priority: { id: 2, name: 'Normal' },
						author: { id: 9, name: 'Pat' },
						subject: 'Cart empties itself',
						description: '',
						done_ratio: 0,
						created_on: '2026-01-01T00:00:00Z',
						updated_on: '2026-01-01T00:00:00Z',
					},
				],
			},
		});
	});
	afterAll(async () => await redmine.stop());
	beforeEach(() => redmine.reset());

	it('shows an issue to a valid key (header, query or Basic) and refuses others with 401', async () => {
		const ok = await fetch(`${redmine.url}/issues/40.json`, { headers: { 'X-Redmine-API-Key': key } });
		expect(ok.status).toBe(200);
		expect(((await ok.json()) as { issue: { subject: string } }).issue.subject).toBe('Cart empties itself');
		expect((await fetch(`${redmine.url}/issues/40.json?key=${key}`)).status).toBe(200);
		const basic = Buffer.from(`${key}:x`).toString('base64');
		expect((await fetch(`${redmine.url}/issues/40.json`, { headers: { Authorization: `Basic ${basic}` } })).status).toBe(200);
		expect((await fetch(`${redmine.url}/issues/40.json`, { headers: { 'X-Redmine-API-Key': 'wrong' } })).status).toBe(401);
		expect((await fetch(`${redmine.url}/issues/99.json`, { headers: { 'X-Redmine-API-Key': key } })).status).toBe(404);
	});

	it('creates issues with the next id, validates project and subject, and redacts the key in its record', async () => {
		const create = (issue: object) =>
			fetch(`${redmine.url}/issues.json`, {
				method: 'POST',
				headers: { 'X-Redmine-API-Key': key, 'content-type': 'application/json' },
				body: JSON.stringify({ issue }),
			});
		const created = await create({ project_id: 'shop', subject: 'Login broken' });
		expect(created.status).toBe(201);
		const body = (await created.json()) as { issue: { id: number; status: { name: string }; project: { name: string } } };
		expect(body.issue).toMatchObject({ id: 41, status: { name: 'New' }, project: { name: 'Shop' } });
		const invalid = await create({ project_id: 'nope', subject: ' ' });
		expect(invalid.status).toBe(422);
		expect(await invalid.json()).toEqual({ errors: ['Project cannot be blank', 'Subject cannot be blank'] });
		expect(redmine.requests.map((r) => r.headers['x-redmine-api-key'])).toEqual(['[redacted]', '[redacted]']);
		expect(JSON.stringify(redmine.requests)).not.toContain(key);
	});

	it('serves its record and issues over the control API, and reset() forgets created issues', async () => {
		await fetch(`${redmine.url}/issues.json`, {
			method: 'POST',
			headers: { 'X-Redmine-API-Key': key, 'content-type': 'application/json' },
			body: JSON.stringify({ issue: { project_id: 3, subject: 'Another' } }),
		});
		const issues = (await (await fetch(`${redmine.url}/__standin/issues`)).json()) as unknown[];
		expect(issues).toHaveLength(2);
		const requests = (await (await fetch(`${redmine.url}/__standin/requests`)).json()) as unknown[];
		expect(requests).toHaveLength(1);
		await fetch(`${redmine.url}/__standin/reset`, { method: 'POST' });
		expect(redmine.issues()).toHaveLength(1);
		expect(redmine.requests).toHaveLength(0);
	});
});
