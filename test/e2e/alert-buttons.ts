/**
 * The alerts workflow's buttons through the Mattermost Interaction Trigger: Acknowledge with a valid and with a forged
 * signature, Silence 1 h against a real Prometheus Alertmanager, read back from its API.
 */
import { randomBytes } from 'node:crypto';

import { signContext } from '../../nodes/core/mattermost/signature';
import { sleep, waitFor } from '../../playground/harness';
import { check } from '../helpers/scenarios';
import type { Alertmanager } from './alertmanager';
import { actionsOf, type Chat, type Scenario } from './chat';

export async function alertButtonScenarios(chat: Chat, scenario: Scenario, alertmanager: Alertmanager): Promise<void> {
	const { h, people, mm, click, ephemerals, postById } = chat;
	const alerts = h.world.channels.alerts;
	const alertWorkflowId = h.webhooks.find((w) => w.path === 'alert-actions')?.workflowId;
	const fireAlert = async (fingerprint: string, alertname: string) => {
		const before = await h.mattermost.posts(alerts);
		const sent = await h.send('alerts', {
			headers: { Authorization: `Bearer ${h.world.secrets.grafanaToken}`, 'User-Agent': 'Alertmanager/0.25.0' },
			json: {
				version: '4',
				status: 'firing',
				receiver: 'mattermost',
				alerts: [{ status: 'firing', labels: { alertname, instance: 'db1:9100', severity: 'critical' }, annotations: { summary: 'Disk almost full' }, fingerprint, startsAt: new Date().toISOString() }],
			},
		});
		check(sent.status === 200, `alert webhook answered ${sent.status}`);
		return await waitFor('the alert post', async () => (await h.mattermost.posts(alerts)).find((p) => !before.some((b) => b.id === p.id) && p.message.includes(alertname)), 30_000);
	};
	const executionsOfButtons = async () => (alertWorkflowId ? (await h.n8n.executions({ workflowId: alertWorkflowId })).length : 0);

	await scenario('Alerts: Acknowledge on an old alert post → the Interaction Trigger marks it ":eyes: @… is on it"', async () => {
		const post = await fireAlert(`ack${randomBytes(6).toString('hex')}`, 'DiskAlmostFull');
		check(actionsOf(post).map((a) => a.name).join() === 'Acknowledge,Silence 1 h', `buttons: ${actionsOf(post).map((a) => a.name).join()}`);
		await sleep(1500);
		const res = await click('assignee', post, 'acknowledge');
		check(res.status === 200, `click answered ${res.status} ${JSON.stringify(res.json)}`);
		const after = await postById(post.id);
		check(after.message.endsWith(`:eyes: @${people.assignee.username} is on it`), `post now: ${after.message}`);
		// Both buttons still work: the edit did not write back the buttons Mattermost hands out without their URLs.
		check(actionsOf(after).map((a) => `${a.id}:${Boolean(a.integration?.url)}`).join() === 'acknowledge:true,silence1h:true', `buttons left: ${JSON.stringify(actionsOf(after))}`);
	});

	await scenario('Alerts: a button with a forged signature → "Action failed", no execution, the post unchanged', async () => {
		const url = `${h.n8n.baseUrl}/webhook/alert-actions`;
		const context = signContext('not-the-workflow-secret-0123456789', { alert: { alertname: 'Forged' }, source: 'alertmanager', action: 'silence1h', value: '1' });
		const created = await fetch(`${mm}/api/v4/posts`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${h.world.secrets.botToken}` },
			body: JSON.stringify({ channel_id: alerts, message: 'Forged alert', props: { attachments: [{ actions: [{ id: 'silence1h', name: 'Silence 1 h', type: 'button', integration: { url, context } }] }] } }),
		});
		const post = (await created.json()) as Post;
		const before = await executionsOfButtons();
		const silencesBefore = (await alertmanager.silences()).length;
		const res = await click('author', post, 'silence1h');
		check(res.status === 400 && res.json.id === 'api.post.do_action.action_integration.app_error', `click answered ${res.status} ${JSON.stringify(res.json)}`);
		await sleep(1500);
		check((await executionsOfButtons()) === before, 'an execution started');
		check((await alertmanager.silences()).length === silencesBefore, 'a silence was created');
		check((await postById(post.id)).message === 'Forged alert', 'the post changed');
	});

	await scenario('Alerts: Silence 1 h → a silence in Alertmanager (read back from its API) with the alert labels, by the Mattermost user; post says until when', async () => {
		const alertname = `CheckoutLatency${randomBytes(3).toString('hex')}`;
		const post = await fireAlert(`sil${randomBytes(6).toString('hex')}`, alertname);
		const res = await click('pipeline', post, 'silence1h');
		check(res.status === 200, `click answered ${res.status} ${JSON.stringify(res.json)}`);
		const silences = await alertmanager.silences();
		const silence = silences.find((s) => s.matchers.some((m) => m.name === 'alertname' && m.value === alertname));
		check(silence, `no silence for ${alertname} in ${JSON.stringify(silences).slice(0, 300)}`);
		check(silence!.status.state === 'active', `silence is ${silence!.status.state}`);
		check(silence!.createdBy === people.pipeline.username, `createdBy ${silence!.createdBy}`);
		const matchers = Object.fromEntries(silence!.matchers.map((m) => [m.name, m.value]));
		check(matchers.instance === 'db1:9100' && matchers.severity === 'critical', `matchers ${JSON.stringify(silence!.matchers)}`);
		const minutes = (Date.parse(silence!.endsAt) - Date.parse(silence!.startsAt)) / 60_000;
		check(Math.abs(minutes - 60) < 1, `silence lasts ${minutes} min`);
		const after = await postById(post.id);
		check(new RegExp(`:no_bell: Silenced until \\d\\d:\\d\\d by @${people.pipeline.username}$`).test(after.message), `post now: ${after.message}`);
		check(actionsOf(after).length === 0, 'buttons left on the post');
		check((await ephemerals()).some((e) => e.user_id === people.pipeline.mattermostId && e.message.includes(silence!.id)), 'no private note naming the silence');
	});
}
