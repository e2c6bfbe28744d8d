import { encodePathSegment, escapeInline, markdownLink } from '../../text';
import { candidates, mentionedIn } from '../people';
import { clip, field, isRecord, looseArray, looseNumber, looseString, requireString, type Rec } from '../read';
import type { Handled, Handler } from '../handler';
import { branchOf, fill, projectLink, shortSha, threadKey } from './common';

const NO_COMMIT = /^0+$/;
const LISTED_COMMITS = 5;

/** Pushes: people `@mentioned` in the commit messages are told; GitLab sends the newest 20 commits at most. */
export const handlePush: Handler = (context) => {
	const { payload, project, rules, words } = context;
	const ref = requireString(field(payload, 'ref'), 'ref');
	const branch = branchOf(ref) ?? '';
	const after = looseString(field(payload, 'after')) ?? '';
	const commits = looseArray(field(payload, 'commits'))
		.slice(0, 100)
		.filter((c): c is Rec => isRecord(c));
	const count = looseNumber(field(payload, 'total_commits_count')) ?? commits.length;
	const messages = commits.map((c) => clip(looseString(field(c, 'message')), 20_000) ?? '');
	const lines = commits.slice(0, LISTED_COMMITS).map((commit, index) => {
		const sha = shortSha(looseString(field(commit, 'id'))) ?? '';
		const title = messages[index].split('\n')[0];
		return `- ${markdownLink(sha, looseString(field(commit, 'url')))} ${escapeInline(clip(title, 120))}`;
	});
	if (count > lines.length && lines.length) lines.push(fill(words.moreCommits, { n: String(count - lines.length) }));
	const url = projectLink(project, `-/tree/${encodePathSegment(branch)}`);

	const result: Handled = {
		action: NO_COMMIT.test(after) ? 'delete' : 'push',
		target: { type: 'branch', id: branch, iid: null, title: branch, url: url ?? null, state: null, draft: null },
		reference: branch,
		labels: [],
		candidates: rules.notifyMentions ? candidates('mentioned', mentionedIn(messages.join('\n'))) : [],
		values: {
			ref: markdownLink(branch, url),
			commits: lines.join('\n'),
			commit_count: count === 1 ? words.commitOne : fill(words.commitMany, { n: String(count) }),
		},
		threadKey: threadKey(project, 'branch', branch),
		color: 'neutral',
		fields: [['ref', branch]],
	};
	if (after) result.dedupe = { id: ref.slice(0, 300), version: after.slice(0, 64) };
	return result;
};
