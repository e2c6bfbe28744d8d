export { formatGitLabEvent, createFormatterState, validateTemplates, DEFAULT_RULES, DELIVERY_STATE, OBJECT_STATE } from './format';
export { PLACEHOLDERS, TemplateError, renderTemplate, type Placeholder } from './render';
export { SUPPORTED_KINDS } from './registry';
export { eventKinds, type EventKind } from './kinds';
export { LANGUAGES, type TemplateKey } from './templates';
export { DRAFT_TITLE } from './events/merge-request';
export type * from './types';
