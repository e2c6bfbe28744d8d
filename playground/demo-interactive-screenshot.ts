/**
 * The README's picture of the demo page after a click: `npx tsx playground/demo-interactive-screenshot.ts [file.png]`.
 * The Mattermost stand-in and its demo page run here, the real Send and Wait node asks two questions through n8n-core
 * (test/helpers/waiting.ts plays n8n's resume route), and Debian's chromium picks @alice and clicks Approve on the page.
 */
import { resolve } from 'node:path';

import { MattermostDevopsApi } from '../credentials/MattermostDevopsApi.credentials';
// The codex file Mattermost.node.json sits next to the node, and tsx would pick it for an extension-less import.
import { Mattermost } from '../nodes/Mattermost/Mattermost.node.ts';
import { WaitingExecution } from '../test/helpers/waiting';
import { startDemoPage } from './standin/demo-page';
import { sample, sampleSeed, startMattermostStandin } from './standin/mattermost';
import { withBrowserPage } from './harness/browser';

async function main(): Promise<void> {
	const file = resolve(process.env.INIT_CWD ?? process.cwd(), process.argv[2] ?? 'workflows/screenshots/demo-page-interactive.png');
	const mm = await startMattermostStandin({ seed: sampleSeed(), allowedUntrustedInternalConnections: '127.0.0.1' });
	const demo = await startDemoPage({ standin: mm, seed: sampleSeed(), port: 0 });
	const asks: WaitingExecution[] = [];
	try {
		const ask = async (parameters: Record<string, unknown>) => {
			const w = new WaitingExecution({
				nodeType: () => new Mattermost(),
				credentialTypes: [new MattermostDevopsApi()],
				credentials: { mattermostDevopsApi: { baseUrl: mm.url, accessToken: sample.tokens.notifier, allowUnauthorizedCerts: false } },
				parameters: { resource: 'message', operation: 'sendAndWait', channel: { __rl: true, mode: 'id', value: sample.townSquareId }, ...parameters },
			});
			asks.push(w);
			await w.start();
			return w;
		};
		const approval = await ask({ message: ':rocket: Deploy **checkout 2.4** to production?\nChangelog: voucher rounding fix, faster cart totals.' });
		await ask({ message: 'Which environment should the hotfix go to first?', responseType: 'choice', choices: 'staging, canary, production', choiceStyle: 'menu' });
		await ask({ message: 'Roll back **search 1.9**? Tell us why.', responseType: 'form', formFields: { field: [{ label: 'Reason', type: 'text', required: true }] } });
		await withBrowserPage({ width: 1000, height: 900 }, async (page) => {
			await page.goto(demo.url);
			await page.selectOption('#as', 'alice');
			await page.waitForURL(/as=alice/);
			await page.getByRole('button', { name: 'Approve' }).click();
			await page.waitForURL(/flash=/);
			for (let i = 0; i < 200 && approval.status !== 'success'; i++) await new Promise((r) => setTimeout(r, 25));
			await page.reload();
			await page.screenshot({ path: file, fullPage: true });
		});
		process.stdout.write(`saved ${file} (the approval resumed with ${JSON.stringify(approval.output()[0]?.json.data)})\n`);
	} finally {
		await Promise.all(asks.map((w) => w.stop()));
		await demo.stop();
		await mm.stop();
	}
}

main().catch((error: unknown) => {
	process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
	process.exit(1);
});
