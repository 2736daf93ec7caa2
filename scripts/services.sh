#!/usr/bin/env bash
# Starts and stops the services wxlogin's tests use: PostgreSQL, a Vault
# server and Redis, all on loopback, all state under one directory.
#
#   scripts/services.sh start DIR             start them; writes DIR/env (shell exports)
#   scripts/services.sh stop DIR              stop them and remove DIR
#   scripts/services.sh restart-postgres DIR [SECONDS]
#                                             stop the throwaway cluster (fast mode), wait, start it
#   scripts/services.sh stop-vault DIR        stop the Vault server (with raft storage only)
#   scripts/services.sh start-vault DIR       start it again and unseal it
#
# PostgreSQL: a server already answering on 127.0.0.1:5432 as user postgres
# without a password is used as it is; otherwise a throwaway cluster is made
# with the installed initdb/pg_ctl on a free port, with fsync off (tests need
# no durability) unless WXLOGIN_PG_DURABLE=1: then it is always a throwaway
# cluster, with PostgreSQL's default durability and 2 GB of shared buffers
# (for benchmarks). Vault: the binary from scripts/vault-bin.sh (built
# once, cached), as a dev server, which keeps its data in memory, or with
# WXLOGIN_VAULT_STORAGE=raft as a server with raft storage under DIR,
# initialised with one unseal key and KV v2 at secret/, so that it can be
# stopped and started again (make soak). When WXLOGIN_TEST_ARTIFACTS names
# a directory, either has a raw file audit device writing to its
# secrets/vault-audit.log, from which the secret scan learns every secret
# written to Vault (the Vault servers tests run of their own write
# secrets/vault-audit-*.log there, internal/testenv). Redis: Debian's redis-server on a free port, in memory
# only (no snapshots, no append-only file).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cmd=${1:?usage: services.sh start|stop|restart-postgres|stop-vault|start-vault DIR}
dir=${2:?usage: services.sh start|stop|restart-postgres|stop-vault|start-vault DIR}

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
  echo "$bin" >"$dir/pg/bindir"
  echo "-c listen_addresses=127.0.0.1 -p $port -k $dir/pg -c max_connections=300 $durability" >"$dir/pg/options"
  pg_start
  echo "export WXLOGIN_TEST_POSTGRES_URL='postgres://postgres@127.0.0.1:$port/postgres?sslmode=disable'" >>"$dir/env"
}

# pg_start starts the throwaway cluster with the options it was made with.
pg_start() {
  as_pg "$(cat "$dir/pg/bindir")/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
    -o "$(cat "$dir/pg/options")" start >/dev/null || { cat "$dir/pg/server.log" >&2; return 1; }
}

start_vault() {
  local bin port token
  bin=$("$here/vault-bin.sh")
  if [ "${WXLOGIN_VAULT_STORAGE:-}" = raft ]; then start_raft_vault "$bin"; return; fi
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
      VAULT_ADDR="http://127.0.0.1:$port" VAULT_TOKEN="$token" vault_audit "$bin"
      return
    fi
    sleep 0.2
  done
  cat "$dir/vault.log" >&2; echo "Vault did not start" >&2; return 1
}

# vault_audit BIN: with VAULT_ADDR and VAULT_TOKEN set, enables the raw
# file audit device the secret scan reads when WXLOGIN_TEST_ARTIFACTS
# names a directory.
vault_audit() {
  [ -n "${WXLOGIN_TEST_ARTIFACTS:-}" ] || return 0
  mkdir -p "$WXLOGIN_TEST_ARTIFACTS/secrets"
  "$1" audit enable file file_path="$WXLOGIN_TEST_ARTIFACTS/secrets/vault-audit.log" log_raw=true >/dev/null
}

