/**
 * `npm run demo:events`: fires sample GitLab, Redmine, Grafana/Alertmanager events and a `!ticket` command at the
 * n8n started by `npm run demo`, as the real senders would. Watch the Mattermost stand-in's page while it runs.
 *
 * `--screenshot <file.png>` then saves the demo page as Debian's chromium shows it (the README's picture:
 * `npm run demo:events -- --screenshot workflows/screenshots/demo-page.png`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
	alertmanagerEvent,
	grafanaEvent,
	mergeRequestCommentEvent,
	mergeRequestEvent,
	outgoingWebhook,
	pipelineEvent,
	redmineOpenedEvent,
	redmineUpdatedEvent,
	type HttpEvent,
	type MergeRequestSpec,
} from './sample-events';
import { withBrowserPage } from './harness/browser';
import { send, sleep } from './harness';
import { DEMO_INFO } from './harness/paths';
import type { World } from './harness/world';

/** The page at its top, as wide as a laptop screen: the channels (cards, Markdown) come first, then the DMs. */
async function screenshot(url: string, file: string): Promise<void> {
	await withBrowserPage({ width: 1060, height: 1500 }, async (page) => {
		await page.goto(url, { waitUntil: 'load' });
		await page.screenshot({ path: file });
	});
	process.stdout.write(`Saved ${file}\n`);
}

async function main(): Promise<void> {
	const { values } = parseArgs({ options: { screenshot: { type: 'string' } } });
	if (!existsSync(DEMO_INFO)) throw new Error('No demo is running: start it with `npm run demo` first (in another terminal).');
	const info = JSON.parse(readFileSync(DEMO_INFO, 'utf8')) as { n8nUrl: string; demoUrl: string; world: World };
	const world = info.world;
	const p = world.people;
	const mr: MergeRequestSpec = { iid: 57, title: 'Round voucher discounts before totals', author: p.author, reviewers: [p.reviewer], assignees: [p.assignee] };
	const events: Array<[string, HttpEvent]> = [
		['GitLab: merge request opened as draft (nobody is told)', mergeRequestEvent(world, mr, 'open-draft')],
		['GitLab: merge request marked ready (DMs to reviewer and assignee)', mergeRequestEvent(world, mr, 'ready')],
		[
			'GitLab: comment with an @mention (DMs in the merge request thread)',
			mergeRequestCommentEvent(world, { ...mr, actor: p.commenter }, p.commenter, `Nice. @${p.mentioned.username} could you double-check the rounding?`, 9101),
		],
		['GitLab: merge request merged', mergeRequestEvent(world, { ...mr, actor: p.reviewer }, 'merge')],
		['GitLab: pipeline failed (DM to who started it)', pipelineEvent(world, p.pipeline, 'failed')],
		[
			'GitLab: review requested from someone without a Mattermost account (fallback channel)',
			mergeRequestEvent(world, { iid: 58, title: 'Add smoke tests for checkout', author: p.author, reviewers: [p.unmapped], assignees: [] }, 'open'),
		],
		['Redmine: ticket opened (#tickets)', redmineOpenedEvent(world)],
		['Redmine: ticket updated (#tickets)', redmineUpdatedEvent(world)],
		['Grafana: alert firing (#alerts)', grafanaEvent(world, 'firing')],
		['Grafana: alert resolved (reply in the firing post\'s thread)', grafanaEvent(world, 'resolved')],
		['Alertmanager: alert firing (#alerts)', alertmanagerEvent(world)],
		['Mattermost: "!ticket 123" outgoing webhook', outgoingWebhook(world, '!ticket 123', p.author)],
	];
	for (const [label, event] of events) {
		const result = await send(`${info.n8nUrl}/webhook/${event.path}`, { json: event.json, form: event.form, headers: event.headers });
		const answer = event.form && result.json ? `: ${JSON.stringify(result.json).slice(0, 160)}` : '';
		process.stdout.write(`${result.status < 300 ? 'sent' : `HTTP ${result.status}`}  ${label}${answer}\n`);
		await sleep(1200);
	}
	process.stdout.write(`\nDone. Open ${info.demoUrl} to see what the Mattermost stand-in received.\n`);
	if (values.screenshot) {
		// The last events' executions are still posting; give them a moment, as a person opening the page would.
		await sleep(5000);
		await screenshot(info.demoUrl, resolve(process.env.INIT_CWD ?? process.cwd(), values.screenshot));
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).message}\n`);
	process.exit(1);
});
