/**
 * The GitLab deliveries the real-n8n benchmarks send: "merge request opened" events built from this package's own
 * fixture, each a new MR whose reviewer and assignee are two of the benchmark people (neither is the author), so every
 * event asks for exactly two DMs. A token in the title ties each DM post back to the event that caused it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchPerson {
	username: string;
	name: string;
	gitlabId: number;
}

export interface BenchEvent {
	/** Unique token in the MR title (letters and digits only, so Markdown escaping leaves it intact). */
	token: string;
	payload: Record<string, unknown>;
	headers: Record<string, string>;
	/** Usernames that should get a DM. */
	recipients: string[];
}

const FIXTURE = join(__dirname, '..', 'fixtures', 'gitlab', 'merge_request_open.json');

let template: Record<string, unknown> | undefined;

function baseEvent(): Record<string, unknown> {
	template ??= JSON.parse(readFileSync(FIXTURE, 'utf8')) as Record<string, unknown>;
	return structuredClone(template);
}

function gitlabUser(person: BenchPerson) {
	return { id: person.gitlabId, name: person.name, username: person.username, avatar_url: null };
}

/**
 * `count` distinct MR-open events. Event n is opened by people[n], reviewed by people[n+1] and assigned to
 * people[n+2] (indices wrap), so `count` events over P people give every person the same share of DMs.
 */
export function mergeRequestEvents(options: {
	people: BenchPerson[];
	count: number;
	/** Distinguishes runs: part of every token, MR iid range and Idempotency-Key. */
	series: string;
	/** Offset of the first MR iid, so series never reuse an MR. */
	firstIid: number;
	webhookToken: string;
}): BenchEvent[] {
	const { people, count, series } = options;
	if (people.length < 3) throw new Error('mergeRequestEvents needs at least three people');
	// The token must match watch.ts's TOKEN, or no DM is ever tied back to its event.
	if (!/^[a-m0-9]+$/.test(series)) throw new Error(`series "${series}" must be letters a-m and digits only`);
	const events: BenchEvent[] = [];
	for (let n = 0; n < count; n++) {
		const author = people[n % people.length];
		const reviewer = people[(n + 1) % people.length];
		const assignee = people[(n + 2) % people.length];
		const iid = options.firstIid + n;
		const token = `bq${series}n${n}z`;
		const payload = baseEvent();
		const attributes = payload.object_attributes as Record<string, unknown>;
		const project = payload.project as { web_url: string };
		payload.user = gitlabUser(author);
		payload.reviewers = [gitlabUser(reviewer)];
		payload.assignees = [gitlabUser(assignee)];
		Object.assign(attributes, {
			id: 900_000 + iid,
			iid,
			author_id: author.gitlabId,
			assignee_id: assignee.gitlabId,
			assignee_ids: [assignee.gitlabId],
			reviewer_ids: [reviewer.gitlabId],
			title: `Tidy gauge logs ${token}`,
			description: 'Keeps the ingestion logs short.',
			url: `${project.web_url}/-/merge_requests/${iid}`,
			updated_at: new Date(Date.UTC(2026, 2, 2, 8, 0, 0) + n * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC'),
		});
		events.push({
			token,
			payload,
			headers: {
				'X-Gitlab-Event': 'Merge Request Hook',
				'X-Gitlab-Token': options.webhookToken,
				'Idempotency-Key': `bench-${series}-${n}`,
			},
			recipients: [reviewer.username, assignee.username],
		});
	}
	return events;
}
