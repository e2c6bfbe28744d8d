import fc from 'fast-check';
import { SEED } from '../fuzz/run';

// n8n-core logs every node error through its own logger; the tests assert on those errors, so the log is only noise.
process.env.N8N_LOG_LEVEL = 'silent';

// The unit tests' own property checks follow the fuzz suites' seed policy: fixed in CI, fresh (and reported on
// failure) elsewhere; FC_SEED replays either.
if (process.env.FC_SEED || process.env.CI) fc.configureGlobal({ seed: SEED });
