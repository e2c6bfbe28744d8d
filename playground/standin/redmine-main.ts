/** CLI for the Redmine stand-in: `tsx playground/standin/redmine-main.ts --port 0 --seed <file.json> [--log <file>]`. */
import { startRedmineStandin, type RedmineSeed } from './redmine';
import { serveStandin } from './serve';

serveStandin<RedmineSeed>(startRedmineStandin);
