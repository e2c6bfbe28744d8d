import { Client4 } from '@mattermost/client';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sample, sampleSeed, startMattermostStandin, type MattermostStandin, type Post } from '../../playground/standin/mattermost';

const u = sample.users;
let mm: MattermostStandin;

beforeAll(async () => {
	mm = await startMattermostStandin({ seed: sampleSeed() });
});
afterAll(() => mm.stop());
beforeEach(() => mm.reset());

function client(token = sample.tokens.notifier): Client4 {
	const c = new Client4();
	c.setUrl(mm.url);
	c.setToken(token);
	return c;
}

interface Answer {
	status: number;
	contentType: string | null;
	headers: Headers;
	body: any;
}

async function call(method: string, path: string, body?: unknown, token: string | null = sample.tokens.notifier): Promise<Answer> {
	const headers: Record<string, string> = {};
	if (token) headers.Authorization = `Bearer ${token}`;
	if (body !== undefined) headers['Content-Type'] = 'application/json';
	const res = await fetch(mm.url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
	const text = await res.text();
	const contentType = res.headers.get('content-type');
	return { status: res.status, contentType, headers: res.headers, body: contentType === 'application/json' ? JSON.parse(text) : text };
}

const post = (body: Record<string, unknown>, token?: string) => call('POST', '/api/v4/posts', body, token);

function expectAppError(answer: Answer, status: number, id: string): void {
	expect(answer.status).toBe(status);
	expect(answer.contentType).toBe('application/json');
	expect(answer.body).toEqual({ id, message: expect.any(String), detailed_error: expect.any(String), request_id: expect.stringMatching(/^[a-z0-9]{26}$/), status_code: status });
}

describe('authentication', () => {
	it('accepts the bearer token in any case, as Client4 sends "BEARER"', async () => {
		expect((await client().getMe()).username).toBe('notifier');
		const res = await fetch(`${mm.url}/api/v4/users/me`, { headers: { authorization: `bearer ${sample.tokens.alice}` } });
		expect(res.headers.get('content-type')).toBe('application/json');
		expect(((await res.json()) as { username: string }).username).toBe('alice');
	});

	it.each([
		['an unknown token', 'not-a-token'],
		['a deactivated user', sample.tokens.erin],
		['no token', null],
	])('answers 401 with the session-expired AppError for %s', async (_label, token) => {
		const answer = await call('GET', '/api/v4/users/me', undefined, token);
		expectAppError(answer, 401, 'api.context.session_expired.app_error');
		expect(answer.body.message).toBe('Invalid or expired session, please login again.');
	});

	it('surfaces through Client4 as a ClientError carrying the server id and status', async () => {
		await expect(client('wrong').getMe()).rejects.toMatchObject({
			server_error_id: 'api.context.session_expired.app_error',
			status_code: 401,
		});
	});

	it('serves the limited client config without a session and MaxPostSize (a string) only with one', async () => {
		const answer = await call('GET', '/api/v4/config/client?format=old', undefined, null);
		expect(answer.status).toBe(200);
		expect(answer.body.MaxPostSize).toBeUndefined();
		expect((await call('GET', '/api/v4/config/client?format=old')).body.MaxPostSize).toBe('16383');
		expectAppError(await call('GET', '/api/v4/config/client', undefined, null), 501, 'api.config.client.old_format.app_error');
	});
});

describe('users', () => {
	it('looks users up by id, username and e-mail (case-insensitive), and 404s unknown ones', async () => {
		const c = client();
		expect((await c.getUser(u.bob)).username).toBe('bob');
		expect((await c.getUserByUsername('dave.d')).id).toBe(u.dave);
		expect((await c.getUserByEmail('carol.cook@EXAMPLE.test')).id).toBe(u.carol);
		expectAppError(await call('GET', '/api/v4/users/username/nobody'), 404, 'app.user.missing_account.const');
		expectAppError(await call('GET', '/api/v4/users/email/nobody@example.test'), 404, 'app.user.missing_account.const');
		expectAppError(await call('GET', `/api/v4/users/${'x'.repeat(26)}`), 404, 'app.user.missing_account.const');
	});

	it('rejects malformed ids and usernames with 400 like the real URL-param checks', async () => {
		expectAppError(await call('GET', '/api/v4/users/not-an-id'), 400, 'api.context.invalid_url_param.app_error');
		expectAppError(await call('GET', '/api/v4/users/username/Alice'), 400, 'api.context.invalid_param.app_error');
	});

	it('omits unknown usernames and ids from batch lookups silently', async () => {
		const byName = await client().getProfilesByUsernames(['alice', 'ghost', 'bob']);
		expect(byName.map((x) => x.username).sort()).toEqual(['alice', 'bob']);
		const byId = await client().getProfilesByIds([u.carol, 'z'.repeat(26)]);
		expect(byId.map((x) => x.id)).toEqual([u.carol]);
		expectAppError(await call('POST', '/api/v4/users/usernames', []), 400, 'api.context.invalid_body_param.app_error');
	});

	it('lists channel members as profiles and as membership rows, paginated', async () => {
		const profiles = await client().getProfilesInChannel(sample.releasesId, 0, 2);
		expect(profiles).toHaveLength(2);
		const rest = await client().getProfilesInChannel(sample.releasesId, 1, 2);
		expect([...profiles, ...rest].map((p) => p.username).sort()).toEqual(['alice', 'bob', 'notifier']);
		const rows = await client().getChannelMembers(sample.releasesId);
		expect(rows.map((r) => r.user_id).sort()).toEqual([u.alice, u.bob, u.notifier].sort());
		const inTeam = await call('GET', `/api/v4/users?in_team=${sample.teamId}&per_page=100`);
		expect(inTeam.body.map((p: { username: string }) => p.username)).toContain('erin');
		expect(inTeam.body.find((p: { username: string }) => p.username === 'notifier').is_bot).toBe(true);
	});
});

describe('teams and channels', () => {
	it('lists only the teams and channels the caller belongs to (bots see what they were added to)', async () => {
		expect((await client().getMyTeams()).map((t) => t.name)).toEqual(['devops']);
		const channels = await call('GET', `/api/v4/users/me/teams/${sample.teamId}/channels`);
		expect(channels.body.map((c: { name: string }) => c.name).sort()).toEqual(['releases', 'town-square']);
		expectAppError(await call('GET', `/api/v4/users/me/teams/${sample.otherTeamId}/channels`), 403, 'api.context.permissions.app_error');
		expectAppError(await call('GET', `/api/v4/users/${u.alice}/teams`), 403, 'api.context.permissions.app_error');
	});

	it('includes the caller\'s DM and group channels in the team channel list, like the real server', async () => {
		await client().createDirectChannel([u.notifier, u.bob]);
		const channels = await call('GET', `/api/v4/users/${u.notifier}/teams/${sample.teamId}/channels`);
		expect(channels.body.map((c: { type: string }) => c.type).sort()).toEqual(['D', 'O', 'P']);
	});

	it('finds channels by team name and channel name, and by team id', async () => {
		const c = client();
		expect((await c.getChannelByNameAndTeamName('devops', 'releases')).id).toBe(sample.releasesId);
		expect((await c.getChannelByName(sample.teamId, 'town-square')).id).toBe(sample.townSquareId);
		expect((await c.getTeamByName('devops')).id).toBe(sample.teamId);
		expectAppError(await call('GET', '/api/v4/teams/name/devops/channels/name/nope'), 404, 'app.channel.get_by_name.missing.app_error');
		expectAppError(await call('GET', '/api/v4/teams/name/nope'), 404, 'app.team.get_by_name.missing.app_error');
		// a public channel can be read by team members who have not joined it; a private one cannot
		expect((await c.getChannel(sample.opsAlertsId)).name).toBe('ops-alerts');
		expectAppError(await call('GET', `/api/v4/channels/${sample.releasesId}`, undefined, sample.tokens.carol), 403, 'api.context.permissions.app_error');
	});
});

describe('direct and group channels', () => {
	it('returns the same DM channel with 201 every time, named <smaller>__<larger>', async () => {
		const first = await call('POST', '/api/v4/channels/direct', [u.notifier, u.alice]);
		const second = await call('POST', '/api/v4/channels/direct', [u.alice, u.notifier]);
		expect([first.status, second.status]).toEqual([201, 201]);
		expect(second.body.id).toBe(first.body.id);
		expect(first.body).toMatchObject({ type: 'D', team_id: '', name: [u.notifier, u.alice].sort().join('__') });
		expect(mm.directChannelOf(u.alice, u.notifier)?.id).toBe(first.body.id);
		expect(mm.channels().filter((c) => c.type === 'D' && c.name === first.body.name)).toHaveLength(1);
	});

	it('refuses DMs the caller is not part of, and unknown users', async () => {
		expectAppError(await call('POST', '/api/v4/channels/direct', [u.alice, u.bob]), 403, 'api.context.permissions.app_error');
		expectAppError(await call('POST', '/api/v4/channels/direct', [u.notifier, 'q'.repeat(26)]), 400, 'api.channel.create_direct_channel.invalid_user.app_error');
		expectAppError(await call('POST', '/api/v4/channels/direct', [u.notifier, u.alice, u.bob]), 400, 'api.context.invalid_body_param.app_error');
	});

	it('opens a self-DM for [me, me]', async () => {
		expectAppError(await call('POST', '/api/v4/channels/direct', [u.notifier]), 400, 'api.context.invalid_body_param.app_error');
		const self = await call('POST', '/api/v4/channels/direct', [u.notifier, u.notifier]);
		expect(self.body.name).toBe(`${u.notifier}__${u.notifier}`);
	});

	it('creates group channels of 3 to 8 users, adding the caller, and returns the existing one', async () => {
		const first = await client().createGroupChannel([u.alice, u.bob]);
		const again = await client().createGroupChannel([u.bob, u.alice, u.notifier]);
		expect(again.id).toBe(first.id);
		expect(first).toMatchObject({ type: 'G', display_name: 'alice, bob, notifier' });
		expect(mm.groupChannelOf([u.alice, u.bob, u.notifier])?.id).toBe(first.id);
		expectAppError(await call('POST', '/api/v4/channels/group', [u.alice]), 400, 'api.channel.create_group.bad_size.app_error');
		expectAppError(await call('POST', '/api/v4/channels/group', [u.alice, u.erin]), 400, 'api.channel.create_group.bad_user.app_error');
	});
});

describe('posts', () => {
	it('creates posts with 201 and the real post fields; bot posts get from_bot', async () => {
		const answer = await post({ channel_id: sample.townSquareId, message: 'Deploy #prod done', props: { attachments: [{ text: 'x' }] } });
		expect(answer.status).toBe(201);
		expect(answer.body).toMatchObject({
			id: expect.stringMatching(/^[a-z0-9]{26}$/),
			user_id: u.notifier,
			channel_id: sample.townSquareId,
			root_id: '',
			message: 'Deploy #prod done',
			type: '',
			hashtags: '#prod',
			file_ids: [],
			edit_at: 0,
			delete_at: 0,
			reply_count: 0,
			metadata: {},
			props: { from_bot: 'true', attachments: [{ text: 'x' }] },
		});
		expect(answer.body.create_at).toBeGreaterThan(0);
		expect(mm.postsIn(sample.townSquareId)).toHaveLength(1);
	});

	it('refuses channels the caller is not a member of (bots must be added) and unknown channels alike with 403', async () => {
		expectAppError(await post({ channel_id: sample.opsAlertsId, message: 'hi' }), 403, 'api.context.permissions.app_error');
		expectAppError(await post({ channel_id: 'k'.repeat(26), message: 'hi' }), 403, 'api.context.permissions.app_error');
		expectAppError(await post({ message: 'hi' }), 400, 'api.context.invalid_body_param.app_error');
		expect(mm.posts()).toHaveLength(0);
	});

	it('accepts custom_ post types and refuses system_ and unknown ones', async () => {
		expect((await post({ channel_id: sample.townSquareId, message: 'c', type: 'custom_deploy' })).body.type).toBe('custom_deploy');
		expectAppError(await post({ channel_id: sample.townSquareId, message: 's', type: 'system_join_channel' }), 400, 'api.context.invalid_body_param.app_error');
		expectAppError(await post({ channel_id: sample.townSquareId, message: 'u', type: 'fancy' }), 400, 'model.post.is_valid.type.app_error');
	});

	it('posts into a DM for both members, but not into a DM with a deactivated user', async () => {
		const dm = await client().createDirectChannel([u.notifier, u.alice]);
		expect((await post({ channel_id: dm.id, message: 'hi' })).status).toBe(201);
		expect((await post({ channel_id: dm.id, message: 'back' }, sample.tokens.alice)).status).toBe(201);
		const dead = await client().createDirectChannel([u.notifier, u.erin]);
		expectAppError(await post({ channel_id: dead.id, message: 'hi' }), 400, 'api.post.create_post.can_not_post_to_deactivated.error');
	});

	describe('root_id', () => {
		let root: Post;
		beforeEach(async () => {
			root = (await post({ channel_id: sample.townSquareId, message: 'root' })).body;
		});

		it('accepts replies to a root post in the same channel and counts them', async () => {
			const reply = await post({ channel_id: sample.townSquareId, message: 'r1', root_id: root.id });
			expect(reply.status).toBe(201);
			await post({ channel_id: sample.townSquareId, message: 'r2', root_id: root.id });
			const thread = await client().getPostThread(root.id);
			expect(thread.order).toHaveLength(3);
			expect(thread.posts[root.id].reply_count).toBe(2);
		});

		it('rejects a reply to a reply and an unknown root with 400', async () => {
			const reply = (await post({ channel_id: sample.townSquareId, message: 'r1', root_id: root.id })).body;
			expectAppError(await post({ channel_id: sample.townSquareId, message: 'r2', root_id: reply.id }), 400, 'api.post.create_post.root_id.app_error');
			expectAppError(await post({ channel_id: sample.townSquareId, message: 'r2', root_id: 'w'.repeat(26) }), 400, 'api.post.create_post.root_id.app_error');
		});

		it('rejects a root from another channel with 400 and the server\'s own error id', async () => {
			expectAppError(await post({ channel_id: sample.releasesId, message: 'x', root_id: root.id }), 400, 'api.post.create_post.channel_root_id.app_error');
		});

		it('allows priority on root posts only', async () => {
			const urgent = await post({ channel_id: sample.townSquareId, message: 'p', metadata: { priority: { priority: 'urgent' } } });
			expect(urgent.body.metadata.priority).toEqual({ priority: 'urgent', requested_ack: false, persistent_notifications: false });
			const reply = await post({ channel_id: sample.townSquareId, message: 'p', root_id: root.id, metadata: { priority: { priority: 'important' } } });
			expectAppError(reply, 400, 'api.post.post_priority.priority_post_only_allowed_for_root_post.request_error');
		});
	});

	it('limits messages to MaxPostSize runes, counting code points, not UTF-16 units', async () => {
		expect((await post({ channel_id: sample.townSquareId, message: '🚀'.repeat(16383) })).status).toBe(201);
		expectAppError(await post({ channel_id: sample.townSquareId, message: 'a'.repeat(16384) }), 400, 'model.post.is_valid.message_length.app_error');
	});

	it('honours a smaller maxPostSize and reports it in the client config', async () => {
		const small = await startMattermostStandin({ seed: sampleSeed(), maxPostSize: 10 });
		try {
			const c = new Client4();
			c.setUrl(small.url);
			c.setToken(sample.tokens.notifier);
			expect((await c.getClientConfig()).MaxPostSize).toBe('10');
			await expect(c.createPost({ channel_id: sample.townSquareId, message: 'x'.repeat(11) })).rejects.toMatchObject({ status_code: 400 });
		} finally {
			await small.stop();
		}
	});

	it('accepts at most 10 file ids (the server limit, not the spec\'s 5)', async () => {
		const ids = Array.from({ length: 11 }, (_, i) => String(i).padStart(26, 'f'));
		expectAppError(await post({ channel_id: sample.townSquareId, message: 'f', file_ids: ids }), 400, 'model.post.is_valid.file_ids.app_error');
		const ten = await post({ channel_id: sample.townSquareId, message: 'f', file_ids: ids.slice(0, 10) });
		expect(ten.status).toBe(201);
		expect(ten.body.file_ids).toEqual([]); // not uploaded by this user: dropped silently
	});

	describe('pending_post_id', () => {
		it('returns the already-created post for a repeat within 30 s, as stored (pending_post_id blank, no metadata)', async () => {
			const first = await post({ channel_id: sample.townSquareId, message: 'once', pending_post_id: `${u.notifier}:1` });
			expect(first.body.pending_post_id).toBe(`${u.notifier}:1`);
			const again = await post({ channel_id: sample.townSquareId, message: 'once', pending_post_id: `${u.notifier}:1` });
			expect(again.status).toBe(201);
			expect(again.body).toMatchObject({ id: first.body.id, pending_post_id: '' });
			expect(again.body.metadata).toBeUndefined();
			expect(mm.posts()).toHaveLength(1);
		});

		it('keys on the raw id for anyone who can read the post, and forgets it after 30 s', async () => {
			const first = await post({ channel_id: sample.releasesId, message: 'a', pending_post_id: 'same' });
			const reader = await post({ channel_id: sample.townSquareId, message: 'a', pending_post_id: 'same' }, sample.tokens.alice);
			expect(reader.body.id).toBe(first.body.id);
			// carol cannot read the private channel, so the id is ignored for her
			const outsider = await post({ channel_id: sample.townSquareId, message: 'a', pending_post_id: 'same' }, sample.tokens.carol);
			expect(outsider.body.id).not.toBe(first.body.id);
			const realNow = Date.now();
			const clock = jest.spyOn(Date, 'now').mockReturnValue(realNow + 31_000);
			try {
				const later = await post({ channel_id: sample.townSquareId, message: 'a', pending_post_id: 'same' });
				expect(later.body.id).not.toBe(first.body.id);
			} finally {
				clock.mockRestore();
			}
			expect(mm.posts()).toHaveLength(3);
		});
	});

	it('patches only the author\'s posts and marks them edited', async () => {
		const created = (await post({ channel_id: sample.townSquareId, message: 'v1' })).body;
		const patched = await client().patchPost({ id: created.id, message: 'v2', props: { attachments: [] } });
		expect(patched).toMatchObject({ id: created.id, message: 'v2', props: { attachments: [], from_bot: 'true' } });
		expect(patched.edit_at).toBeGreaterThan(0);
		expectAppError(await call('PUT', `/api/v4/posts/${created.id}/patch`, { message: 'x' }, sample.tokens.alice), 403, 'api.context.permissions.app_error');
		expectAppError(await call('PUT', `/api/v4/posts/${'m'.repeat(26)}/patch`, { message: 'x' }), 403, 'api.context.permissions.app_error');
		expect((await client().getPost(created.id)).message).toBe('v2');
	});

	it('lists a channel\'s posts newest first', async () => {
		await post({ channel_id: sample.townSquareId, message: 'one' });
		await post({ channel_id: sample.townSquareId, message: 'two' });
		const list = await client().getPosts(sample.townSquareId);
		expect(list.order.map((id) => list.posts[id].message)).toEqual(['two', 'one']);
	});
});

describe('reactions and files', () => {
	it('saves reactions with 200 for the caller only', async () => {
		const created = (await post({ channel_id: sample.townSquareId, message: 'react' })).body;
		const answer = await call('POST', '/api/v4/reactions', { user_id: u.notifier, post_id: created.id, emoji_name: 'white_check_mark' });
		expect(answer.status).toBe(200);
		expect(answer.body).toMatchObject({ user_id: u.notifier, post_id: created.id, emoji_name: 'white_check_mark' });
		expectAppError(await call('POST', '/api/v4/reactions', { user_id: u.alice, post_id: created.id, emoji_name: 'x' }), 403, 'api.reaction.save_reaction.user_id.app_error');
		expectAppError(await call('POST', '/api/v4/reactions', { user_id: u.notifier, post_id: created.id, emoji_name: 'no way' }), 400, 'model.reaction.is_valid.emoji_name.app_error');
		// v11 lowercases names, so this is the same reaction again
		expect((await call('POST', '/api/v4/reactions', { user_id: u.notifier, post_id: created.id, emoji_name: 'White_Check_Mark' })).status).toBe(200);
		expect((await call('GET', `/api/v4/posts/${created.id}`)).body.has_reactions).toBe(true);
		expect(mm.reactions()).toHaveLength(1);
	});

	it('uploads multipart files (channel_id first) and attaches them to a post', async () => {
		const form = new FormData();
		form.append('channel_id', sample.townSquareId);
		form.append('files', new Blob([Buffer.from('log line\n')], { type: 'text/plain' }), 'build.log');
		form.append('files', new Blob([Buffer.from([1, 2, 3])]), 'data.bin');
		const uploaded = await client().uploadFile(form);
		expect(uploaded.file_infos.map((f) => [f.name, f.extension, f.size])).toEqual([
			['build.log', 'log', 9],
			['data.bin', 'bin', 3],
		]);
		const ids = uploaded.file_infos.map((f) => f.id);
		const created = (await post({ channel_id: sample.townSquareId, message: 'files', file_ids: ids })).body;
		expect(created.file_ids).toEqual(ids);
		expect(created.metadata.files).toHaveLength(2);
		expect(mm.files()[0].data.toString()).toBe('log line\n');
		// a file can be attached only once
		expect((await post({ channel_id: sample.townSquareId, message: 'again', file_ids: ids })).body.file_ids).toEqual([]);
	});

	it('refuses uploads to channels the caller is not in, and unknown form fields', async () => {
		const form = new FormData();
		form.append('channel_id', sample.opsAlertsId);
		form.append('files', new Blob(['x']), 'x.txt');
		await expect(client().uploadFile(form)).rejects.toMatchObject({ status_code: 403 });
		const odd = new FormData();
		odd.append('channel_id', sample.townSquareId);
		odd.append('file', new Blob(['x']), 'x.txt');
		await expect(client().uploadFile(odd)).rejects.toMatchObject({ status_code: 400 });
	});
});

describe('incoming webhooks', () => {
	const hook = (body: string | URLSearchParams | FormData, contentType?: string, id = sample.hookId) =>
		fetch(`${mm.url}/hooks/${id}`, { method: 'POST', body, headers: contentType ? { 'Content-Type': contentType } : {} });

	it('accepts JSON and answers 200 text/plain "ok"; name and icon overrides are ignored by default', async () => {
		const res = await hook(JSON.stringify({ text: 'hi', username: 'ci', icon_url: 'https://ci.example.test/i.png', props: { attachments: [{ text: 'dropped' }], k: 'v' } }), 'application/json');
		expect(res.status).toBe(200);
		const [created] = mm.postsIn(sample.townSquareId);
		expect(created.props).toEqual({ k: 'v', from_webhook: 'true', webhook_display_name: 'DevOps hook' });
	});

	it('applies name and icon overrides with EnablePostUsernameOverride and EnablePostIconOverride', async () => {
		mm.setSettings({ EnablePostUsernameOverride: true, EnablePostIconOverride: true });
		const res = await hook(JSON.stringify({ text: 'Build <!here> passed, see <https://ci.example.test/1|job 1>', username: 'ci', icon_url: 'https://ci.example.test/i.png', icon_emoji: ':ok:' }), 'application/json');
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toBe('text/plain');
		expect(await res.text()).toBe('ok');
		const [created] = mm.postsIn(sample.townSquareId);
		expect(created).toMatchObject({
			user_id: u.alice,
			message: 'Build @here passed, see [job 1](https://ci.example.test/1)',
			props: { from_webhook: 'true', override_username: 'ci', override_icon_url: 'https://ci.example.test/i.png', override_icon_emoji: ':ok:', webhook_display_name: 'DevOps hook' },
		});
	});

	it('accepts the form field payload=<json> and multipart fields', async () => {
		expect((await hook(new URLSearchParams({ payload: JSON.stringify({ text: 'form' }) }))).status).toBe(200);
		const form = new FormData();
		form.append('text', 'multi');
		expect((await hook(form)).status).toBe(200);
		expect(mm.posts().map((p) => p.message)).toEqual(['form', 'multi']);
	});

	it('puts top-level attachments into props.attachments, text optional then', async () => {
		expect((await hook(JSON.stringify({ attachments: [{ fallback: 'f', text: '<!channel> hi' }] }))).status).toBe(200);
		const [created] = mm.posts();
		expect(created.type).toBe('slack_attachment');
		expect(created.props.attachments).toEqual([{ fallback: 'f', text: '@channel hi' }]);
	});

	it('routes to another channel by name or to a DM by @username', async () => {
		await hook(JSON.stringify({ text: 'to ops', channel: 'ops-alerts' }));
		await hook(JSON.stringify({ text: 'to bob', channel: '@bob' }));
		expect(mm.postsIn(sample.opsAlertsId).map((p) => p.message)).toEqual(['to ops']);
		expect(mm.postsIn(mm.directChannelOf(u.alice, u.bob)!.id).map((p) => p.message)).toEqual(['to bob']);
	});

	it('splits text longer than MaxPostSize into consecutive posts', async () => {
		await hook(JSON.stringify({ text: 'a'.repeat(16383) + 'b'.repeat(10) }));
		expect(mm.posts().map((p) => p.message.length)).toEqual([16383, 10]);
	});

	it.each([
		['an unknown hook', JSON.stringify({ text: 'x' }), 'nope', 400],
		['no text and no attachments', JSON.stringify({ username: 'x' }), sample.hookId, 400],
		['no text, even for an unknown hook (the text is checked first)', JSON.stringify({}), 'nope', 400],
		['an unknown channel', JSON.stringify({ text: 'x', channel: 'nowhere' }), sample.hookId, 404],
		['a locked hook pointed elsewhere', JSON.stringify({ text: 'x', channel: 'town-square' }), sample.lockedHookId, 403],
	])('answers a JSON AppError for %s', async (_label, body, id, status) => {
		const res = await hook(body, 'application/json', id);
		expect(res.status).toBe(status);
		expect(res.headers.get('content-type')).toBe('application/json');
		expect(await res.json()).toMatchObject({
			id: 'web.incoming_webhook.general.app_error',
			message: `Failed to handle the payload of media type application/json for incoming webhook ${id}.`,
			detailed_error: '',
			status_code: status,
		});
		expect(mm.posts()).toHaveLength(0);
	});

	it('answers the wrapped 400 for invalid JSON, the inner error only in developer mode', async () => {
		const res = await hook('{text: nope', 'application/json');
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ id: 'web.incoming_webhook.general.app_error', detailed_error: '' });
		mm.setSettings({ EnableDeveloper: true });
		const again = await hook(JSON.stringify({}), 'application/json');
		expect(await again.json()).toMatchObject({ detailed_error: expect.stringContaining('web.incoming_webhook.text.app_error') });
	});

	it('caps webhook bodies at 300 000 bytes', async () => {
		expect((await hook(JSON.stringify({ text: 'x'.repeat(300_001) }), 'application/json')).status).toBe(413);
	});

	it('answers 500 for a post into an archived channel', async () => {
		mm.archiveChannel(sample.townSquareId);
		expect((await hook(JSON.stringify({ text: 'x' }), 'application/json')).status).toBe(500);
	});
});

