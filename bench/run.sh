#!/usr/bin/env bash
# rill against real Redis, same machine, same run: starts both servers pinned to one core,
# drives each in turn with redis-benchmark pinned to another core, records throughput and the
# server's CPU time for every run, then hands the raw records to report.py for the table.
#
#   bench/run.sh path/to/rill-server
#
# Environment (all optional):
#   ROUNDS=3           rounds; each round runs every test once on rill, then once on Redis
#   N=300000           requests per run at -P 1 (~2 s each)
#   N_PIPE=5000000     requests per run at -P 16 and over (~2 s each, MSET ~9 s)
#   QUICK=1            smoke test: ROUNDS=1, N=20000, N_PIPE=200000 (unless set explicitly)
#   TESTS=ping_mbulk,set,get,incr,mset   redis-benchmark -t names
#   PIPELINES="1 16"   pipeline depths
#   CLIENTS=50         parallel connections
#   KEYSPACE=          if set, passed as -r (random keys); unset = redis-benchmark's one key
#   SERVER_CPU=0 CLIENT_CPU=1   cores for the servers and for redis-benchmark
#   RUN_TIMEOUT=300    seconds before a single redis-benchmark run is abandoned
#   OUT=bench/results/<date>.md   where the report goes
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 path/to/rill-server" >&2
  exit 2
fi
RILL_BIN=$(readlink -f "$1")
[[ -x $RILL_BIN ]] || { echo "rill-server not found or not executable: $1" >&2; exit 2; }
for tool in redis-server redis-benchmark redis-cli taskset python3 getconf timeout; do
  command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 2; }
done

HERE=$(cd "$(dirname "$0")" && pwd)
if [[ -n ${QUICK:-} ]]; then
  ROUNDS=${ROUNDS:-1} N=${N:-20000} N_PIPE=${N_PIPE:-200000}
fi
ROUNDS=${ROUNDS:-3}
N=${N:-300000}
N_PIPE=${N_PIPE:-5000000}
TESTS=${TESTS:-ping_mbulk,set,get,incr,mset}
PIPELINES=${PIPELINES:-1 16}
CLIENTS=${CLIENTS:-50}
KEYSPACE=${KEYSPACE:-}
RUN_TIMEOUT=${RUN_TIMEOUT:-300}
# Two cores or more: servers on one, the load generator on another, so the generator never
# steals the server's core. One core: everything shares it (the report says so).
if [[ $(nproc) -ge 2 ]]; then
  SERVER_CPU=${SERVER_CPU:-0} CLIENT_CPU=${CLIENT_CPU:-1}
else
  SERVER_CPU=${SERVER_CPU:-0} CLIENT_CPU=${CLIENT_CPU:-0}
fi

STAMP=$(date +%Y-%m-%d-%H%M%S)
RESULTS="$HERE/results"
OUT=${OUT:-$RESULTS/$STAMP.md}
WORK="$RESULTS/$STAMP"   # raw records of every run, kept next to the report for re-analysis
mkdir -p "$WORK/runs" "$WORK/rill-dir" "$WORK/redis-dir"

free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

RILL_PORT=$(free_port)
REDIS_PORT=$(free_port)
while [[ $REDIS_PORT == "$RILL_PORT" ]]; do REDIS_PORT=$(free_port); done
RILL_PID=
REDIS_PID=

stop_servers() {
  local pid
  for pid in $RILL_PID $REDIS_PID; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in $RILL_PID $REDIS_PID; do
    # Give each a moment to exit cleanly, then insist.
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  RILL_PID='' REDIS_PID=''
}
# Bash runs a trap only once the foreground command ends, so redis-benchmark runs in the
# background and a signal stops it first; the EXIT trap then stops the servers.
BENCH_PID=
on_signal() {
  [[ -n $BENCH_PID ]] && kill "$BENCH_PID" 2>/dev/null
  exit 130
}
trap stop_servers EXIT
trap on_signal INT TERM

wait_ready() {  # port pid
  for _ in $(seq 100); do
    kill -0 "$2" 2>/dev/null || return 1
    [[ $(redis-cli -p "$1" ping 2>/dev/null) == PONG ]] && return 0
    sleep 0.05
  done
  return 1
}

# Same settings for both: loopback only, no snapshot, no AOF, private working dir.
start_rill() {
  taskset -c "$SERVER_CPU" "$RILL_BIN" --port "$RILL_PORT" --bind 127.0.0.1 \
    --save '' --appendonly no --dir "$WORK/rill-dir" >>"$WORK/rill.log" 2>&1 &
  RILL_PID=$!
  wait_ready "$RILL_PORT" "$RILL_PID" || { echo "rill-server did not start, see $WORK/rill.log" >&2; exit 1; }
}
start_redis() {
  taskset -c "$SERVER_CPU" redis-server --port "$REDIS_PORT" --bind 127.0.0.1 \
    --save '' --appendonly no --daemonize no --dir "$WORK/redis-dir" >>"$WORK/redis.log" 2>&1 &
  REDIS_PID=$!
  wait_ready "$REDIS_PORT" "$REDIS_PID" || { echo "redis-server did not start, see $WORK/redis.log" >&2; exit 1; }
}

