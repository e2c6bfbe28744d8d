/**
 * Events as the real senders send them (own names and texts, in the shapes of GitLab's, Grafana's, Alertmanager's,
 * redmine_webhook's and Mattermost's documented payloads), with their real headers. Shared by the e2e suite,
 * `npm run demo:events`, the reliability suite and the benchmarks.
 */
import { randomUUID } from 'node:crypto';
import type { Person, World } from './harness/world';

export interface HttpEvent {
	path: string;
	headers: Record<string, string>;
	json?: unknown;
	form?: Record<string, string>;
}

export const GITLAB_PROJECT = {
	id: 310,
	name: 'Webshop',
	description: 'The shop front end',
	web_url: 'https://gitlab.example.test/acme/webshop',
	avatar_url: null,
	git_ssh_url: 'git@gitlab.example.test:acme/webshop.git',
	git_http_url: 'https://gitlab.example.test/acme/webshop.git',
	namespace: 'Acme',
	visibility_level: 10,
	path_with_namespace: 'acme/webshop',
	default_branch: 'main',
	ci_config_path: '',
	homepage: 'https://gitlab.example.test/acme/webshop',
	url: 'git@gitlab.example.test:acme/webshop.git',
	ssh_url: 'git@gitlab.example.test:acme/webshop.git',
	http_url: 'https://gitlab.example.test/acme/webshop.git',
};

const gitlabUser = (p: Person, withEmail = true) => ({
	id: p.gitlabId,
	name: p.name,
	username: p.username,
	avatar_url: `https://gitlab.example.test/uploads/-/system/user/avatar/${p.gitlabId}/avatar.png`,
	email: withEmail ? '[REDACTED]' : undefined,
});

const userRef = (p: Person) => ({ id: p.gitlabId, name: p.name, username: p.username, avatar_url: gitlabUser(p).avatar_url });

/** GitLab's webhook headers. A re-sent delivery keeps its Idempotency-Key and event UUID (GitLab ≥ 17.4). */
export function gitlabHeaders(eventHeader: string, token: string, delivery: string = randomUUID()): Record<string, string> {
	return {
		'User-Agent': 'GitLab/17.5.2',
		'X-Gitlab-Event': eventHeader,
		'X-Gitlab-Token': token,
		'X-Gitlab-Instance': 'https://gitlab.example.test',
		'X-Gitlab-Webhook-UUID': '4b1f3a90-8d4e-4a5c-9a86-6f0d8e2b7c11',
		'X-Gitlab-Event-UUID': delivery,
		'Idempotency-Key': delivery,
	};
}

export interface MergeRequestSpec {
	iid: number;
	title: string;
	author: Person;
	reviewers: Person[];
	assignees: Person[];
	actor?: Person;
	description?: string;
}

const TIME = (minute: number) => `2026-11-20T10:${String(minute).padStart(2, '0')}:00Z`;

function mergeRequestAttributes(mr: MergeRequestSpec, action: string, draft: boolean, state: string, minute: number) {
	return {
		id: 90_000 + mr.iid,
		iid: mr.iid,
		target_branch: 'main',
		source_branch: `feature/mr-${mr.iid}`,
		source_project_id: GITLAB_PROJECT.id,
		author_id: mr.author.gitlabId,
		assignee_ids: mr.assignees.map((p) => p.gitlabId),
		assignee_id: mr.assignees[0]?.gitlabId ?? null,
		reviewer_ids: mr.reviewers.map((p) => p.gitlabId),
		title: draft ? `Draft: ${mr.title}` : mr.title,
		created_at: TIME(0),
		updated_at: TIME(minute),
		last_edited_at: TIME(minute),
		milestone_id: null,
		state_id: state === 'merged' ? 3 : 1,
		state,
		blocking_discussions_resolved: true,
		work_in_progress: draft,
		draft,
		first_contribution: false,
		merge_status: 'can_be_merged',
		target_project_id: GITLAB_PROJECT.id,
		description: mr.description ?? 'Rounds the voucher discount before the total is computed.',
		url: `${GITLAB_PROJECT.web_url}/-/merge_requests/${mr.iid}`,
		labels: [],
		action,
		detailed_merge_status: 'mergeable',
	};
}

