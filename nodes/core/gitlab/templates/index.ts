import { en } from './en';
import { ja } from './ja';
import { ko } from './ko';
import { nl } from './nl';
import type { LanguagePack } from './types';

export type { LanguagePack, Words } from './types';

export const LANGUAGES: Record<'en' | 'ko' | 'ja' | 'nl', LanguagePack> = { en, ko, ja, nl };
