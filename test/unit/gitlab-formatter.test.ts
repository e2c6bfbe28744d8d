import {
	DEFAULT_RULES,
	LANGUAGES,
	PLACEHOLDERS,
	TemplateError,
	formatGitLabEvent,
	DELIVERY_STATE,
	type FormatOptions,
} from '../../nodes/core/gitlab';
import { fixture, notified, skippedOf, who } from './gitlab-helpers';

const format = async (name: string, options?: FormatOptions) => (await formatGitLabEvent(fixture(name), options));

describe('merge request events', () => {
	it('open: reviewers, assignees and people mentioned in the description; not code spans or e-mail addresses', async () => {
		const result = notified((await format('merge_request_open')));
		expect(who(result)).toEqual(['seo-yeon.park:reviewer', 'jonas.vermeer:assignee', 'haruto.ito:mentioned']);
		expect(result.event).toEqual({
			kind: 'merge_request',
			action: 'open',
			project: { id: 4821, path: 'harbor/tidewatch', name: 'Tidewatch', url: 'https://gitlab.harbor.test/harbor/tidewatch' },
			actor: { id: 301, username: 'mira.okafor', name: 'Mira Okafor' },
			target: {
				type: 'merge_request',
				id: 9120,
				iid: 57,
				title: 'Smooth tide gauge spikes before storage',
				url: 'https://gitlab.harbor.test/harbor/tidewatch/-/merge_requests/57',
				state: 'opened',
				draft: false,
			},
			labels: ['backend', 'needs-review'],
		});
		expect(result.message.threadKey).toBe('gitlab/4821/merge_request/57');
		expect(result.message.text).toBe(
			'[Mira Okafor](https://gitlab.harbor.test/mira.okafor) opened merge request ' +
				'[\\!57 Smooth tide gauge spikes before storage](https://gitlab.harbor.test/harbor/tidewatch/-/merge_requests/57) ' +
				'in [harbor/tidewatch](https://gitlab.harbor.test/harbor/tidewatch)\nLabels: backend, needs-review',
		);
	});

	it('keeps real e-mails of recipients and never a redacted one', async () => {
		const payload = fixture('merge_request_open');
		payload.assignees = [{ id: 302, username: 'jonas.vermeer', email: 'jonas@harbor.test' }, { id: 303, username: 'seo-yeon.park', email: '[REDACTED]' }];
		payload.reviewers = [];
		const recipients = notified((await formatGitLabEvent(payload))).recipients;
		expect(recipients[0]).toEqual({ id: 302, username: 'jonas.vermeer', email: 'jonas@harbor.test', role: 'assignee', roles: ['assignee'] });
		expect(recipients[1]).not.toHaveProperty('email');
	});

	it('one entry per person, with every role they have', async () => {
		const payload = fixture('merge_request_open');
		payload.reviewers = payload.assignees;
		const result = notified((await formatGitLabEvent(payload)));
		expect(result.recipients[0]).toMatchObject({ username: 'jonas.vermeer', role: 'reviewer', roles: ['reviewer', 'assignee'] });
		expect(result.recipients).toHaveLength(2);
	});

	it('update: only newly added reviewers and assignees (GitLab repeats unchanged lists)', async () => {
		expect(who((await format('merge_request_update_reviewers')))).toEqual(['haruto.ito:reviewer']);
		expect(notified((await format('merge_request_update_reviewers'))).message.text).toContain(': asked Haruto Ito for a review');
		expect(who((await format('merge_request_update_assignees')))).toEqual(['seo-yeon.park:assignee']);
		expect(notified((await format('merge_request_update_assignees'))).message.text).toContain(': assigned Seo-yeon Park');
	});

	it('update with oldrev (a push): a message for the thread but no DMs, unless asked', async () => {
		const quiet = notified((await format('merge_request_update_push')));
		expect(quiet.event.action).toBe('push');
		expect(quiet.recipients).toEqual([]);
		expect(quiet.message.text).toContain('pushed new commits to merge request');
		expect(who((await format('merge_request_update_push', { rules: { notifyOnMergeRequestPush: true } })))).toEqual([
			'seo-yeon.park:reviewer',
			'jonas.vermeer:assignee',
		]);
	});

	it('update changing nothing anyone needs to hear about is filtered, named', async () => {
		expect((await format('merge_request_update_labels')).skip).toBe('filtered: merge_request update without new assignees, reviewers or commits');
	});

	it.each([
		['close', ['#301:author', 'jonas.vermeer:assignee'], 'closed merge request'],
		['reopen', ['#301:author', 'jonas.vermeer:assignee'], 'reopened merge request'],
		['merge', ['#301:author', 'jonas.vermeer:assignee'], 'merged merge request'],
		['approved', ['#301:author'], 'is approved (last approval by [Seo-yeon Park]'],
		['approval', ['#301:author'], 'approved merge request'],
		['unapproved', ['#301:author'], 'is no longer approved'],
		['unapproval', ['#301:author'], 'withdrew their approval'],
	])('%s tells %j', async (action, recipients, text) => {
		const result = notified((await format(`merge_request_${action}`)));
		expect(result.event.action).toBe(action);
		expect(who(result)).toEqual(recipients);
		expect(result.message.text).toContain(text);
		expect(result.message.threadKey).toBe('gitlab/4821/merge_request/57');
	});
});

