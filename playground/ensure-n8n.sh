#!/usr/bin/env bash
# Prints the folder holding a runnable n8n 2.40.7 (node_modules/n8n/bin/n8n), installing it on first use.
# Recipe: n8n@2.41.x cannot be installed from the registry here; 2.40.7 installs with linkedom pinned (newer linkedom
# needs a package the registry lacks), without install scripts (some download binaries), then sqlite3 is built
# against Node 24's headers.
# The folder is marked ready (.ready) only once an n8n started from it has answered /healthz/readiness (its database,
# hence sqlite3, works). A folder left half-built (no mark, or the mark but no sqlite3 binding) is repaired on the
# next run: npm install again (it keeps what is already there), build, check.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
node24="$(bash "$here/ensure-node24.sh")"

# Started from an npm script (npm start, npm run test:e2e, ...), this runs with the project's .npmrc exported as
# npm_config_* variables, ignore-scripts=true among them, under which `npm rebuild` builds nothing. The n8n folder is
# its own npm project: drop the variables that come from this project's .npmrc (the user's ~/.npmrc still applies).
while IFS= read -r key; do
  unset "npm_config_${key//-/_}" "NPM_CONFIG_$(tr 'a-z-' 'A-Z_' <<<"$key")"
done < <(sed -n 's/^[[:space:]]*\([a-z][a-z0-9-]*\)[[:space:]]*=.*/\1/p' "$repo/.npmrc")
export PATH="$node24/bin:$PATH" npm_config_nodedir="$node24"

cache="${N8N_DEVOPS_CACHE:-$HOME/.cache/n8n-nodes-mattermost-devops}"
dir="$cache/n8n-2.40.7"
n8n_bin="$dir/node_modules/n8n/bin/n8n"
binding="$dir/node_modules/sqlite3/build/Release/node_sqlite3.node"

built() { [ -f "$n8n_bin" ] && [ -f "$binding" ]; }

if [ -f "$dir/.ready" ] && built; then echo "$dir"; exit 0; fi

mkdir -p "$cache"
# Two first runs at once (two terminals, or CI steps in parallel) must not install into the same folder together.
exec 9>"$cache/.n8n-2.40.7.lock"
if ! flock -n 9; then
  echo "Another run is installing n8n 2.40.7 into $dir; waiting for it ..." >&2
  flock 9
fi
if [ -f "$dir/.ready" ] && built; then echo "$dir"; exit 0; fi

free_port() { "$node24/bin/node" -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# Starts n8n from the folder on free loopback ports with a throw-away user folder and waits for /healthz/readiness.
check_n8n_starts() {
  local folder port broker pid ok=''
  folder="$(mktemp -d)"
  port="$(free_port)"
  broker="$(free_port)"
  echo "Checking that n8n starts (port $port) ..." >&2
  N8N_USER_FOLDER="$folder" N8N_PORT="$port" N8N_LISTEN_ADDRESS=127.0.0.1 N8N_RUNNERS_BROKER_PORT="$broker" \
    DB_TYPE=sqlite N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false N8N_TEMPLATES_ENABLED=false \
    N8N_PERSONALIZATION_ENABLED=false N8N_ENCRYPTION_KEY=install-check N8N_LOG_OUTPUT=console \
    setsid timeout 300 "$node24/bin/node" "$n8n_bin" start >"$folder/n8n.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 240); do
    if curl -fsS --max-time 5 "http://127.0.0.1:$port/healthz/readiness" >/dev/null 2>&1; then ok=1; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 1
  done
  # n8n and its task runner are one process group (setsid): stop them together, killing what is left after 30 s.
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -z "$ok" ]; then
    echo "n8n installed in $dir did not answer /healthz/readiness. Its log:" >&2
    tail -n 40 "$folder/n8n.log" >&2
    rm -rf "$folder"
    return 1
  fi
  rm -rf "$folder"
}

rm -f "$dir/.ready"
mkdir -p "$dir"
cat > "$dir/package.json" <<'JSON'
{ "name": "n8n-runtime", "private": true, "dependencies": { "n8n": "2.40.7" }, "overrides": { "linkedom": "0.18.13" } }
JSON
if [ -d "$dir/node_modules" ]; then
  echo "Repairing the unfinished n8n 2.40.7 install in $dir ..." >&2
else
  echo "Installing n8n 2.40.7 into $dir (first run only, several minutes) ..." >&2
fi
(cd "$dir" && npm install --ignore-scripts --no-audit --no-fund --loglevel=http 2>&1 | awk 'NR%1000==0{print "  ... " NR " lines of npm progress"; fflush()} /added|ERR/' >&2)
if [ ! -f "$binding" ]; then
  echo "Building sqlite3 for Node 24 ..." >&2
  # Scripts on explicitly: this build is sqlite3's install script.
  if ! (cd "$dir" && npm rebuild sqlite3 --ignore-scripts=false >&2); then
    echo "Building sqlite3 failed. It needs python3, make and a C++ compiler (Debian: apt-get install python3 make g++);" >&2
    echo "the next run tries again." >&2
    exit 1
  fi
fi
if ! built; then
  echo "The n8n install in $dir is incomplete (no $n8n_bin or no $binding); the next run repairs it." >&2
  exit 1
fi
check_n8n_starts
echo "n8n 2.40.7 started from this folder and answered /healthz/readiness on $(date -u +%FT%TZ)" > "$dir/.ready"
echo "$dir"