describe('faults', () => {
	it('plays an explicit sequence: 429 (text/plain + rate-limit headers), 500 AppError, then ok', async () => {
		mm.setFaults({ sequence: ['429', '500', 'ok'], retryAfterSeconds: 3 });
		const limited = await call('GET', '/api/v4/users/me');
		expect(limited.status).toBe(429);
		expect(limited.contentType).toBe('text/plain');
		expect(limited.body).toBe('limit exceeded\n');
		expect(limited.headers.get('retry-after')).toBe('3');
		expect(limited.headers.get('x-ratelimit-reset')).toBe('3');
		expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
		expect(limited.headers.get('x-ratelimit-limit')).toBe('101');
		expect((await call('GET', '/api/v4/users/me')).body.status_code).toBe(500);
		expect((await call('GET', '/api/v4/users/me')).status).toBe(200);
		expect((await call('GET', '/api/v4/users/me')).status).toBe(200);
		expect(mm.faultsInjected).toEqual({ 429: 1, 500: 1, slow: 0, drop: 0, hang: 0 });
	});

	it('does not apply a rejected (429/500) post, so a retry is safe', async () => {
		mm.setFaults({ sequence: ['429', '500'] });
		await post({ channel_id: sample.townSquareId, message: 'x' });
		await post({ channel_id: sample.townSquareId, message: 'x' });
		expect(mm.posts()).toHaveLength(0);
	});

	it('injects the same faults for the same seed and rate', async () => {
		const pattern = async () => {
			mm.reset();
			mm.setFaults({ rate: 0.5, kinds: ['429', '500'], seed: 42 });
			const statuses: number[] = [];
			for (let i = 0; i < 20; i++) statuses.push((await call('GET', '/api/v4/users/me')).status);
			return statuses;
		};
		const first = await pattern();
		expect(await pattern()).toEqual(first);
		expect(first.filter((s) => s !== 200).length).toBeGreaterThan(3);
		expect(first.filter((s) => s === 200).length).toBeGreaterThan(3);
	});

	it('limits faults to matching requests', async () => {
		mm.setFaults({ rate: 1, kinds: ['500'], match: (method, path) => method === 'POST' && path === '/api/v4/posts' });
		expect((await call('GET', '/api/v4/users/me')).status).toBe(200);
		expect((await post({ channel_id: sample.townSquareId, message: 'x' })).status).toBe(500);
	});

	it('answers slowly but still applies the request', async () => {
		mm.setFaults({ sequence: ['slow'], slowMs: 50 });
		expect((await post({ channel_id: sample.townSquareId, message: 'late' })).status).toBe(201);
		expect(mm.requests[0]).toMatchObject({ fault: 'slow', status: 201 });
		expect(mm.posts()).toHaveLength(1);
	});

	it('drops the connection before the post is created when dropAfterEffect is 0', async () => {
		mm.setFaults({ sequence: ['drop'], dropAfterEffect: 0 });
		await expect(post({ channel_id: sample.townSquareId, message: 'lost' })).rejects.toThrow('fetch failed');
		expect(mm.posts()).toHaveLength(0);
		expect(mm.requests[0]).toMatchObject({ status: 0, fault: 'drop', tookEffect: false });
	});

	it('can drop the connection after the post was created, so blind retries duplicate it', async () => {
		mm.setFaults({ sequence: ['drop'], dropAfterEffect: 1 });
		const body = { channel_id: sample.townSquareId, message: 'created', pending_post_id: `${u.notifier}:77` };
		await expect(post(body)).rejects.toThrow('fetch failed');
		expect(mm.posts()).toHaveLength(1);
		expect(mm.requests[0]).toMatchObject({ status: 0, fault: 'drop', tookEffect: true });
		// a retry with the same pending_post_id gets the existing post back instead of a duplicate
		const retried = await post(body);
		expect(retried.body.id).toBe(mm.posts()[0].id);
		expect(mm.posts()).toHaveLength(1);
		expect(mm.faultsInjected.drop).toBe(1);
	});

	it('faults incoming webhooks too', async () => {
		mm.setFaults({ sequence: ['429'] });
		const res = await fetch(`${mm.url}/hooks/${sample.hookId}`, { method: 'POST', body: JSON.stringify({ text: 'x' }) });
		expect(res.status).toBe(429);
		expect(mm.posts()).toHaveLength(0);
	});

	it('validates fault options', () => {
		expect(() => mm.setFaults({ rate: 2 })).toThrow('between 0 and 1');
		expect(() => mm.setFaults({ sequence: ['boom' as never] })).toThrow("unknown fault kind 'boom'");
	});

	it('is cleared by reset() and clearFaults()', async () => {
		mm.setFaults({ rate: 1, kinds: ['500'] });
		mm.clearFaults();
		expect((await call('GET', '/api/v4/users/me')).status).toBe(200);
		mm.setFaults({ rate: 1, kinds: ['500'] });
		await call('GET', '/api/v4/users/me');
		mm.reset();
		expect(mm.faultsInjected['500']).toBe(0);
		expect((await call('GET', '/api/v4/users/me')).status).toBe(200);
	});
});

