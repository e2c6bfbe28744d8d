/** Send and Wait for Response in a real n8n, answered by people clicking in the Mattermost stand-in. */
import { EXPIRY_GRACE_MS } from '../../nodes/core/mattermost/expiry';
import { waitFor } from '../../playground/harness';
import { check } from '../helpers/scenarios';
import { asking } from './ask';
import { actionsOf, type Chat, type Scenario } from './chat';

export async function sendAndWaitScenarios(chat: Chat, scenario: Scenario): Promise<void> {
	const { h, people, approvals, asUser, click, ephemerals, postById } = chat;
	const { ask, answer } = asking(chat);

	await scenario('Send and Wait: Approve clicked in Mattermost → the execution resumes with approved: true; the post shows who approved, buttons gone', async () => {
		const { post, executionId } = await ask('approval');
		check(actionsOf(post).map((a) => a.name).join() === 'Approve,Decline', `buttons: ${actionsOf(post).map((a) => a.name).join()}`);
		const res = await click('reviewer', post, 'approve');
		check(res.status === 200, `click answered ${res.status} ${JSON.stringify(res.json)}`);
		const out = await answer(executionId);
		check(JSON.stringify(out.data) === '{"approved":true}', `output ${JSON.stringify(out)}`);
		check((out.user as { username: string }).username === people.reviewer.username, `user ${JSON.stringify(out.user)}`);
		const after = await postById(post.id);
		check(new RegExp(`:white_check_mark: Approved by @${people.reviewer.username} at \\d\\d:\\d\\d$`).test(after.message), `post now: ${after.message}`);
		check(actionsOf(after).length === 0, 'the buttons are still there');
		check((await ephemerals()).some((e) => e.user_id === people.reviewer.mattermostId && e.message === 'You approved this request.'), 'no private confirmation');
	});

	await scenario('Send and Wait: Decline → approved: false', async () => {
		const { post, executionId } = await ask('approval');
		await click('assignee', post, 'decline');
		const out = await answer(executionId);
		check(JSON.stringify(out.data) === '{"approved":false}', `output ${JSON.stringify(out)}`);
		check(/:x: Declined by @/.test((await postById(post.id)).message), 'post not marked declined');
	});

	await scenario('Send and Wait: a second click after the answer → refused by Mattermost itself (the answer removed the action from the stored post: 404), n8n not called, nothing changes', async () => {
		const { post, executionId, workflowId } = await ask('approval');
		await click('reviewer', post, 'approve');
		await answer(executionId);
		const answered = (await postById(post.id)).message;
		const executions = (await h.n8n.executions({ workflowId })).length;
		const second = await click('author', post, 'decline');
		check(second.status === 404 && second.json.id === 'api.post.do_action.action_id.app_error', `second click answered ${second.status} ${JSON.stringify(second.json)}`);
		check((await postById(post.id)).message === answered, 'the post changed');
		check((await h.n8n.executions({ workflowId })).length === executions, 'an execution started');
		check(JSON.stringify((await answer(executionId)).data) === '{"approved":true}', 'the answer changed');
	});

	await scenario('Send and Wait: two people answer at the same moment → exactly one outcome (n8n resumes a waiting execution once), and the post shows that one', async () => {
		const { post, executionId } = await ask('approval');
		const [first, second] = await Promise.all([click('reviewer', post, 'approve'), click('author', post, 'decline')]);
		const out = await answer(executionId);
		const after = await postById(post.id);
		const approved = (out.data as { approved: boolean }).approved;
		const winner = approved ? people.reviewer.username : people.author.username;
		check(after.message.endsWith(`${approved ? ':white_check_mark: Approved' : ':x: Declined'} by @${winner} at ${after.message.slice(-5)}`), `output ${JSON.stringify(out)} but post: ${after.message}`);
		check((after.message.match(/ by @/g) ?? []).length === 1, `two outcomes on the post: ${after.message}`);
		check(actionsOf(after).length === 0, 'buttons left on the post');
		check([first.status, second.status].filter((s) => s === 200).length >= 1, `clicks answered ${first.status} ${second.status}`);
	});

	await scenario('Send and Wait: a menu choice → data.choice', async () => {
		const { post, executionId } = await ask('menu');
		await click('pipeline', post, 'choose', 'canary');
		const out = await answer(executionId);
		check(JSON.stringify(out.data) === '{"choice":"canary"}', `output ${JSON.stringify(out)}`);
	});

	await scenario('Send and Wait: a user not on the list is refused privately and the execution keeps waiting; a listed user answers', async () => {
		const { post, executionId } = await ask('listed', { allowed: `@${people.reviewer.username}` });
		await click('author', post, 'approve');
		check((await ephemerals()).some((e) => e.user_id === people.author.mattermostId && e.message === `This request is for @${people.reviewer.username}.`), 'no refusal note');
		check((await h.n8n.execution(executionId)).status === 'waiting', 'the execution did not keep waiting');
		check(actionsOf(await postById(post.id)).length === 2, 'the buttons went away');
		await click('reviewer', post, 'approve');
		const out = await answer(executionId);
		check((out.user as { username: string }).username === people.reviewer.username, `answered by ${JSON.stringify(out.user)}`);
	});

	await scenario('Send and Wait: a form submitted through a Mattermost dialog → the fields as data', async () => {
		const { post, executionId } = await ask('form');
		const dialogsBefore = (await h.mattermost.control<unknown[]>('GET', 'dialogs')).length;
		await click('commenter', post, 'respond');
		const dialogs = await h.mattermost.control<Array<{ user_id: string; url: string; dialog: { callback_id: string; state: string; title: string } }>>('GET', 'dialogs');
		check(dialogs.length === dialogsBefore + 1, 'no dialog was opened');
		const dialog = dialogs.at(-1)!;
		check(dialog.user_id === people.commenter.mattermostId && dialog.dialog.title === 'Rollback', `dialog ${JSON.stringify(dialog.dialog).slice(0, 200)}`);
		check(!dialog.dialog.state.includes('signature'), 'the dialog state holds a signature');
		const submitted = await asUser('commenter', '/actions/dialogs/submit', {
			url: dialog.url,
			channel_id: approvals,
			callback_id: dialog.dialog.callback_id,
			state: dialog.dialog.state,
			submission: { reason: 'error budget spent', replicas: '3', environment: 'production' },
		});
		check(submitted.status === 200 && Object.keys(submitted.json).length === 0, `submit answered ${submitted.status} ${JSON.stringify(submitted.json)}`);
		const out = await answer(executionId);
		check(JSON.stringify(out.data) === '{"reason":"error budget spent","replicas":3,"environment":"production"}', `output ${JSON.stringify(out.data)}`);
		check(/:memo: Answered by @/.test((await postById(post.id)).message), 'post not marked answered');
	});

	await scenario('Send and Wait: no answer within Limit Wait Time → the post says it expired, its buttons are gone, the node outputs { timedOut: true }', async () => {
		const { post, executionId } = await ask('timeout');
		const started = Date.now();
		const out = await answer(executionId);
		check(out.timedOut === true && out.post_id === post.id && out.channel_id === approvals, `output ${JSON.stringify(out)}`);
		// The node's own timer ended the wait (3 s), not n8n's fallback a grace period later.
		check(Date.now() - started < EXPIRY_GRACE_MS, `the wait ended after ${Date.now() - started} ms`);
		const after = await waitFor('the expired post', async () => {
			const p = await postById(post.id);
			return actionsOf(p).length === 0 ? p : undefined;
		}, 15_000);
		const marked = after.message.startsWith(`${post.message}\n\n`) && /\n\n:hourglass: Expired at \d\d:\d\d without an answer$/.test(after.message);
		check(marked, `post now: ${after.message}`);
		const late = await click('reviewer', post, 'approve');
		check(late.status === 404, `a click after the expiry answered ${late.status}`);
	});
}
