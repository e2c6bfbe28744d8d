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

/**
 * One line per `object_kind`: a new kind is a new file under events/, one line here and its template keys. The
 * GitLab Event Formatter node lists the kinds in this order, under these labels (comments sort as "Note").
 */
export const HANDLERS: Record<string, HandlerEntry> = {
	deployment: { handle: handleDeployment, actor: 'user', label: 'Deployment' },
	emoji: { handle: handleEmoji, actor: 'user', label: 'Emoji Reaction' },
	feature_flag: { handle: handleFeatureFlag, actor: 'user', label: 'Feature Flag' },
	issue: { handle: handleIssue, actor: 'user', label: 'Issue' },
	build: { handle: handleJob, actor: 'user', label: 'Job (Build)' },
	merge_request: { handle: handleMergeRequest, actor: 'user', label: 'Merge Request' },
	milestone: { handle: handleMilestone, actor: 'optional', label: 'Milestone' },
	note: { handle: handleNote, actor: 'user', label: 'Comment (Note)' },
	pipeline: { handle: handlePipeline, actor: 'user', label: 'Pipeline' },
	push: { handle: handlePush, actor: 'push', label: 'Push' },
	release: { handle: handleRelease, actor: 'optional', label: 'Release' },
	tag_push: { handle: handleTagPush, actor: 'push', label: 'Tag Push' },
	wiki_page: { handle: handleWikiPage, actor: 'user', label: 'Wiki Page' },
	work_item: { handle: handleIssue, actor: 'user', label: 'Work Item (Task, Epic, Incident…)', templates: 'issue' },
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