describe('recording', () => {
	it('records requests and responses with secrets redacted', async () => {
		await client().createPost({ channel_id: sample.townSquareId, message: 'rec' });
		await call('GET', '/api/v4/users/me?access_token=secret-value', undefined, null);
		const [created, byQuery] = mm.requests;
		expect(created).toMatchObject({
			method: 'POST',
			path: '/api/v4/posts',
			body: { channel_id: sample.townSquareId, message: 'rec' },
			status: 201,
			responseBody: { message: 'rec' },
			responseHeaders: { 'Content-Type': 'application/json' },
		});
		expect(created.headers.authorization).toBe('[redacted]');
		expect(byQuery.query.access_token).toBe('[redacted]');
		expect(JSON.stringify(mm.requests)).not.toMatch(/token-notifier|secret-value/);
	});

	it('appends one JSON line per request to the log file, without secrets', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'standin-log-'));
		const logFile = join(dir, 'requests.jsonl');
		const logged = await startMattermostStandin({ seed: sampleSeed(), logFile });
		try {
			await fetch(`${logged.url}/api/v4/users/me`, { headers: { Authorization: `Bearer ${sample.tokens.alice}` } });
			await fetch(`${logged.url}/hooks/${sample.hookId}`, { method: 'POST', body: JSON.stringify({ text: 'logged' }) });
			await fetch(`${logged.url}/__standin/posts`);
			const text = readFileSync(logFile, 'utf8');
			const lines = text.trim().split('\n').map((line) => JSON.parse(line));
			expect(lines.map((l) => [l.method, l.path, l.status])).toEqual([
				['GET', '/api/v4/users/me', 200],
				['POST', '/hooks/[redacted]', 200],
			]);
			expect(lines[1]).toMatchObject({ body: { text: 'logged' }, responseBody: 'ok' });
			expect(text).not.toContain(sample.tokens.alice);
			expect(text).not.toContain(sample.hookId);
		} finally {
			await logged.stop();
			rmSync(dir, { recursive: true, force: true });
		}
	});
});

