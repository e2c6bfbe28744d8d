import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { fixture, format, notified, who } from '../../gitlab-helpers';

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
