export { formatGitLabEvent, createFormatterState, validateTemplates, DEFAULT_RULES, DELIVERY_STATE, OBJECT_STATE } from './format';
export { PLACEHOLDERS, TemplateError, renderTemplate, type Placeholder } from './render';
export { SUPPORTED_KINDS } from './registry';
export { LANGUAGES } from './templates';
export { DRAFT_TITLE } from './events/merge-request';
export type * from './types';
