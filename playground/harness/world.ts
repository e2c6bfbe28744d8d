/**
 * The people, channels, tickets and secrets the stand-ins are seeded with, shared by e2e, demo, reliability and
 * bench. GitLab and Mattermost usernames match (that is how the Recipient Resolver finds people without a mapping),
 * except for one GitLab user who has no Mattermost account (the "unmapped" case).
 */
import { randomBytes } from 'node:crypto';
import { idFor } from '../standin/mattermost/ids';
import type { StandinSeed } from '../standin/mattermost/state';
import type { GitlabSeed } from '../standin/gitlab';
import type { RedmineIssue, RedmineSeed } from '../standin/redmine';

export interface Person {
	key: string;
	/** Same username on GitLab and (when `mattermost`) on Mattermost. */
	username: string;
	name: string;
	email: string;
	gitlabId: number;
	/** Mattermost user id; undefined for people without a Mattermost account. */
	mattermostId?: string;
}


export interface Secrets {
	botToken: string;
	gitlabWebhookToken: string;
	gitlabApiToken: string;
	commandToken: string;
	redmineApiKey: string;
	incomingHookId: string;
	grafanaToken: string;
	/** What Redmine's webhook plugin puts in the URL (`?token=`): it cannot send headers. */
	redmineWebhookToken: string;
	/** Signs the alerts workflow's buttons (Mattermost Interaction API credential). */
	interactionSecret: string;
}

export interface World {
	team: { id: string; name: string; display_name: string };
	bot: { id: string; username: string };
	people: Record<string, Person>;
	/** channel name → id, in `team` */
	channels: Record<string, string>;
	secrets: Secrets;
	mattermostSeed: StandinSeed;
	gitlabSeed: GitlabSeed;
	redmineSeed: RedmineSeed;
}

const PEOPLE: Array<Omit<Person, 'mattermostId'> & { onMattermost: boolean }> = [
	{ key: 'author', username: 'maya.lindqvist', name: 'Maya Lindqvist', email: 'maya.lindqvist@example.test', gitlabId: 4101, onMattermost: true },
	{ key: 'reviewer', username: 'tomas.ferreira', name: 'Tomás Ferreira', email: 'tomas.ferreira@example.test', gitlabId: 4102, onMattermost: true },
	{ key: 'assignee', username: 'ines.kowalczyk', name: 'Ines Kowalczyk', email: 'ines.kowalczyk@example.test', gitlabId: 4103, onMattermost: true },
	{ key: 'mentioned', username: 'ravi.okafor', name: 'Ravi Okafor', email: 'ravi.okafor@example.test', gitlabId: 4104, onMattermost: true },
	{ key: 'pipeline', username: 'lena.brandt', name: 'Lena Brandt', email: 'lena.brandt@example.test', gitlabId: 4105, onMattermost: true },
	{ key: 'commenter', username: 'jonas.weber', name: 'Jonas Weber', email: 'jonas.weber@example.test', gitlabId: 4106, onMattermost: true },
	{ key: 'unmapped', username: 'contractor.qa', name: 'External QA', email: 'qa@contractor.example.test', gitlabId: 4199, onMattermost: false },
];

/** Channels every workflow set is likely to use; channels named in the workflows are added by `addChannels`. */
export const DEFAULT_CHANNELS = ['town-square', 'dev', 'alerts', 'tickets', 'gitlab-notifications'];

export const TEAM_NAME = 'devops';

const secret = (prefix: string) => `${prefix}${randomBytes(12).toString('hex')}`;

