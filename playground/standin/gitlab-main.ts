/** CLI for the GitLab users stand-in: `tsx playground/standin/gitlab-main.ts --port 0 --seed <file.json> [--log <file>]`. */
import { startGitlabStandin, type GitlabSeed } from './gitlab';
import { serveStandin } from './serve';

serveStandin<GitlabSeed>(startGitlabStandin);