/** A Merge Request Hook: `open` (draft or not), `ready` (update with changes.draft true→false), `merge`. */
export function mergeRequestEvent(world: World, mr: MergeRequestSpec, kind: 'open-draft' | 'open' | 'ready' | 'merge', delivery?: string): HttpEvent {
	const draft = kind === 'open-draft';
	const action = kind === 'ready' ? 'update' : kind === 'merge' ? 'merge' : 'open';
	const minute = { 'open-draft': 1, open: 1, ready: 5, merge: 30 }[kind];
	const payload: Record<string, unknown> = {
		object_kind: 'merge_request',
		event_type: 'merge_request',
		user: gitlabUser(mr.actor ?? mr.author),
		project: GITLAB_PROJECT,
		repository: { name: GITLAB_PROJECT.name, url: GITLAB_PROJECT.url, description: GITLAB_PROJECT.description, homepage: GITLAB_PROJECT.homepage },
		object_attributes: mergeRequestAttributes(mr, action, draft, kind === 'merge' ? 'merged' : 'opened', minute),
		labels: [],
		changes:
			kind === 'ready'
				? {
						draft: { previous: true, current: false },
						title: { previous: `Draft: ${mr.title}`, current: mr.title },
						updated_at: { previous: TIME(1), current: TIME(minute) },
					}
				: kind === 'merge'
					? { state_id: { previous: 1, current: 3 }, updated_at: { previous: TIME(5), current: TIME(minute) } }
					: {},
		assignees: mr.assignees.map(userRef),
		reviewers: mr.reviewers.map(userRef),
	};
	return { path: 'gitlab', headers: gitlabHeaders('Merge Request Hook', world.secrets.gitlabWebhookToken, delivery), json: payload };
}

/** What every Note Hook carries: the commenter, the project and the comment on the object `noteable` names. */
function noteEnvelope(
	commenter: Person,
	note: string,
	noteId: number,
	noteable: { type: 'MergeRequest' | 'Issue'; id: number; url: string; at: string },
	eventType = 'note',
) {
	return {
		object_kind: 'note',
		event_type: eventType,
		user: gitlabUser(commenter),
		project_id: GITLAB_PROJECT.id,
		project: GITLAB_PROJECT,
		repository: { name: GITLAB_PROJECT.name, url: GITLAB_PROJECT.url, description: GITLAB_PROJECT.description, homepage: GITLAB_PROJECT.homepage },
		object_attributes: {
			id: noteId,
			note,
			noteable_type: noteable.type,
			author_id: commenter.gitlabId,
			created_at: noteable.at,
			updated_at: noteable.at,
			project_id: GITLAB_PROJECT.id,
			attachment: null,
			line_code: null,
			commit_id: '',
			noteable_id: noteable.id,
			system: false,
			st_diff: null,
			action: 'create',
			url: `${noteable.url}#note_${noteId}`,
		},
	};
}

/**
 * A Confidential Note Hook: a comment on a confidential issue, as GitLab sends it (`event_type: confidential_note`,
 * `issue.confidential: true`; the issue names its author and assignees by id only).
 */
export function confidentialIssueCommentEvent(world: World, issue: { iid: number; title: string; author: Person; assignees: Person[] }, commenter: Person, note: string, noteId: number): HttpEvent {
	const url = `${GITLAB_PROJECT.web_url}/-/issues/${issue.iid}`;
	const payload = {
		...noteEnvelope(commenter, note, noteId, { type: 'Issue', id: 9000 + issue.iid, url, at: '2026-11-20 11:02:00 UTC' }, 'confidential_note'),
		issue: {
			id: 9000 + issue.iid,
			iid: issue.iid,
			title: issue.title,
			description: 'Details only the team may read.',
			author_id: issue.author.gitlabId,
			assignee_ids: issue.assignees.map((p) => p.gitlabId),
			assignee_id: issue.assignees[0]?.gitlabId ?? null,
			project_id: GITLAB_PROJECT.id,
			confidential: true,
			state: 'opened',
			created_at: '2026-11-20 09:00:00 UTC',
			updated_at: '2026-11-20 11:02:00 UTC',
			labels: [],
			url,
		},
	};
	return { path: 'gitlab', headers: gitlabHeaders('Confidential Note Hook', world.secrets.gitlabWebhookToken), json: payload };
}

