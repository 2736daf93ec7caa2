#!/usr/bin/env bash
# Prints the path of the Vault binary that wxlogin's tests use, building it
# from tools/vault (Go modules, -tags minimal) only when the cached copy is
# missing. The cache lives outside the checkout so that fresh clones on the
# same machine reuse it; the key is a hash of tools/vault's go.mod and go.sum.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cache=${WXLOGIN_CACHE_DIR:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/wxlogin}
key=$(cat "$root/tools/vault/go.mod" "$root/tools/vault/go.sum" "$root/tools/vault/main.go" | sha256sum | cut -c1-16)
bin="$cache/vault-$key"
if [ ! -x "$bin" ]; then
  mkdir -p "$cache"
  echo "building Vault dev binary into $bin (about 13 minutes on a cold cache)" >&2
  (cd "$root/tools/vault" && CGO_ENABLED=0 go build -tags minimal -trimpath -o "$bin.tmp" .)
  mv "$bin.tmp" "$bin"
fi
echo "$bin"
