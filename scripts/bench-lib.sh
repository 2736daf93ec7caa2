# Shell functions of the benchmark scripts (sourced by scripts/bench*.sh).

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
