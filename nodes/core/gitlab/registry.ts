import type { HandlerEntry } from './handler';
import { handleDeployment } from './events/deployment';
import { handleEmoji } from './events/emoji';
import { handleFeatureFlag } from './events/feature-flag';
import { handleIssue } from './events/issue';
import { handleJob } from './events/job';
import { handleMergeRequest } from './events/merge-request';
import { handleMilestone } from './events/milestone';
import { handleNote } from './events/note';
import { handlePipeline } from './events/pipeline';
import { handlePush } from './events/push';
import { handleRelease } from './events/release';
import { handleTagPush } from './events/tag-push';
import { handleWikiPage } from './events/wiki-page';

/** One line per `object_kind`: a new kind is a new file under events/ plus one line here. */
export const HANDLERS: Record<string, HandlerEntry> = {
	merge_request: { handle: handleMergeRequest, actor: 'user' },
	note: { handle: handleNote, actor: 'user' },
	issue: { handle: handleIssue, actor: 'user' },
	work_item: { handle: handleIssue, actor: 'user' },
	pipeline: { handle: handlePipeline, actor: 'user' },
	build: { handle: handleJob, actor: 'user' },
	deployment: { handle: handleDeployment, actor: 'user' },
	emoji: { handle: handleEmoji, actor: 'user' },
	push: { handle: handlePush, actor: 'push' },
	tag_push: { handle: handleTagPush, actor: 'push' },
	release: { handle: handleRelease, actor: 'optional' },
	wiki_page: { handle: handleWikiPage, actor: 'user' },
	milestone: { handle: handleMilestone, actor: 'optional' },
	feature_flag: { handle: handleFeatureFlag, actor: 'user' },
};

export const SUPPORTED_KINDS = Object.keys(HANDLERS);

/** `X-Gitlab-Event` header values by the kind they carry, for payloads that lack `object_kind`. */
export const EVENT_HEADERS: Record<string, string> = {
	'push hook': 'push',
	'tag push hook': 'tag_push',
	'issue hook': 'issue',
	'confidential issue hook': 'issue',
	'note hook': 'note',
	'confidential note hook': 'note',
	'merge request hook': 'merge_request',
	'wiki page hook': 'wiki_page',
	'pipeline hook': 'pipeline',
	'job hook': 'build',
	'build hook': 'build',
	'deployment hook': 'deployment',
	'feature flag hook': 'feature_flag',
	'release hook': 'release',
	'milestone hook': 'milestone',
	'emoji hook': 'emoji',
};
