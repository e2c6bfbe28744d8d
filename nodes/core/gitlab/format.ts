import { createHash } from 'node:crypto';

import { hashKey, instanceStore, openBook, type BookSpec, type Store } from '../state';
import { headerValue } from '../util';
import { escapeInline, markdownLink, neutraliseChannelMentions, safeUrl } from '../text';
import type { Color, Handled, HandlerContext } from './handler';
import { listText, objectWord } from './events/common';
import { actorIdentity, actorOf, identityOf, resolveRecipients, type Candidate } from './people';
import {
	clip,
	field,
	isRecord,
	lookup,
	looseRecord,
	looseString,
	Malformed,
	requireNumber,
	requireRecord,
	Unsupported,
	type Rec,
} from './read';
import { EVENT_HEADERS, HANDLERS } from './registry';
import { checkTemplate, renderTemplate, type Values } from './render';
import { LANGUAGES, type LanguagePack } from './templates';
import type {
	Attachment,
	FormatOptions,
	FormatResult,
	FormatterState,
	GitLabActor,
	GitLabEvent,
	GitLabProject,
	Layout,
	Rules,
	SkippedResult,
	TemplateOverride,
} from './types';

export const DEFAULT_RULES: Readonly<Rules> = Object.freeze({
	kinds: [],
	skipActions: [],
	excludeActor: true,
	skipOwnActions: true,
	excludeBots: true,
	notifyMentions: true,
	silentDrafts: true,
	commentsOnDrafts: true,
	notifyOnMergeRequestPush: false,
	skipSystemNotes: true,
	pipelineStatuses: ['failed'],
	pipelineFixed: false,
	jobStatuses: ['failed'],
	deploymentStatuses: ['failed', 'success'],
	emojiRevoke: false,
	confidentialExcerpts: false,
});

/**
 * Deliveries are remembered for two minutes: copies that arrive together (a project and a group hook, GitLab's quick
 * re-sends) give one Notify. A later re-send goes on, because the execution that handled the first copy may have died
 * before its DMs were made (a queue-mode worker killed mid-run is not re-run by n8n); the Mattermost node's
 * idempotency key (7 days, and the posts read back) keeps every DM single.
 */
export const DELIVERY_STATE: BookSpec = { name: 'gitlabDeliveries', ttlMs: 2 * 60_000, maxEntries: 5000, persist: 0 };
/** Per-object facts ("ready announced", last pipeline status of a ref) are kept for half a year. */
export const OBJECT_STATE: BookSpec = { name: 'gitlabObjects', ttlMs: 180 * 24 * 3600_000, maxEntries: 10000, persist: 5000 };

/** The formatter's two books in a store (the node's, or an instance store a caller made). */
export function createFormatterState(store: Store): FormatterState {
	return { deliveries: openBook(store, DELIVERY_STATE), objects: openBook(store, OBJECT_STATE) };
}

const containerScopes = new WeakMap<object, string>();
let containers = 0;

/** An instance store over a plain object, with memory of its own (a copy of that object is a restarted n8n). */
function containerStore(container: Record<string, unknown>, now?: () => number): Store {
	let scope = containerScopes.get(container);
	if (!scope) containerScopes.set(container, (scope = `formatter-container-${++containers}`));
	return instanceStore(scope, container, { now });
}

function isFormatterState(value: unknown): value is FormatterState {
	return (
		isRecord(value) &&
		isRecord(value.deliveries) &&
		typeof value.deliveries.claim === 'function' &&
		isRecord(value.objects) &&
		typeof value.objects.claim === 'function'
	);
}

/** Checks every template override before any item is formatted; throws TemplateError naming the placeholder. */
export function validateTemplates(templates: TemplateOverride[] | undefined): void {
	for (const override of templates ?? []) {
		checkTemplate(override.template ?? '', `${override.kind || '?'}/${override.action || '*'}`);
	}
}

const COLORS: Record<Color, string> = {
	open: '#1f78d1',
	success: '#1aaa55',
	failed: '#db3b21',
	closed: '#868686',
	merged: '#6b4fbb',
	neutral: '#8fa3b8',
	warning: '#fc9403',
};

const GENERIC_TEMPLATE = '{actor}: {kind} {action} {target} ({project})';
const MAX_TEXT = 12000;

function headerOf(headers: Rec, name: string): string | undefined {
	return clip(headerValue(headers, name)?.trim(), 500);
}

interface Unwrapped {
	payload: unknown;
	headers: Rec;
	/** Name of the payload's place in the input, for error messages. */
	root: string;
}

