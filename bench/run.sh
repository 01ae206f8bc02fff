#!/usr/bin/env bash
# rill against real Redis, same machine, same run: starts both servers pinned to one core,
# drives each in turn with redis-benchmark (and rill-bench-driver, for what redis-benchmark
# cannot express) pinned to another core, records throughput and the server's CPU time for
# every run, then hands the raw records to report.py for the tables.
#
#   bench/run.sh path/to/rill-server
#
# Environment (all optional):
#   ROUNDS=3           rounds; each round runs every test once on rill, then once on Redis
#   N=300000           requests per run at -P 1 (~2 s each; slow tests run a share of it)
#   N_PIPE=5000000     requests per run at -P 16 and over (~2 s each, MSET ~9 s)
#   QUICK=1            smoke test: ROUNDS=1, N=20000, N_PIPE=200000, short driver runs
#   TESTS=...          redis-benchmark tests: its -t names, or our rows (see test_spec);
#                      default: every one, strings then streams then lists and PUBLISH
#   PIPELINES="1 16"   pipeline depths
#   CLIENTS=50         parallel connections
#   KEYSPACE=          if set, passed as -r (random keys); unset = redis-benchmark's one key
#   DRIVERS=...        rill-bench-driver scenarios (see driver_spec); empty: none
#   DRIVER=<dir of rill-server>/rill-bench-driver
#   SERVER_CPU=0 CLIENT_CPU=1   cores for the servers and for the load generators
#   RUN_TIMEOUT=300    seconds before a single run is abandoned
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
  GROUP_ENTRIES=${GROUP_ENTRIES:-100000} LATENCY_SECONDS=${LATENCY_SECONDS:-1}
  FANOUT_SECONDS=${FANOUT_SECONDS:-0.5}
fi
ROUNDS=${ROUNDS:-3}
N=${N:-300000}
N_PIPE=${N_PIPE:-5000000}
TESTS=${TESTS:-ping_mbulk,set,get,incr,mset,xadd,xadd_maxlen,xrange_10,lpush,rpush,lpop,rpop,lrange_100,lrange_600,publish}
DRIVERS=${DRIVERS-groups-1,groups-10,stream-latency,brpop-latency,fanout-1,fanout-10,fanout-100}
DRIVER=${DRIVER:-$(dirname "$RILL_BIN")/rill-bench-driver}
GROUP_ENTRIES=${GROUP_ENTRIES:-1000000}   # stream entries the 10-consumer group drains (1: a third)
LATENCY_RATE=${LATENCY_RATE:-2000}        # messages per second in the hand-off latency runs
LATENCY_SECONDS=${LATENCY_SECONDS:-3}     # measured, after one second of warm-up
FANOUT_SECONDS=${FANOUT_SECONDS:-2}       # measured, after half a second of warm-up
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
mkdir -p "$WORK/runs" "$WORK/drivers" "$WORK/rill-dir" "$WORK/redis-dir"
if [[ -n $DRIVERS && ! -x $DRIVER ]]; then
  echo "rill-bench-driver not found at $DRIVER (build it, or set DRIVER, or DRIVERS=''):" \
       "skipping the driver scenarios" >&2
  DRIVERS=
fi

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
  echo "tests=$TESTS"
  echo "drivers=$DRIVERS"
  echo "group_entries=$GROUP_ENTRIES"
  echo "latency_rate=$LATENCY_RATE"
  echo "latency_seconds=$LATENCY_SECONDS"
  echo "fanout_seconds=$FANOUT_SECONDS"
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
DRIVER_INDEX="$WORK/drivers.tsv"
printf 'id\tround\tserver\tscenario\trc\talive_after\n' >"$DRIVER_INDEX"

# test_spec and the set-ups it names (shared with bench/profile.sh).
source "$HERE/tests.sh"

