#!/usr/bin/env bash
# Measures the deletion of a large account (part of make bench).
#
# For each database — PostgreSQL (a throwaway cluster with default
# durability, from scripts/services.sh), and SQLite when asked — it fills
# a tenant of 5 accounts with tools/seed (BENCH_DELETE_IDENTITIES
# identities, BENCH_DELETE_EVENTS login events over 90 days), starts
# `wxlogin serve` and deletes the third account over HTTP as an admin:
# how long the DELETE takes to answer, and how long its background purge
# runs, in batches of BENCH_DELETE_BATCHES identities, until the deletion's
# Location shows it finished (with several batch sizes, the next accounts
# with the next). While it runs, a request listing the
# tenant's accounts is timed every half second. The report goes to
# out/bench-delete.md and stdout; logs stay in out/bench-delete/.
#
#   BENCH_DELETE_DATABASES   default "postgres"
#   BENCH_DELETE_IDENTITIES  default 1000000
#   BENCH_DELETE_EVENTS      default 5000000
#   BENCH_DELETE_BATCHES     default wxlogin's WXLOGIN_DELETE_BATCH_SIZE; a list of
#                            up to 3 batch sizes deletes one account with each
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

databases=${BENCH_DELETE_DATABASES:-postgres}
identities=${BENCH_DELETE_IDENTITIES:-1000000}
events=${BENCH_DELETE_EVENTS:-5000000}
batches=${BENCH_DELETE_BATCHES:-}

tenant=deletes
appids=(wxdelete0000000001 wxdelete0000000002 wxdelete0000000003 wxdelete0000000004 wxdelete0000000005)
out=out/bench-delete
report=out/bench-delete.md

# admin METHOD PATH: sends an admin request; prints status and
# milliseconds, and leaves the body in $dir/answer.json and the headers in
# $dir/answer.headers.
admin() {
  curl -sS -o "$dir/answer.json" -D "$dir/answer.headers" -w '%{http_code} %{time_total}\n' -X "$1" \
    -H "Authorization: Bearer $key" "$base$2" | awk '{printf "%s %.1f\n", $1, $2 * 1000}'
}

# seconds_between T1 T2: the seconds from RFC 3339 time T1 to T2.
seconds_between() {
  awk -v a="$(date -d "$1" +%s.%N)" -v b="$(date -d "$2" +%s.%N)" 'BEGIN {printf "%.1f", b - a}'
}

# delete_account APPID [BATCH]: runs wxlogin (with WXLOGIN_DELETE_BATCH_SIZE
# BATCH, if given), deletes the account and follows its deletion to the
# end; adds its row.
delete_account() {
  local appid=$1 size=${2:-} code ms answer_ms loc finished polls=0 slowest=0 started ended
  # At debug level wxlogin logs each batch, with its time.
  if [ -n "$size" ]; then start_wxlogin WXLOGIN_LOG_LEVEL=debug WXLOGIN_DELETE_BATCH_SIZE="$size"; else start_wxlogin WXLOGIN_LOG_LEVEL=debug; fi
  started=$(date +%s.%N)
  read -r code answer_ms < <(admin DELETE "/v1/tenants/$tenant/accounts/$appid")
  if [ "$code" != 202 ]; then cat "$dir/answer.json" >&2; echo "bench: DELETE answered $code" >&2; return 1; fi
  loc=$(awk 'tolower($1) == "location:" {print $2}' "$dir/answer.headers" | tr -d '\r')
  while :; do
    sleep 0.5
    read -r code ms < <(admin GET "/v1/tenants/$tenant/accounts")
    [ "$code" = 200 ] || { cat "$dir/answer.json" >&2; echo "bench: listing accounts answered $code" >&2; return 1; }
    polls=$((polls + 1))
    slowest=$(awk -v a="$slowest" -v b="$ms" 'BEGIN {print (b > a ? b : a)}')
    read -r code _ < <(admin GET "$loc")
    [ "$code" = 200 ] || { cat "$dir/answer.json" >&2; echo "bench: $loc answered $code" >&2; return 1; }
    finished=$(jq -r '.finished_at // empty' "$dir/answer.json")
    [ -z "$finished" ] || break
  done
  ended=$(date +%s.%N)
  rows+="| $db | $appid | $(jq -r '.identities_deleted' "$dir/answer.json") | $(jq -r '.login_events_deleted' "$dir/answer.json") |"
  rows+=" ${size:-default} | $answer_ms | $(seconds_between "$(jq -r .requested_at "$dir/answer.json")" "$finished") |"
  rows+=" $(awk -v a="$started" -v b="$ended" 'BEGIN {printf "%.1f", b - a}') | $polls | $slowest |"$'\n'
  cat "$dir/wxlogin.log" >>"$dir/wxlogin-all.log"
  stop_bg "$wx_pid"
}

bench_db() {
  db=$1 dir=$out/$1
  local i=2 size
  seed_tenant "$db" admin
  if [ -z "$batches" ]; then
    delete_account "${appids[$i]}"
  else
    for size in $batches; do
      delete_account "${appids[$i]}" "$size"
      i=$((i + 1))
    done
  fi
  stop_services
}

load=$(cut -d ' ' -f 1-3 /proc/loadavg)
rm -rf "$out"
mkdir -p bin "$out"
CGO_ENABLED=0 go build -trimpath -o bin/wxlogin ./cmd/wxlogin
CGO_ENABLED=0 go build -trimpath -o bin/seed ./tools/seed

rows="" notes=""
db="" dir="" base="" key="" wx_pid=""
for d in $databases; do bench_db "$d"; done

{
  echo "# wxlogin account deletion benchmark"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty), $(go env GOVERSION)," \
    "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo) × $(nproc), load average $load at the start."
  echo "A tenant of $identities identities over ${#appids[@]} accounts and $events login events over 90 days"
  echo "(tools/seed); accounts deleted over HTTP as an admin, one after the other. The purge's time is the deletion's"
  echo "finished_at minus its requested_at; the wall time runs until the poll saw it finished."
  echo "Meanwhile the tenant's accounts were listed every half second."
  echo
  printf '%s' "$notes"
  echo
  echo "| db | account | identities deleted | login events deleted | batch | DELETE answered in ms | purge s | wall s | account lists | slowest list ms |"
  echo "|---|---|---:|---:|---|---:|---:|---:|---:|---:|"
  printf '%s' "$rows"
} >"$report"
cat "$report"
