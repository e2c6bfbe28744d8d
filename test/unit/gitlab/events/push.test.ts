import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { fixture, format, notified, who } from '../../gitlab-helpers';

describe('push events', () => {
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
});
