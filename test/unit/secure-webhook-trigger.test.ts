import { NodeConnectionTypes, resolveWebhookDescriptionField, type INodeParameters } from 'n8n-workflow';

import { WebhookSecretApi } from '../../credentials/WebhookSecretApi.credentials';
import { GitlabEventFormatter } from '../../nodes/GitlabEventFormatter/GitlabEventFormatter.node';
import { parseSecretList, presentedSecret, RecentSecrets, withoutSecretHeader } from '../../nodes/core/secrets';
import { SecureWebhookTrigger } from '../../nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';
import mergeRequestOpen from '../fixtures/gitlab/merge_request_open.json';
import { PACKAGE, runWebhook, type RunWebhookOptions, type WebhookRequest } from '../helpers/workflow-execute';

const SECRET = 'hook-secret-4f9c2a7e81d3b6';
const NEXT_SECRET = 'rotated-secret-0b5e8d17c4a9f2';
const trigger = new SecureWebhookTrigger();

function post(headers: Record<string, string>, body: unknown = mergeRequestOpen, query?: string): WebhookRequest {
	return {
		method: 'POST',
		query,
		headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Merge Request Hook', ...headers },
		body: JSON.stringify(body),
	};
}

function run(request: WebhookRequest, parameters: INodeParameters = {}, secret = SECRET, extra: Partial<RunWebhookOptions> = {}) {
	return runWebhook({
		nodeType: trigger,
		credentialTypes: [new WebhookSecretApi()],
		credentials: { webhookSecretApi: { secret } },
		parameters: { path: 'gitlab', ...parameters },
		request,
		...extra,
	});
}

function onlyItem(result: Awaited<ReturnType<typeof run>>) {
	const items = result.result.workflowData?.[0];
	expect(items).toHaveLength(1);
	return items![0].json as Record<string, any>;
}

/** Moves the clock past the time a secret read from the credential is reused, as if the tests were far apart. */
let clockOffset = 0;
const realNow = Date.now.bind(Date);
const later = (ms = 60_000) => {
	clockOffset += ms;
};

