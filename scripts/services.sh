#!/usr/bin/env bash
# Starts and stops the services wxlogin's tests use: PostgreSQL and a Vault
# dev server, both on loopback, all state under one directory.
#
#   scripts/services.sh start DIR   start them; writes DIR/env (shell exports)
#   scripts/services.sh stop DIR    stop them and remove DIR
#
# PostgreSQL: a server already answering on 127.0.0.1:5432 as user postgres
# without a password is used as it is; otherwise a throwaway cluster is made
# with the installed initdb/pg_ctl on a free port, with fsync off (tests need
# no durability) unless WXLOGIN_PG_DURABLE=1: then it is always a throwaway
# cluster, with PostgreSQL's default durability and 2 GB of shared buffers
# (for benchmarks). Vault: the dev binary from scripts/vault-bin.sh (built
# once, cached).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: services.sh start|stop DIR}
dir=${2:?usage: services.sh start|stop DIR}

free_port() {
  local p
  for _ in $(seq 200); do
    # below Linux's ephemeral range (32768+), where outgoing connections
    # could already hold the port
    p=$((10000 + RANDOM % 22000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}

pg_bindir() {
  if command -v pg_ctl >/dev/null 2>&1; then dirname "$(readlink -f "$(command -v pg_ctl)")"; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

# as_pg runs a command as the cluster's owner: PostgreSQL refuses to run as root.
as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_postgres() {
  if [ "${WXLOGIN_PG_DURABLE:-}" != 1 ] && command -v psql >/dev/null 2>&1 &&
     PGCONNECT_TIMEOUT=2 psql -w -h 127.0.0.1 -p 5432 -U postgres -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    echo "export WXLOGIN_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable'" >>"$dir/env"
    return
  fi
  local bin port durability="-c fsync=off -c full_page_writes=off"
  # Benchmarks run on a server set up as for production: durable, and with
  # a shared buffer cache sized for the data (PostgreSQL's 128 MB default is
  # meant to be raised; its documentation starts at a quarter of the RAM).
  [ "${WXLOGIN_PG_DURABLE:-}" = 1 ] && durability="-c shared_buffers=2GB"
  bin=$(pg_bindir)
  [ -x "$bin/initdb" ] || { echo "PostgreSQL is not installed (scripts/install-deps.sh installs it)" >&2; return 1; }
  port=$(free_port)
  mkdir -p "$dir/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$dir" "$dir/pg"
  as_pg "$bin/initdb" -D "$dir/pg/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$dir/pg/initdb.log" 2>&1 ||
    { cat "$dir/pg/initdb.log" >&2; return 1; }
  as_pg "$bin/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/pg -c max_connections=300 $durability" start >/dev/null ||
    { cat "$dir/pg/server.log" >&2; return 1; }
  echo "$bin" >"$dir/pg/bindir"
  echo "export WXLOGIN_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable'" >>"$dir/env"
}

start_vault() {
  local bin port token
  bin=$("$here/vault-bin.sh")
  port=$(free_port)
  token="root-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
  nohup "$bin" server -dev -dev-listen-address="127.0.0.1:$port" -dev-root-token-id="$token" \
    >"$dir/vault.log" 2>&1 &
  echo $! >"$dir/vault.pid"
  for _ in $(seq 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && grep -q "Development mode" "$dir/vault.log"; then
      echo "export WXLOGIN_TEST_VAULT_ADDR='http://127.0.0.1:$port'" >>"$dir/env"
      echo "export WXLOGIN_TEST_VAULT_TOKEN='$token'" >>"$dir/env"
      # for the tests that run a Vault server of their own
      echo "export WXLOGIN_TEST_VAULT_BIN='$bin'" >>"$dir/env"
      return
    fi
    sleep 0.2
  done
  cat "$dir/vault.log" >&2; echo "Vault did not start" >&2; return 1
}

case "$cmd" in
start)
  mkdir -p "$dir"; : >"$dir/env"
  start_postgres
  start_vault
  ;;
stop)
  if [ -f "$dir/vault.pid" ]; then kill "$(cat "$dir/vault.pid")" 2>/dev/null || true; fi
  if [ -f "$dir/pg/bindir" ]; then as_pg "$(cat "$dir/pg/bindir")/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*) echo "usage: services.sh start|stop DIR" >&2; exit 2 ;;
esac
