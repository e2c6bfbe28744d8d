import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { fixture, format, notified, who } from '../../gitlab-helpers';

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