describe('Secure Webhook Trigger', () => {
	beforeEach(() => {
		later();
		jest.spyOn(Date, 'now').mockImplementation(() => realNow() + clockOffset);
	});
	afterEach(() => jest.restoreAllMocks());

	it('has n8n answer 200 {"ok": true} before the work and outputs the Webhook node\'s item without the X-Gitlab-Token header', async () => {
		const result = await run(post({ 'X-Gitlab-Token': SECRET, 'X-Gitlab-Event-UUID': 'evt-7781' }, mergeRequestOpen, 'source=ci'));
		expect(result.status).toBe(200);
		expect(JSON.parse(result.body)).toEqual({ ok: true });
		// n8n answers (after storing the execution), not the node.
		expect(result.respondedByNode).toBe(false);
		expect(result.result.webhookResponse).toEqual({ ok: true });
		const json = onlyItem(result);
		expect(Object.keys(json).sort()).toEqual(['body', 'executionMode', 'headers', 'params', 'query', 'webhookUrl']);
		expect(json.body).toEqual(mergeRequestOpen);
		expect(json.query).toEqual({ source: 'ci' });
		expect(json.params).toEqual({});
		expect(json.headers).toMatchObject({ 'x-gitlab-event': 'Merge Request Hook', 'x-gitlab-event-uuid': 'evt-7781' });
		expect(json.headers).not.toHaveProperty('x-gitlab-token');
		expect(json.webhookUrl).toBe('http://localhost:5678/webhook/gitlab');
		expect(json.executionMode).toBe('production');
		expect(JSON.stringify(result.result)).not.toContain(SECRET);
	});

	it('checks Authorization: Bearer in bearer mode and drops the Authorization header', async () => {
		const alert = { receiver: 'n8n', status: 'firing', alerts: [{ status: 'firing', fingerprint: 'a1b2' }] };
		const parameters = { path: 'alerts', tokenHeader: 'authorization-bearer' };
		const ok = await run(post({ Authorization: `Bearer ${SECRET}`, 'User-Agent': 'Grafana' }, alert), parameters);
		expect(ok.status).toBe(200);
		const json = onlyItem(ok);
		expect(json.body).toEqual(alert);
		expect(json.headers).not.toHaveProperty('authorization');
		expect(json.headers['user-agent']).toBe('Grafana');
		expect(JSON.stringify(ok.result)).not.toContain(SECRET);

		for (const authorization of [SECRET, `Basic ${SECRET}`, `Bearer ${SECRET}x`, 'Bearer ']) {
			const refused = await run(post({ Authorization: authorization }, alert), parameters);
			expect(refused.status).toBe(401);
			expect(refused.result.workflowData).toBeUndefined();
		}
		// In bearer mode the GitLab header is not where the secret is looked for.
		const wrongPlace = await run(post({ 'X-Gitlab-Token': SECRET }, alert), parameters);
		expect(wrongPlace.status).toBe(401);
	});

	it('checks a custom header, whatever its letter case', async () => {
		const parameters = { tokenHeader: 'custom', customHeader: 'X-Webhook-Secret' };
		const ok = await run(post({ 'x-webhook-secret': SECRET }), parameters);
		expect(ok.status).toBe(200);
		expect(onlyItem(ok).headers).not.toHaveProperty('x-webhook-secret');
		const refused = await run(post({ 'X-Gitlab-Token': SECRET }), parameters);
		expect(refused.status).toBe(401);
	});

	it('accepts each of several secrets (rotation) and only those', async () => {
		const secrets = `${SECRET},\n ${NEXT_SECRET}\n`;
		for (const secret of [SECRET, NEXT_SECRET]) {
			const result = await run(post({ 'X-Gitlab-Token': secret }), {}, secrets);
			expect(result.status).toBe(200);
			expect(JSON.stringify(result.result)).not.toContain(secret);
		}
		const refused = await run(post({ 'X-Gitlab-Token': `${SECRET},${NEXT_SECRET}` }), {}, secrets);
		expect(refused.status).toBe(401);
	});

	it.each([
		['no header', {}],
		['an empty header', { 'X-Gitlab-Token': '' }],
		['a wrong secret', { 'X-Gitlab-Token': 'not-the-secret' }],
		['a prefix of the secret', { 'X-Gitlab-Token': SECRET.slice(0, -1) }],
		['the secret plus a character', { 'X-Gitlab-Token': `${SECRET}0` }],
	])('answers 401 and starts nothing for %s', async (_name, headers) => {
		const result = await run(post(headers));
		expect(result.status).toBe(401);
		expect(result.result).toEqual({ noWebhookResponse: true });
		expect(result.body).not.toContain(SECRET);
	});

	it('refuses with a clear error, naming no secret, when the credential or header name is unusable', async () => {
		await expect(run(post({ 'X-Gitlab-Token': SECRET }), {}, ' ,\n')).rejects.toThrow(
			'The Webhook Secret credential cannot protect this webhook: it holds no secret',
		);
		await expect(run(post({ 'X-Gitlab-Token': SECRET }), { tokenHeader: 'custom', customHeader: 'X Secret' })).rejects.toThrow(
			'Header Name "X Secret" is not a valid HTTP header name',
		);
	});

	it('refuses to run with a weak secret, even when the sender presents exactly that secret', async () => {
		await expect(run(post({ 'X-Gitlab-Token': 'x' }), {}, 'x')).rejects.toThrow(
			'The Webhook Secret credential cannot protect this webhook: secret 1 is shorter than 16 characters, so it can be guessed',
		);
		later();
		await expect(run(post({ 'X-Gitlab-Token': SECRET }), {}, `${SECRET}\nshort`)).rejects.toThrow('secret 2 is shorter than 16 characters');
	});

	it('declares its path so that n8n resolves it without the expression engine, from the same template as before', () => {
		const [description] = trigger.description.webhooks!;
		expect(description.path).toBe('={{$parameter["path"]}}');
		expect(resolveWebhookDescriptionField({ parameters: { path: 'gitlab' } }, description, 'path')).toEqual({ resolved: true, value: 'gitlab' });
	});

	it('reuses the secrets it read for 10 s: a secret added to the credential works at once, a removed one is refused 10 s later', async () => {
		expect((await run(post({ 'X-Gitlab-Token': SECRET }))).status).toBe(200);
		// Rotation: the credential now holds both; the new secret is not remembered yet, so the credential is read again.
		expect((await run(post({ 'X-Gitlab-Token': NEXT_SECRET }), {}, `${SECRET}\n${NEXT_SECRET}`)).status).toBe(200);
		// The old secret is removed from the credential: still taken from what was read within the last 10 s…
		later(9_000);
		expect((await run(post({ 'X-Gitlab-Token': SECRET }), {}, NEXT_SECRET)).status).toBe(200);
		// …and refused once that is older than 10 s.
		later(1_000);
		expect((await run(post({ 'X-Gitlab-Token': SECRET }), {}, NEXT_SECRET)).status).toBe(401);
		expect((await run(post({ 'X-Gitlab-Token': NEXT_SECRET }), {}, NEXT_SECRET)).status).toBe(200);
		// A wrong secret is never answered from memory: it is checked against the credential every time.
		expect((await run(post({ 'X-Gitlab-Token': 'wrong-secret-but-long-enough' }), {}, NEXT_SECRET)).status).toBe(401);
	});

	it('takes the secret from a query parameter (Redmine) and keeps it out of the output', async () => {
		const right = await run(post({}, { payload: { action: 'opened' } }, `token=${SECRET}&project=7`), { tokenHeader: 'query' });
		expect(right.status).toBe(200);
		const json = onlyItem(right);
		expect(json.query).toEqual({ project: '7' });
		expect(JSON.stringify(right.result)).not.toContain(SECRET);
		for (const query of [undefined, 'token=wrong-secret-but-long-enough', `Token=${SECRET}`]) {
			const wrong = await run(post({}, { payload: {} }, query), { tokenHeader: 'query' });
			expect(wrong.status).toBe(401);
			expect(wrong.result).toEqual({ noWebhookResponse: true });
		}
		const renamed = await run(post({}, { payload: {} }, `key=${SECRET}`), { tokenHeader: 'query', queryParameter: 'key' });
		expect(renamed.status).toBe(200);
	});

	it('feeds the GitLab Event Formatter exactly as n8n\'s Webhook node does', async () => {
		const result = await run(post({ 'X-Gitlab-Token': SECRET }), {}, SECRET, {
			downstream: {
				nodeTypes: [new GitlabEventFormatter()],
				nodes: [{ name: 'Format', type: `${PACKAGE}.gitlabEventFormatter`, parameters: {} }],
				connections: { Start: { main: [[{ node: 'Format', type: NodeConnectionTypes.Main, index: 0 }]] } },
			},
		});
		expect(result.run?.error).toBeUndefined();
		const [notify] = result.run!.output('Format', 0);
		expect(notify.json).toMatchObject({ event: { kind: 'merge_request', action: 'open' } });
		expect(JSON.stringify(result.run!.run)).not.toContain(SECRET);
	});

	it('credential test: at least one secret, each at least 16 characters', async () => {
		const test = trigger.methods.credentialTest.webhookSecretStrength;
		const check = (secret: string) => test.call({} as never, { id: '1', name: 'c', type: 'webhookSecretApi', data: { secret } });
		await expect(check('')).resolves.toMatchObject({ status: 'Error', message: 'Enter at least one secret' });
		await expect(check(`${SECRET}\nshort`)).resolves.toMatchObject({ status: 'Error', message: expect.stringContaining('Secret 2 is shorter than 16 characters') });
		await expect(check(`${SECRET}, ${NEXT_SECRET}`)).resolves.toMatchObject({ status: 'OK', message: expect.stringMatching(/^2 secret/) });
	});
});

