import fc from 'fast-check';
import { formatGitLabEvent, SUPPORTED_KINDS } from '../../nodes/core/gitlab';
import { fixture } from './gitlab-helpers';

const NAMES = [
	'merge_request_open',
	'merge_request_update_ready',
	'merge_request_update_reviewers',
	'note_merge_request',
	'note_commit',
	'note_snippet',
	'emoji_award_note',
	'issue_update_assignees',
	'work_item_open',
	'pipeline_failed',
	'job_failed',
	'deployment_failed',
	'push',
	'tag_push',
	'release',
	'wiki_page',
	'milestone',
	'feature_flag',
];

function set(payload: any, path: string[], value: unknown) {
	let node = payload;
	for (const key of path.slice(0, -1)) node = node[key];
	node[path[path.length - 1]] = value;
	return payload;
}

describe('malformed input is Skipped with the field named, never thrown', () => {
	it.each([
		['null', null, 'malformed: payload missing'],
		['an array', [fixture('push')], 'malformed: payload is not an object'],
		['a string', 'object_kind=push', 'malformed: payload is not an object'],
		['a number', 42, 'malformed: payload is not an object'],
		['an empty object', {}, 'malformed: object_kind missing'],
		['a numeric kind', { object_kind: 7 }, 'malformed: object_kind is not a string'],
		['a webhook item without body', { headers: {}, query: {}, body: null }, 'malformed: body missing'],
		['a webhook item with a non-JSON body', { headers: {}, query: {}, body: 'not json' }, 'malformed: body is not an object'],
		['no project', set(fixture('merge_request_open'), ['project'], undefined), 'malformed: project missing'],
		['project as an array', set(fixture('merge_request_open'), ['project'], [4821]), 'malformed: project is not an object'],
		['project.id as text', set(fixture('merge_request_open'), ['project', 'id'], '4821'), 'malformed: project.id is not a number'],
		['no user', set(fixture('note_issue'), ['user'], undefined), 'malformed: user missing'],
		['user as a string', set(fixture('note_issue'), ['user'], 'mira'), 'malformed: user is not an object'],
		['an empty user', set(fixture('note_issue'), ['user'], {}), 'malformed: user has no id, username or e-mail'],
		['no object_attributes', set(fixture('merge_request_open'), ['object_attributes'], undefined), 'malformed: object_attributes missing'],
		['object_attributes as an array', set(fixture('issue_open'), ['object_attributes'], []), 'malformed: object_attributes is not an object'],
		['iid as text', set(fixture('merge_request_open'), ['object_attributes', 'iid'], '57'), 'malformed: object_attributes.iid is not a number'],
		['no MR action', set(fixture('merge_request_open'), ['object_attributes', 'action'], null), 'malformed: object_attributes.action missing'],
		['a title that is an object', set(fixture('merge_request_open'), ['object_attributes', 'title'], { x: 1 }), 'malformed: object_attributes.title is not a string'],
		['a note without noteable_type', set(fixture('note_issue'), ['object_attributes', 'noteable_type'], undefined), 'malformed: object_attributes.noteable_type missing'],
		['a note on an MR without the MR', set(fixture('note_merge_request'), ['merge_request'], undefined), 'malformed: merge_request missing'],
		['a pipeline status number', set(fixture('pipeline_failed'), ['object_attributes', 'status'], 3), 'malformed: object_attributes.status is not a string'],
		['a job without build_id', set(fixture('job_failed'), ['build_id'], undefined), 'malformed: build_id missing'],
		['a push ref array', set(fixture('push'), ['ref'], ['main']), 'malformed: ref is not a string'],
		['a feature flag active text', set(fixture('feature_flag'), ['object_attributes', 'active'], 'yes'), 'malformed: object_attributes.active is not a boolean'],
		['an emoji without awardable_type', set(fixture('emoji_award_issue'), ['object_attributes', 'awardable_type'], null), 'malformed: object_attributes.awardable_type missing'],
	])('%s', async (_name, input, reason) => {
		const result = (await formatGitLabEvent(input));
		expect(result.skip).toBe(reason);
	});

	it('keeps whatever it could read before the bad field', async () => {
		const result = (await formatGitLabEvent(set(fixture('merge_request_open'), ['object_attributes'], undefined)));
		expect(result).toMatchObject({ skip: 'malformed: object_attributes missing', event: { kind: 'merge_request', project: { id: 4821 }, actor: { username: 'mira.okafor' } } });
	});

	it('survives wrong types on optional fields: lists, labels, changes, people', async () => {
		const payload = fixture('merge_request_update_reviewers');
		payload.changes.reviewers = { previous: 'nobody', current: [null, 5, { username: ['x'] }, { id: 'abc' }, { username: 'ok.user' }] };
		payload.labels = 'backend';
		payload.assignees = [null, [], 'x'];
		const result = (await formatGitLabEvent(payload));
		expect(result.skip).toBeUndefined();
		expect(result.recipients?.map((r) => r.username)).toEqual(['ok.user']);
	});

	it('survives huge strings and deep nesting', async () => {
		const payload = fixture('note_merge_request');
		payload.object_attributes.note = `${'@a '.repeat(200_000)}${'x'.repeat(2_000_000)}`;
		payload.merge_request.title = 'T'.repeat(1_000_000);
		let deep: any = {};
		for (let i = 0; i < 10_000; i++) deep = { project: deep };
		payload.merge_request.labels = [deep];
		const result = (await formatGitLabEvent(payload));
		expect(result.skip).toBeUndefined();
		expect(result.message!.text.length).toBeLessThan(13_000);
		expect(result.recipients!.length).toBeLessThanOrEqual(54);
	});
});

