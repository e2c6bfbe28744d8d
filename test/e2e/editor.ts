/**
 * The n8n editor in a real browser (Debian's chromium through playwright-core): log in as the owner, open every
 * bundled workflow and screenshot it, check each node of this package renders with its own icon and no node is
 * unknown, then search the node panel for "Mattermost" and "GitLab".
 */
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { Harness } from '../../playground/harness';
import { withBrowserPage } from '../../playground/harness/browser';
import { PACKAGE_NAME } from '../../playground/harness/package';
import type { Post } from '../../playground/standin/mattermost/state';

export interface EditorResult {
	name: string;
	ok: boolean;
	detail?: string;
}

/** What n8n shows for a node whose type it does not know. */
const UNKNOWN_NODE = /install this node|node is not currently installed|not installed|unknown node|node type .* is not known/i;

async function login(page: Page, h: Harness): Promise<void> {
	await page.goto(`${h.n8n.baseUrl}/signin`, { waitUntil: 'domcontentloaded' });
	await page.fill('#emailOrLdapLoginId', h.n8n.owner.email, { timeout: 60_000 });
	await page.fill('#password', h.n8n.owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((url) => !url.pathname.includes('signin'), { timeout: 60_000 });
}

async function checkWorkflow(page: Page, h: Harness, id: string, ourTypes: string[]): Promise<string[]> {
	await page.goto(`${h.n8n.baseUrl}/workflow/${id}`, { waitUntil: 'domcontentloaded' });
	await page.waitForSelector('[data-test-id="canvas-node"]', { timeout: 90_000 });
	// Icons are separate requests; wait for them before judging and taking the screenshot.
	await page.waitForLoadState('networkidle', { timeout: 30_000 }).catch(() => undefined);
	const nodes = await page.$$eval('[data-test-id="canvas-node"]', (elements) =>
		elements.map((element) => ({
			name: element.getAttribute('data-node-name') ?? '',
			type: element.getAttribute('data-node-type') ?? '',
			text: (element as HTMLElement).innerText,
			images: [...element.querySelectorAll('img')].map((img) => ({ src: img.getAttribute('src') ?? '', width: img.naturalWidth })),
		})),
	);
	const problems: string[] = [];
	for (const type of ourTypes) {
		if (!nodes.some((n) => n.type === type)) problems.push(`node of type ${type} is not on the canvas`);
	}
	for (const node of nodes) {
		if (UNKNOWN_NODE.test(node.text)) problems.push(`"${node.name}" shows as unknown: ${node.text.slice(0, 80)}`);
		if (!node.type.startsWith(`${PACKAGE_NAME}.`)) continue;
		const icon = node.images.find((img) => img.src.includes(`/icons/${PACKAGE_NAME}/`));
		if (!icon) problems.push(`"${node.name}" has no icon of this package (${JSON.stringify(node.images)})`);
		else if (icon.width === 0) problems.push(`"${node.name}"'s icon ${icon.src} did not load`);
	}
	const pageText = await page.evaluate(() => document.body.innerText);
	const unknown = UNKNOWN_NODE.exec(pageText);
	if (unknown) problems.push(`the editor says "${unknown[0]}"`);
	return problems;
}

async function searchNodePanel(page: Page, term: string, expected: string[]): Promise<string[]> {
	const search = page.locator('[data-test-id="node-creator-search-bar"]');
	if (!(await search.isVisible().catch(() => false))) {
		await page.keyboard.press('n');
		await search.waitFor({ timeout: 15_000 });
	}
	await search.fill(term);
	await page.waitForTimeout(800);
	const items = await page.$$eval('[data-test-id="item-iterator-item"]', (elements) =>
		elements.map((element) => ({
			text: (element as HTMLElement).innerText,
			images: [...element.querySelectorAll('img')].map((img) => ({ src: img.getAttribute('src') ?? '', width: img.naturalWidth })),
		})),
	);
	const problems: string[] = [];
	for (const name of expected) {
		const item = items.find((i) => i.text.split('\n')[0].trim() === name);
		if (!item) {
			problems.push(`"${term}" does not list ${name}`);
			continue;
		}
		if (!item.images.some((img) => img.src.includes(`/icons/${PACKAGE_NAME}/`) && img.width > 0)) problems.push(`${name} is listed without its icon`);
	}
	return problems;
}

export async function checkEditor(h: Harness, outputDir: string): Promise<EditorResult[]> {
	const results: EditorResult[] = [];
	await withBrowserPage({ width: 1440, height: 900 }, async (page) => {
		try {
			await login(page, h);
			results.push({ name: 'Editor: the owner logs in', ok: true });
		} catch (error) {
			results.push({ name: 'Editor: the owner logs in', ok: false, detail: (error as Error).message });
			return;
		}
		for (const loaded of h.workflows.filter((w) => w.file)) {
			const name = `Editor: workflow "${loaded.workflow.name}" renders, our nodes with their icons (workflow-${loaded.slug}.png)`;
			try {
				const ourTypes = [...new Set(loaded.workflow.nodes.map((n) => n.type).filter((t) => t.startsWith(`${PACKAGE_NAME}.`)))];
				const problems = await checkWorkflow(page, h, loaded.workflow.id, ourTypes);
				await page.screenshot({ path: join(outputDir, `workflow-${loaded.slug}.png`) });
				results.push({ name, ok: problems.length === 0, detail: problems.join('; ') });
			} catch (error) {
				await page.screenshot({ path: join(outputDir, `workflow-${loaded.slug}.png`) }).catch(() => undefined);
				results.push({ name, ok: false, detail: (error as Error).message });
			}
		}
		const panelName = 'Editor: node panel lists our nodes with icons for "Mattermost" and "GitLab" (node-panel.png)';
		try {
			const problems = await searchNodePanel(page, 'GitLab', ['GitLab Event Formatter']);
			await page.screenshot({ path: join(outputDir, 'node-panel-gitlab.png') });
			problems.push(...(await searchNodePanel(page, 'Mattermost', ['Mattermost DevOps', 'Mattermost Command Trigger'])));
			await page.screenshot({ path: join(outputDir, 'node-panel.png') });
			problems.push(...(await searchNodePanel(page, 'Recipient', ['Recipient Resolver'])));
			results.push({ name: panelName, ok: problems.length === 0, detail: problems.join('; ') });
		} catch (error) {
			await page.screenshot({ path: join(outputDir, 'node-panel.png') }).catch(() => undefined);
			results.push({ name: panelName, ok: false, detail: (error as Error).message });
		}
		const demoUrl = h.mattermost.info.demoUrl;
		if (typeof demoUrl === 'string') {
			const demoName = 'Demo page: messages by channel and DM rendered as Mattermost does, says it is a stand-in (demo-page.png)';
			try {
				await page.goto(demoUrl, { waitUntil: 'load' });
				const seen = await page.evaluate(() => ({
					text: document.body.innerText,
					renderedByPost: Object.fromEntries(
						[...document.querySelectorAll('.post')].map((post) => {
							const own = post.cloneNode(true) as HTMLElement;
							own.querySelectorAll('.thread').forEach((thread) => thread.remove());
							const parts = [...own.querySelectorAll('.message, .att-text, .att-field-value')].map((e) => (e as HTMLElement).innerText);
							return [post.id.replace(/^post-/, ''), parts.join('\n')];
						}),
					),
					bold: document.querySelectorAll('.message strong, .att-text strong').length,
					links: document.querySelectorAll('.message a, .att-title a').length,
					emoji: document.querySelectorAll('.emoji').length,
					cards: document.querySelectorAll('.attachment').length,
					replies: document.querySelectorAll('.thread .post').length,
				}));
				const problems = [
					/not a real Mattermost server/.test(seen.text) ? '' : 'the page does not say it is a stand-in',
					seen.text.includes('~alerts') ? '' : 'no ~alerts section',
					seen.text.includes('Direct message') ? '' : 'no direct message section',
					seen.bold && seen.links ? '' : `Markdown not rendered (${seen.bold} bold, ${seen.links} links)`,
					rawMarkupLeft(await h.mattermost.posts(), seen.renderedByPost),
					seen.emoji ? '' : 'no emoji',
					seen.cards ? '' : 'no attachment cards',
					seen.replies ? '' : 'no thread replies nested',
				].filter(Boolean);
				await page.screenshot({ path: join(outputDir, 'demo-page.png') });
				results.push({ name: demoName, ok: problems.length === 0, detail: problems.join('; ') });
			} catch (error) {
				results.push({ name: demoName, ok: false, detail: (error as Error).message });
			}
		}
	});
	return results;
}

const MARKUP = [/\*\*/g, /\]\(http/g, /:[a-z_]+:/g];

/**
 * Markdown or emoji shortcodes shown as typed, beyond what the post's source escaped on purpose: a hostile Redmine
 * subject arrives as `\\!\\[pixel\\]\\(https://…\\)` and must show literally, as in Mattermost, while the bold and the
 * shortcode around it must be rendered.
 */
function rawMarkupLeft(posts: Post[], renderedByPost: Record<string, string>): string {
	for (const post of posts) {
		const rendered = renderedByPost[post.id];
		if (rendered === undefined) continue;
		const attachments = Array.isArray(post.props?.attachments) ? (post.props.attachments as Array<Record<string, unknown>>) : [];
		const source = [post.message, ...attachments.flatMap((a) => [a.text, ...(Array.isArray(a.fields) ? a.fields.map((f: { value?: unknown }) => f.value) : [])])]
			.filter((part) => typeof part === 'string')
			.join('\n');
		const unescaped = source.replace(/\\(.)/g, '$1');
		for (const pattern of MARKUP) {
			const escaped = count(pattern, unescaped) - count(pattern, source);
			if (count(pattern, rendered) > escaped) {
				return `raw Markdown or emoji shortcodes left in post ${post.id}: ${new RegExp(`.{0,30}${pattern.source}.{0,30}`).exec(rendered)?.[0]}`;
			}
		}
	}
	return '';
}

function count(pattern: RegExp, text: string): number {
	return text.match(pattern)?.length ?? 0;
}
