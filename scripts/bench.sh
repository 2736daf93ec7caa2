#!/usr/bin/env bash
# Measures complete WeChat logins per second over loopback (make bench).
#
# For each database — SQLite with the local secret store, then PostgreSQL
# (a throwaway cluster with default durability) with Vault, both from
# scripts/services.sh — it runs the WeChat emulator standalone and
# `wxlogin serve` with two live accounts pointed at it, drives them with
# tools/loadgen at each concurrency, and samples wxlogin's memory and the
# CPU time of every process. Then it runs internal/token's JWT sign/verify
# benchmarks. On PostgreSQL it then measures the admin API with
# tools/adminload: a read (list identities, a random page of 100, over
# BENCH_IDENTITIES seeded by tools/seed in a tenant of their own) and a
# write (create an account). The report goes to out/bench-report.md and
# stdout; logs and the load tools' JSON stay in out/bench/.
#
#   BENCH_DATABASES          default "sqlite postgres"
#   BENCH_CONCURRENCY        default "16 64"
#   BENCH_DURATION           default 20s per run, after BENCH_WARMUP (default 3s)
#   BENCH_USERS              default 5000 distinct WeChat test users
#   BENCH_ADMIN_CONCURRENCY  default "16"
#   BENCH_IDENTITIES         default 100000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

databases=${BENCH_DATABASES:-sqlite postgres}
levels=${BENCH_CONCURRENCY:-16 64}
duration=${BENCH_DURATION:-20s}
warmup=${BENCH_WARMUP:-3s}
users=${BENCH_USERS:-5000}
admin_levels=${BENCH_ADMIN_CONCURRENCY:-16}
identities=${BENCH_IDENTITIES:-100000}

tenant=bench
redirect=https://tenant.example/cb
appids=(wxbench00000000001 wxbench00000000002)
admin_tenant=adminbench
admin_appids=(wxadmin00000000001 wxadmin00000000002)
out=out/bench
report=out/bench-report.md
clk_tck=$(getconf CLK_TCK)
cores=$(nproc)

# Targets on this machine, load generator included.
target_sqlite=800
target_postgres=600
target_p99_ms=150
target_rss_mib=64

# proc_ticks PID: user+system CPU clock ticks of the process and of the
# children it has reaped; 0 once it is gone.
proc_ticks() {
  local stat f
  stat=$(cat "/proc/$1/stat" 2>/dev/null) || { echo 0; return; }
  read -r -a f <<<"${stat##*) }" # fields from the 3rd (state) on
  echo $((f[11] + f[12] + f[13] + f[14]))
}

# tree_ticks PID: proc_ticks of the process and of its live children.
tree_ticks() {
  local sum c
  [ -n "$1" ] || { echo 0; return; }
  sum=$(proc_ticks "$1")
  for c in $(ps -o pid= --ppid "$1"); do sum=$((sum + $(proc_ticks "$c"))); done
  echo "$sum"
}

# cpu_ticks: ticks so far of wxlogin, the emulator, PostgreSQL, Vault, and
# of the whole machine (every CPU's time not idle).
cpu_ticks() {
  echo "$(proc_ticks "$wx_pid") $(proc_ticks "$sim_pid") $(tree_ticks "$pg_pid") $(tree_ticks "$vault_pid")" \
    "$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)"
}

# pg_counters: sessions opened and transactions ended (each statement
# outside a transaction is one) in the database so far; "- -" without
# PostgreSQL.
pg_counters() {
  if [ "$db" = postgres ]; then
    psql -X -At -F ' ' "$WXLOGIN_TEST_POSTGRES_URL" \
      -c 'select sessions, xact_commit + xact_rollback from pg_stat_database where datname = current_database()'
  else
    echo - -
  fi
}

# time_wait PORT: sockets in TIME-WAIT toward 127.0.0.1:PORT, that is,
# connections to it that their client closed in the last minute.
time_wait() {
  ss -Htan state time-wait dst "127.0.0.1:$1" | wc -l
}

