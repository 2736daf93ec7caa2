# Shell functions of the benchmark and soak scripts (sourced by
# scripts/bench*.sh and scripts/soak.sh).

pids=()   # background processes still to stop
svc=""    # services directory while PostgreSQL and Vault run

# cleanup, on exit: stops the background processes and the services.
cleanup() {
  local p
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ -n "$svc" ]; then scripts/services.sh stop "$svc"; fi
}
trap cleanup EXIT

# free_port: a free port below Linux's ephemeral range (32768 on), so that
# no outgoing connection takes it before the server binds it.
free_port() {
  local p
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 12000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return; fi
  done
  echo "no free port found" >&2; return 1
}

# sample_rss PID FILE SECONDS: every SECONDS, writes the largest VmRSS (KiB)
# of the process seen so far to FILE, until the process is gone.
sample_rss() {
  local max=0 kb
  while kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null) && [ -n "$kb" ]; do
    if ((kb > max)); then max=$kb; echo "$max" >"$2.tmp" && mv "$2.tmp" "$2"; fi
    sleep "$3"
  done
}

# setup CMD...: runs a setup command, logging to $dir/setup.log; on failure
# shows the log and names the command (not its arguments, which may hold a
# secret).
setup() {
  "$@" >>"$dir/setup.log" 2>&1 || { cat "$dir/setup.log" >&2; echo "bench: setup failed: ${*: -1}" >&2; return 1; }
}

# start_bg LOG CMD...: runs CMD in the background with its output in LOG;
# its PID is in $last_pid.
start_bg() {
  "${@:2}" >"$1" 2>&1 &
  last_pid=$!
  pids+=("$last_pid")
}

# stop_bg PID: sends SIGTERM and waits; the exit status is in $stopped_rc.
stop_bg() {
  local p kept=()
  stopped_rc=0
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || stopped_rc=$?
  for p in "${pids[@]}"; do [ "$p" = "$1" ] || kept+=("$p"); done
  pids=("${kept[@]}")
}

# wait_for URL PID LOG: waits until URL answers, failing with LOG if PID dies.
wait_for() {
  for _ in $(seq 150); do
    if ! kill -0 "$2" 2>/dev/null; then cat "$3" >&2; echo "bench: process $2 died" >&2; return 1; fi
    if curl -fsS -o /dev/null "$1" 2>/dev/null; then return; fi
    sleep 0.1
  done
  cat "$3" >&2; echo "bench: $1 did not answer" >&2; return 1
}

# wxlogin_log FROM [LOG]: a summary of wxlogin's log (LOG, by default
# $dir/wxlogin.log) from line FROM on: requests by route and status, and the
# most frequent warnings and errors.
wxlogin_log() {
  tail -n +"$1" "${2:-$dir/wxlogin.log}" >"$dir/log.part"
  echo "requests by route and status:"
  jq -rR 'fromjson? | select(.msg == "http") | "\(.route) \(.status)"' "$dir/log.part" | sort | uniq -c | sort -rn | sed 's/^/    /'
  echo "warnings and errors:"
  jq -rR 'fromjson? | select(.level != "INFO") | "\(.level) \(.msg): \(.error // .panic // "")"' "$dir/log.part" |
    sed -E 's/rid: [0-9a-f-]+/rid: …/' | sort | uniq -c | sort -rn | sed -n '1,8s/^/    /p'
  awk '!/^{/ {n++} END {if (n) print "    " n " lines that are not JSON (a panic?)"}' "$dir/log.part"
  rm -f "$dir/log.part"
}

# start_login_stack LABEL: the WeChat emulator, standalone, with two live
# accounts (${appids[@]}) whose 网页授权域名 is wxlogin's, and wxlogin
# serving them for tenant $tenant on free ports, with the settings in the
# caller's wxenv (database, Vault) and its files in $dir. Sets sim_port,
# wx_port, base, sim_pid and wx_pid, and adds wxlogin's settings to wxenv.
start_login_stack() {
  local secrets=() i
  sim_port=$(free_port)
  wx_port=$(free_port)
  [ "$sim_port" != "$wx_port" ] || wx_port=$(free_port)
  base=http://127.0.0.1:$wx_port
  # The rate limits would cap the load tools, all on one address, not wxlogin.
  wxenv+=(WXLOGIN_HTTP_ADDR="127.0.0.1:$wx_port" WXLOGIN_PUBLIC_URL="$base" WXLOGIN_DATA_DIR="$dir/data"
    WXLOGIN_API_RATE=1000000 WXLOGIN_API_BURST=1000000 WXLOGIN_METRICS_ADDR=127.0.0.1:0
    WXLOGIN_LOGIN_RATE=1000000 WXLOGIN_LOGIN_BURST=1000000 WXLOGIN_TOKEN_RATE=1000000 WXLOGIN_TOKEN_BURST=1000000
    WXLOGIN_WECHAT_API_URL="http://127.0.0.1:$sim_port" WXLOGIN_WECHAT_OPEN_URL="http://127.0.0.1:$sim_port")
  for i in 0 1; do secrets+=("$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"); done
  jq -n --arg domain "127.0.0.1:$wx_port" --arg a "${appids[0]}" --arg b "${appids[1]}" \
    --arg sa "${secrets[0]}" --arg sb "${secrets[1]}" \
    '[{appid: $a, secret: $sa, open_platform_id: "load-platform", domains: [$domain]},
      {appid: $b, secret: $sb, open_platform_id: "load-platform", domains: [$domain]}]' >"$dir/apps.json"

  start_bg "$dir/emulator.log" bin/wxlogin wechat-sandbox -addr "127.0.0.1:$sim_port" -apps "$dir/apps.json"
  sim_pid=$last_pid
  wait_for "http://127.0.0.1:$sim_port/sns/auth" "$sim_pid" "$dir/emulator.log"
  setup env "${wxenv[@]}" bin/wxlogin migrate up
  setup env "${wxenv[@]}" bin/wxlogin tenant create -id "$tenant" -name "$1 tenant"
  for i in 0 1; do
    WXLOGIN_APP_SECRET="${secrets[$i]}" setup env "${wxenv[@]}" bin/wxlogin account create -tenant "$tenant" \
      -appid "${appids[$i]}" -name "$1 account $((i + 1))" -mode live -redirect-uri "$redirect" -open-platform load-platform
  done
  start_bg "$dir/wxlogin.log" env "${wxenv[@]}" bin/wxlogin serve
  wx_pid=$last_pid
  wait_for "$base/healthz" "$wx_pid" "$dir/wxlogin.log"
}

