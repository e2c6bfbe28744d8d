/**
 * The public API of n8n-nodes-mattermost-devops: the logic behind the nodes, as plain functions with no n8n types, for
 * scripts and other integrations. n8n itself loads the nodes and credentials from the files package.json's `n8n`
 * section lists, not from here, so this entry carries none of them.
 *
 * Everything exported here is a promise kept across versions; anything else under nodes/ may change without notice.
 * test/unit/public-api.test.ts lists these names: changing the list is a deliberate act recorded in CHANGELOG.md.
 */

/** GitLab Event Formatter: a GitLab webhook delivery to `{ event, recipients, message }` (or `{ skip }`). */
export {
	formatGitLabEvent,
	validateTemplates,
	TemplateError,
	DEFAULT_RULES,
	PLACEHOLDERS,
	SUPPORTED_KINDS,
	LANGUAGES,
} from './nodes/core/gitlab';
export type {
	FormatOptions,
	FormatResult,
	Notification,
	SkippedResult,
	GitLabEvent,
	Recipient,
	Message,
	Rules,
	TemplateOverride,
	Language,
	Layout,
} from './nodes/core/gitlab/types';

/** Recipient Resolver: GitLab people to Mattermost users, over any Directory (a Mattermost server, or your own). */
export { resolveRecipients, resolveRecipientsBatch } from './nodes/core/recipients';
export type {
	NamedPerson as RecipientIdentity,
	Directory,
	MattermostUser,
	GitlabUser,
	ChannelRef,
	MappingInput,
	RecipientRequest,
	ResolveOptions,
	ResolveResult,
	ResolvedRecipient,
	UnresolvedRecipient,
	UnresolvedReason,
} from './nodes/core/recipients/types';

/** Message building: checked attachments, and posts split to the server's size limit. */
export {
	buildAttachment,
	parseAttachments,
	AttachmentError,
	splitMessage,
	safeMessageParts,
	runeLength,
} from './nodes/core/mattermost';
export type { Attachment, AttachmentField } from './nodes/core/mattermost';

/** Mention safety: channel-wide mentions made harmless, `@user` mentions read, payload text shown literally. */
export { neutraliseChannelMentions, hasChannelMention, extractMentions, escapeInline, markdownLink } from './nodes/core/text';
export { neutraliseMessage } from './nodes/core/mattermost';
export type { NeutraliseOptions } from './nodes/core/text';