/** Items from n8n's Webhook node or GitLab Trigger are `{headers, body, query}`; anything else is the payload itself. */
function unwrap(input: unknown, extraHeaders: Record<string, unknown> | undefined): Unwrapped {
	let payload = input;
	let headers: Rec = {};
	let root = 'payload';
	if (isRecord(input) && 'body' in input && ('headers' in input || 'query' in input)) {
		payload = input.body;
		root = 'body';
		if (isRecord(input.headers)) headers = input.headers;
		if (typeof payload === 'string' && payload.length < 30_000_000) {
			try {
				payload = JSON.parse(payload);
			} catch {
				// Left as a string: reported as "body is not an object".
			}
		}
	}
	return { payload, headers: { ...headers, ...(extraHeaders ?? {}) }, root };
}

function projectOf(payload: Rec): GitLabProject {
	const project = requireRecord(field(payload, 'project'), 'project');
	return {
		id: requireNumber(field(project, 'id'), 'project.id'),
		path: clip(looseString(field(project, 'path_with_namespace')), 300) ?? null,
		name: clip(looseString(field(project, 'name')), 300) ?? null,
		url: safeUrl(field(project, 'web_url')) ?? safeUrl(field(project, 'homepage')) ?? null,
	};
}

function actorFrom(payload: Rec, source: 'user' | 'push' | 'optional'): { actor: GitLabActor; email?: string } {
	if (source === 'push') {
		const identity = identityOf({
			id: field(payload, 'user_id'),
			username: field(payload, 'user_username'),
			name: field(payload, 'user_name'),
			email: field(payload, 'user_email'),
		});
		return { actor: actorOf(identity), email: identity?.email };
	}
	const user = source === 'user' ? requireRecord(field(payload, 'user'), 'user') : field(payload, 'user');
	const identity = identityOf(user);
	if (source === 'user' && !identity) throw new Malformed('user', 'has no id, username or e-mail');
	return { actor: actorOf(identity), email: identity?.email };
}

function pickTemplate(
	event: GitLabEvent,
	handled: Handled,
	overrides: TemplateOverride[],
	pack: LanguagePack,
): { template: string; where: string } {
	const [fallbackKind, fallbackAction] = (handled.template ?? `${event.kind}:${event.action}`).split(':');
	const keys: Array<[string, string]> = [
		[event.kind, event.action],
		[fallbackKind, fallbackAction],
		[event.kind, '*'],
		[fallbackKind, '*'],
	];
	for (const [kind, action] of keys) {
		const found = overrides.find(
			(o) =>
				(o.kind ?? '').trim().toLowerCase() === kind &&
				((o.action ?? '').trim() || '*').toLowerCase() === action.toLowerCase(),
		);
		if (found) return { template: found.template, where: `${kind}/${action}` };
	}
	for (const [kind, action] of keys) {
		const found = lookup(pack.templates, `${kind}:${action}`);
		if (found !== undefined) return { template: found, where: `${kind}/${action}` };
	}
	return { template: GENERIC_TEMPLATE, where: `${event.kind}/${event.action}` };
}

/**
 * Whether GitLab marks this delivery confidential: its `Confidential Issue Hook` / `Confidential Note Hook` header,
 * `event_type: confidential_issue | confidential_note`, a confidential issue (`object_attributes.confidential` or
 * the commented or awarded `issue.confidential`) or an internal comment (`object_attributes.internal`, formerly
 * `confidential`). Any one of them is enough: a workflow may not pass the headers on.
 */
export function isConfidential(payload: Rec, headers: Rec): boolean {
	if (headerOf(headers, 'x-gitlab-event')?.toLowerCase().startsWith('confidential')) return true;
	if (looseString(field(payload, 'event_type'))?.toLowerCase().startsWith('confidential')) return true;
	const attributes = looseRecord(field(payload, 'object_attributes'));
	if (field(attributes, 'confidential') === true || field(attributes, 'internal') === true) return true;
	return field(looseRecord(field(payload, 'issue')), 'confidential') === true;
}

/** Only the author and assignees hear about a confidential event; people it mentions may not see it. */
const CONFIDENTIAL_ROLES = ['author', 'assignee'];
/** The values that quote what was written (comment, description); left out of confidential DMs unless allowed. */
const QUOTING_VALUES = ['note', 'description'] as const;

function skipped(skip: string, event: Partial<GitLabEvent>): SkippedResult {
	return { skip, event };
}

/**
 * Turns one GitLab webhook delivery into a notification (who to tell, what to say, which thread) or a Skipped
 * result with its reason. Pure apart from reading and updating `options.state`. Malformed payloads never throw:
 * they come back Skipped with the field named. Only a bad template override throws (TemplateError).
 */