# seed_tenant DB ROLE: makes the benchmark tenant $tenant, with the
# accounts ${appids[@]}, on a new database under $dir: PostgreSQL (DB
# postgres: a durable cluster from scripts/services.sh, in $svc) or SQLite,
# and fills it with tools/seed ($identities identities, $events login
# events over 90 days). Sets wxenv (wxlogin's settings; its URL is $base)
# and key (an API key of ROLE), and adds a line about the data to $notes.
seed_tenant() {
  local db=$1 role=$2 a seeded port
  mkdir -p "$dir/data"
  wxenv=()
  if [ "$db" = postgres ]; then
    svc=$(mktemp -d /tmp/wxlogin-bench.XXXXXX)
    WXLOGIN_PG_DURABLE=1 scripts/services.sh start "$svc"
    # shellcheck disable=SC1091
    . "$svc/env"
    wxenv+=(WXLOGIN_DATABASE_URL="$WXLOGIN_TEST_POSTGRES_URL")
  else
    wxenv+=(WXLOGIN_DATABASE_URL="sqlite:$dir/data/wxlogin.db")
  fi
  port=$(free_port)
  base=http://127.0.0.1:$port
  # The admin API's rate limit would count the requests, not what they do.
  wxenv+=(WXLOGIN_HTTP_ADDR="127.0.0.1:$port" WXLOGIN_PUBLIC_URL="$base" WXLOGIN_DATA_DIR="$dir/data"
    WXLOGIN_API_RATE=1000 WXLOGIN_API_BURST=1000 WXLOGIN_METRICS_ADDR=)
  setup env "${wxenv[@]}" bin/wxlogin migrate up
  setup env "${wxenv[@]}" bin/wxlogin tenant create -id "$tenant" -name "Benchmark"
  for a in "${appids[@]}"; do
    WXLOGIN_APP_SECRET="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')" setup env "${wxenv[@]}" bin/wxlogin account create \
      -tenant "$tenant" -appid "$a" -name "$a" -mode live -redirect-uri https://bench.example/cb -open-platform bench
  done
  key=$(env "${wxenv[@]}" bin/wxlogin apikey create -tenant "$tenant" -name "bench-$role" -role "$role" 2>>"$dir/setup.log")
  bin/seed -database-url "${wxenv[0]#WXLOGIN_DATABASE_URL=}" -tenant "$tenant" -appids "$(IFS=,; echo "${appids[*]}")" \
    -identities "$identities" -events "$events" 2>"$dir/seed.log"
  seeded=$(sed 's/^seed: //' "$dir/seed.log" | paste -sd ';' | sed 's/;/; /')
  # What autovacuum does to the tables after a bulk load, at once (on
  # SQLite, wxlogin gathers statistics itself when it opens the database).
  if [ "$db" = postgres ]; then psql -X -q "$WXLOGIN_TEST_POSTGRES_URL" -c 'vacuum analyze'; fi
  notes+="- $db: seeded $seeded; database $(if [ "$db" = postgres ]; then
    psql -X -At "$WXLOGIN_TEST_POSTGRES_URL" -c "select pg_size_pretty(pg_database_size(current_database())) ||
      ', PostgreSQL ' || current_setting('server_version') || ' with shared_buffers=' || current_setting('shared_buffers')"
  else du -h "$dir/data/wxlogin.db" | cut -f1; fi)"$'\n'
}

# stop_services: stops the PostgreSQL cluster seed_tenant started, if any.
stop_services() {
  if [ -n "$svc" ]; then
    scripts/services.sh stop "$svc"
    svc=""
  fi
}

# start_wxlogin [NAME=value...]: runs `wxlogin serve` with wxenv and the
# settings given, logging to $dir/wxlogin.log, as $wx_pid, and waits until
# it answers.
start_wxlogin() {
  start_bg "$dir/wxlogin.log" env "${wxenv[@]}" "$@" bin/wxlogin serve
  wx_pid=$last_pid
  wait_for "$base/healthz" "$wx_pid" "$dir/wxlogin.log"
}
