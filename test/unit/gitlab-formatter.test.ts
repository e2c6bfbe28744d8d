import {
	DEFAULT_RULES,
	LANGUAGES,
	PLACEHOLDERS,
	TemplateError,
	formatGitLabEvent,
	DELIVERY_STATE,
} from '../../nodes/core/gitlab';
import { fixture, format, notified, skippedOf, who } from './gitlab-helpers';

describe('kinds the formatter does not handle', () => {
	it('unknown kinds are Skipped with the kind named', async () => {
		expect((await format('unknown_kind')).skip).toBe('unsupported kind: vulnerability');
		expect((await formatGitLabEvent({ event_name: 'user_add_to_group', user_id: 3 })).skip).toBe('unsupported kind: user_add_to_group');
		expect((await formatGitLabEvent({ headers: { 'x-gitlab-event': 'Member Hook' }, body: { group_id: 3 }, query: {} })).skip).toBe(
			'unsupported kind: Member Hook',
		);
		expect((await formatGitLabEvent({ object_kind: 'constructor', project: { id: 1 } })).skip).toBe('unsupported kind: constructor');
	});
});

describe('actor, bots and filters', () => {
	it('the actor is never a recipient; an event only the actor would hear about is Skipped "own action"', async () => {
		const payload = fixture('merge_request_close');
		payload.user = { id: 301, username: 'mira.okafor', name: 'Mira Okafor' };
		expect(who((await formatGitLabEvent(payload)))).toEqual(['jonas.vermeer:assignee']);
		payload.assignees = [];
		expect((await formatGitLabEvent(payload)).skip).toBe('own action');
		expect(who((await formatGitLabEvent(payload, { rules: { skipOwnActions: false } })))).toEqual([]);
		expect(who((await formatGitLabEvent(payload, { rules: { excludeActor: false } })))).toEqual(['#301:author']);
	});

	it('a mention of oneself is no notification', async () => {
		const payload = fixture('note_issue');
		payload.object_attributes.note = 'note to self @seo-yeon.park';
		expect(who((await formatGitLabEvent(payload)))).toEqual(['#302:author', '#304:assignee']);
	});

	it('GitLab bot users are left out unless asked', async () => {
		expect(who((await format('merge_request_bot_reviewer')))).not.toContain('project_4821_bot_5f2a:reviewer');
		expect(who((await format('merge_request_bot_reviewer', { rules: { excludeBots: false } })))).toContain('project_4821_bot_5f2a:reviewer');
		const ghost = fixture('note_issue');
		ghost.object_attributes.note = 'ping @ghost and @group_12_bot';
		expect(who((await formatGitLabEvent(ghost)))).toEqual(['#302:author', '#304:assignee']);
	});

	it('mentions can be switched off', async () => {
		expect(who((await format('note_merge_request', { rules: { notifyMentions: false } })))).toEqual(['#301:author', '#302:assignee', '#304:reviewer']);
	});

	it('kinds and kind:action pairs can be filtered, and the reason names them', async () => {
		expect((await format('push', { rules: { kinds: ['merge_request'] } })).skip).toBe('filtered: kind push');
		expect((await format('merge_request_approval', { rules: { skipActions: ['merge_request:approval'] } })).skip).toBe('filtered: merge_request approval');
		expect((await format('note_issue', { rules: { skipActions: ['note:*'] } })).skip).toBe('filtered: note create');
	});

	it('rules default as issue 3 says', () => {
		expect(DEFAULT_RULES).toMatchObject({
			excludeActor: true,
			excludeBots: true,
			notifyMentions: true,
			silentDrafts: true,
			commentsOnDrafts: true,
			notifyOnMergeRequestPush: false,
			pipelineStatuses: ['failed'],
			pipelineFixed: false,
			jobStatuses: ['failed'],
			deploymentStatuses: ['failed', 'success'],
			emojiRevoke: false,
		});
	});
});