/** A Note Hook: a comment on the merge request (text may @mention people). */
export function mergeRequestCommentEvent(world: World, mr: MergeRequestSpec, commenter: Person, note: string, noteId: number, delivery?: string): HttpEvent {
	const attributes = mergeRequestAttributes(mr, 'update', false, 'opened', 10);
	const payload = {
		...noteEnvelope(commenter, note, noteId, { type: 'MergeRequest', id: attributes.id, url: attributes.url, at: '2026-11-20 10:12:00 UTC' }),
		merge_request: {
			...attributes,
			action: undefined,
			assignee: mr.assignees[0] ? userRef(mr.assignees[0]) : undefined,
		},
	};
	return { path: 'gitlab', headers: gitlabHeaders('Note Hook', world.secrets.gitlabWebhookToken, delivery), json: payload };
}

/** An Emoji Hook: `awarder` awards an emoji on the merge request itself. */
export function mergeRequestEmojiEvent(world: World, mr: MergeRequestSpec, awarder: Person, emoji = 'thumbsup', delivery?: string): HttpEvent {
	const attributes = mergeRequestAttributes(mr, 'update', false, 'opened', 12);
	const payload = {
		object_kind: 'emoji',
		event_type: 'award',
		user: gitlabUser(awarder),
		project_id: GITLAB_PROJECT.id,
		project: GITLAB_PROJECT,
		object_attributes: {
			user_id: awarder.gitlabId,
			created_at: '2026-11-20 10:14:00 UTC',
			id: 7001,
			name: emoji,
			awardable_type: 'MergeRequest',
			awardable_id: attributes.id,
			updated_at: '2026-11-20 10:14:00 UTC',
			action: 'award',
			awarded_on_url: attributes.url,
		},
		merge_request: { ...attributes, action: undefined },
	};
	return { path: 'gitlab', headers: gitlabHeaders('Emoji Hook', world.secrets.gitlabWebhookToken, delivery), json: payload };
}

/** A Pipeline Hook for a pipeline `user` started, with the given status (e.g. failed). */
export function pipelineEvent(world: World, user: Person, status: 'failed' | 'success' | 'running', pipelineId = 8801, delivery?: string): HttpEvent {
	const payload = {
		object_kind: 'pipeline',
		object_attributes: {
			id: pipelineId,
			iid: pipelineId - 8000,
			name: 'Pipeline for branch: feature/checkout',
			ref: 'feature/checkout',
			tag: false,
			sha: 'c0ffee5e0f3a7c1d2e4b6a8f9d0c1b2a3e4f5d6c',
			before_sha: '0000000000000000000000000000000000000000',
			source: 'push',
			status,
			detailed_status: status,
			stages: ['build', 'test'],
			created_at: '2026-11-20 09:40:00 UTC',
			finished_at: status === 'running' ? null : '2026-11-20 09:47:00 UTC',
			duration: 420,
			queued_duration: 3,
			variables: [],
			url: `${GITLAB_PROJECT.web_url}/-/pipelines/${pipelineId}`,
		},
		merge_request: null,
		user: gitlabUser(user),
		project: GITLAB_PROJECT,
		commit: {
			id: 'c0ffee5e0f3a7c1d2e4b6a8f9d0c1b2a3e4f5d6c',
			message: 'Cache the price list between requests',
			title: 'Cache the price list between requests',
			timestamp: '2026-11-20T09:39:00+00:00',
			url: `${GITLAB_PROJECT.web_url}/-/commit/c0ffee5e0f3a7c1d2e4b6a8f9d0c1b2a3e4f5d6c`,
			author: { name: user.name, email: user.email },
		},
		builds: [
			{
				id: pipelineId * 10 + 1,
				stage: 'test',
				name: 'unit-tests',
				status: status === 'failed' ? 'failed' : status,
				created_at: '2026-11-20 09:40:00 UTC',
				started_at: '2026-11-20 09:41:00 UTC',
				finished_at: '2026-11-20 09:47:00 UTC',
				duration: 360,
				queued_duration: 2,
				failure_reason: status === 'failed' ? 'script_failure' : null,
				when: 'on_success',
				manual: false,
				allow_failure: false,
				user: gitlabUser(user),
				runner: null,
				artifacts_file: { filename: null, size: null },
				environment: null,
			},
		],
	};
	return { path: 'gitlab', headers: gitlabHeaders('Pipeline Hook', world.secrets.gitlabWebhookToken, delivery), json: payload };
}

