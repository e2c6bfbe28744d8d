import { escapeInline, excerpt, markdownLink, neutraliseChannelMentions, quote, safeUrl } from '../../text';
import { identitiesOf, type Identity } from '../people';
import { clip, field, isRecord, looseArray, looseId, looseString, type Rec } from '../read';
import type { Words } from '../templates';
import type { GitLabProject, GitLabTarget } from '../types';

/** Label titles from `[{title}]` (or plain strings), escaped for display later. */
export function labelsOf(value: unknown): string[] {
	const out: string[] = [];
	for (const label of looseArray(value).slice(0, 50)) {
		const title = isRecord(label) ? looseString(field(label, 'title')) : looseString(label);
		if (title && !out.includes(title)) out.push(clip(title, 100) as string);
	}
	return out;
}

export function threadKey(project: GitLabProject, type: string, id: string | number | undefined): string {
	const tail = id === undefined || id === '' ? 'unknown' : String(id).replace(/[\s\p{Cc}]+/gu, '_').slice(0, 200);
	return `gitlab/${project.id}/${type}/${tail}`;
}

/** People in `changes.<key>.current` who were not in `.previous`: GitLab repeats unchanged lists on every update. */
export function newlyAdded(changes: Rec | undefined, key: string): Identity[] {
	const change = isRecord(field(changes, key)) ? (field(changes, key) as Rec) : undefined;
	if (!change) return [];
	const previous = identitiesOf(field(change, 'previous'));
	const current = identitiesOf(field(change, 'current'));
	return current.filter(
		(person) =>
			!previous.some(
				(before) =>
					(person.id !== undefined && before.id === person.id) ||
					(person.username !== undefined && before.username?.toLowerCase() === person.username.toLowerCase()),
			),
	);
}

/** Markdown links in untrusted text keep only http(s) and mailto targets; others lose their target. */
function dropUnsafeLinks(text: string): string {
	return text.replace(/\]\(\s*<?([A-Za-z][A-Za-z0-9+.-]*):[^)\s]*/g, (match, scheme: string) =>
		/^(https?|mailto)$/i.test(scheme) ? match : '](',
	);
}

/**
 * A block quote of the first 300 characters of a comment or description (cut at a word), safe to embed: channel-wide
 * mentions neutralised, unsafe links dropped, an unclosed code fence closed so it cannot swallow the rest of the
 * message, and a link to the full text when it was cut.
 */
export function quotedExcerpt(text: string | undefined, url: string | undefined, words: Words, max = 300): string {
	if (!text || !text.trim()) return '';
	const head = text.slice(0, max * 4);
	let short = excerpt(head, max);
	const cut = short !== head.trim();
	if ((short.match(/^\s{0,3}(```|~~~)/gm) ?? []).length % 2 === 1) short += '\n```';
	let out = quote(dropUnsafeLinks(neutraliseChannelMentions(short)));
	const href = safeUrl(url);
	if (cut && href) out += `\n[${escapeInline(words.readMore)}](${href})`;
	return out;
}

/** "1h 2m 3s" from seconds. */
export function humanDuration(seconds: number | undefined): string {
	if (seconds === undefined || seconds < 0 || !Number.isFinite(seconds)) return '';
	const total = Math.round(seconds);
	const h = Math.floor(total / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	return [h ? `${h}h` : '', m ? `${m}m` : '', s || (!h && !m) ? `${s}s` : ''].filter(Boolean).join(' ');
}

export function shortSha(sha: string | undefined): string | undefined {
	return sha && /^[0-9a-f]{7,64}$/i.test(sha) ? sha.slice(0, 8) : undefined;
}

/** Branch name from `refs/heads/x` (or a bare name). */
export function branchOf(ref: string | undefined): string | undefined {
	if (!ref) return undefined;
	return clip(ref.replace(/^refs\/(heads|tags)\//, ''), 200);
}

/** A link into the project for things the payload gives no URL for (jobs, milestones). */
export function projectLink(project: GitLabProject, path: string): string | undefined {
	return project.url ? safeUrl(`${project.url.replace(/\/+$/, '')}/${path}`) : undefined;
}

export function listText(items: string[], words: Words): string {
	return items.map(escapeInline).join(words.listSeparator);
}

export function names(people: Identity[], words: Words): string {
	return people.map((p) => escapeInline(p.name ?? p.username ?? (p.id !== undefined ? `#${p.id}` : ''))).join(words.listSeparator);
}

export function linkedRef(label: string | undefined, url: string | undefined): string {
	return label ? markdownLink(label, url) : '';
}

export function objectWord(type: string, words: Words): string {
	return Object.prototype.hasOwnProperty.call(words.objects, type) ? words.objects[type] : escapeInline(type.replace(/_/g, ' '));
}

export function fill(text: string, values: Record<string, string>): string {
	return text.replace(/\{(\w+)\}/g, (m, key: string) => values[key] ?? m);
}

/** The target of an issue or merge request event, read from its object_attributes. */
export function attributesTarget(type: string, attributes: Rec, iid: number, title: string | undefined, draft: boolean | null): GitLabTarget {
	return {
		type,
		id: looseId(field(attributes, 'id')) ?? null,
		iid,
		title: title ?? null,
		url: looseString(field(attributes, 'url')) ?? null,
		state: looseString(field(attributes, 'state')) ?? null,
		draft,
	};
}

/** What an event about an object without people (milestone, feature flag) says besides its target: its description. */
export function describedOnly(attributes: Rec, url: string | undefined, words: Words) {
	return {
		reference: '',
		labels: [],
		candidates: [],
		values: { description: quotedExcerpt(clip(looseString(field(attributes, 'description')), 100_000), url, words) },
	};
}
