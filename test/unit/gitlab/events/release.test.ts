import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { expectChannelNews, fixture, notified } from '../../gitlab-helpers';

describe('release events', () => {
	it('release: formatted for a channel, no DMs', async () => {
		await expectChannelNews('release', 'create', 'Release [v2.4.0 Tidewatch 2.4](https://gitlab.harbor.test/harbor/tidewatch/-/releases/v2.4.0) was published', 'gitlab/4821/release/v2.4.0');
	});


	it('update and delete have their own wording, in the release\'s thread', async () => {
		for (const [action, wording] of [['update', 'was updated'], ['delete', 'was deleted']]) {
			const payload = fixture('release');
			payload.action = action;
			const result = notified(await formatGitLabEvent(payload));
			expect(result.event.action).toBe(action);
			expect(result.message.text).toContain(wording);
			expect(result.message.threadKey).toBe('gitlab/4821/release/v2.4.0');
		}
	});

	it('a repeated create is a duplicate; updates carry no time, so each one is news', async () => {
		const state = {};
		expect(notified(await formatGitLabEvent(fixture('release'), { state })).event.action).toBe('create');
		expect((await formatGitLabEvent(fixture('release'), { state })).skip).toBe('duplicate');
		const update = fixture('release');
		update.action = 'update';
		expect((await formatGitLabEvent(update, { state })).skip).toBeUndefined();
		expect((await formatGitLabEvent(update, { state })).skip).toBeUndefined();
	});
});