# row_counts: rows of the tables a login writes to, after the runs.
row_counts() {
  local q="" t
  for t in identities login_events login_transactions auth_codes; do
    q+="select '$t', count(*) from $t union all "
  done
  q=${q% union all }
  if [ "$db" = postgres ]; then
    psql -X -At -F ' ' "$WXLOGIN_TEST_POSTGRES_URL" -c "$q"
  else
    sqlite3 -separator ' ' "$dir/data/wxlogin.db" "$q"
  fi | awk '{printf "%s%s %s", sep, $1, $2; sep=", "} END {print ""}'
}

# run_level C: one loadgen run at concurrency C against the running servers.
run_level() {
  local c=$1 json=$dir/loadgen-$c.json rss=$dir/rss-$c sampler t0 t1 before after log_from pg_before pg
  echo 0 >"$rss"
  sample_rss "$wx_pid" "$rss" 0.2 &
  sampler=$!
  log_from=$(($(wc -l <"$dir/wxlogin.log") + 1))
  pg_before=$(pg_counters)
  before=$(cpu_ticks)
  t0=$(date +%s.%N)
  bin/loadgen -base "$base" -tenant "$tenant" -appids "$(IFS=,; echo "${appids[*]}")" -redirect-uri "$redirect" \
    -concurrency "$c" -duration "$duration" -warmup "$warmup" -users "$users" >"$json" 2>"$dir/loadgen-$c.log"
  t1=$(date +%s.%N)
  after=$(cpu_ticks)
  kill "$sampler" 2>/dev/null || true
  wait "$sampler" 2>/dev/null || true
  echo "== $db, concurrency $c" >&2
  cat "$dir/loadgen-$c.log" >&2

  local rate p50 p90 p99 failed warm_failed process_cpu logins rss_mib target misses
  read -r rate p50 p90 p99 failed warm_failed process_cpu logins < <(jq -r \
    '[.logins_per_s, .p50_ms, .p90_ms, .p99_ms, .failed, .warmup_failed, .process_cpu_s, .logins + .warmup_logins + .failed + .warmup_failed] | @tsv' "$json")
  rss_mib=$(awk '{printf "%.1f", $1 / 1024}' "$rss")
  target=$([ "$db" = postgres ] && echo "$target_postgres" || echo "$target_sqlite")
  misses=$(awk -v r="$rate" -v t="$target" -v p="$p99" -v tp="$target_p99_ms" -v f="$failed" -v m="$rss_mib" -v tm="$target_rss_mib" 'BEGIN {
    if (r < t) s = s sep "< " t "/s"; sep = s ? ", " : ""
    if (f > 0) s = s sep f " failed"; sep = s ? ", " : ""
    if (p >= tp) s = s sep "p99 ≥ " tp " ms"; sep = s ? ", " : ""
    if (m >= tm) s = s sep "RSS ≥ " tm " MiB"
    print s ? s : "none" }')
  perf_rows+=$(printf '| %s | %s | %.1f | %.1f | %.1f | %.1f | %s | %s | %s |' "$db" "$c" "$rate" "$p50" "$p90" "$p99" "$failed" "$rss_mib" "$misses")$'\n'
  cpu_rows+=$(awk -v b="$before" -v a="$after" -v lg="$process_cpu" -v t0="$t0" -v t1="$t1" -v hz="$clk_tck" -v n="$logins" -v cores="$cores" -v db="$db" -v c="$c" 'BEGIN {
    split(b, x); split(a, y); wall = t1 - t0
    for (i = 1; i <= 4; i++) { use[i] = (y[i] - x[i]) / hz / wall; ours += use[i] }
    lgu = lg / wall; ours += lgu
    busy = (y[5] - x[5]) / hz / wall; other = busy > ours ? busy - ours : 0
    printf "| %s | %s | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f of %d | %.2f |\n", db, c, use[1], use[2], lgu, use[3], use[4], other, busy, cores, (y[1] - x[1]) / hz * 1000 / (n ? n : 1) }')$'\n'
  pg=$(awk -v b="$pg_before" -v a="$(pg_counters)" -v n="$logins" 'BEGIN {
    split(b, x); split(a, y); if (x[1] == "-") print "- | -"; else printf "%d | %.1f\n", y[1] - x[1], (y[2] - x[2]) / (n ? n : 1) }')
  state_rows+="| $db | $c | $(ls "/proc/$wx_pid/fd" | wc -l) | $(awk '/^Threads:/ {print $2}' "/proc/$wx_pid/status")"
  state_rows+=" | $(time_wait "$sim_port") | $(time_wait "$wx_port") | $pg |"$'\n'
  {
    echo "#### $db, concurrency $c"
    echo
    echo '```text'
    cat "$dir/loadgen-$c.log"
    wxlogin_log "$log_from"
    echo '```'
    echo
  } >>"$dir/notes.md"
  if [ "$warm_failed" != 0 ]; then echo "warning: $warm_failed logins failed during the warm-up" >&2; fi
}

