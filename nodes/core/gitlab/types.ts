import type { Identity } from '../people';
import type { Book } from '../state';
import type { Language } from './templates';

export type Role =
	| 'author'
	| 'assignee'
	| 'reviewer'
	| 'mentioned'
	| 'pipeline_user'
	| 'awardable_owner'
	| 'commit_author';

export type { Identity } from '../people';

/**
 * One entry per person: `role` is the most specific reason they are told (the first one found), `roles` lists every
 * reason, so a reviewer who is also mentioned gets one message, not two.
 */
export interface Recipient extends Identity {
	role: Role;
	roles: Role[];
}

export interface GitLabProject {
	id: number;
	path: string | null;
	name: string | null;
	url: string | null;
}

export interface GitLabActor {
	id: number | null;
	username: string | null;
	name: string | null;
}

export interface GitLabTarget {
	type: string;
	id: number | string | null;
	iid: number | null;
	title: string | null;
	url: string | null;
	state: string | null;
	draft: boolean | null;
}

export interface GitLabEvent {
	kind: string;
	action: string;
	project: GitLabProject;
	actor: GitLabActor;
	target: GitLabTarget;
	labels: string[];
	/**
	 * A confidential issue or an internal comment: only the author and assignees are recipients, by DM,
	 * and nothing about it may go to a channel.
	 */
	confidential?: true;
}

export interface AttachmentField {
	title: string;
	value: string;
	short: boolean;
}

export interface Attachment {
	fallback: string;
	color: string;
	author_name?: string;
	author_link?: string;
	title?: string;
	title_link?: string;
	text?: string;
	fields?: AttachmentField[];
	footer?: string;
}

export interface Message {
	text: string;
	attachments?: Attachment[];
	threadKey: string;
	/** Same for every copy of one delivery (re-sent, replayed or retried); see format(). */
	idempotencyKey?: string;
}

export interface Notification {
	event: GitLabEvent;
	recipients: Recipient[];
	message: Message;
}

/** A Skipped result: the reason first, then whatever could be read before the event was dropped. */
export interface SkippedResult {
	skip: string;
	event?: Partial<GitLabEvent>;
	recipients?: Recipient[];
	message?: Message;
}

export type FormatResult = (Notification & { skip?: undefined }) | SkippedResult;

export type { Language } from './templates';
export type Layout = 'text' | 'attachment';

/** Every default recipient rule of issue 3 as a switch, so teams can tune noise without editing templates. */
export interface Rules {
	/** Kinds (`object_kind`) to handle; any other kind is Skipped as filtered. Empty means every supported kind. */
	kinds: string[];
	/** `kind:action` pairs to skip, e.g. `merge_request:approval`; `kind:*` skips every action of a kind. */
	skipActions: string[];
	/** Never tell the actor about their own action (pipeline, job and deployment results still reach who started them). */
	excludeActor: boolean;
	/** Skip an event whose only recipients would have been the actor. */
	skipOwnActions: boolean;
	/** Leave out GitLab bot users (project_N_bot…, group_N_bot…, ghost). */
	excludeBots: boolean;
	/** Tell people `@mentioned` in comments, descriptions and commit or tag messages. */
	notifyMentions: boolean;
	/** Skip merge requests opened as draft and announce them once, the first time they are marked ready. */
	silentDrafts: boolean;
	/** Deliver comments on draft merge requests. */
	commentsOnDrafts: boolean;
	/** Tell assignees and reviewers about new commits pushed to a merge request. */
	notifyOnMergeRequestPush: boolean;
	/** Skip GitLab's own system notes ("added 1 commit", "assigned to @x"). */
	skipSystemNotes: boolean;
	/** Pipeline statuses to report. */
	pipelineStatuses: string[];
	/** Report a successful pipeline that follows a failed one on the same ref as "fixed". */
	pipelineFixed: boolean;
	/** Job (build) statuses to report. */
	jobStatuses: string[];
	/** Deployment statuses to report. */
	deploymentStatuses: string[];
	/** Report removed emoji reactions. */
	emojiRevoke: boolean;
	/** Quote the comment or description in DMs about confidential issues and internal comments. */
	confidentialExcerpts: boolean;
}

/** Where the formatter remembers deliveries (short-lived) and per-object facts such as "ready announced" (long-lived). */
export interface FormatterState {
	deliveries: Book;
	objects: Book;
}

export interface TemplateOverride {
	kind: string;
	/** An action name, or `*` (or empty) for every action of the kind. */
	action?: string;
	template: string;
}

export interface FormatOptions {
	/** HTTP headers of the delivery (any letter case). */
	headers?: Record<string, unknown>;
	/** Formatter state, or a plain object (such as workflow static data) to keep an instance store in. */
	state?: FormatterState | Record<string, unknown>;
	language?: Language;
	rules?: Partial<Rules>;
	templates?: TemplateOverride[];
	layout?: Layout;
	now?: () => number;
	/**
	 * n8n runs this as a retry of a failed or crashed execution: what its first run claimed (the delivery, "ready
	 * announced") is its own, so it goes on, and the Mattermost node's idempotency key keeps every DM single.
	 */
	retry?: boolean;
}
