/**
 * The demo page draws posts as Mattermost does: its Markdown flavour, emoji shortcodes, @mentions of known people,
 * attachment cards, priority labels, reactions, thread replies nested; raw HTML and script links never become markup.
 */
import { renderDemoPage, startDemoPage, type DemoPageData } from '../../playground/standin/demo-page';
import { sampleSeed, startMattermostStandin } from '../../playground/standin/mattermost';
import type { Channel, Post } from '../../playground/standin/mattermost/state';

const channel = { id: 'c-alerts', team_id: 't1', type: 'O', name: 'alerts', display_name: 'Alerts' } as Channel;
const users = [
	{ id: 'u-bot', username: 'devops-bot', email: 'bot@x.test', is_bot: true },
	{ id: 'u-mira', username: 'mira.okafor', email: 'mira@x.test' },
];

function post(id: string, message: string, extra: Partial<Post> = {}): Post {
	return { id, channel_id: channel.id, user_id: 'u-bot', root_id: '', message, create_at: 1_700_000_000_000, edit_at: 0, delete_at: 0, props: {}, metadata: {}, ...extra } as Post;
}

function page(posts: Post[], reactions: DemoPageData['reactions'] = []): string {
	return renderDemoPage({ posts, channels: [channel], reactions, users, teams: [{ id: 't1', name: 'devops', display_name: 'DevOps' }], apiUrl: 'http://127.0.0.1:1' });
}