# bench_db DB: sets up the emulator and wxlogin on DB and runs every level.
bench_db() {
  db=$1 dir=$out/$1 pg_pid="" vault_pid=""
  mkdir -p "$dir/data"
  local wxenv=() t0 hwm
  if [ "$db" = postgres ]; then
    pg_pid=$(head -n 1 "$svc/pg/data/postmaster.pid")
    vault_pid=$(cat "$svc/vault.pid")
    wxenv+=(WXLOGIN_DATABASE_URL="$WXLOGIN_TEST_POSTGRES_URL"
      WXLOGIN_VAULT_ADDR="$WXLOGIN_TEST_VAULT_ADDR" WXLOGIN_VAULT_TOKEN="$WXLOGIN_TEST_VAULT_TOKEN")
  else
    wxenv+=(WXLOGIN_DATABASE_URL="sqlite:$dir/data/wxlogin.db")
  fi
  start_login_stack Bench

  for c in $levels; do run_level "$c"; done

  hwm=$(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$wx_pid/status")
  t0=$(date +%s.%N)
  stop_bg "$wx_pid"
  {
    echo "#### $db: the server"
    echo
    echo "- wxlogin peak RSS over its life (VmHWM): $hwm MiB"
    echo "- wxlogin exited $(awk -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN {printf "%.1f", t1 - t0}') s after SIGTERM, with status $stopped_rc"
    echo "- rows after the runs: $(row_counts)"
    if [ "$db" = postgres ]; then
      echo "- PostgreSQL: $(psql -X -At "$WXLOGIN_TEST_POSTGRES_URL" -c "select 'fsync=' || current_setting('fsync') || ', synchronous_commit=' || current_setting('synchronous_commit') || ', full_page_writes=' || current_setting('full_page_writes') || ', shared_buffers=' || current_setting('shared_buffers')")"
    fi
    echo "- emulator log: $(grep -vc 'listening on' "$dir/emulator.log" || true) lines besides the start"
    awk '!/listening on/ && n++ < 5 {print "    " $0}' "$dir/emulator.log"
    echo
  } >>"$dir/notes.md"
  stop_bg "$sim_pid"
  if [ "$db" = postgres ]; then
    admin_bench
    scripts/services.sh stop "$svc"
    svc=""
  fi
}

# api KEY CURL_ARGS... URL: an admin API request with API key KEY that must
# succeed; prints the answer.
api() {
  curl -fsS -H "Authorization: Bearer $1" -H 'Content-Type: application/json' "${@:2}" ||
    { echo "bench: admin API request to ${*: -1} failed" >&2; return 1; }
}

# admin_bench: on PostgreSQL, after the logins, a fresh wxlogin for the
# admin API: the operator creates a tenant over the API, its admin creates
# two accounts, tools/seed adds the identities, then adminload reads and
# writes at each concurrency.
admin_bench() {
  local operator admin a json c mode seeded rate p50 p90 p99 failed
  start_bg "$dir/wxlogin-admin.log" env "${wxenv[@]}" bin/wxlogin serve
  wx_pid=$last_pid
  wait_for "$base/healthz" "$wx_pid" "$dir/wxlogin-admin.log"
  operator=$(env "${wxenv[@]}" bin/wxlogin apikey create -name bench-operator -role operator 2>>"$dir/setup.log")
  api "$operator" -d "{\"id\": \"$admin_tenant\", \"name\": \"Admin API bench\"}" "$base/v1/tenants" >/dev/null
  admin=$(env "${wxenv[@]}" bin/wxlogin apikey create -tenant "$admin_tenant" -name bench-admin -role admin 2>>"$dir/setup.log")
  for a in "${admin_appids[@]}"; do
    api "$admin" -d "{\"appid\": \"$a\", \"name\": \"$a\", \"mode\": \"live\", \"default_scope\": \"snsapi_base\", \"redirect_uris\": [\"$redirect\"], \"open_platform_id\": \"admin-bench\"}" \
      "$base/v1/tenants/$admin_tenant/accounts" >/dev/null
  done
  bin/seed -database-url "$WXLOGIN_TEST_POSTGRES_URL" -tenant "$admin_tenant" -appids "$(IFS=,; echo "${admin_appids[*]}")" \
    -identities "$identities" 2>"$dir/seed.log"
  seeded=$(sed 's/^seed: //' "$dir/seed.log")
  psql -X -q "$WXLOGIN_TEST_POSTGRES_URL" -c 'analyze identities'
  for c in $admin_levels; do
    for mode in read write; do
      json=$dir/adminload-$mode-$c.json
      bin/adminload -base "$base" -key "$admin" -tenant "$admin_tenant" -mode "$mode" \
        -concurrency "$c" -duration "$duration" -warmup "$warmup" >"$json" 2>"$dir/adminload-$mode-$c.log"
      echo "== admin API $mode, concurrency $c" >&2
      cat "$dir/adminload-$mode-$c.log" >&2
      read -r rate p50 p90 p99 failed < <(jq -r '[.requests_per_s, .p50_ms, .p90_ms, .p99_ms, .failed] | @tsv' "$json")
      admin_rows+=$(printf '| %s | %s | %.1f | %.1f | %.1f | %.1f | %s |' \
        "$([ "$mode" = read ] && echo "list identities (100 a page)" || echo "create account")" "$c" "$rate" "$p50" "$p90" "$p99" "$failed")$'\n'
    done
  done
  stop_bg "$wx_pid"
  {
    echo "#### $db: the admin API"
    echo
    echo "- seeded $seeded"
    echo "- accounts after the runs: $(psql -X -At "$WXLOGIN_TEST_POSTGRES_URL" -c "select count(*) from accounts where tenant_id = '$admin_tenant'")"
    echo "- wxlogin exited with status $stopped_rc"
    echo
    echo '```text'
    cat "$dir"/adminload-*.log
    wxlogin_log 1 "$dir/wxlogin-admin.log"
    echo '```'
    echo
  } >>"$dir/notes.md"
}

token_benchmarks() {
  local output rc=0
  output=$(go test -run '^$' -bench 'Sign|Verify' -benchmem ./internal/token/ 2>&1) || rc=$?
  echo '```text'
  if grep -q '^Benchmark' <<<"$output"; then
    grep -E '^(Benchmark|cpu:)' <<<"$output"
  else
    echo "$output"
  fi
  echo '```'
  if [ "$rc" != 0 ]; then echo; echo "go test exited with status $rc."; fi
}

load=$(cut -d ' ' -f 1-3 /proc/loadavg)
rm -rf "$out"
mkdir -p bin "$out"
CGO_ENABLED=0 go build -trimpath -o bin/wxlogin ./cmd/wxlogin
CGO_ENABLED=0 go build -trimpath -o bin/loadgen ./tools/loadgen
CGO_ENABLED=0 go build -trimpath -o bin/adminload ./tools/adminload
CGO_ENABLED=0 go build -trimpath -o bin/seed ./tools/seed
# PostgreSQL and Vault start before any load: a run leaves thousands of
# client sockets in TIME-WAIT, whose ports services.sh could otherwise pick.
if [[ " $databases " == *" postgres "* ]]; then
  svc=$(mktemp -d /tmp/wxlogin-bench.XXXXXX)
  WXLOGIN_PG_DURABLE=1 scripts/services.sh start "$svc"
  # shellcheck disable=SC1091
  . "$svc/env"
fi

perf_rows="" cpu_rows="" state_rows="" admin_rows=""
db="" dir="" base="" wx_pid="" sim_pid="" pg_pid="" vault_pid=""
for d in $databases; do bench_db "$d"; done

{
  echo "# wxlogin login benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty), $(go env GOVERSION)," \
    "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo) × $cores, load average $load at the start."
  echo "Each run: $duration after a $warmup warm-up; $users WeChat test users over ${#appids[@]} live accounts;" \
    "loadgen, the emulator and the databases share the machine with wxlogin."
  echo "A login is complete when the token endpoint answers 200 with an access token (5 requests for a"
  echo "browser's first visit, 4 after); latencies are of the complete login; one token in 100 is verified against the JWKS."
  echo
  echo "Targets: ≥ $target_sqlite logins/s on SQLite, ≥ $target_postgres on PostgreSQL, no failures," \
    "p99 < $target_p99_ms ms, peak RSS < $target_rss_mib MiB."
  echo
  echo "| db | concurrency | logins/s | p50 ms | p90 ms | p99 ms | failed | peak RSS MiB | missed targets |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
  printf '%s' "$perf_rows"
  echo
  echo "Where the CPU goes: cores used on average over each run (warm-up included), and wxlogin's CPU time per login."
  echo "\"other processes\" is the rest of the machine: well above zero, it disturbed the run."
  echo
  echo "| db | concurrency | wxlogin | emulator | loadgen | PostgreSQL | Vault | other processes | machine | wxlogin CPU ms/login |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s' "$cpu_rows"
  echo
  echo "wxlogin after each run: open file descriptors and threads; connections closed in the last minute"
  echo "(sockets in TIME-WAIT) from wxlogin to the emulator and from loadgen to wxlogin; PostgreSQL sessions opened during"
  echo "the run, and PostgreSQL transactions per login (a statement outside a transaction counts as one)."
  echo
  echo "| db | concurrency | fds | threads | wxlogin→emulator closed | loadgen→wxlogin closed | PG sessions opened | PG xacts/login |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|"
  printf '%s' "$state_rows"
  echo
  if [ -n "$admin_rows" ]; then
    echo "## Admin API on PostgreSQL"
    echo
    echo "tools/adminload with a tenant admin key, $duration per run after a $warmup warm-up, on a wxlogin started afresh"
    echo "(rate limit raised out of the way). Read: \`GET /v1/tenants/$admin_tenant/identities?limit=100\` at a random page of the"
    echo "$identities identities seeded in the tenant (a page is 100 identities; the load tool first walks every page once"
    echo "to learn the cursors). Write: \`POST /v1/tenants/$admin_tenant/accounts\`, each with a new AppId (and its audit event)."
    echo "Latencies are of one request."
    echo
    echo "| request | concurrency | requests/s | p50 ms | p90 ms | p99 ms | failed |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '%s' "$admin_rows"
    echo
  fi
  echo "## JWT signing and verification (internal/token)"
  echo
  token_benchmarks
  echo
  echo "## Details"
  echo
  for d in $databases; do cat "$out/$d/notes.md"; done
} >"$report"
cat "$report"