// ---- Redmine (redmine_webhook plugin) ----

const redminePerson = (login: string, firstname: string, lastname: string, id: number) => ({
	icon_url: 'https://www.gravatar.com/avatar/00000000000000000000000000000000',
	identity_url: null,
	lastname,
	firstname,
	mail: `${login}@example.test`,
	login,
	id,
});

function redmineIssue(id: number, subject: string, status: string) {
	return {
		author: redminePerson('maya', 'Maya', 'Lindqvist', 31),
		assignee: redminePerson('ines', 'Ines', 'Kowalczyk', 33),
		priority: { name: 'High', id: 3 },
		tracker: { name: 'Bug', id: 1 },
		parent_id: null,
		root_id: id,
		closed_on: null,
		updated_on: '2026-11-20T11:00:00Z',
		created_on: '2026-11-20T10:55:00Z',
		description: 'Customers see an error page after entering their password.',
		subject,
		id,
		done_ratio: 0,
		start_date: '2026-11-20',
		due_date: null,
		estimated_hours: null,
		is_private: false,
		lock_version: 1,
		project: { homepage: '', created_on: '2025-01-10T08:00:00Z', description: '', name: 'Webshop', identifier: 'webshop', id: 7 },
		status: { name: status, id: status === 'New' ? 1 : 2 },
	};
}

/** Redmine's webhook plugin can only be given a URL, so the secret travels as `?token=`. */
const redminePath = (world: World, token = world.secrets.redmineWebhookToken) => `redmine?token=${encodeURIComponent(token)}`;

export function redmineOpenedEvent(world: World, id = 4711, subject = 'Login page shows an error', token?: string): HttpEvent {
	return {
		path: redminePath(world, token),
		headers: { 'User-Agent': 'Ruby' },
		json: { payload: { issue: redmineIssue(id, subject, 'New'), action: 'opened', url: `https://redmine.example.test/issues/${id}` } },
	};
}

export function redmineUpdatedEvent(world: World, id = 4711, subject = 'Login page shows an error', notes = 'Reproduced on staging; the session cookie is missing.'): HttpEvent {
	return {
		path: redminePath(world),
		headers: { 'User-Agent': 'Ruby' },
		json: {
			payload: {
				issue: redmineIssue(id, subject, 'In Progress'),
				journal: {
					details: [{ value: '2', old_value: '1', prop_key: 'status_id', property: 'attr' }],
					author: redminePerson('ines', 'Ines', 'Kowalczyk', 33),
					private_notes: false,
					created_on: '2026-11-20T11:05:00Z',
					notes,
					id: 9001,
				},
				action: 'updated',
				url: `https://redmine.example.test/issues/${id}`,
			},
		},
	};
}

// ---- Grafana and Alertmanager ----

