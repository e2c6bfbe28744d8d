import { eventKinds } from '../core/gitlab';

export const KINDS = eventKinds();

/** Every kind the core handles, from its registry: a new kind shows up here by itself. */
export const KIND_OPTIONS = KINDS.map(({ kind, label }) => ({ name: label, value: kind }));
