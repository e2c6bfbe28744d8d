import { en, type TemplateKey } from './en';
import { ja } from './ja';
import { ko } from './ko';
import { nl } from './nl';
import type { LanguagePack } from './types';

export type { LanguagePack, Words } from './types';
export type { TemplateKey };

export const LANGUAGES = { en, ko, ja, nl } satisfies Record<string, LanguagePack<TemplateKey>>;

export type Language = keyof typeof LANGUAGES;