server_port_pid() {  # server: sets PORT and PID, restarting a server that has gone
  if [[ $1 == rill ]]; then
    # A crash earlier must not end the whole run: note it, start afresh, carry on.
    kill -0 "$RILL_PID" 2>/dev/null || { echo "rill-server is gone; restarting it" >&2; start_rill; }
    PORT=$RILL_PORT PID=$RILL_PID
  else
    kill -0 "$REDIS_PID" 2>/dev/null || { echo "redis-server is gone; restarting it" >&2; start_redis; }
    PORT=$REDIS_PORT PID=$REDIS_PID
  fi
}

run_one() {  # round server test pipeline requests
  local round=$1 server=$2 test=$3 pipe=$4 n=$5 port pid id before after t0 t1 rc alive
  server_port_pid "$server"
  port=$PORT pid=$PID
  test_spec "$test"
  if [[ $pipe -gt 1 ]]; then n=$((n / SPEC_DIV_PIPE)); else n=$((n / SPEC_DIV)); fi
  "$SPEC_SETUP" "$port" "$n" "$pipe"
  RUN_ID=$((RUN_ID + 1))
  id=$(printf '%04d' "$RUN_ID")
  local args=(-p "$port" -c "$CLIENTS" -n "$n" -P "$pipe" --csv)
  [[ -n $KEYSPACE ]] && args+=(-r "$KEYSPACE")
  args+=("${SPEC_ARGS[@]}")
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
  printf '  round %s  %-5s %-14s P%-3s rc=%s  %s\n' "$round" "$server" "$test" "$pipe" "$rc" \
    "$(tail -n +2 "$WORK/runs/$id.csv" | head -1 | cut -d, -f2 | tr -d '"')" >&2
}

# rill-bench-driver scenarios (bench/drivers), by name: sets DRIVER_ARGS.
driver_spec() {
  case $1 in
    groups-*)      local c=${1#groups-} e=$GROUP_ENTRIES
                   # One consumer is bound by round trips, not by the server: fewer entries.
                   [[ $c == 1 ]] && e=$((GROUP_ENTRIES / 3))
                   DRIVER_ARGS=(groups --consumers "$c" --entries "$e") ;;
    stream-latency|brpop-latency)
                   DRIVER_ARGS=("$1" --rate "$LATENCY_RATE" --seconds "$LATENCY_SECONDS" --warmup 1) ;;
    fanout-*)      DRIVER_ARGS=(fanout --subscribers "${1#fanout-}" --seconds "$FANOUT_SECONDS" --warmup 0.5) ;;
    *)             DRIVER_ARGS=("$1") ;;  # the driver says it does not know it
  esac
}

run_driver() {  # round server scenario
  local round=$1 server=$2 scenario=$3 id rc alive
  server_port_pid "$server"
  driver_spec "$scenario"
  RUN_ID=$((RUN_ID + 1))
  id=$(printf '%04d' "$RUN_ID")
  rc=0
  timeout "$RUN_TIMEOUT" taskset -c "$CLIENT_CPU" "$DRIVER" "${DRIVER_ARGS[@]}" \
    --port "$PORT" --pid "$PID" >"$WORK/drivers/$id.json" 2>"$WORK/drivers/$id.err" </dev/null &
  BENCH_PID=$!
  wait "$BENCH_PID" || rc=$?
  BENCH_PID=
  alive=1
  kill -0 "$PID" 2>/dev/null || alive=0
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$id" "$round" "$server" "$scenario" "$rc" "$alive" \
    >>"$DRIVER_INDEX"
  printf '  round %s  %-5s %-14s rc=%s  %s\n' "$round" "$server" "$scenario" "$rc" \
    "$(head -c 160 "$WORK/drivers/$id.json")" >&2
}

RUN_ID=0
IFS=, read -r -a TEST_LIST <<<"$TESTS"
IFS=, read -r -a DRIVER_LIST <<<"$DRIVERS"
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
  for scenario in "${DRIVER_LIST[@]}"; do
    run_driver "$round" rill "$scenario"
    run_driver "$round" redis "$scenario"
  done
done

echo "loadavg_end=$(cat /proc/loadavg)" >>"$WORK/meta.txt"
stop_servers
mkdir -p "$(dirname "$OUT")"
python3 "$HERE/report.py" "$WORK" >"$OUT"
cat "$OUT"
echo >&2
echo "report written to $OUT" >&2