describe('duplicates and input shapes', () => {
	const webhook = (body: unknown, headers: Record<string, string> = {}) => ({
		headers: { 'content-type': 'application/json', 'x-gitlab-event': 'Merge Request Hook', ...headers },
		params: {},
		query: {},
		body,
	});

	it('reads Webhook/GitLab Trigger items and raw payloads alike', async () => {
		const raw = notified((await format('merge_request_open')));
		const wrapped = notified((await formatGitLabEvent(webhook(fixture('merge_request_open')))));
		expect(wrapped).toEqual(raw);
		const text = notified((await formatGitLabEvent(webhook(JSON.stringify(fixture('merge_request_open'))))));
		expect(text.event).toEqual(raw.event);
	});

	it('the same Idempotency-Key (any header case) is a duplicate, even if the body differs', async () => {
		const state = {};
		expect(notified((await formatGitLabEvent(webhook(fixture('merge_request_open'), { 'Idempotency-Key': 'a1b2' }), { state }))));
		const second = (await formatGitLabEvent(webhook(fixture('merge_request_close'), { 'IDEMPOTENCY-KEY': 'a1b2' }), { state }));
		expect(skippedOf(second).skip).toBe('duplicate');
		expect(second.event?.action).toBe('close');
		expect(notified((await formatGitLabEvent(webhook(fixture('merge_request_close'), { 'idempotency-key': 'c3d4' }), { state }))));
	});

	it('without the header: same kind, action, object and updated_at is a duplicate; a new updated_at is not', async () => {
		const state = {};
		expect(notified((await format('note_issue', { state }))));
		expect((await format('note_issue', { state })).skip).toBe('duplicate');
		const edited = fixture('note_issue');
		edited.object_attributes.updated_at = '2026-03-07 10:05:00 UTC';
		expect(notified((await formatGitLabEvent(edited, { state }))));
	});

	it('forgets deliveries after their time-to-live, and keeps a bounded number', async () => {
		let t = Date.UTC(2026, 2, 1);
		const state: Record<string, any> = {};
		const now = () => t;
		expect(notified((await format('note_issue', { state, now }))));
		t += 4 * 24 * 3600_000;
		expect(notified((await format('note_issue', { state, now }))));
		const payload = fixture('note_issue');
		for (let i = 0; i < 5100; i++) {
			payload.object_attributes.id = 100000 + i;
			(await formatGitLabEvent(payload, { state, now }));
		}
		// Deliveries are an in-flight window: none of them goes to static data.
		expect(DELIVERY_STATE.persist).toBe(0);
		expect(state.state?.gitlabDeliveries).toBeUndefined();
	});

	it('the X-Gitlab-Instance header gives user links and separates instances', async () => {
		const state = {};
		const a = notified((await formatGitLabEvent(webhook(fixture('issue_open'), { 'X-Gitlab-Instance': 'https://code.harbor.test' }), { state })));
		expect(a.message.text).toContain('[Jonas Vermeer](https://code.harbor.test/jonas.vermeer)');
		expect(notified((await formatGitLabEvent(webhook(fixture('issue_open'), { 'X-Gitlab-Instance': 'https://other.harbor.test' }), { state }))));
	});
});