export function grafanaEvent(world: World, status: 'firing' | 'resolved', fingerprint = 'e2e5a1f09c3d7b21', name = 'Checkout latency high'): HttpEvent {
	const alert = {
		status,
		labels: { alertname: name, severity: 'critical', service: 'checkout' },
		annotations: { summary: 'p95 checkout latency above 2 s for 5 minutes', description: 'Latency of POST /checkout is 2.7 s (p95).' },
		startsAt: '2026-11-20T12:00:00Z',
		endsAt: status === 'resolved' ? '2026-11-20T12:20:00Z' : '0001-01-01T00:00:00Z',
		generatorURL: 'https://grafana.example.test/alerting/grafana/checkout-latency/view',
		fingerprint,
		silenceURL: 'https://grafana.example.test/alerting/silence/new?matcher=alertname%3DCheckout+latency+high',
		dashboardURL: 'https://grafana.example.test/d/checkout',
		panelURL: 'https://grafana.example.test/d/checkout?viewPanel=4',
		values: { B: 2.7, C: 1 },
		valueString: "[ var='B' labels={service=checkout} value=2.7 ]",
	};
	return {
		path: 'alerts',
		headers: { 'User-Agent': 'Grafana', Authorization: `Bearer ${world.secrets.grafanaToken}` },
		json: {
			receiver: 'n8n',
			status,
			orgId: 1,
			alerts: [alert],
			groupLabels: { alertname: name },
			commonLabels: alert.labels,
			commonAnnotations: alert.annotations,
			externalURL: 'https://grafana.example.test/',
			version: '1',
			groupKey: `{}:{alertname="${name}"}`,
			truncatedAlerts: 0,
			title: `[${status.toUpperCase()}:1] ${name}`,
			state: status === 'firing' ? 'alerting' : 'ok',
			message: `${status}: ${name}`,
		},
	};
}

export function alertmanagerEvent(world: World, status: 'firing' | 'resolved' = 'firing', fingerprint = 'a7c3e9d1b5f20864'): HttpEvent {
	const labels = { alertname: 'DiskAlmostFull', instance: 'db-1:9100', job: 'node', severity: 'warning' };
	return {
		path: 'alerts',
		headers: { 'User-Agent': 'Alertmanager/0.28.1', Authorization: `Bearer ${world.secrets.grafanaToken}` },
		json: {
			version: '4',
			groupKey: '{}:{alertname="DiskAlmostFull"}',
			truncatedAlerts: 0,
			status,
			receiver: 'n8n',
			groupLabels: { alertname: 'DiskAlmostFull' },
			commonLabels: labels,
			commonAnnotations: { summary: 'Disk /var/lib/postgresql is 91% full' },
			externalURL: 'http://alertmanager.example.test:9093',
			alerts: [
				{
					status,
					labels,
					annotations: { summary: 'Disk /var/lib/postgresql is 91% full', description: 'Less than 9% space left on db-1.' },
					startsAt: '2026-11-20T13:00:00Z',
					endsAt: status === 'resolved' ? '2026-11-20T13:30:00Z' : '0001-01-01T00:00:00Z',
					generatorURL: 'http://prometheus.example.test:9090/graph?g0.expr=disk_used_ratio+%3E+0.9',
					fingerprint,
				},
			],
		},
	};
}

// ---- Mattermost outgoing webhook (form-encoded, as Mattermost sends it) ----

export function outgoingWebhook(world: World, text: string, user: Person, token = world.secrets.commandToken): HttpEvent {
	const trigger = text.split(/\s+/)[0];
	return {
		path: 'mattermost-ticket',
		headers: { 'User-Agent': 'Mattermost-Bot/1.1', Accept: 'application/json' },
		form: {
			channel_id: world.channels.dev,
			channel_name: 'dev',
			team_domain: world.team.name,
			team_id: world.team.id,
			post_id: randomUUID().replace(/-/g, '').slice(0, 26),
			text,
			timestamp: String(Math.floor(Date.now() / 1000)),
			token,
			trigger_word: trigger,
			user_id: user.mattermostId ?? '',
			user_name: user.username,
			file_ids: '',
		},
	};
}