describe('draft merge requests', () => {
	const sequence = async (names: string[]) => {
		const state = {};
		const results = [];
		for (const name of names) results.push(await format(name, { state }));
		return results;
	};

	it('opened as draft: silent; first ready: announced as if opened; later flips: silent', async () => {
		const [open, ready, draftAgain, readyAgain] = await sequence([
			'merge_request_open_draft',
			'merge_request_update_ready',
			'merge_request_update_draft_again',
			'merge_request_update_ready',
		]);
		expect(open.skip).toBe('draft');
		expect(notified(ready).event.action).toBe('ready');
		expect(who(ready)).toEqual(['seo-yeon.park:reviewer', 'jonas.vermeer:assignee', 'haruto.ito:mentioned']);
		expect(notified(ready).message.text).toContain('as ready for review');
		expect(draftAgain.skip).toBe('draft');
		// The same payload again is a duplicate; a real second "ready" has a new updated_at.
		expect(readyAgain.skip).toBe('duplicate');
	});

	it('a second real "ready" of the same MR is not announced again', async () => {
		const state = {};
		const ready = fixture('merge_request_update_ready');
		const later = fixture('merge_request_update_ready');
		later.object_attributes.updated_at = '2026-03-04 10:00:00 UTC';
		expect(notified((await formatGitLabEvent(ready, { state }))).event.action).toBe('ready');
		expect((await formatGitLabEvent(later, { state })).skip).toBe('draft: ready for review was already announced');
	});

	it('a retried execution that claimed "ready" before it failed still announces it; a retry of another delivery does not', async () => {
		const state = {};
		const ready = { headers: { 'x-gitlab-event': 'Merge Request Hook', 'idempotency-key': 'ready-1' }, body: fixture('merge_request_update_ready'), query: {} };
		expect(notified(await formatGitLabEvent(ready, { state })).event.action).toBe('ready');
		// The execution died after the claims; the operator's retry formats the same delivery again.
		expect(notified(await formatGitLabEvent(ready, { state, retry: true })).event.action).toBe('ready');
		expect((await formatGitLabEvent(ready, { state })).skip).toBe('duplicate');
		const other = { headers: { 'x-gitlab-event': 'Merge Request Hook', 'idempotency-key': 'ready-2' }, body: fixture('merge_request_update_ready'), query: {} };
		expect((await formatGitLabEvent(other, { state, retry: true })).skip).toBe('draft: ready for review was already announced');
	});

	it('an MR opened ready, later toggled to draft and back, is not announced twice', async () => {
		const state = {};
		expect(notified((await format('merge_request_open', { state }))).event.action).toBe('open');
		expect((await format('merge_request_update_draft_again', { state })).skip).toBe('draft');
		expect((await format('merge_request_update_ready', { state })).skip).toBe('draft: ready for review was already announced');
	});

	it('older GitLab with only work_in_progress: losing the WIP: prefix is "ready"', async () => {
		const result = notified((await format('merge_request_update_wip_legacy')));
		expect(result.event.action).toBe('ready');
		expect(result.event.target.draft).toBe(false);
	});

	it('other updates to a draft stay silent; with silent drafts off, drafts are announced like any MR', async () => {
		const payload = fixture('merge_request_update_reviewers');
		payload.object_attributes.draft = true;
		expect((await formatGitLabEvent(payload)).skip).toBe('draft');
		expect(notified((await format('merge_request_open_draft', { rules: { silentDrafts: false } }))).event.target.draft).toBe(true);
	});

	it('comments on drafts are delivered by default, skipped when switched off', async () => {
		expect(who((await format('note_merge_request_draft')))).toEqual(['#301:author', '#302:assignee', '#304:reviewer']);
		expect((await format('note_merge_request_draft', { rules: { commentsOnDrafts: false } })).skip).toBe('draft');
	});
});

