#!/usr/bin/env bash
# Prints the folder holding a runnable n8n 2.40.7 (node_modules/.bin/n8n), installing it on first use.
# Recipe: n8n@2.41.x cannot be installed from the registry here; 2.40.7 installs with linkedom pinned (newer linkedom
# needs a package the registry lacks), without install scripts (some download binaries), then sqlite3 is rebuilt
# against Node 24's headers.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
node24="$(bash "$here/ensure-node24.sh")"
export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"
cache="${N8N_DEVOPS_CACHE:-$HOME/.cache/n8n-nodes-mattermost-devops}"
dir="$cache/n8n-2.40.7"
if [ -f "$dir/.ready" ]; then echo "$dir"; exit 0; fi
mkdir -p "$dir"
cat > "$dir/package.json" <<'JSON'
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "2.40.7" }, "overrides": { "linkedom": "0.18.13" } }
JSON
echo "Installing n8n 2.40.7 into $dir (first run only, several minutes) ..." >&2
(cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=http 2>&1 | awk 'NR%1000==0{print "  ... " NR " lines of npm progress"; fflush()} /added|ERR/' >&2)
echo "Building sqlite3 for Node 24 ..." >&2
(cd "$dir" && npm rebuild sqlite3 >&2)
"$node24/bin/node" -e "require('$dir/node_modules/sqlite3')" 
touch "$dir/.ready"
echo "$dir"