/** Replaces one value somewhere inside a fixture with something of the wrong shape. */
const junk = fc.oneof(
	fc.constant(null),
	fc.constant(undefined),
	fc.constant([]),
	fc.constant({}),
	fc.integer(),
	fc.double(),
	fc.boolean(),
	fc.string(),
	fc.constantFrom('constructor', '__proto__', 'toString', 'hasOwnProperty', '[REDACTED]', '@channel'),
	fc.array(fc.anything(), { maxLength: 3 }),
	fc.dictionary(fc.string(), fc.anything(), { maxKeys: 3 }),
);

function paths(value: unknown, prefix: string[] = [], out: string[][] = []): string[][] {
	if (value && typeof value === 'object') {
		for (const key of Object.keys(value)) {
			out.push([...prefix, key]);
			paths((value as Record<string, unknown>)[key], [...prefix, key], out);
		}
	}
	return out;
}

describe('fuzzing', () => {
	it('a fixture with any one value replaced by junk gives a result, never an exception', async () => {
		const bases = NAMES.map((name) => ({ name, payload: fixture(name), paths: paths(fixture(name)) }));
		await fc.assert(
			fc.asyncProperty(fc.nat(), fc.nat(), junk, fc.boolean(), async (which, where, value, wrapped) => {
				const base = bases[which % bases.length];
				const payload = structuredClone(base.payload);
				set(payload, base.paths[where % base.paths.length], value);
				const state = {};
				const input = wrapped ? { headers: { 'Idempotency-Key': 'k' }, body: payload, query: {} } : payload;
				const first = (await formatGitLabEvent(input, { state, layout: where % 2 ? 'attachment' : 'text' }));
				const second = (await formatGitLabEvent(input, { state }));
				expect(typeof (first.skip ?? first.message?.text)).toBe('string');
				expect(typeof (second.skip ?? second.message?.text)).toBe('string');
			}),
			{ numRuns: 3000 },
		);
	});

	it('arbitrary JSON with a known object_kind gives a result, never an exception', async () => {
		await fc.assert(
			fc.asyncProperty(fc.constantFrom(...SUPPORTED_KINDS), fc.dictionary(fc.string(), fc.jsonValue()), async (kind, rest) => {
				const result = (await formatGitLabEvent({ ...rest, object_kind: kind }));
				expect(typeof (result.skip ?? result.message?.text)).toBe('string');
			}),
			{ numRuns: 2000 },
		);
		await fc.assert(
			fc.asyncProperty(fc.anything(), async (value) => {
				const result = (await formatGitLabEvent(value));
				expect(typeof (result.skip ?? result.message?.text)).toBe('string');
			}),
			{ numRuns: 1000 },
		);
	});
});
