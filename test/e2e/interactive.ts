/**
 * Interactive Mattermost in a real n8n: Send and Wait for Response (approve, decline, two answers at once, a menu
 * choice, a form through a dialog, a user not on the list, a second click, the expiry), and the alerts workflow's
 * buttons through the Mattermost Interaction Trigger (./alert-buttons). People click in the Mattermost stand-in, which
 * calls n8n the way the real server does (AllowedUntrustedInternalConnections lets it reach n8n on 127.0.0.1). Last,
 * where resume signatures and secrets are, and are not.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Harness } from '../../playground/harness';
import { check } from '../helpers/scenarios';
import { alertButtonScenarios } from './alert-buttons';
import type { Alertmanager } from './alertmanager';
import { ASKS } from './ask';
import { actionsOf, openChat, type Scenario } from './chat';
import { sendAndWaitScenarios } from './send-and-wait';

export { Alertmanager, bindAlertSettings } from './alertmanager';
export { askWorkflows } from './ask';

/** Where the stand-in may call integrations: n8n runs on loopback here, as a private-network n8n would. */
export const MATTERMOST_ARGS = ['--allowed-untrusted-internal-connections', '127.0.0.1'];

export async function interactiveScenarios(h: Harness, scenario: Scenario, alertmanager: Alertmanager, outDir: string): Promise<void> {
	const chat = await openChat(h);
	await sendAndWaitScenarios(chat, scenario);
	await alertButtonScenarios(chat, scenario, alertmanager);
	const { tokens, approvals, mm } = chat;

	await scenario('Interactive: resume signatures reach no client through the API, no dialog state, no execution data, no request log or n8n.log; only the stored post row holds them; no configured secret in stored posts', async () => {
		const leaks: string[] = [];
		const signature = /[?&]signature=[0-9a-f]{16,}/;
		for (const file of ['mattermost-requests.jsonl', 'n8n.log']) {
			const path = join(outDir, file);
			if (existsSync(path) && signature.test(readFileSync(path, 'utf8'))) leaks.push(`${file} holds a resume signature`);
		}
		// What clients get: the server strips `integration` (URL and context) from every post it hands out.
		const asClient = async (path: string) => await (await fetch(`${mm}/api/v4${path}`, { headers: { Authorization: `Bearer ${tokens.reviewer}` } })).text();
		const stored = await h.mattermost.posts(approvals);
		const views = [await asClient(`/channels/${approvals}/posts?per_page=200`), ...(await Promise.all(stored.map((p) => asClient(`/posts/${p.id}`))))];
		if (views.some((v) => signature.test(v) || v.includes('"integration"'))) leaks.push('a post as a client reads it holds an integration URL');
		const dialogs = await h.mattermost.control<Array<{ dialog: unknown }>>('GET', 'dialogs');
		if (JSON.stringify(dialogs.map((d) => d.dialog)).includes('signature')) leaks.push('dialog state holds a signature');
		for (const kind of Object.keys(ASKS)) {
			const workflowId = h.webhooks.find((w) => w.path === ASKS[kind].path)!.workflowId;
			for (const e of await h.n8n.executions({ workflowId })) {
				if (signature.test(JSON.stringify((await h.n8n.execution(e.id)).data ?? ''))) leaks.push(`execution ${e.id} holds a resume signature`);
			}
		}
		const posts = JSON.stringify(await h.mattermost.posts());
		for (const secret of h.secretValues()) if (posts.includes(secret)) leaks.push('a stored post holds a configured secret');
		check(leaks.length === 0, leaks.join('; '));
		// The remaining gap: Mattermost calls exactly the URL stored with the button, and n8n 2.40 accepts a send-and-wait
		// resume only with its signature in that URL, so the stored post row (the server's database) holds it while
		// the question is open.
		const open = stored.filter((p) => actionsOf(p).length > 0);
		check(open.every((p) => signature.test(JSON.stringify(p.props))), 'an open question without its signed resume URL in the stored row');
	});
}