describe('comments', () => {
	it('on a merge request: author, assignees, reviewers and @mentions, in the MR thread', async () => {
		const result = notified((await format('note_merge_request')));
		expect(who(result)).toEqual(['#301:author', '#302:assignee', '#304:reviewer', 'haruto.ito:mentioned']);
		expect(result.message.threadKey).toBe('gitlab/4821/merge_request/57');
		expect(result.event.kind).toBe('note');
		expect(result.event.target.type).toBe('merge_request');
	});

	it('neutralises @channel and <!here> from the comment, keeps code spans as they are', async () => {
		const text = notified((await format('note_merge_request'))).message.text;
		expect(text).toContain('@\u200bchannel');
		expect(text).toContain('<\u200b!here>');
		expect(text).toContain('`@codeuser`');
	});

	it('on an issue, a commit and a snippet', async () => {
		expect(who((await format('note_issue')))).toEqual(['#302:author', '#304:assignee', 'mira.okafor:mentioned']);
		expect(notified((await format('note_issue'))).message.threadKey).toBe('gitlab/4821/issue/214');
		const commit = notified((await format('note_commit')));
		expect(commit.recipients).toEqual([{ email: 'jonas@harbor.test', name: 'Jonas Vermeer', role: 'commit_author', roles: ['commit_author'] }]);
		expect(commit.message.threadKey).toBe('gitlab/4821/commit/9f8e7d6c5b4a39281706f5e4d3c2b1a098765432');
		expect(commit.message.text).toContain('[9f8e7d6c Tune smoothing window]');
		const snippet = notified((await format('note_snippet')));
		expect(who(snippet)).toEqual(['#302:author']);
		expect(snippet.message.text).toContain('commented on snippet [$88 Depth export query]');
	});

	it('a long comment: first 300 characters cut at a word, quoted, with a link to the full comment', async () => {
		const text = notified((await format('note_merge_request_long'))).message.text;
		const quoted = text.split('\n').filter((line) => line.startsWith('> ')).join('\n').slice(2);
		expect(quoted.length).toBeLessThanOrEqual(301);
		expect(quoted.endsWith('offsets…')).toBe(true);
		expect(text).toContain('[Read the full text](https://gitlab.harbor.test/harbor/tidewatch/-/merge_requests/57#note_70013)');
	});

	it('system notes are skipped by default', async () => {
		expect((await format('note_merge_request_system')).skip).toBe('filtered: note system');
		expect(notified((await format('note_merge_request_system', { rules: { skipSystemNotes: false } }))).recipients.length).toBeGreaterThan(0);
	});

	it('a comment on something the formatter does not know is Skipped, named', async () => {
		const payload = fixture('note_issue');
		payload.object_attributes.noteable_type = 'DesignManagement::Design';
		expect((await formatGitLabEvent(payload)).skip).toBe('unsupported kind: note on DesignManagement::Design');
	});
});