# start_raft_vault BIN: a Vault server with raft storage in DIR/vault,
# initialised (DIR/vault/init.json holds its unseal key and root token),
# unsealed, with KV v2 at secret/.
start_raft_vault() {
  local port cport init
  port=$(free_port)
  cport=$(free_port)
  mkdir -p "$dir/vault/raft"
  cat >"$dir/vault/vault.hcl" <<HCL
storage "raft" {
  path    = "$dir/vault/raft"
  node_id = "wxlogin"
  performance_multiplier = 1
}
listener "tcp" {
  address         = "127.0.0.1:$port"
  cluster_address = "127.0.0.1:$cport"
  tls_disable     = true
}
api_addr      = "http://127.0.0.1:$port"
cluster_addr  = "http://127.0.0.1:$cport"
disable_mlock = true
HCL
  echo "$1" >"$dir/vault/bin"
  echo "http://127.0.0.1:$port" >"$dir/vault/addr"
  vault_launch
  init=$(vault_cli operator init -key-shares=1 -key-threshold=1 -format=json)
  (umask 077; echo "$init" >"$dir/vault/init.json")
  vault_unseal
  VAULT_TOKEN=$(jq -r .root_token <<<"$init") vault_cli secrets enable -path=secret kv-v2 >/dev/null
  VAULT_ADDR=$(cat "$dir/vault/addr") VAULT_TOKEN=$(jq -r .root_token <<<"$init") vault_audit "$1"
  echo "export WXLOGIN_TEST_VAULT_ADDR='http://127.0.0.1:$port'" >>"$dir/env"
  echo "export WXLOGIN_TEST_VAULT_TOKEN='$(jq -r .root_token <<<"$init")'" >>"$dir/env"
  echo "export WXLOGIN_TEST_VAULT_BIN='$1'" >>"$dir/env"
}

vault_cli() { VAULT_ADDR=$(cat "$dir/vault/addr") "$(cat "$dir/vault/bin")" "$@"; }

# vault_launch starts the raft server and waits until it answers, sealed.
vault_launch() {
  nohup "$(cat "$dir/vault/bin")" server -config="$dir/vault/vault.hcl" >>"$dir/vault.log" 2>&1 &
  echo $! >"$dir/vault.pid"
  for _ in $(seq 300); do
    if curl -s -o /dev/null "$(cat "$dir/vault/addr")/v1/sys/seal-status"; then return; fi
    sleep 0.2
  done
  cat "$dir/vault.log" >&2; echo "Vault did not start" >&2; return 1
}

# vault_unseal unseals the raft server and waits until it is the active node.
vault_unseal() {
  vault_cli operator unseal "$(jq -r '.unseal_keys_b64[0]' "$dir/vault/init.json")" >/dev/null
  for _ in $(seq 300); do
    if curl -fs -o /dev/null "$(cat "$dir/vault/addr")/v1/sys/health"; then return; fi
    sleep 0.2
  done
  cat "$dir/vault.log" >&2; echo "Vault did not become active" >&2; return 1
}

start_redis() {
  local port
  command -v redis-server >/dev/null 2>&1 || { echo "redis-server is not installed (scripts/install-deps.sh installs it)" >&2; return 1; }
  port=$(free_port)
  mkdir -p "$dir/redis"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir/redis" --save '' --appendonly no \
    --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" ||
    { cat "$dir/redis.log" >&2; return 1; }
  for _ in $(seq 100); do
    if [ "$(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null)" = PONG ]; then
      echo "export WXLOGIN_TEST_REDIS_URL='redis://127.0.0.1:$port/0'" >>"$dir/env"
      return
    fi
    sleep 0.1
  done
  cat "$dir/redis.log" >&2; echo "Redis did not start" >&2; return 1
}

case "$cmd" in
start)
  mkdir -p "$dir"; : >"$dir/env"
  start_postgres
  start_vault
  start_redis
  ;;
stop)
  if [ -f "$dir/vault.pid" ]; then kill "$(cat "$dir/vault.pid")" 2>/dev/null || true; fi
  if [ -f "$dir/redis.pid" ]; then kill "$(cat "$dir/redis.pid")" 2>/dev/null || true; fi
  if [ -f "$dir/pg/bindir" ]; then as_pg "$(cat "$dir/pg/bindir")/pg_ctl" -D "$dir/pg/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
restart-postgres)
  [ -f "$dir/pg/bindir" ] || { echo "no throwaway PostgreSQL cluster in $dir" >&2; exit 1; }
  as_pg "$(cat "$dir/pg/bindir")/pg_ctl" -D "$dir/pg/data" -w -m fast stop >/dev/null
  sleep "${3:-0}"
  pg_start
  ;;
stop-vault)
  [ -f "$dir/vault/init.json" ] || { echo "no Vault with raft storage in $dir" >&2; exit 1; }
  pid=$(cat "$dir/vault.pid")
  kill "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  ;;
start-vault)
  [ -f "$dir/vault/init.json" ] || { echo "no Vault with raft storage in $dir" >&2; exit 1; }
  vault_launch
  vault_unseal
  ;;
*) echo "usage: services.sh start|stop|restart-postgres|stop-vault|start-vault DIR" >&2; exit 2 ;;
esac