describe('demo page', () => {
	it('says it is a stand-in, not Mattermost', () => {
		expect(page([])).toContain('this is not a real Mattermost server');
	});

	it('serves the page and the emoji sprite sheet its emoji are cut from', async () => {
		const standin = await startMattermostStandin({ seed: sampleSeed() });
		const demo = await startDemoPage({ standin, seed: sampleSeed(), port: 0 });
		try {
			const html = await fetch(demo.url);
			expect(html.status).toBe(200);
			expect(await html.text()).toContain('not a real Mattermost server');
			const sheet = await fetch(new URL('/emoji/sheet.png', demo.url));
			expect(sheet.headers.get('content-type')).toBe('image/png');
			expect(Buffer.from(await sheet.arrayBuffer()).subarray(1, 4).toString()).toBe('PNG');
		} finally {
			await demo.stop();
			await standin.stop();
		}
	});

	it('renders Mattermost-flavoured Markdown', () => {
		const html = page([
			post(
				'p1',
				[
					'**bold** _italic_ ~~gone~~ `inline code` [the MR](https://gitlab.example.com/mr/57) https://grafana.example.com/d/1',
					'next line',
					'',
					'> quoted',
					'',
					'- one',
					'- two',
					'',
					'1. first',
					'',
					'```js',
					'const a = 1 < 2;',
					'```',
					'',
					'| Service | State |',
					'|---|---|',
					'| api | down |',
				].join('\n'),
			),
		]);
		expect(html).toContain('<strong>bold</strong>');
		expect(html).toContain('<em>italic</em>');
		expect(html).toContain('<s>gone</s>');
		expect(html).toContain('<code>inline code</code>');
		expect(html).toMatch(/<a href="https:\/\/gitlab\.example\.com\/mr\/57" target="_blank" rel="noopener noreferrer">the MR<\/a>/);
		expect(html).toContain('<a href="https://grafana.example.com/d/1"');
		expect(html).toContain('<br>\nnext line');
		expect(html).toMatch(/<blockquote>\s*<p>quoted<\/p>/);
		expect(html).toMatch(/<ul>\s*<li>one<\/li>\s*<li>two<\/li>/);
		expect(html).toMatch(/<ol>\s*<li>first<\/li>/);
		expect(html).toContain('<pre><code class="language-js">const a = 1 &lt; 2;');
		expect(html).toMatch(/<table>[\s\S]*<th>Service<\/th>[\s\S]*<td>down<\/td>/);
	});

	it('shows emoji shortcodes as emoji (Mattermost names) and leaves unknown ones as text', () => {
		const html = page([post('p1', ':rotating_light: :white_check_mark: :+1: :no_such_emoji:')]);
		expect(html).toMatch(/<span class="emoji" title=":rotating_light:" style="background-image:url\(\/emoji\/sheet.png\);[^"]*">🚨<\/span>/);
		expect(html).toMatch(/title=":white_check_mark:"[^>]*>✅</);
		expect(html).toMatch(/title=":\+1:"[^>]*>👍</);
		expect(html).toContain(':no_such_emoji:');
		expect(html).not.toContain('title=":no_such_emoji:"');
	});

	it('highlights @mentions of known people and @channel, not unknown names, e-mail addresses or code', () => {
		const html = page([post('p1', '@mira.okafor please look, @channel FYI. @nobody here; mail mira@x.test `@mira.okafor`')]);
		expect(html).toContain('<span class="mention user">@mira.okafor</span> please look');
		expect(html).toContain('<span class="mention channel-wide">@channel</span>');
		expect(html).not.toContain('mention user">@nobody');
		expect(html).toContain('<code>@mira.okafor</code>');
		expect(html.match(/class="mention user"/g)).toHaveLength(1);
	});

	it('never turns message text into markup or script links', () => {
		const html = page([post('p1', '<img src=x onerror=alert(1)> [click](javascript:alert(1))')]);
		expect(html).not.toContain('<img src=x');
		expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
		expect(html).not.toMatch(/href="javascript:/i);
	});

	it('draws attachments as cards: colour bar, pretext, title link, Markdown text, fields, footer', () => {
		const attachment = {
			color: 'danger',
			pretext: 'Alert from **Grafana**',
			title: 'High error rate',
			title_link: 'https://grafana.example.com/d/1',
			text: 'Errors above *5%*',
			fields: [
				{ title: 'Service', value: '`checkout`', short: true },
				{ title: 'Severity', value: 'critical', short: true },
				{ title: 'Summary', value: 'long field', short: false },
			],
			footer: 'Grafana',
		};
		const html = page([post('p1', '', { props: { attachments: [attachment] } })]);
		expect(html).toContain('<div class="attachment" style="border-left-color:#d24b4e">');
		expect(html).toContain('<div class="att-pretext"><p>Alert from <strong>Grafana</strong></p>');
		expect(html).toContain('<div class="att-title"><a href="https://grafana.example.com/d/1"');
		expect(html).toContain('<em>5%</em>');
		expect(html).toContain('<div class="att-field short"><div class="att-field-title">Service</div><div class="att-field-value"><p><code>checkout</code></p>');
		expect(html).toContain('<div class="att-field"><div class="att-field-title">Summary</div>');
		expect(html).toContain('<div class="att-footer">Grafana</div>');
		const hex = page([post('p1', '', { props: { attachments: [{ color: '#ffbc1f', text: 'x' }, { color: 'red;background:url(x)', text: 'y' }] } })]);
		expect(hex).toContain('border-left-color:#ffbc1f');
		expect(hex).not.toContain('url(x)');
	});

	it('labels post priority, tags bots and webhook names, counts reactions and nests thread replies', () => {
		const root = post('root', 'Alert firing', { metadata: { priority: { priority: 'urgent' } } });
		const reply = post('reply', 'Resolved :white_check_mark:', { root_id: 'root', user_id: 'u-mira', props: {} });
		const hook = post('hook', 'Ticket #4711', { props: { from_webhook: 'true', override_username: 'Redmine Bot' } });
		const html = page([root, reply, hook], [
			{ post_id: 'root', user_id: 'u-mira', emoji_name: 'eyes', create_at: 1 },
			{ post_id: 'root', user_id: 'u-bot', emoji_name: 'eyes', create_at: 2 },
		] as DemoPageData['reactions']);
		expect(html).toContain('<span class="priority urgent">Urgent</span>');
		expect(html).toContain('<span class="author">devops-bot</span> <span class="bot-tag">BOT</span>');
		expect(html).toContain('<span class="author">Redmine Bot</span> <span class="bot-tag">BOT</span>');
		expect(html).toMatch(/<span class="reaction"><span class="emoji" title=":eyes:"[^>]*>👀<\/span> 2<\/span>/);
		const rootAt = html.indexOf('id="post-root"');
		const threadAt = html.indexOf('<div class="thread"><div class="thread-count">1 reply</div>', rootAt);
		expect(threadAt).toBeGreaterThan(rootAt);
		expect(html.indexOf('id="post-reply"')).toBeGreaterThan(threadAt);
		expect(html.indexOf('id="post-reply"')).toBeLessThan(html.indexOf('id="post-hook"'));
	});
});