# utime + stime of the whole process (every thread), in clock ticks. Field 2 (comm) is cut
# off first, since a name may hold spaces; utime and stime are then fields 12 and 13.
cpu_ticks() {
  local rest
  rest=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null) || { echo -1; return; }
  awk '{print $12 + $13}' <<<"$rest"
}

{
  echo "stamp=$STAMP"
  echo "nproc=$(nproc)"
  echo "cpu_model=$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
  echo "kernel=$(uname -srm)"
  echo "clk_tck=$(getconf CLK_TCK)"
  echo "redis_version=$(redis-server --version)"
  echo "benchmark_version=$(redis-benchmark --version)"
  echo "rill_version=$("$RILL_BIN" --version 2>&1 | head -1)"
  echo "rill_bin=$RILL_BIN"
  echo "rounds=$ROUNDS"
  echo "clients=$CLIENTS"
  echo "keyspace=$KEYSPACE"
  echo "server_cpu=$SERVER_CPU"
  echo "client_cpu=$CLIENT_CPU"
  echo "loadavg_start=$(cat /proc/loadavg)"
} >"$WORK/meta.txt"

start_rill
start_redis
echo "rill-server pid $RILL_PID port $RILL_PORT, redis-server pid $REDIS_PID port $REDIS_PORT" \
     "(cpu $SERVER_CPU), redis-benchmark on cpu $CLIENT_CPU; raw records in $WORK" >&2

INDEX="$WORK/runs.tsv"
printf 'id\tround\tserver\ttest\tpipeline\tclients\trequests\trc\tcpu_before\tcpu_after\twall_ns\talive_after\n' >"$INDEX"

run_one() {  # round server test pipeline requests
  local round=$1 server=$2 test=$3 pipe=$4 n=$5 port pid id before after t0 t1 rc alive
  if [[ $server == rill ]]; then
    # A crash earlier must not end the whole run: note it, start afresh, carry on.
    kill -0 "$RILL_PID" 2>/dev/null || { echo "rill-server is gone; restarting it" >&2; start_rill; }
    port=$RILL_PORT pid=$RILL_PID
  else
    kill -0 "$REDIS_PID" 2>/dev/null || { echo "redis-server is gone; restarting it" >&2; start_redis; }
    port=$REDIS_PORT pid=$REDIS_PID
  fi
  RUN_ID=$((RUN_ID + 1))
  id=$(printf '%04d' "$RUN_ID")
  local args=(-p "$port" -c "$CLIENTS" -n "$n" -P "$pipe" -t "$test" --csv)
  [[ -n $KEYSPACE ]] && args+=(-r "$KEYSPACE")
  before=$(cpu_ticks "$pid")
  t0=$(date +%s%N)
  rc=0
  # `times` before and after: the CPU of the children reaped in between is redis-benchmark's
  # own cost, which shows which side of the loopback was the bottleneck.
  times >"$WORK/runs/$id.times"
  timeout "$RUN_TIMEOUT" taskset -c "$CLIENT_CPU" redis-benchmark "${args[@]}" \
    >"$WORK/runs/$id.csv" 2>"$WORK/runs/$id.err" </dev/null &
  BENCH_PID=$!
  wait "$BENCH_PID" || rc=$?
  BENCH_PID=
  times >>"$WORK/runs/$id.times"
  t1=$(date +%s%N)
  after=$(cpu_ticks "$pid")
  alive=1
  kill -0 "$pid" 2>/dev/null || alive=0
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$round" "$server" "$test" \
    "$pipe" "$CLIENTS" "$n" "$rc" "$before" "$after" $((t1 - t0)) "$alive" >>"$INDEX"
  printf '  round %s  %-5s %-10s P%-3s rc=%s  %s\n' "$round" "$server" "$test" "$pipe" "$rc" \
    "$(tail -n +2 "$WORK/runs/$id.csv" | head -1 | cut -d, -f2 | tr -d '"')" >&2
}

RUN_ID=0
IFS=, read -r -a TEST_LIST <<<"$TESTS"
for round in $(seq "$ROUNDS"); do
  for pipe in $PIPELINES; do
    n=$N
    [[ $pipe -gt 1 ]] && n=$N_PIPE
    for test in "${TEST_LIST[@]}"; do
      # A then B, back to back, so both see the same background load.
      run_one "$round" rill "$test" "$pipe" "$n"
      run_one "$round" redis "$test" "$pipe" "$n"
    done
  done
done

echo "loadavg_end=$(cat /proc/loadavg)" >>"$WORK/meta.txt"
stop_servers
mkdir -p "$(dirname "$OUT")"
python3 "$HERE/report.py" "$WORK" >"$OUT"
cat "$OUT"
echo >&2
echo "report written to $OUT" >&2