export async function formatGitLabEvent(input: unknown, options: FormatOptions = {}): Promise<FormatResult> {
	if (!options.state || isFormatterState(options.state)) return await formatWith(input, options, options.state);
	// State in a plain object: written back into it after the event, as the node does after its items.
	const store = containerStore(options.state, options.now);
	try {
		return await formatWith(input, options, createFormatterState(store));
	} finally {
		await store.flush();
	}
}

async function formatWith(input: unknown, options: FormatOptions, state: FormatterState | undefined): Promise<FormatResult> {
	const rules: Rules = { ...DEFAULT_RULES, ...(options.rules ?? {}) };
	const pack = lookup(LANGUAGES, options.language ?? 'en') ?? LANGUAGES.en;
	const overrides = options.templates ?? [];
	validateTemplates(overrides);
	const layout: Layout = options.layout === 'attachment' ? 'attachment' : 'text';

	const { payload, headers, root } = unwrap(input, options.headers);
	const partial: Partial<GitLabEvent> = {};
	let failure: unknown;
	let claimed: string | undefined;
	try {
		if (payload === undefined || payload === null) throw new Malformed(root, 'missing');
		if (!isRecord(payload)) throw new Malformed(root, 'is not an object');
		const eventHeader = headerOf(headers, 'x-gitlab-event');
		const objectKind = field(payload, 'object_kind');
		let kind: string;
		if (typeof objectKind === 'string') kind = clip(objectKind, 100) as string;
		else if (objectKind !== undefined && objectKind !== null) throw new Malformed('object_kind', 'is not a string');
		else {
			const eventName = looseString(field(payload, 'event_name'));
			const fromHeader = eventHeader ? lookup(EVENT_HEADERS, eventHeader.toLowerCase()) : undefined;
			if (eventName && !lookup(HANDLERS, eventName)) return skipped(`unsupported kind: ${clip(eventName, 100)}`, partial);
			if (eventHeader && !fromHeader) return skipped(`unsupported kind: ${eventHeader}`, partial);
			throw new Malformed('object_kind', 'missing');
		}
		partial.kind = kind;
		const entry = lookup(HANDLERS, kind);
		if (!entry) return skipped(`unsupported kind: ${kind}`, partial);
		if (rules.kinds.length && !rules.kinds.includes(kind)) return skipped(`filtered: kind ${kind}`, partial);

		const project = projectOf(payload);
		partial.project = project;
		const { actor, email } = actorFrom(payload, entry.actor);
		partial.actor = actor;
		const instanceUrl =
			safeUrl(headerOf(headers, 'x-gitlab-instance'))?.replace(/\/+$/, '') ??
			(project.url ? new URL(project.url).origin : undefined);
		const context: HandlerContext = {
			payload,
			kind,
			project,
			actor,
			actorIdentity: actorIdentity(actor, email),
			rules,
			words: pack.words,
			instanceUrl,
		};
		const handled = entry.handle(context);
		const target = { ...handled.target, url: safeUrl(handled.target.url) ?? null };
		const event: GitLabEvent = { kind, action: handled.action, project, actor, target, labels: handled.labels };
		if (isConfidential(payload, headers)) {
			event.confidential = true;
			handled.candidates = handled.candidates.filter((c) => CONFIDENTIAL_ROLES.includes(c.role));
			if (!rules.confidentialExcerpts) for (const key of QUOTING_VALUES) delete handled.values[key];
		}
		Object.assign(partial, event);
		if (handled.skip) return skipped(handled.skip, event);
		if (rules.skipActions.includes(`${kind}:${event.action}`) || rules.skipActions.includes(`${kind}:*`)) {
			return skipped(`filtered: ${kind} ${event.action}`, event);
		}

		const idempotencyKey = headerOf(headers, 'idempotency-key');
		const who = actor.id ?? actor.username ?? '';
		const contentKey = handled.dedupe && `${kind}:${event.action}:${project.id}:${handled.dedupe.id}:${handled.dedupe.version}:${who}`;
		// One id per notification that stays the same when the delivery is sent again (GitLab keeps the
		// Idempotency-Key on re-sends) or its execution is retried; senders add the recipient and pass it on as the
		// Mattermost node's Idempotency Key.
		const source = idempotencyKey
			? `delivery:${idempotencyKey}`
			: contentKey
				? `content:${contentKey}`
				: `payload:${createHash('sha256').update(JSON.stringify(payload)).digest('hex').slice(0, 32)}`;
		if (state) {
			const instance = instanceUrl ?? '';
			const key = idempotencyKey ? `i:${instance}:${idempotencyKey}` : contentKey && `c:${instance}:${contentKey}`;
			if (key && !(await state.deliveries.claim(key, '1')) && !options.retry) return skipped('duplicate', event);
			claimed = key || undefined;
		}
		const decision = await handled.decide?.(state?.objects, { id: hashKey(source).slice(0, 6) });
		if (decision?.skip) return skipped(decision.skip, event);
		if (decision?.action) event.action = decision.action;
		const deliveryKey = `gitlab:${kind}:${event.action}:${target.type}:${target.id ?? target.iid ?? ''}:${source}`;

		const wanted: Candidate[] = handled.candidates.filter((c) => rules.notifyMentions || c.role !== 'mentioned');
		const { recipients, removedActor } = resolveRecipients(wanted, {
			actor: context.actorIdentity,
			excludeActor: rules.excludeActor,
			excludeBots: rules.excludeBots,
		});
		if (removedActor && !recipients.length && rules.skipOwnActions) return skipped('own action', event);

		return {
			event,
			recipients,
			message: { ...compose(event, handled, context, overrides, pack, layout), idempotencyKey: deliveryKey },
		};
	} catch (error) {
		if (error instanceof Malformed) return skipped(`malformed: ${error.message}`, partial);
		if (error instanceof Unsupported) return skipped(`unsupported kind: ${error.message}`, partial);
		failure = error;
	}
	// Anything else is a bug in the formatter, not a bad payload: let it surface, and give up the delivery's claim so
	// that a retry of the execution formats it again instead of dropping it as a duplicate.
	if (claimed && state) await state.deliveries.delete(claimed);
	throw failure;
}

