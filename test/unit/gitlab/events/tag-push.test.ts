import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { fixture, format, notified, who } from '../../gitlab-helpers';

describe('tag push events', () => {
	it('tag push: mentions in the tag message', async () => {
		const result = notified((await format('tag_push')));
		expect(who(result)).toEqual(['haruto.ito:mentioned']);
		expect(result.event.action).toBe('create');
		expect(result.message.threadKey).toBe('gitlab/4821/tag/v2.4.0');
	});


	it('a deleted tag (after is all zeros) is "delete"', async () => {
		const payload = fixture('tag_push');
		payload.before = payload.after;
		payload.after = '0000000000000000000000000000000000000000';
		payload.message = null;
		const result = notified(await formatGitLabEvent(payload));
		expect(result.event.action).toBe('delete');
		expect(result.recipients).toEqual([]);
		expect(result.message.text).toContain('deleted tag [v2.4.0]');
	});
});
