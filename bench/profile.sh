#!/usr/bin/env bash
# Where a test's CPU goes, rill against Redis, independent of machine load: runs each server
# under callgrind, drives the tests of run.sh with redis-benchmark, dumps the counters after
# each test (set-ups excluded) and hands the dumps to profile_report.py, which prints user-space
# instructions per request for both servers and rill's costliest functions per test.
#
#   bench/profile.sh path/to/rill-server
#
# Environment (all optional):
#   TESTS=xadd,...     run.sh test names (default: the stream, list and PUBLISH rows)
#   N=20000            requests per test (callgrind runs the server ~50 times slower)
#   PIPE=16            pipeline depth; 16 keeps the socket syscalls out of the way
#   CLIENTS=50 CLIENT_CPU=1 RUN_TIMEOUT=600
# Callgrind sees user space only: at -P 1 most of a request's cost is the kernel's socket
# work, which this does not count (run.sh's CPU per request does).
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 path/to/rill-server" >&2
  exit 2
fi
RILL_BIN=$(readlink -f "$1")
[[ -x $RILL_BIN ]] || { echo "rill-server not found or not executable: $1" >&2; exit 2; }
for tool in valgrind callgrind_control redis-server redis-benchmark redis-cli taskset python3; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done

HERE=$(cd "$(dirname "$0")" && pwd)
TESTS=${TESTS:-xadd,xadd_maxlen,xrange_10,lpush,rpush,lpop,rpop,lrange_100,lrange_600,publish}
N=${N:-20000}
PIPE=${PIPE:-16}
CLIENTS=${CLIENTS:-50}
RUN_TIMEOUT=${RUN_TIMEOUT:-600}
if [[ $(nproc) -ge 2 ]]; then CLIENT_CPU=${CLIENT_CPU:-1}; else CLIENT_CPU=${CLIENT_CPU:-0}; fi
source "$HERE/tests.sh"

WORK="$HERE/results/profile-$(date +%Y-%m-%d-%H%M%S)"
mkdir -p "$WORK"
SERVER_PID=
stop_server() {
  [[ -n $SERVER_PID ]] || return 0
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
trap stop_server EXIT
trap 'exit 130' INT TERM

free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

printf 'server\ttest\trequests\tpart\n' >"$WORK/index.tsv"
for server in rill redis; do
  port=$(free_port)
  mkdir -p "$WORK/$server-dir"
  # Strings uncompressed, so that every dump names its functions by itself.
  vg=(valgrind --tool=callgrind --compress-strings=no --callgrind-out-file="$WORK/$server.out")
  if [[ $server == rill ]]; then
    "${vg[@]}" "$RILL_BIN" --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
      --dir "$WORK/$server-dir" >"$WORK/$server.log" 2>&1 &
  else
    "${vg[@]}" redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no \
      --daemonize no --dir "$WORK/$server-dir" >"$WORK/$server.log" 2>&1 &
  fi
  SERVER_PID=$!
  ready=0
  for _ in $(seq 300); do
    kill -0 "$SERVER_PID" 2>/dev/null || break
    [[ $(redis-cli -p "$port" ping 2>/dev/null) == PONG ]] && { ready=1; break; }
    sleep 0.2
  done
  [[ $ready == 1 ]] || { echo "$server did not start under valgrind, see $WORK/$server.log" >&2; exit 1; }
  part=0
  IFS=, read -r -a TEST_LIST <<<"$TESTS"
  for test in "${TEST_LIST[@]}"; do
    test_spec "$test"
    "$SPEC_SETUP" "$port" "$N" "$PIPE"
    callgrind_control -z "$SERVER_PID" >/dev/null 2>&1
    timeout "$RUN_TIMEOUT" taskset -c "$CLIENT_CPU" redis-benchmark -p "$port" -c "$CLIENTS" \
      -n "$N" -P "$PIPE" -q "${SPEC_ARGS[@]}" >/dev/null 2>&1 </dev/null \
      || { echo "$server $test: redis-benchmark failed" >&2; exit 1; }
    callgrind_control -d "$test" "$SERVER_PID" >/dev/null 2>&1
    part=$((part + 1))
    printf '%s\t%s\t%s\t%s\n' "$server" "$test" "$N" "$WORK/$server.out.$part" >>"$WORK/index.tsv"
    echo "  $server $test done" >&2
  done
  stop_server
done
python3 "$HERE/profile_report.py" "$WORK" | tee "$WORK.md"
echo "report written to $WORK.md" >&2
