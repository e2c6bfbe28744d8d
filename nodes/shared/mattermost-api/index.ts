/**
 * The Mattermost API of every node in this package: one request function over n8n's HTTP helper with one retry
 * policy, the typed routes the nodes call, the per-execution session of lookups, and incoming webhooks.
 */
export { DEFAULT_TIMEOUT_MS } from './attempts';
export { MattermostApi, POST_KEY_PROP, type NewPost, type PostPatch } from './api';
export { CREDENTIAL_TYPE, serverSettings, type MattermostContext } from './credential';
export { mattermostApiError, mattermostErrorId } from './errors';
export { mattermostRequest, requestSafety, type Call, type ItemCall, type MattermostCallOptions, type MattermostRequestOptions } from './request';
export { createMattermostSession, MattermostSession, type SessionCaches } from './session';
export { hookIdOf, postToIncomingWebhook, redactHookId, WEBHOOK_CREDENTIAL_TYPE } from './webhook';
