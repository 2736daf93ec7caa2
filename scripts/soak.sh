#!/usr/bin/env bash
# A long run of logins under faults (make soak): the WeChat emulator
# standalone and `wxlogin serve` with two live accounts pointed at it, on
# PostgreSQL (a throwaway cluster with default durability) and a Vault
# server with raft storage (scripts/services.sh), driven by tools/loadgen
# at a steady rate for SOAK_SECONDS while PostgreSQL is restarted twice
# and Vault stopped once. The tenant's backend retries a token request
# answered 503 after its Retry-After, as one should; every token is
# verified against the JWKS. At the end it checks that acknowledged logins
# (tokens issued) equal the login events stored, that identities equal the
# distinct (account, openid) pairs logged in, and the people the tokens
# named, and that wxlogin's memory (RSS, sampled) stayed flat. The report
# goes to out/soak.md and stdout; logs stay in out/soak/. It exits 1 when a
# check fails.
#
#   SOAK_SECONDS      default 600
#   SOAK_RATE         default 20 logins started per second
#   SOAK_CONCURRENCY  default 64 logins in flight at most
#   SOAK_USERS        default 2000 distinct WeChat test users
#   SOAK_PG_DOWN      default 5 seconds each PostgreSQL restart keeps it down
#   SOAK_VAULT_DOWN   default 30 seconds Vault stays stopped
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
# shellcheck source=scripts/bench-lib.sh
. scripts/bench-lib.sh

seconds=${SOAK_SECONDS:-600}
rate=${SOAK_RATE:-20}
concurrency=${SOAK_CONCURRENCY:-64}
users=${SOAK_USERS:-2000}
pg_down=${SOAK_PG_DOWN:-5}
vault_down=${SOAK_VAULT_DOWN:-30}

tenant=soak
redirect=https://tenant.example/cb
appids=(wxsoak000000000001 wxsoak000000000002)
dir=out/soak
report=out/soak.md
sample_every=5
# Memory is flat when the RSS at the end is at most this much above the RSS
# after the first minute (or tenth of the run), in percent.
flat_pct=25

# sample_rss_series PID FILE: every $sample_every s, appends the seconds
# since the start and the VmRSS (KiB) of the process to FILE, until it is
# gone.
sample_rss_series() {
  local t0 kb
  t0=$(date +%s)
  while kb=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null) && [ -n "$kb" ]; do
    echo "$(($(date +%s) - t0)) $kb" >>"$2"
    sleep "$sample_every"
  done
}

# at SECONDS WHAT CMD...: waits until SECONDS into the run, runs CMD and
# notes WHAT with the times it began and ended.
at() {
  local now
  now=$(($(date +%s) - run_start))
  if (("$1" > now)); then sleep $(("$1" - now)); fi
  local began=$(($(date +%s) - run_start))
  "${@:3}"
  events+="| $2 | ${began} s | $(($(date +%s) - run_start)) s |"$'\n'
}

pg() { psql -X -At "$WXLOGIN_TEST_POSTGRES_URL" -c "$1"; }

load=$(cut -d ' ' -f 1-3 /proc/loadavg)
rm -rf "$dir"
mkdir -p bin "$dir/data"
CGO_ENABLED=0 go build -trimpath -o bin/wxlogin ./cmd/wxlogin
CGO_ENABLED=0 go build -trimpath -o bin/loadgen ./tools/loadgen
svc=$(mktemp -d /tmp/wxlogin-soak.XXXXXX)
WXLOGIN_PG_DURABLE=1 WXLOGIN_VAULT_STORAGE=raft scripts/services.sh start "$svc"
# shellcheck disable=SC1091
. "$svc/env"

wxenv=(WXLOGIN_DATABASE_URL="$WXLOGIN_TEST_POSTGRES_URL"
  WXLOGIN_VAULT_ADDR="$WXLOGIN_TEST_VAULT_ADDR" WXLOGIN_VAULT_TOKEN="$WXLOGIN_TEST_VAULT_TOKEN")
start_login_stack Soak

: >"$dir/rss.tsv"
sample_rss_series "$wx_pid" "$dir/rss.tsv" &
pids+=("$!")
run_start=$(date +%s)
start_bg "$dir/loadgen.log" bin/loadgen -base "$base" -tenant "$tenant" -appids "$(IFS=,; echo "${appids[*]}")" \
  -redirect-uri "$redirect" -rate "$rate" -concurrency "$concurrency" -users "$users" -duration "${seconds}s" \
  -verify-every 1 -timeout 30s -retry-unavailable
loadgen_pid=$last_pid
events=""
at $((seconds * 2 / 10)) "PostgreSQL restarted (down ${pg_down} s)" scripts/services.sh restart-postgres "$svc" "$pg_down"
at $((seconds * 4 / 10)) "Vault stopped" scripts/services.sh stop-vault "$svc"
at $((seconds * 4 / 10 + vault_down)) "Vault started and unsealed" scripts/services.sh start-vault "$svc"
at $((seconds * 7 / 10)) "PostgreSQL restarted (down ${pg_down} s)" scripts/services.sh restart-postgres "$svc" "$pg_down"
loadgen_rc=0
wait "$loadgen_pid" || loadgen_rc=$?
json=$(grep '^{' "$dir/loadgen.log" | tail -n 1)
ready=$(curl -s -o /dev/null -w '%{http_code}' "$base/readyz" || true)
alive=$(kill -0 "$wx_pid" 2>/dev/null && echo yes || echo no)