describe('emoji reactions', () => {
	it.each([
		['emoji_award_note', '#303:awardable_owner', 'reacted with :rocket: to a comment on merge request', 'gitlab/4821/merge_request/57'],
		['emoji_award_issue', '#302:awardable_owner', 'reacted with :thumbsup: to issue', 'gitlab/4821/issue/214'],
		['emoji_award_merge_request', '#301:awardable_owner', 'reacted with :tada: to merge request', 'gitlab/4821/merge_request/57'],
	])('%s tells the owner of the reacted-to object in its thread', async (name, recipient, text, thread) => {
		const result = notified((await format(name)));
		expect(who(result)).toEqual([recipient]);
		expect(result.message.text).toContain(text);
		expect(result.message.threadKey).toBe(thread);
	});

	it('revoke is skipped by default and reported when asked', async () => {
		expect((await format('emoji_revoke_note')).skip).toBe('filtered: emoji revoke');
		expect(notified((await format('emoji_revoke_note', { rules: { emojiRevoke: true } }))).message.text).toContain('removed their :rocket: reaction');
	});

	it('reacting to your own comment is your own action', async () => {
		const payload = fixture('emoji_award_note');
		payload.note.author_id = 304;
		expect((await formatGitLabEvent(payload)).skip).toBe('own action');
	});
});

describe('issues and work items', () => {
	it('open: assignees and description mentions', async () => {
		const result = notified((await format('issue_open')));
		expect(who(result)).toEqual(['haruto.ito:assignee', 'mira.okafor:mentioned']);
		expect(result.message.text).toContain('opened issue [\\#214 Gauge 7 reports negative depth]');
		expect(result.event.labels).toEqual(['backend']);
	});

	it('update: only newly added assignees; close and reopen: author and assignees', async () => {
		expect(who((await format('issue_update_assignees')))).toEqual(['seo-yeon.park:assignee']);
		expect(who((await format('issue_close')))).toEqual(['#302:author', 'haruto.ito:assignee']);
		expect(who((await format('issue_reopen')))).toEqual(['#302:author', 'haruto.ito:assignee']);
		const unchanged = fixture('issue_update_assignees');
		unchanged.changes = { title: { previous: 'a', current: 'b' } };
		expect((await formatGitLabEvent(unchanged)).skip).toBe('filtered: issue update without new assignees');
	});

	it('work items keep their kind and type and use the issue thread', async () => {
		const result = notified((await format('work_item_open')));
		expect(result.event.kind).toBe('work_item');
		expect(result.event.target.type).toBe('task');
		expect(result.message.text).toContain('opened task [\\#215 Replace gauge 7 cable]');
		expect(result.message.threadKey).toBe('gitlab/4821/issue/215');
	});
});

