import { join } from 'node:path';
import { REPO_ROOT } from './toolchain';

/** `npm start`'s n8n user folder (git-ignored). */
export const LOCAL_DIR = join(REPO_ROOT, '.n8n-local');
/** `npm run demo`'s folder, recreated on each run. */
export const DEMO_DIR = join(LOCAL_DIR, 'demo');
/** What `npm run demo:events` needs to know about the running demo. */
export const DEMO_INFO = join(DEMO_DIR, 'demo.json');