describe('seed and reset', () => {
	it('adds users, channels and tokens at runtime and keeps them across reset()', async () => {
		const id = 'f'.repeat(26);
		mm.seed({ users: [{ id, username: 'frank', email: 'frank@example.test' }], tokens: { 'token-frank': id }, members: { [sample.townSquareId]: [id] } });
		await post({ channel_id: sample.townSquareId, message: 'x' }, 'token-frank');
		mm.reset();
		expect(mm.posts()).toHaveLength(0);
		expect(mm.requests).toHaveLength(0);
		expect((await post({ channel_id: sample.townSquareId, message: 'y' }, 'token-frank')).status).toBe(201);
	});

	it('keeps DM channels on reset(), as a real server never deletes them, but forgets their posts', async () => {
		const dm = await client().createDirectChannel([u.notifier, u.bob]);
		await post({ channel_id: dm.id, message: 'before reset' });
		mm.reset();
		expect(mm.directChannelOf(u.notifier, u.bob)?.id).toBe(dm.id);
		expect(mm.postsIn(dm.id)).toHaveLength(0);
		expect((await post({ channel_id: dm.id, message: 'after reset' })).status).toBe(201);
	});

	it('rejects ids that do not look like Mattermost ids, naming them', () => {
		expect(() => mm.seed({ users: [{ id: 'u-1', username: 'x', email: 'x@example.test' }] })).toThrow("user id 'u-1' is not a Mattermost id");
		expect(() => mm.seed({ members: { ['c'.repeat(26)]: [u.alice] } })).toThrow('unknown channel');
	});
});