describe('pipelines, jobs and deployments', () => {
	it('failed pipeline: who started it, ref, status, duration and failed jobs (not allowed-to-fail ones)', async () => {
		const result = notified((await format('pipeline_failed')));
		expect(who(result)).toEqual(['jonas.vermeer:pipeline_user']);
		expect(result.recipients[0].email).toBe('jonas@harbor.test');
		expect(result.message.text).toBe(
			'Pipeline [\\#66120](https://gitlab.harbor.test/harbor/tidewatch/-/pipelines/66120) on main in ' +
				'[harbor/tidewatch](https://gitlab.harbor.test/harbor/tidewatch) failed\nFailed jobs: unit-tests, integration\nDuration: 7m 41s',
		);
		expect(result.message.threadKey).toBe('gitlab/4821/pipeline/66120');
		expect(result.event.target).toMatchObject({ type: 'pipeline', id: 66120, iid: 902, state: 'failed' });
	});

	it('a merge request pipeline links its MR', async () => {
		expect(notified((await format('pipeline_failed_merge_request'))).message.text).toContain(
			'on feature/tide-smoothing ([\\!57](https://gitlab.harbor.test/harbor/tidewatch/-/merge_requests/57))',
		);
	});

	it('success and running are skipped by default; other statuses can be chosen', async () => {
		expect((await format('pipeline_success')).skip).toBe('filtered: pipeline success');
		expect((await format('pipeline_running')).skip).toBe('filtered: pipeline running');
		expect(notified((await format('pipeline_success', { rules: { pipelineStatuses: ['failed', 'success'] } }))).message.text).toContain('passed');
	});

	it('"fixed": a pass right after a failure on the same ref, when asked', async () => {
		const state = {};
		const rules = { pipelineFixed: true };
		expect(notified((await format('pipeline_failed', { state, rules }))).event.action).toBe('failed');
		const fixed = notified((await format('pipeline_success', { state, rules })));
		expect(fixed.event.action).toBe('fixed');
		expect(fixed.message.text).toContain('passed again after a failure');
		const again = fixture('pipeline_success');
		again.object_attributes.id = 66130;
		expect((await formatGitLabEvent(again, { state, rules })).skip).toBe('filtered: pipeline success');
	});

	it('failed job: the user, in its pipeline thread', async () => {
		const result = notified((await format('job_failed')));
		expect(result.recipients).toEqual([
			{ id: 302, email: 'jonas@harbor.test', name: 'Jonas Vermeer', role: 'pipeline_user', roles: ['pipeline_user'] },
		]);
		expect(result.message.threadKey).toBe('gitlab/4821/pipeline/66120');
		expect(result.message.text).toContain('Job [unit-tests](https://gitlab.harbor.test/harbor/tidewatch/-/jobs/771002) on main');
		expect(result.message.text).toContain('Reason: script failure');
		expect((await format('job_success')).skip).toBe('filtered: build success');
	});

	it('deployments: success and failure tell the user who deployed', async () => {
		const ok = notified((await format('deployment_success')));
		expect(who(ok)).toEqual(['mira.okafor:pipeline_user']);
		expect(ok.message.text).toContain('deployed [5a5a5a5a](');
		expect(ok.message.text).toContain('to [production](https://tidewatch.harbor.test/)');
		const failed = notified((await format('deployment_failed')));
		expect(who(failed)).toEqual(['jonas.vermeer:pipeline_user']);
		expect(failed.message.threadKey).toBe('gitlab/4821/deployment/3311');
		expect((await format('deployment_success', { rules: { deploymentStatuses: ['failed'] } })).skip).toBe('filtered: deployment success');
	});
});

describe('pushes, tags and channel news', () => {
	it('push: mentions in commit messages (not code or e-mail), commits listed', async () => {
		const result = notified((await format('push')));
		expect(who(result)).toEqual(['seo-yeon.park:mentioned']);
		expect(result.event.actor).toEqual({ id: 302, username: 'jonas.vermeer', name: 'Jonas Vermeer' });
		expect(result.message.text).toContain('pushed 2 commits to [main]');
		expect(result.message.text).toContain('- [3c3c3c3c](https://gitlab.harbor.test/harbor/tidewatch/-/commit/3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c3c) Handle gauge resets');
		expect(result.message.threadKey).toBe('gitlab/4821/branch/main');
		const deleted = fixture('push');
		deleted.after = '0000000000000000000000000000000000000000';
		deleted.commits = [];
		expect(notified((await formatGitLabEvent(deleted))).message.text).toContain('deleted branch [main]');
	});

	it('tag push: mentions in the tag message', async () => {
		const result = notified((await format('tag_push')));
		expect(who(result)).toEqual(['haruto.ito:mentioned']);
		expect(result.event.action).toBe('create');
		expect(result.message.threadKey).toBe('gitlab/4821/tag/v2.4.0');
	});

	it.each([
		['release', 'create', 'Release [v2.4.0 Tidewatch 2.4](https://gitlab.harbor.test/harbor/tidewatch/-/releases/v2.4.0) was published', 'gitlab/4821/release/v2.4.0'],
		['wiki_page', 'create', 'created wiki page [Gauge maintenance]', 'gitlab/4821/wiki_page/gauge-maintenance'],
		['milestone', 'create', 'Milestone [Spring tide](https://gitlab.harbor.test/harbor/tidewatch/-/milestones/6) was created', 'gitlab/4821/milestone/6'],
		['feature_flag', 'activate', 'turned on feature flag [median-smoothing]', 'gitlab/4821/feature_flag/17'],
	])('%s: formatted for a channel, no DMs', async (name, action, text, thread) => {
		const result = notified((await format(name)));
		expect(result.event.action).toBe(action);
		expect(result.recipients).toEqual([]);
		expect(result.message.text).toContain(text);
		expect(result.message.threadKey).toBe(thread);
	});

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
