#!/usr/bin/env bash
# Installs what wxlogin's tests need on a Debian machine when it is missing:
# PostgreSQL's server binaries (initdb, pg_ctl), Redis (redis-server, for the
# rate limits shared by replicas), and Debian's Chromium with a CJK font for
# the browser test (nothing downloads a browser of its own). Go
# and Node.js come with the machine; scripts/test.sh installs the pinned Node
# tools and builds the Vault dev binary from Go modules.
set -euo pipefail
need=()
if ! command -v initdb >/dev/null 2>&1 && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  need+=(postgresql)
fi
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/bin/chromium ] || need+=(chromium)
fc-list 2>/dev/null | grep -qi 'wenquanyi\|noto sans cjk' || need+=(fonts-wqy-microhei)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then echo "missing packages ${need[*]}; install them as root" >&2; exit 1; fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  # Debian starts a cluster and a Redis server on install where it can; the
  # tests start their own.
  if command -v pg_ctlcluster >/dev/null 2>&1; then
    for c in /etc/postgresql/*/main; do
      [ -d "$c" ] && pg_ctlcluster "$(basename "$(dirname "$c")")" main stop 2>/dev/null || true
    done
  fi
  if [[ " ${need[*]} " == *" redis-server "* ]] && command -v service >/dev/null 2>&1; then
    service redis-server stop >/dev/null 2>&1 || true
  fi
fi
command -v go >/dev/null 2>&1 || { echo "Go is not installed" >&2; exit 1; }
