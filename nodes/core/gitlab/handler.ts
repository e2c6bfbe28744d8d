import type { Book } from '../state';
import type { Candidate } from './people';
import type { Rec } from './read';
import type { Values } from './render';
import type { Words } from './templates';
import type { GitLabActor, GitLabProject, GitLabTarget, Identity, Rules } from './types';

/** What every handler gets: the payload plus the parts every kind shares, already validated. */
export interface HandlerContext {
	payload: Rec;
	kind: string;
	project: GitLabProject;
	actor: GitLabActor;
	actorIdentity: Identity;
	rules: Rules;
	words: Words;
	/** Base URL of the GitLab instance, for links the payload does not carry (user profiles, jobs). */
	instanceUrl?: string;
}

export type Color = 'open' | 'success' | 'failed' | 'closed' | 'merged' | 'neutral' | 'warning';

/** The decision a handler can only take with state (draft-once, fixed pipelines), after duplicates are dropped. */
export type Decide = (
	objects: Book | undefined,
	/** This delivery (a short id): a claim it made itself in an earlier execution does not count. */
	delivery: { id: string },
) => Promise<{ skip?: string; action?: string } | undefined>;

/** The plain notification a handler makes of one event kind; the formatter renders and filters it. */
export interface Handled {
	action: string;
	/** Default template when the workflow has none for `kind:action`, e.g. `issue:open` for work items. */
	template?: string;
	target: GitLabTarget;
	/** Short reference shown in links: `!12`, `#5`, a short SHA, a tag. */
	reference: string;
	labels: string[];
	candidates: Candidate[];
	values: Values;
	threadKey: string;
	/** Object id and version for recognising a repeated delivery without an Idempotency-Key. */
	dedupe?: { id: string | number; version: string };
	color: Color;
	fields: Array<[keyof Words, string | undefined]>;
	/** Set when the event is filtered without needing state. */
	skip?: string;
	decide?: Decide;
}

export type Handler = (context: HandlerContext) => Handled;

/** How a kind names its actor: `user` object, push-style `user_*` fields, or maybe nothing (release, milestone). */
export type ActorSource = 'user' | 'push' | 'optional';

export interface HandlerEntry {
	handle: Handler;
	actor: ActorSource;
	/** The kind's name in the GitLab Event Formatter node. */
	label: string;
	/** Another kind whose default templates this one speaks with (work items use the issue templates). */
	templates?: string;
}