acked=$(jq -r .logins <<<"$json")
people=$(jq -r .verified_identities <<<"$json")
stored=$(pg "select count(*) from login_events where tenant_id = '$tenant'")
identities=$(pg "select count(*) from identities where tenant_id = '$tenant'")
pairs=$(pg "select count(*) from (select distinct app_id, openid from login_events where tenant_id = '$tenant') p")
duplicates=$(pg "select count(*) from (select 1 from identities where tenant_id = '$tenant' group by app_id, openid having count(*) > 1) d")

warm=$((seconds / 10 < 60 ? seconds / 10 : 60))
read -r rss_start rss_peak rss_end < <(awk -v w="$warm" '
  $1 >= w && !s {s = $2} $2 > p {p = $2} {e = $2}
  END {printf "%.1f %.1f %.1f\n", s / 1024, p / 1024, e / 1024}' "$dir/rss.tsv")

checks="" failed=0
check() { # check OK DESCRIPTION
  if [ "$1" = 1 ]; then checks+="- [x] $2"$'\n'; else checks+="- [ ] **failed:** $2"$'\n'; failed=1; fi
}
check "$([ "$loadgen_rc" = 0 ] && [ "$acked" -gt 0 ] && echo 1)" "loadgen ran and logins were acknowledged ($acked)"
check "$([ "$acked" = "$stored" ] && echo 1)" "acknowledged logins ($acked) = login events stored ($stored)"
check "$([ "$identities" = "$pairs" ] && [ "$pairs" = "$people" ] && [ "$duplicates" = 0 ] && echo 1)" \
  "identities ($identities) = distinct (account, openid) pairs logged in ($pairs) = people the tokens named ($people); $duplicates duplicated"
check "$(awk -v s="$rss_start" -v e="$rss_end" -v f="$flat_pct" 'BEGIN {print (e <= s * (1 + f / 100)) ? 1 : 0}')" \
  "memory flat: RSS $rss_end MiB at the end, within ${flat_pct}% of $rss_start MiB at ${warm} s (peak $rss_peak MiB)"
check "$([ "$alive" = yes ] && [ "$ready" = 200 ] && echo 1)" "wxlogin, never restarted, is up and ready at the end (/readyz $ready)"

{
  echo "# wxlogin soak run"
  echo
  echo "$(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git describe --always --dirty), $(go env GOVERSION)," \
    "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo) × $(nproc), load average $load at the start."
  echo "$seconds s of logins started at $rate/s (at most $concurrency in flight) by $users WeChat test users over"
  echo "${#appids[@]} live accounts, on PostgreSQL $(pg 'show server_version') (fsync $(pg 'show fsync')) and Vault with raft storage;"
  echo "the tenant's backend tries a token request answered 503 again after its Retry-After; every token is verified against the JWKS."
  echo
  echo "## Checks"
  echo
  printf '%s' "$checks"
  echo
  echo "## Faults"
  echo
  echo "| fault | began | ended |"
  echo "|---|---:|---:|"
  printf '%s' "$events"
  echo
  echo "## Figures"
  echo
  jq -r '"- logins acknowledged (token issued): \(.logins) in \(.seconds) s, \(.logins_per_s)/s",
    "- logins failed: \(.failed)",
    "- token requests answered 503 and tried again: \(.token_retries)",
    "- complete login: p50 \(.p50_ms) ms, p90 \(.p90_ms) ms, p99 \(.p99_ms) ms, max \(.max_ms) ms",
    "- tokens verified: \(.verified_tokens), naming \(.verified_identities) people"' <<<"$json"
  echo "- login events stored: $stored; identities: $identities; distinct (account, openid) pairs: $pairs"
  echo "- wxlogin RSS: $rss_start MiB at ${warm} s, peak $rss_peak MiB, $rss_end MiB at the end" \
    "(VmHWM $(awk '/^VmHWM:/ {printf "%.1f", $2 / 1024}' "/proc/$wx_pid/status" 2>/dev/null || echo "?") MiB)"
  echo
  echo "Failed logins by kind:"
  echo
  echo '| kind | count | example |'
  echo '|---|---:|---|'
  jq -r '(.errors // {}) | to_entries | sort_by(-.value.count)[] |
    "| \(.key) | \(.value.count) | \(.value.examples[0] // "" | gsub("\\|"; "/")) |"' <<<"$json"
  echo
  echo "RSS (MiB) every minute:"
  echo
  echo '```text'
  awk '$1 % 60 < '"$sample_every"' {printf "%5d s  %6.1f\n", $1, $2 / 1024}' "$dir/rss.tsv"
  echo '```'
  echo
  echo "wxlogin's log:"
  echo
  echo '```text'
  wxlogin_log 1
  echo '```'
} >"$report"
cat "$report"
exit "$failed"
