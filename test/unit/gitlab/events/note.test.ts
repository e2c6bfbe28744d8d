import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { fixture, format, notified, who } from '../../gitlab-helpers';

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