describe('secrets in the record', () => {
	it('keeps incoming-webhook ids out of recorded paths and the log, as they authorise posting', async () => {
		mm.reset();
		const response = await fetch(`${mm.url}/hooks/${sample.hookId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'hi' }) });
		expect(response.status).toBe(200);
		const [request] = mm.requests.filter((r) => r.path.startsWith('/hooks/'));
		expect(request.path).toBe('/hooks/[redacted]');
		expect(JSON.stringify(mm.requests)).not.toContain(sample.hookId);
	});
});

describe('server settings (real defaults, real error ids)', () => {
	const dave = () => client().getUserByUsername('dave.d');

	it('starts with a stock server’s defaults and reports them in the client config; reset() restores them', async () => {
		expect(mm.settings()).toMatchObject({ PostPriority: true, PostEditTimeLimit: -1, RestrictDirectMessage: 'any', ShowEmailAddress: true, EnablePostUsernameOverride: false, EnableDeveloper: false });
		mm.setSettings({ PostPriority: false, PostEditTimeLimit: 300 });
		const config = (await call('GET', '/api/v4/config/client?format=old')).body;
		expect(config).toMatchObject({ PostPriority: 'false', PostEditTimeLimit: '300', RestrictDirectMessage: 'any', ShowEmailAddress: 'true' });
		mm.reset();
		expect(mm.settings().PostPriority).toBe(true);
		expect(() => mm.setSettings({ PostPriorty: false } as never)).toThrow("unknown stand-in setting 'PostPriorty'");
	});

	it('PostPriority off rejects the whole post that carries a priority (403), not just the label', async () => {
		mm.setSettings({ PostPriority: false });
		const answer = await post({ channel_id: sample.townSquareId, message: 'urgent', metadata: { priority: { priority: 'urgent' } } });
		expectAppError(answer, 403, 'api.post.post_priority.priority_post_not_allowed_for_user.request_error');
		expect((await post({ channel_id: sample.townSquareId, message: 'plain' })).status).toBe(201);
		expect(mm.posts().map((p) => p.message)).toEqual(['plain']);
	});

	it('PostEditTimeLimit refuses a message patch on an older post (400), props-only patches still pass', async () => {
		mm.setSettings({ PostEditTimeLimit: 60 });
		const created = (await post({ channel_id: sample.townSquareId, message: 'root' })).body;
		expect((await call('PUT', `/api/v4/posts/${created.id}/patch`, { message: 'fresh edit' })).status).toBe(200);
		mm.backdatePost(created.id, 600_000);
		expectAppError(await call('PUT', `/api/v4/posts/${created.id}/patch`, { message: 'late edit' }), 400, 'api.post.update_post.permissions_time_limit.app_error');
		expect((await call('PUT', `/api/v4/posts/${created.id}/patch`, { props: { k: 'v' } })).status).toBe(200);
	});

	it('RestrictDirectMessage=team: no new DM without a common team (403), no post into an existing one (400), bots included', async () => {
		const frank = { id: 'h'.repeat(26), username: 'hana', email: 'hana@sales.example.test' };
		mm.seed({ users: [frank], teamMembers: { [sample.otherTeamId]: [frank.id] } });
		const existing = (await call('POST', '/api/v4/channels/direct', [u.notifier, u.alice])).body;
		mm.setSettings({ RestrictDirectMessage: 'team' });
		expectAppError(await call('POST', '/api/v4/channels/direct', [u.notifier, frank.id]), 403, 'api.channel.create_channel.direct_channel.team_restricted_error');
		expect((await call('POST', '/api/v4/channels/direct', [u.notifier, u.bob])).status).toBe(201);
		expect((await post({ channel_id: existing.id, message: 'shares devops' })).status).toBe(201);
		mm.setSettings({ RestrictDirectMessage: 'any' });
		const withFrank = (await call('POST', '/api/v4/channels/direct', [u.notifier, frank.id])).body;
		mm.setSettings({ RestrictDirectMessage: 'team' });
		expectAppError(await post({ channel_id: withFrank.id, message: 'no common team' }), 400, 'api.post.create_post.can_not_post_in_restricted_dm.error');
	});

	it('ShowEmailAddress off: users/email answers 403 even for existing users, and e-mails are blank', async () => {
		mm.setSettings({ ShowEmailAddress: false });
		expectAppError(await call('GET', '/api/v4/users/email/alice@example.test'), 403, 'api.user.get_user_by_email.permissions.app_error');
		expect((await dave()).email).toBe('');
		expect((await client().getMe()).email).toBe('notifier@bots.example.test');
	});

	it('enforced MFA: a personal token of a user without MFA passes GET users/me only (403 elsewhere); bots are exempt', async () => {
		mm.setSettings({ EnforceMultifactorAuthentication: true });
		expect((await call('GET', '/api/v4/users/me', undefined, sample.tokens.alice)).status).toBe(200);
		expectAppError(await call('GET', '/api/v4/users/me/teams', undefined, sample.tokens.alice), 403, 'api.context.mfa_required.app_error');
		expect((await call('GET', '/api/v4/users/me/teams')).status).toBe(200);
	});

	it('EnableFileAttachments off answers 403; MaxFileSize limits the whole upload request, not each file', async () => {
		const small = await startMattermostStandin({ seed: sampleSeed(), maxFileSize: 1000 });
		try {
			const upload = async (sizes: number[]) => {
				const form = new FormData();
				form.append('channel_id', sample.townSquareId);
				sizes.forEach((size, i) => form.append('files', new Blob(['x'.repeat(size)]), `f${i}.txt`));
				const res = await fetch(`${small.url}/api/v4/files`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${sample.tokens.notifier}` } });
				return { status: res.status, body: (await res.json()) as { id: string } };
			};
			expect((await upload([600])).status).toBe(201);
			const both = await upload([600, 600]);
			expect([both.status, both.body.id]).toEqual([413, 'api.file.upload_file.too_large_detailed.app_error']);
			small.setSettings({ EnableFileAttachments: false });
			const off = await upload([10]);
			expect([off.status, off.body.id]).toEqual([403, 'api.file.attachments.disabled.app_error']);
		} finally {
			await small.stop();
		}
	});

	it('blanks detailed_error unless EnableDeveloper', async () => {
		const bad = await call('POST', '/api/v4/files', undefined);
		expect(bad.body.detailed_error).toBe('');
	});

	it('hides what a 5xx was in hardened mode (no id, "Internal Server Error")', async () => {
		mm.setSettings({ ExperimentalEnableHardenedMode: true });
		mm.setFaults({ sequence: ['500'] });
		const answer = await call('GET', '/api/v4/users/me');
		expect([answer.status, answer.body.id, answer.body.message]).toEqual([500, '', 'Internal Server Error']);
	});
});

