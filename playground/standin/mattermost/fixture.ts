import { idFor } from './ids';
import type { StandinSeed } from './state';

/**
 * A small ready-made world for tests and demos: a team `devops` with a public `town-square`, a private `releases`
 * and a public `ops-alerts` the bot is NOT in; people alice, bob, carol, dave, erin (deactivated); the bot `notifier`.
 * Tokens: `token-notifier` (bot), `token-alice` and `token-carol` (personal access tokens), `token-erin` (deactivated, always 401).
 * Incoming hook `hook-devops` posts to town-square as alice.
 */
export const sample = {
	teamId: idFor('team:devops'),
	otherTeamId: idFor('team:sales'),
	townSquareId: idFor('channel:devops/town-square'),
	releasesId: idFor('channel:devops/releases'),
	opsAlertsId: idFor('channel:devops/ops-alerts'),
	salesChannelId: idFor('channel:sales/leads'),
	users: {
		notifier: idFor('user:notifier'),
		alice: idFor('user:alice'),
		bob: idFor('user:bob'),
		carol: idFor('user:carol'),
		dave: idFor('user:dave'),
		erin: idFor('user:erin'),
	},
	tokens: { notifier: 'token-notifier', alice: 'token-alice', carol: 'token-carol', erin: 'token-erin' },
	hookId: 'hook-devops',
	lockedHookId: 'hook-releases-locked',
};

export function sampleSeed(): StandinSeed {
	const u = sample.users;
	return {
		users: [
			{ id: u.notifier, username: 'notifier', email: 'notifier@bots.example.test', first_name: 'Notifier', is_bot: true },
			{ id: u.alice, username: 'alice', email: 'alice@example.test', first_name: 'Alice', last_name: 'Archer' },
			{ id: u.bob, username: 'bob', email: 'bob@example.test', first_name: 'Bob', last_name: 'Baker' },
			{ id: u.carol, username: 'carol', email: 'Carol.Cook@example.test', first_name: 'Carol', last_name: 'Cook' },
			{ id: u.dave, username: 'dave.d', email: 'dave@example.test' },
			{ id: u.erin, username: 'erin', email: 'erin@example.test', delete_at: 1_700_000_100_000 },
		],
		tokens: { [sample.tokens.notifier]: u.notifier, [sample.tokens.alice]: u.alice, [sample.tokens.carol]: u.carol, [sample.tokens.erin]: u.erin },
		teams: [
			{ id: sample.teamId, name: 'devops', display_name: 'DevOps' },
			{ id: sample.otherTeamId, name: 'sales', display_name: 'Sales' },
		],
		channels: [
			{ id: sample.townSquareId, team_id: sample.teamId, name: 'town-square', display_name: 'Town Square', type: 'O' },
			{ id: sample.releasesId, team_id: sample.teamId, name: 'releases', display_name: 'Releases', type: 'P' },
			{ id: sample.opsAlertsId, team_id: sample.teamId, name: 'ops-alerts', display_name: 'Ops Alerts', type: 'O' },
			{ id: sample.salesChannelId, team_id: sample.otherTeamId, name: 'leads', display_name: 'Leads', type: 'O' },
		],
		members: {
			[sample.townSquareId]: [u.notifier, u.alice, u.bob, u.carol, u.dave],
			[sample.releasesId]: [u.notifier, u.alice, u.bob],
			[sample.opsAlertsId]: [u.alice, u.carol],
			[sample.salesChannelId]: [u.dave],
		},
		teamMembers: { [sample.teamId]: [u.erin] },
		incomingHooks: {
			[sample.hookId]: { channel_id: sample.townSquareId, user_id: u.alice, display_name: 'DevOps hook' },
			[sample.lockedHookId]: { channel_id: sample.releasesId, user_id: u.alice, channel_locked: true },
		},
	};
}
