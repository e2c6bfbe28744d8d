import { formatGitLabEvent } from '../../../../nodes/core/gitlab';
import { fixture, format, notified, who } from '../../gitlab-helpers';

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