describe('deleted posts, archived channels, membership', () => {
	it('DELETE posts/{id} soft-deletes a root and its replies; replying to the deleted root is a 400 root_id error', async () => {
		const root = (await post({ channel_id: sample.townSquareId, message: 'root' })).body;
		await post({ channel_id: sample.townSquareId, message: 'reply', root_id: root.id });
		const answer = await call('DELETE', `/api/v4/posts/${root.id}`);
		expect([answer.status, answer.body]).toEqual([200, { status: 'OK' }]);
		expect(mm.postsIn(sample.townSquareId).map((p) => p.delete_at > 0)).toEqual([true, true]);
		expectAppError(await post({ channel_id: sample.townSquareId, message: 'late', root_id: root.id }), 400, 'api.post.create_post.root_id.app_error');
		expectAppError(await call('GET', `/api/v4/posts/${root.id}`), 404, 'app.post.get.app_error');
		expect((await call('GET', `/api/v4/channels/${sample.townSquareId}/posts`)).body.order).toEqual([]);
	});

	it('only the author (or an admin) may delete a post; an unknown post is a 403', async () => {
		const root = (await post({ channel_id: sample.townSquareId, message: 'root' })).body;
		expectAppError(await call('DELETE', `/api/v4/posts/${root.id}`, undefined, sample.tokens.alice), 403, 'api.context.permissions.app_error');
		expectAppError(await call('DELETE', `/api/v4/posts/${'k'.repeat(26)}`), 403, 'api.context.permissions.app_error');
	});

	it('refuses posts into an archived channel (400) and hides it by name', async () => {
		mm.archiveChannel(sample.townSquareId);
		expectAppError(await post({ channel_id: sample.townSquareId, message: 'x' }), 400, 'api.post.create_post.can_not_post_to_deleted.error');
		expectAppError(await call('GET', '/api/v4/teams/name/devops/channels/name/town-square'), 404, 'app.channel.get_by_name.missing.app_error');
		mm.reset();
		expect((await post({ channel_id: sample.townSquareId, message: 'x' })).status).toBe(201);
	});

	it('lists a channel’s members only for its members (403 for a public channel the caller has not joined)', async () => {
		expectAppError(await call('GET', `/api/v4/users?in_channel=${sample.opsAlertsId}`), 403, 'api.context.permissions.app_error');
		expect((await call('GET', `/api/v4/users?in_channel=${sample.townSquareId}`)).status).toBe(200);
	});

	it('answers a private channel by name to a non-member with 404, as if it did not exist', async () => {
		expectAppError(await call('GET', '/api/v4/teams/name/devops/channels/name/releases', undefined, sample.tokens.carol), 404, 'app.channel.get_by_name.missing.app_error');
	});

	it('holds a post in flight (hang fault): repeats with its pending_post_id get 500 pending until it is saved', async () => {
		mm.setFaults({ sequence: ['hang'], slowMs: 400 });
		const body = { channel_id: sample.townSquareId, message: 'once', pending_post_id: `${u.notifier}:abc` };
		const first = post(body);
		await new Promise((resolve) => setTimeout(resolve, 100));
		expectAppError(await post(body), 500, 'api.post.deduplicate_create_post.pending');
		expect((await first).status).toBe(201);
		const repeat = await post(body);
		expect([repeat.status, repeat.body.id]).toEqual([201, (await first).body.id]);
		expect(mm.posts()).toHaveLength(1);
	});
});

describe('pending_post_id on a cluster', () => {
	it('forgetPendingPostIds: a repeat is not deduplicated, as on another node without a shared cache', async () => {
		mm.setFaults({ forgetPendingPostIds: true });
		const body = { channel_id: sample.townSquareId, message: 'twice', pending_post_id: `${u.notifier}:cluster` };
		const first = await post(body);
		const second = await post(body);
		expect(second.body.id).not.toBe(first.body.id);
		expect(mm.posts()).toHaveLength(2);
	});
});

describe('posts since a time', () => {
	it('lists changed posts, deleted ones included with their content emptied', async () => {
		const since = Date.now() - 1000;
		const kept = (await post({ channel_id: sample.townSquareId, message: 'kept' })).body;
		const gone = (await post({ channel_id: sample.townSquareId, message: 'gone', props: { k: 'v' } })).body;
		mm.deletePost(gone.id);
		const list = (await call('GET', `/api/v4/channels/${sample.townSquareId}/posts?since=${since}`)).body;
		expect(list.posts[kept.id].message).toBe('kept');
		expect(list.posts[gone.id]).toMatchObject({ message: '', props: {}, delete_at: expect.any(Number) });
	});
});
