/**
 * n8n-nodes-mattermost-devops: the n8n nodes and credentials, and the pure core they are built on, for use
 * outside n8n (scripts, other integrations, tests).
 */

// Nodes
export { Mattermost } from './nodes/Mattermost/Mattermost.node';
export { GitlabEventFormatter } from './nodes/GitlabEventFormatter/GitlabEventFormatter.node';
export { RecipientResolver } from './nodes/RecipientResolver/RecipientResolver.node';
export { MattermostCommandTrigger } from './nodes/MattermostCommandTrigger/MattermostCommandTrigger.node';
export { SecureWebhookTrigger } from './nodes/SecureWebhookTrigger/SecureWebhookTrigger.node';
export { MattermostInteractionTrigger } from './nodes/MattermostInteractionTrigger/MattermostInteractionTrigger.node';

// Credentials
export { MattermostDevopsApi } from './credentials/MattermostDevopsApi.credentials';
export { MattermostIncomingWebhookApi } from './credentials/MattermostIncomingWebhookApi.credentials';
export { MattermostCommandTokenApi } from './credentials/MattermostCommandTokenApi.credentials';
export { GitlabUserLookupApi } from './credentials/GitlabUserLookupApi.credentials';
export { WebhookSecretApi } from './credentials/WebhookSecretApi.credentials';
export { MattermostInteractionApi } from './credentials/MattermostInteractionApi.credentials';

// Pure core: GitLab events to messages and recipients
export {
	formatGitLabEvent,
	createFormatterState,
	validateTemplates,
	renderTemplate,
	TemplateError,
	DEFAULT_RULES,
	PLACEHOLDERS,
	SUPPORTED_KINDS,
	LANGUAGES,
} from './nodes/core/gitlab';
export type * from './nodes/core/gitlab/types';

// Pure core: GitLab people to Mattermost users
export { resolveRecipients, resolveRecipientsBatch, cachedDirectory, parseMapping } from './nodes/core/recipients';
export type {
	NamedPerson as RecipientIdentity,
	MattermostUser,
	GitlabUser,
	ChannelRef,
	Directory,
	MappingInput,
	RecipientRequest,
	ResolveOptions,
	UnresolvedReason,
	ResolvedRecipient,
	UnresolvedRecipient,
	ResolveResult,
} from './nodes/core/recipients/types';

// Pure core, by area: Mattermost message building, chat commands, text safety, bounded state, webhook secrets
export * as mattermostCore from './nodes/core/mattermost';
export * as commands from './nodes/core/commands';
export * as text from './nodes/core/text';
export * as state from './nodes/core/state';
export * as secrets from './nodes/core/secrets';