describe('webhook secret helpers', () => {
	it('parseSecretList splits on commas and new lines and keeps inner spaces', () => {
		expect(parseSecretList(' a1 ,b2\r\nc3 d4\n\n')).toEqual(['a1', 'b2', 'c3 d4']);
		expect(parseSecretList(undefined)).toEqual([]);
	});

	it('presentedSecret reads only a single string header; bearer needs the scheme', () => {
		expect(presentedSecret({ 'x-gitlab-token': ' s1 ' }, { kind: 'header', header: 'X-Gitlab-Token' })).toBe('s1');
		expect(presentedSecret({ 'x-gitlab-token': ['s1', 's2'] }, { kind: 'header', header: 'x-gitlab-token' })).toBe('');
		expect(presentedSecret({ authorization: 'bearer s1' }, { kind: 'bearer' })).toBe('s1');
		expect(presentedSecret({ authorization: 'Token s1' }, { kind: 'bearer' })).toBe('');
		expect(withoutSecretHeader({ Authorization: 'x', accept: '*/*' }, { kind: 'bearer' })).toEqual({ accept: '*/*' });
	});

	it('RecentSecrets answers only matches, only for ttl, and forgets the oldest credential beyond its bound', () => {
		let now = 0;
		const recent = new RecentSecrets(10_000, 2, () => now);
		expect(recent.matches('c1', SECRET)).toBe(false);
		recent.remember('c1', [SECRET, NEXT_SECRET]);
		expect(recent.matches('c1', NEXT_SECRET)).toBe(true);
		expect(recent.matches('c1', 'wrong-secret-but-long-enough')).toBe(false);
		expect(recent.matches('c1', '')).toBe(false);
		expect(recent.matches('c2', SECRET)).toBe(false);
		now = 9_999;
		expect(recent.matches('c1', SECRET)).toBe(true);
		now = 10_000;
		expect(recent.matches('c1', SECRET)).toBe(false);
		recent.remember('c1', [SECRET]);
		recent.remember('c2', [SECRET]);
		recent.remember('c3', [SECRET]);
		expect([recent.matches('c1', SECRET), recent.matches('c2', SECRET), recent.matches('c3', SECRET)]).toEqual([false, true, true]);
	});
});
