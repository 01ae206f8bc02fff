#!/usr/bin/env bash
# Runs Redis's own Tcl test suite against rill-server.
#
#   redis-compat/run_tcl_suite.sh [path/to/rill-server] [unit ...]
#   (default: build/rill-server and every unit of the issues built so far; see UNITS below)
#
# The suite comes from Debian's redis source package (the version of the installed
# redis-server), fetched with apt-get into redis-compat/.cache (git-ignored) on first use, with
# a private sources.list that adds deb-src entries for the system's own Debian mirror. The
# system's apt configuration is not touched. rill-server is started on a free loopback port
# and the suite runs in external-server mode, which leaves out the tests tagged
# external:skip; tests that need commands of later issues are listed, each with its reason,
# in redis-compat/tcl-skiplist.txt. Prints passed/failed/skipped per unit and a summary; the
# exit status is 0 only if no test failed.
#
# Environment: TCL_UNIT_TIMEOUT (seconds per unit, default 600), TCL_VERBOSE=1 (show the
# suite's own output).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
CACHE="$HERE/.cache"
SRC="$CACHE/redis-src"
SKIPLIST="$HERE/tcl-skiplist.txt"
RILL=${1:-build/rill-server}
[[ $# -gt 0 ]] && shift
UNITS=("$@")
[[ ${#UNITS[@]} -gt 0 ]] || UNITS=(unit/type/string unit/type/incr unit/keyspace unit/expire unit/type/list unit/type/list-2 unit/type/list-3 unit/type/stream unit/type/stream-cgroups unit/pubsub unit/pubsubshard)
UNIT_TIMEOUT=${TCL_UNIT_TIMEOUT:-600}

say() { printf '%s\n' "$*"; }
die() { printf 'run_tcl_suite: %s\n' "$*" >&2; exit 2; }

# Installs a Debian package when the command it provides is missing (as root, or via sudo).
need() {
  local cmd=$1 pkg=$2
  command -v "$cmd" >/dev/null 2>&1 && return 0
  say "installing $pkg (for $cmd)"
  local sudo=()
  [[ $(id -u) -eq 0 ]] || sudo=(sudo)
  "${sudo[@]}" apt-get install -y -q "$pkg" >/dev/null ||
    { "${sudo[@]}" apt-get update -q >/dev/null && "${sudo[@]}" apt-get install -y -q "$pkg" >/dev/null; } ||
    die "cannot install $pkg; install it by hand (apt-get install $pkg)"
}

# deb-src lines for the Debian archive entries of the system's apt sources (one-line
# sources.list and deb822 *.sources alike); falls back to deb.debian.org bookworm.
write_sources() {
  local out=$1
  : >"$out"
  local f
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [[ -f $f ]] || continue
    awk '$1 == "deb" && $0 ~ /\/debian/ { $1 = "deb-src"; print }' "$f" >>"$out"
  done
  for f in /etc/apt/sources.list.d/*.sources; do
    [[ -f $f ]] || continue
    awk '
      function flush() {
        if (types ~ /(^| )deb( |$)/ && uris ~ /\/debian/ && enabled != "no") {
          n = split(uris, u, " "); m = split(suites, s, " ")
          opt = (signed != "" && signed !~ / /) ? "[signed-by=" signed "] " : ""
          for (i = 1; i <= n; i++) for (j = 1; j <= m; j++)
            print "deb-src " opt u[i] " " s[j] " " comps
        }
        types = uris = suites = comps = signed = enabled = ""
      }
      /^[ \t]*$/ { flush(); next }
      /^[ \t]*#/ { next }
      /^[A-Za-z-]+:/ {
        key = tolower($1); sub(/:$/, "", key); $1 = ""; sub(/^ +/, "")
        if (key == "types") types = $0
        else if (key == "uris") uris = $0
        else if (key == "suites") suites = $0
        else if (key == "components") comps = $0
        else if (key == "signed-by") signed = $0
        else if (key == "enabled") enabled = $0
      }
      END { flush() }' "$f" >>"$out"
  done
  if [[ ! -s $out ]]; then
    say "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" >"$out"
  fi
}

fetch_source() {
  [[ -f $SRC/tests/test_helper.tcl ]] && return 0
  need dpkg-source dpkg-dev
  mkdir -p "$CACHE/lists/partial" "$CACHE/apt-cache/archives/partial" "$CACHE/download"
  write_sources "$CACHE/sources.list"
  local apt=(apt-get -q -o Dir::Etc::SourceList="$CACHE/sources.list"
             -o Dir::Etc::SourceParts=/dev/null -o Dir::State::Lists="$CACHE/lists"
             -o Dir::Cache="$CACHE/apt-cache" -o APT::Sandbox::User=root)
  say "fetching the redis source package (sources: $CACHE/sources.list)"
  "${apt[@]}" update >"$CACHE/apt-update.log" 2>&1 ||
    die "apt-get update with the private deb-src list failed; see $CACHE/apt-update.log"
  local version
  version=$(dpkg-query -W -f='${source:Version}' redis-server 2>/dev/null || true)
  rm -f "$CACHE"/download/redis_*
  (cd "$CACHE/download" &&
    { { [[ -n $version ]] && "${apt[@]}" source --download-only "redis=$version"; } ||
      "${apt[@]}" source --download-only redis; }) >"$CACHE/apt-source.log" 2>&1 ||
    die "apt-get source redis failed (no deb-src for it on the mirror?); see $CACHE/apt-source.log"
  local dsc
  dsc=$(ls "$CACHE"/download/redis_*.dsc 2>/dev/null | head -n 1)
  [[ -n $dsc ]] || die "no redis .dsc was downloaded; see $CACHE/apt-source.log"
  rm -rf "$SRC.tmp"
  dpkg-source -q -x "$dsc" "$SRC.tmp" >"$CACHE/dpkg-source.log" 2>&1 ||
    die "dpkg-source -x $dsc failed; see $CACHE/dpkg-source.log"
  rm -rf "$SRC"
  mv "$SRC.tmp" "$SRC"
  rm -f "$CACHE"/redis_*.orig.tar.*  # dpkg-source links the tarball next to the tree
  say "redis source: $(basename "$dsc" .dsc) in $SRC"
}

# External-server mode resets the server before each test file with FLUSHALL and then
# FUNCTION FLUSH. rill has no FUNCTION command (scripting is not on its road map yet), and an
# error there aborts the whole unit before its first test; so in our private copy of the
# suite that one cleanup call may fail. No test or assertion is changed.
adapt_suite() {
  local f=$SRC/tests/support/server.tcl
  grep -q 'catch {r function flush}' "$f" && return 0
  grep -q '^    r function flush$' "$f" || die "unexpected $f: no 'r function flush' line to adapt"
  sed -i 's/^    r function flush$/    catch {r function flush}/' "$f"
}

free_port() {
  python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'
}

RILL_PID=
stop_rill() {
  [[ -n $RILL_PID ]] || return 0
  if kill -0 "$RILL_PID" 2>/dev/null; then
    kill -TERM "$RILL_PID" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$RILL_PID" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$RILL_PID" 2>/dev/null || true
  fi
  wait "$RILL_PID" 2>/dev/null || true
  RILL_PID=
}

# Starts rill-server on a free port; sets PORT. The log goes to $WORK/rill.log.
start_rill() {
  local try
  for try in 1 2 3; do
    PORT=$(free_port)
    "$RILL" --port "$PORT" --bind 127.0.0.1 --save '' --appendonly no >>"$WORK/rill.log" 2>&1 &
    RILL_PID=$!
    for _ in $(seq 100); do
      if ! kill -0 "$RILL_PID" 2>/dev/null; then break; fi
      if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then return 0; fi
      sleep 0.1
    done
    stop_rill
  done
  die "rill-server did not start; log: $(tail -n 5 "$WORK/rill.log")"
}

# The skip list without comments and reasons: one test name per line, for the suite's
# --skipfile. A name that no test of the suite has is reported (a typo skips nothing).
write_skipfile() {
  sed -E -e '/^[[:space:]]*#/d' -e 's/[[:space:]]{2,}#.*$//' -e '/^[[:space:]]*$/d' \
    "$SKIPLIST" >"$1"
  local name
  while IFS= read -r name; do
    [[ $name == /* ]] && continue
    grep -rqF -e "test {$name}" -e "test \"$name\"" "$SRC/tests" ||
      say "warning: tcl-skiplist.txt names a test the suite does not have: $name"
  done <"$1"
}

[[ -x $RILL ]] || die "$RILL is not an executable rill-server (build it first: make build)"
RILL=$(cd "$(dirname "$RILL")" && pwd)/$(basename "$RILL")
need tclsh tcl
fetch_source
adapt_suite

WORK=$(mktemp -d "${TMPDIR:-/tmp}/rill-tcl.XXXXXX")
TCL_PID=
cleanup() {
  [[ -z $TCL_PID ]] || { kill -TERM "$TCL_PID" 2>/dev/null; wait "$TCL_PID" 2>/dev/null; } || true
  stop_rill
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
write_skipfile "$WORK/skipfile"

total_ok=0 total_err=0 total_skip=0 total_ignored=0 failed_units=()
for unit in "${UNITS[@]}"; do
  [[ -f $SRC/tests/$unit.tcl ]] || die "no such unit: $unit (looked for $SRC/tests/$unit.tcl)"
  start_rill
  log="$WORK/$(echo "$unit" | tr / _).log"
  # --durable: an exception inside one test (an unknown command outside an assertion)
  # is reported and the unit goes on. --clients 1: external mode shares one server.
  # In the background and waited for, so that Ctrl-C or SIGTERM reach the traps at once.
  timeout -k 10 "$UNIT_TIMEOUT" env -C "$SRC" tclsh tests/test_helper.tcl \
    --host 127.0.0.1 --port "$PORT" --single "$unit" --tags -needs:debug \
    --skipfile "$WORK/skipfile" --clients 1 --durable --timeout 60 >"$log" 2>&1 &
  TCL_PID=$!
  rc=0
  wait "$TCL_PID" || rc=$?
  TCL_PID=
  [[ ${TCL_VERBOSE:-0} == 1 ]] && cat "$log"
  sed -i 's/\x1b\[[0-9;]*m//g' "$log"  # the suite colours its output even into a file
  ok=$(grep -c '^\[ok\]:' "$log" || true)
  err=$(grep -cE '^\[(err|exception)\]:' "$log" || true)
  skip=$(grep -c '^\[skip\]:' "$log" || true)
  ignored=$(grep -c '^\[ignore\]:' "$log" || true)
  note=""
  if [[ $rc -eq 124 || $rc -eq 137 ]]; then note=" (timed out after ${UNIT_TIMEOUT}s)"; err=$((err + 1)); fi
  if [[ $rc -ne 0 && $err -eq 0 ]]; then note=" (suite exited with status $rc)"; err=1; fi
  if ! kill -0 "$RILL_PID" 2>/dev/null; then note="$note (rill-server died)"; err=$((err + 1)); fi
  # An error outside any test (in the unit's own set-up code) ends the unit there.
  if grep -E '^\[(err|exception)\]:' "$log" | grep -qv ' in tests/'; then
    note="$note (stopped early by an error outside a test; later tests did not run)"
  fi
  printf '%-22s %4d passed, %4d failed, %4d skipped (skip list), %4d left out by tags%s\n' \
    "$unit" "$ok" "$err" "$skip" "$ignored" "$note"
  grep -E '^\[(err|exception)\]:' "$log" | sed 's/^/    /' | head -n 40 || true
  mkdir -p "$CACHE/logs"
  cp "$log" "$CACHE/logs/"
  total_ok=$((total_ok + ok)) total_err=$((total_err + err)) total_skip=$((total_skip + skip))
  total_ignored=$((total_ignored + ignored))
  [[ $err -eq 0 ]] || failed_units+=("$unit")
  stop_rill
done

say "Tcl suite: $total_ok passed, $total_err failed, $total_skip skipped, $total_ignored left out by tags (logs: $CACHE/logs)"
[[ ${#failed_units[@]} -eq 0 ]]
