/**
 * Links into this repository's documentation stay valid: relative links in README.md and docs/, and the
 * documentation URLs n8n shows for each node and credential (codex *.node.json, credentials' documentationUrl),
 * point at a file that exists and, when they name one, at a heading that exists (GitHub's anchor for it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const REPOSITORY = 'https://github.com/n8n-nodes-mattermost-devops/n8n-nodes-mattermost-devops/blob/main/';

const files = (dir: string, suffix: string) =>
	readdirSync(join(ROOT, dir), { recursive: true })
		.map((name) => join(dir, String(name)))
		.filter((name) => name.endsWith(suffix));

/** GitHub's anchors for a Markdown file's headings: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(file: string): Set<string> {
	const seen = new Map<string, number>();
	const found = new Set<string>();
	let fenced = false;
	for (const line of readFileSync(join(ROOT, file), 'utf8').split('\n')) {
		if (/^\s*```/.test(line)) fenced = !fenced;
		const heading = !fenced && /^#{1,6}\s+(.*)$/.exec(line);
		if (!heading) continue;
		const slug = heading[1]
			.trim()
			.toLowerCase()
			.replace(/[^\p{L}\p{N}\s_-]/gu, '')
			.replace(/\s/g, '-');
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		found.add(count ? `${slug}-${count}` : slug);
	}
	return found;
}

/** What is wrong with a link to `target` (a repository path with an optional #anchor), or undefined. */
function brokenLink(target: string): string | undefined {
	const [path, anchor] = target.split('#');
	if (!existsSync(join(ROOT, path))) return `no file ${path}`;
	if (anchor && !anchors(path).has(anchor)) return `no heading #${anchor} in ${path}`;
	return undefined;
}

const markdown = ['README.md', 'CHANGELOG.md', ...files('docs', '.md')];

const links: Array<[string, string]> = [];
for (const file of markdown) {
	const text = readFileSync(join(ROOT, file), 'utf8').replace(/```[\s\S]*?```/g, '');
	for (const match of text.matchAll(/\]\(([^)\s]+)\)/g)) {
		const href = match[1];
		if (/^(https?|mailto):/.test(href)) continue;
		const target = href.startsWith('#') ? `${file}${href}` : normalize(join(dirname(file), href)).replace(/\/$/, '');
		links.push([`${file} → ${href}`, target]);
	}
}
for (const file of [...files('credentials', '.ts'), ...files('nodes', '.node.json')]) {
	for (const match of readFileSync(join(ROOT, file), 'utf8').matchAll(/https:\/\/github\.com\/n8n-nodes-mattermost-devops\/n8n-nodes-mattermost-devops[^'"\s]*/g)) {
		const url = match[0];
		links.push([`${file} → ${url}`, url.startsWith(REPOSITORY) ? url.slice(REPOSITORY.length) : `(not a file of the repository: ${url})`]);
	}
}

describe('documentation links', () => {
	it('finds the links', () => {
		expect(links.length).toBeGreaterThan(20);
	});

	it.each(links)('%s', (_label, target) => {
		expect(brokenLink(target)).toBeUndefined();
	});

	it('catches a broken link', () => {
		expect(brokenLink('docs/no-such-page.md')).toMatch(/no file/);
		expect(brokenLink('README.md#no-such-heading')).toMatch(/no heading/);
	});
});