function compose(
	event: GitLabEvent,
	handled: Handled,
	context: HandlerContext,
	overrides: TemplateOverride[],
	pack: LanguagePack,
	layout: Layout,
) {
	const { words } = pack;
	const { project, target, actor } = event;
	const actorLabel = actor.name ?? actor.username;
	const actorUrl = context.instanceUrl && actor.username ? `${context.instanceUrl}/${actor.username}` : undefined;
	const projectLabel = project.path ?? project.name ?? `#${project.id}`;
	const title = target.title ?? '';
	const targetLabel =
		handled.reference && title && handled.reference !== title ? `${handled.reference} ${title}` : handled.reference || title;
	const values: Values = {
		actor: actorLabel ? markdownLink(actorLabel, actorUrl) : escapeInline(words.someone),
		kind: escapeInline(event.kind),
		action: escapeInline(event.action),
		object: objectWord(target.type, words),
		target: targetLabel ? markdownLink(targetLabel, target.url) : '',
		title: escapeInline(title),
		url: target.url ?? '',
		iid: target.iid !== null ? String(target.iid) : '',
		reference: escapeInline(handled.reference),
		state: escapeInline(target.state),
		project: markdownLink(projectLabel, project.url),
		labels: listText(event.labels, words),
		status: escapeInline(target.state),
		...handled.values,
	};
	for (const key of Object.keys(values) as Array<keyof Values>) values[key] = neutraliseChannelMentions(values[key] ?? '');

	const { template, where } = pickTemplate(event, handled, overrides, pack);
	let text = renderTemplate(template, values, where);
	if (text.length > MAX_TEXT) text = `${text.slice(0, MAX_TEXT)}…`;
	const threadKey = handled.threadKey;
	if (layout === 'text') return { text, threadKey };

	const [headline, ...rest] = text.split('\n');
	const fields = [['project', projectLabel] as const, ...handled.fields]
		.filter(([, value]) => value)
		.map(([key, value]) => ({
			title: words[key] as string,
			value: key === 'project' ? values.project ?? '' : neutraliseChannelMentions(escapeInline(value)),
			short: key !== 'failedJobs',
		}));
	const attachment: Attachment = {
		fallback: headline,
		color: COLORS[handled.color],
		title: neutraliseChannelMentions(clip(targetLabel, 250) ?? ''),
		text: rest.join('\n').trim(),
		fields,
		footer: neutraliseChannelMentions(clip(projectLabel, 200) ?? ''),
	};
	if (actorLabel) attachment.author_name = neutraliseChannelMentions(actorLabel);
	if (actorUrl && safeUrl(actorUrl)) attachment.author_link = safeUrl(actorUrl);
	if (target.url) attachment.title_link = target.url;
	if (!attachment.title) delete attachment.title;
	if (!attachment.text) delete attachment.text;
	return { text: headline, attachments: [attachment], threadKey };
}