export function makeWorld(options: { extraPeople?: number; secrets?: Partial<Secrets> } = {}): World {
	const team = { id: idFor('team:devops'), name: TEAM_NAME, display_name: 'DevOps' };
	const bot = { id: idFor('user:devops-bot'), username: 'devops-bot' };
	const secrets: Secrets = {
		botToken: secret('mmbot'),
		gitlabWebhookToken: secret('glhook'),
		gitlabApiToken: secret('glpat-'),
		commandToken: secret('mmcmd'),
		redmineApiKey: secret('rmkey'),
		incomingHookId: idFor('hook:redmine-tickets'),
		grafanaToken: secret('grafana'),
		redmineWebhookToken: secret('rmhook'),
		interactionSecret: secret('mmint'),
		...options.secrets,
	};
	const all = [...PEOPLE];
	// Bench and reliability runs need more people than the named cast.
	for (let i = 1; i <= (options.extraPeople ?? 0); i++) {
		const n = String(i).padStart(4, '0');
		all.push({ key: `person${n}`, username: `dev${n}`, name: `Developer ${n}`, email: `dev${n}@example.test`, gitlabId: 5000 + i, onMattermost: true });
	}
	const people: Record<string, Person> = {};
	for (const p of all) {
		people[p.key] = {
			key: p.key,
			username: p.username,
			name: p.name,
			email: p.email,
			gitlabId: p.gitlabId,
			mattermostId: p.onMattermost ? idFor(`user:${p.username}`) : undefined,
		};
	}
	const mmUsers = Object.values(people).filter((p) => p.mattermostId);
	const mattermostSeed: StandinSeed = {
		users: [
			{ id: bot.id, username: bot.username, email: 'devops-bot@example.test', first_name: 'DevOps', last_name: 'Bot', is_bot: true },
			...mmUsers.map((p) => ({
				id: p.mattermostId as string,
				username: p.username,
				email: p.email,
				first_name: p.name.split(' ')[0],
				last_name: p.name.split(' ').slice(1).join(' '),
			})),
		],
		tokens: { [secrets.botToken]: bot.id },
		teams: [team],
		channels: [],
		members: {},
		teamMembers: { [team.id]: [bot.id, ...mmUsers.map((p) => p.mattermostId as string)] },
		incomingHooks: {},
	};
	const world: World = {
		team,
		bot,
		people,
		channels: {},
		secrets,
		mattermostSeed,
		gitlabSeed: {
			users: [
				// The lookup token belongs to a bot account, as recommended in the README (read_user scope).
				{ id: 4000, username: 'devops-bot', name: 'DevOps Bot', bot: true },
				...Object.values(people).map((p) => ({ id: p.gitlabId, username: p.username, name: p.name, email: p.email, public_email: p.email })),
			],
			tokens: { [secrets.gitlabApiToken]: 4000 },
		},
		redmineSeed: {
			apiKeys: [secrets.redmineApiKey],
			projects: [{ id: 7, identifier: 'webshop', name: 'Webshop' }],
			issues: sampleIssues(),
			apiUser: { id: 21, name: 'DevOps Bot' },
		},
	};
	addChannels(world, DEFAULT_CHANNELS.map((name) => ({ team: TEAM_NAME, name })));
	const ticketsId = world.channels.tickets;
	mattermostSeed.incomingHooks[secrets.incomingHookId] = { channel_id: ticketsId, user_id: bot.id, display_name: 'Redmine tickets' };
	return world;
}

/**
 * Adds channels (by name, or with a fixed id when a workflow names the channel by id) with the bot and every
 * Mattermost user as members.
 */
export function addChannels(world: World, channels: Array<{ team: string; name: string; id?: string }>): void {
	const memberIds = world.mattermostSeed.teamMembers[world.team.id];
	for (const channel of channels) {
		if (channel.team !== world.team.name && channel.team !== world.team.id) {
			// A workflow naming another team: create that team too, with the same members.
			if (!world.mattermostSeed.teams.some((t) => t.name === channel.team)) {
				const team = { id: idFor(`team:${channel.team}`), name: channel.team, display_name: channel.team };
				world.mattermostSeed.teams.push(team);
				world.mattermostSeed.teamMembers[team.id] = [...memberIds];
			}
		}
		const team = world.mattermostSeed.teams.find((t) => t.name === channel.team || t.id === channel.team) ?? world.team;
		const existing = world.mattermostSeed.channels.find((c) => c.team_id === team.id && (c.name === channel.name || c.id === channel.id));
		if (existing) continue;
		const id = channel.id ?? idFor(`channel:${team.name}/${channel.name}`);
		world.mattermostSeed.channels.push({ id, team_id: team.id, name: channel.name, display_name: displayName(channel.name), type: 'O' });
		world.mattermostSeed.members[id] = [...memberIds];
		if (team.id === world.team.id) world.channels[channel.name] = id;
	}
}

function displayName(name: string): string {
	return name
		.split(/[-_]/)
		.map((part) => part.charAt(0).toUpperCase() + part.slice(1))
		.join(' ');
}

function sampleIssues(): RedmineIssue[] {
	const base = {
		project: { id: 7, name: 'Webshop' },
		status: { id: 2, name: 'In Progress' },
		author: { id: 31, name: 'Maya Lindqvist' },
		done_ratio: 40,
		created_on: '2026-11-02T08:15:00Z',
		updated_on: '2026-11-20T14:05:00Z',
	};
	return [
		{
			...base,
			id: 123,
			tracker: { id: 1, name: 'Bug' },
			priority: { id: 3, name: 'High' },
			assigned_to: { id: 33, name: 'Ines Kowalczyk' },
			subject: 'Checkout total ignores the voucher',
			description: 'Applying a voucher shows the discount in the cart but the order total stays unchanged.',
		},
		{
			...base,
			id: 124,
			tracker: { id: 2, name: 'Feature' },
			priority: { id: 2, name: 'Normal' },
			status: { id: 1, name: 'New' },
			subject: 'Export invoices as CSV',
			description: 'Accounting wants a CSV export of the monthly invoices.',
			done_ratio: 0,
		},
	];
}
