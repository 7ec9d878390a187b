#!/usr/bin/env bash
# Puts a supported Node (>= 22; Node 24 LTS here) first on PATH.
# Source it:  . scripts/dev/use-node.sh
# If `node` on PATH is older than 22 (these machines ship Node 20.20, end-of-life), it installs Node 24 from the
# npm registry's `node` package into .tools/ (once, about 190 MB) and puts .tools/node_modules/.bin first on PATH.
_pg_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
_pg_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }
if [ "$(_pg_major)" -lt 22 ]; then
  if [ ! -x "$_pg_root/.tools/node_modules/.bin/node" ]; then
    echo "use-node: node $(node --version 2>/dev/null || echo missing) is not supported; installing Node 24 into .tools/" >&2
    npm install --prefix "$_pg_root/.tools" --no-save --no-audit --no-fund node@24 >/dev/null || return 1 2>/dev/null || exit 1
  fi
  export PATH="$_pg_root/.tools/node_modules/.bin:$PATH"
fi
echo "use-node: $(node --version) ($(command -v node))" >&2
unset -f _pg_major
unset _pg_root
