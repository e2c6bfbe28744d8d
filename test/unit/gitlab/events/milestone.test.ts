import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { expectChannelNews, fixture, notified } from '../../gitlab-helpers';

describe('milestone events', () => {
	it('milestone: formatted for a channel, no DMs', async () => {
		await expectChannelNews('milestone', 'create', 'Milestone [Spring tide](https://gitlab.harbor.test/harbor/tidewatch/-/milestones/6) was created', 'gitlab/4821/milestone/6');
	});


	it('close and reopen, with the action read from object_attributes when the payload has none at the top', async () => {
		const closed = fixture('milestone');
		closed.action = 'close';
		expect(notified(await formatGitLabEvent(closed)).message.text).toContain('was closed');
		const reopened = fixture('milestone');
		delete reopened.action;
		reopened.object_attributes.action = 'reopen';
		const result = notified(await formatGitLabEvent(reopened));
		expect(result.event.action).toBe('reopen');
		expect(result.message.text).toContain('was reopened');
	});
});
