/**
 * A realistic, seeded mix of GitLab deliveries (merge requests opened as draft and marked ready, comments with
 * mentions, emoji, approvals, merges, failed pipelines) and, computed independently of the package, who must get a
 * DM for each: GitLab's notification rules as the README documents them, applied to the people of the world.
 */
import { randomUUID } from 'node:crypto';
import type { Person, World } from '../../playground/harness/world';
import { prng } from '../../playground/standin/mattermost/faults';
import {
	mergeRequestCommentEvent,
	mergeRequestEmojiEvent,
	mergeRequestEvent,
	pipelineEvent,
	type HttpEvent,
	type MergeRequestSpec,
} from '../../playground/sample-events';

export interface Delivery {
	/** The Idempotency-Key GitLab sends (the same on every re-send). */
	id: string;
	label: string;
	event: HttpEvent;
	/** Mattermost user ids that must get exactly one DM for this delivery. */
	expected: string[];
	/** Thread this delivery's DMs belong to (per recipient), when it is about a merge request. */
	thread?: string;
	/** A merge request's first "ready" (the DM that must never be sent twice, even after a crash). */
	ready?: boolean;
}

const ids = (people: Person[], except: Person[] = []) => [
	...new Set(people.filter((p) => !except.some((e) => e.key === p.key)).map((p) => p.mattermostId as string)),
];

function approvalEvent(world: World, mr: MergeRequestSpec, approver: Person, delivery: string): HttpEvent {
	const base = mergeRequestEvent(world, { ...mr, actor: approver }, 'merge', delivery);
	const payload = structuredClone(base.json) as { object_attributes: Record<string, unknown>; changes: unknown };
	payload.object_attributes.action = 'approved';
	payload.object_attributes.state = 'opened';
	payload.object_attributes.state_id = 1;
	payload.object_attributes.updated_at = '2026-11-20T10:20:00Z';
	payload.changes = {};
	return { ...base, json: payload };
}

/**
 * `mergeRequests` merge requests with 8 deliveries each (draft open, ready, two or three comments, emoji, approval,
 * merge) plus `pipelines` failed pipelines, interleaved the way several busy projects would send them.
 */
export function makeDeliveries(world: World, options: { seed: number; mergeRequests: number; pipelines: number; firstIid: number }): Delivery[] {
	const random = prng(options.seed);
	const pick = <T>(list: T[]) => list[Math.floor(random() * list.length)];
	const people = Object.values(world.people).filter((p) => p.mattermostId);
	const others = (exclude: Person[]) => people.filter((p) => !exclude.some((e) => e.key === p.key));
	const lanes: Delivery[][] = [];

	for (let n = 0; n < options.mergeRequests; n++) {
		const iid = options.firstIid + n;
		const author = pick(people);
		const reviewers = [pick(others([author]))];
		if (random() < 0.5) reviewers.push(pick(others([author, ...reviewers])));
		const assignees = [pick(others([author]))];
		const mr: MergeRequestSpec = { iid, title: `Reliability change ${iid}: ${pick(['cache prices', 'retry checkout', 'fix voucher rounding', 'faster search'])}`, author, reviewers, assignees };
		const thread = `mr-${iid}`;
		const lane: Delivery[] = [];
		const add = (label: string, make: (id: string) => HttpEvent, expected: string[], extra: Partial<Delivery> = {}) => {
			const id = randomUUID();
			lane.push({ id, label: `!${iid} ${label}`, event: make(id), expected, thread, ...extra });
		};
		add('opened as draft', (id) => mergeRequestEvent(world, mr, 'open-draft', id), []);
		add('marked ready', (id) => mergeRequestEvent(world, mr, 'ready', id), ids([...reviewers, ...assignees], [author]), { ready: true });
		const comments = 2 + Math.floor(random() * 2);
		for (let c = 0; c < comments; c++) {
			const commenter = pick(people);
			const mentioned = random() < 0.6 ? [pick(people)] : [];
			const text = `${pick(['Looks good', 'Please check the edge case', 'Why this timeout?', 'Nice'])}${mentioned.map((m) => ` @${m.username}`).join('')} (#${c})`;
			add(
				`comment ${c} by ${commenter.username}`,
				(id) => mergeRequestCommentEvent(world, { ...mr, actor: commenter }, commenter, text, iid * 100 + c, id),
				ids([author, ...assignees, ...reviewers, ...mentioned], [commenter]),
			);
		}
		const awarder = pick(others([author]));
		add(`emoji by ${awarder.username}`, (id) => mergeRequestEmojiEvent(world, mr, awarder, pick(['thumbsup', 'tada', 'eyes']), id), ids([author], [awarder]));
		const approver = reviewers[0];
		add(`approved by ${approver.username}`, (id) => approvalEvent(world, mr, approver, id), ids([author], [approver]));
		const merger = assignees[0];
		add(`merged by ${merger.username}`, (id) => mergeRequestEvent(world, { ...mr, actor: merger }, 'merge', id), ids([author, ...assignees], [merger]));
		lanes.push(lane);
	}
	for (let n = 0; n < options.pipelines; n++) {
		const user = pick(people);
		const id = randomUUID();
		const pipelineId = 70_000 + options.firstIid * 10 + n;
		lanes.push([{ id, label: `pipeline ${pipelineId} failed`, event: pipelineEvent(world, user, 'failed', pipelineId, id), expected: ids([user]) }]);
	}
	// Interleave: each merge request's deliveries stay in order, different ones mix.
	const out: Delivery[] = [];
	while (lanes.some((lane) => lane.length)) {
		const open = lanes.filter((lane) => lane.length);
		out.push(pick(open).shift()!);
	}
	return out;
}