describe('templates, languages and layout', () => {
	it('a template per kind and action, or for every action with *', async () => {
		const templates = [
			{ kind: 'merge_request', action: 'open', template: 'Review please: {target} by {actor} ({labels})' },
			{ kind: 'merge_request', action: '*', template: '{kind}/{action} on {reference}' },
		];
		expect(notified((await format('merge_request_open', { templates }))).message.text).toBe(
			'Review please: [\\!57 Smooth tide gauge spikes before storage](https://gitlab.harbor.test/harbor/tidewatch/-/merge_requests/57) by [Mira Okafor](https://gitlab.harbor.test/mira.okafor) (backend, needs-review)',
		);
		expect(notified((await format('merge_request_merge', { templates }))).message.text).toBe('merge\\_request/merge on \\!57');
	});

	it('drops lines whose placeholders are all empty; {{ and }} are literal braces', async () => {
		const templates = [{ kind: 'issue', action: 'close', template: '{{{title}}}\nLabels: {labels}\nNote: {note}\nBy {actor}' }];
		const payload = fixture('issue_close');
		payload.labels = [];
		payload.object_attributes.labels = [];
		expect(notified((await formatGitLabEvent(payload, { templates }))).message.text).toBe(
			'{Gauge 7 reports negative depth}\nBy [Mira Okafor](https://gitlab.harbor.test/mira.okafor)',
		);
	});

	it('an unknown placeholder is an error naming it, before any payload is read', async () => {
		const templates = [{ kind: 'merge_request', action: 'open', template: 'Hi {assignee}, see {target}' }];
		await expect(formatGitLabEvent(null, { templates })).rejects.toThrow(TemplateError);
		await expect(formatGitLabEvent(null, { templates })).rejects.toThrow('Unknown placeholder {assignee} in the template for merge_request/open');
	});

	it.each([
		['en', 'opened merge request', 'Labels: backend'],
		['ko', '님이 [harbor/tidewatch](https://gitlab.harbor.test/harbor/tidewatch)에서 머지 리퀘스트', '라벨: backend'],
		['ja', 'さんが [harbor/tidewatch](https://gitlab.harbor.test/harbor/tidewatch) でマージリクエスト', 'ラベル: backend'],
		['nl', 'heeft merge request', 'Labels: backend'],
	] as const)('default templates in %s', async (language, phrase, labels) => {
		const text = notified((await format('merge_request_open', { language }))).message.text;
		expect(text).toContain(phrase);
		expect(text).toContain(labels);
	});

	it('every language has every template and word English has, with known placeholders only', () => {
		const known = new Set<string>(PLACEHOLDERS);
		for (const pack of Object.values(LANGUAGES)) {
			expect(Object.keys(pack.templates).sort()).toEqual(Object.keys(LANGUAGES.en.templates).sort());
			expect(Object.keys(pack.words).sort()).toEqual(Object.keys(LANGUAGES.en.words).sort());
			for (const template of Object.values(pack.templates)) {
				for (const [, name] of template.matchAll(/\{(\w+)\}/g)) expect(known.has(name)).toBe(true);
			}
		}
	});

	it('attachment layout: headline as text, a colored card with fields', async () => {
		const result = notified((await format('pipeline_failed', { layout: 'attachment' })));
		expect(result.message.text).toBe(
			'Pipeline [\\#66120](https://gitlab.harbor.test/harbor/tidewatch/-/pipelines/66120) on main in [harbor/tidewatch](https://gitlab.harbor.test/harbor/tidewatch) failed',
		);
		const [card] = result.message.attachments ?? [];
		expect(card.color).toBe('#db3b21');
		expect(card.title_link).toBe('https://gitlab.harbor.test/harbor/tidewatch/-/pipelines/66120');
		expect(card.fields).toEqual([
			{ title: 'Project', value: '[harbor/tidewatch](https://gitlab.harbor.test/harbor/tidewatch)', short: true },
			{ title: 'Branch', value: 'main', short: true },
			{ title: 'Status', value: 'failed', short: true },
			{ title: 'Duration', value: '7m 41s', short: true },
			{ title: 'Failed jobs', value: 'unit-tests, integration', short: false },
		]);
		expect(card.text).toBe('Failed jobs: unit-tests, integration\nDuration: 7m 41s');
		const merged = notified((await format('merge_request_merge', { layout: 'attachment', language: 'ja' }))).message.attachments?.[0];
		expect(merged).toMatchObject({ color: '#6b4fbb', author_name: 'Seo-yeon Park', footer: 'harbor/tidewatch' });
		expect(merged?.fields?.map((f) => f.title)).toEqual(['プロジェクト', 'ラベル']);
	});
});

describe('untrusted payload text', () => {
	it('neutralises channel-wide mentions, escapes layout Markdown, keeps only http(s) links', async () => {
		const payload = fixture('merge_request_open');
		payload.object_attributes.title = '# @all see **this** [x](javascript:alert(1)) <!channel>\nsecond line';
		payload.object_attributes.url = 'javascript:alert(1)';
		payload.project.web_url = 'data:text/html,hi';
		payload.project.homepage = 'ftp://example.test';
		payload.user.name = '@here | table';
		const result = notified((await formatGitLabEvent(payload)));
		const text = result.message.text;
		expect(text).not.toMatch(/(^|[^\u200b])@(all|here|channel)\b/);
		// Payload text shows literally: no heading, emphasis, link or table of its own.
		expect(text).toContain('\\# @\u200ball see \\*\\*this\\*\\* \\[x\\]\\(javascript:alert\\(1\\)\\) \\<\\!channel\\>');
		expect(text).toContain('@\u200bhere \\| table');
		expect(text).not.toMatch(/\]\((?!https?:)/);
		expect(text).not.toContain('data:');
		expect(result.event.target.url).toBeNull();
		expect(result.event.project.url).toBeNull();
		expect(text.split('\n')[0]).toContain('second line');
	});

	it('drops non-http links inside quoted comments and closes a code fence cut by the excerpt', async () => {
		const payload = fixture('note_issue');
		payload.object_attributes.note = `[click](javascript:alert(1)) and [ok](https://harbor.test/a)\n\`\`\`\n${'code '.repeat(100)}`;
		const text = notified((await formatGitLabEvent(payload))).message.text;
		expect(text).not.toContain('javascript:');
		expect(text).toContain('[ok](https://harbor.test/a)');
		expect((text.match(/```/g) ?? []).length % 2).toBe(0);
	});
});
