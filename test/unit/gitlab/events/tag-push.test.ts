import { format, notified, who } from '../../gitlab-helpers';

describe('tag push events', () => {
	it('tag push: mentions in the tag message', async () => {
		const result = notified((await format('tag_push')));
		expect(who(result)).toEqual(['haruto.ito:mentioned']);
		expect(result.event.action).toBe('create');
		expect(result.message.threadKey).toBe('gitlab/4821/tag/v2.4.0');
	});
});
