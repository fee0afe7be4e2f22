#!/usr/bin/env bash
# Throughput and latency of `pgbench -S` through pgsplit against the same load sent directly to a
# replica, in one run, for each query mode. Prints TPS, average latency and the proxy/direct ratio.
#
#   bench/pgbench.sh [seconds-per-run (20)] [clients (8)] [scale (10)]
#
# PGSPLIT_JAVA_OPTS is passed to the proxy's JVM (for example a JFR recording to profile it);
# BENCH_MODES limits the query modes run (default "simple extended prepared"); BENCH_TRANSPORTS the pgsplit
# transports compared (default "epoll io_uring nio"; PGSPLIT_TRANSPORT, if set, is the only one). One pgsplit runs
# per transport, each on its own port; one whose transport does not work here (it fell back to another, as its
# pgsplit_transport_info says) is left out of the table with a note.
#
# PgBouncer (session mode) and HAProxy (TCP mode), when installed, run in front of the same replica as
# the direct runs, as references for what one extra hop costs here (neither splits reads from writes).
# For pgsplit and PgBouncer the user and system CPU time per query is read from /proc around each run.
# Both tables also show a pgsplit whose only replica is that one (…-1replica), like for like, and one with
# routing.replica_affinity: session (…-session), whose sessions each keep one of the two replicas.
# BENCH_ROUNDS (default 1) measures every target that many times, in a rotating order, and prints medians: on a
# shared machine one run of each moves by more than the differences between the targets.
#
# Needs: JDK 17, Maven, PostgreSQL server binaries and pgbench. Starts its own cluster (primary +
# 2 replicas) and proxy on loopback, and stops both at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-20}
CLIENTS=${2:-8}
SCALE=${3:-10}
THREADS=2
JAR=proxy-core/target/pgsplit.jar
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_workdir bench

[ -f "$JAR" ] || mvn -B -q package -DskipTests

echo "starting a primary and 2 replicas…"
start_cluster

echo "initialising pgbench tables (scale $SCALE) on the primary…"
init_pgbench "$SCALE"

TRANSPORTS=() PROXY_PORTS=() PROXY_PIDS=()
port=16432
for transport in ${PGSPLIT_TRANSPORT:-${BENCH_TRANSPORTS:-epoll io_uring nio}}; do
  start_pgsplit "$transport" "$port" $((port + 20))
  if curl -fsS "http://127.0.0.1:$((port + 20))/metrics" | grep -q "^pgsplit_transport_info{transport=\"$transport\"}"; then
    TRANSPORTS+=("$transport") PROXY_PORTS+=("$port") PROXY_PIDS+=("$PROXY_PID")
  else
    echo "pgsplit transport $transport does not work here (it fell back); left out"
    kill "$PROXY_PID"
  fi
  port=$((port + 1))
done
[ ${#TRANSPORTS[@]} -gt 0 ] || { echo "no pgsplit transport works here" >&2; exit 1; }
# Like for like with the references (PgBouncer, HAProxy and the direct runs all use one replica): the first transport
# with the direct runs' replica as its only one, in the throughput table and the single-client latency, so the proxy's
# own cost is seen apart from what spreading reads over two replicas that share these cores does to the servers.
SINGLE_PORT=16431
start_pgsplit "${TRANSPORTS[0]}" "$SINGLE_PORT" $((SINGLE_PORT + 20)) 1
SINGLE_PID=$PROXY_PID
# Two replicas, but each session's reads kept on one (Pgpool-II's default): half the server backends busy.
SESSION_PORT=16430
start_pgsplit "${TRANSPORTS[0]}" "$SESSION_PORT" $((SESSION_PORT + 20)) 2 session
SESSION_PID=$PROXY_PID
sleep 1

# PgBouncer, when installed, as a reference for what any extra network hop costs on this machine:
# session mode in front of the same replica as the direct runs (PgBouncer does no read/write split).
BOUNCER_PORT=16440
if command -v pgbouncer > /dev/null; then
  start_pgbouncer "$BOUNCER_PORT" "$REPLICA1" session plain 200 50
else
  BOUNCER_PORT=
fi

HAPROXY_PORT=16442
if command -v haproxy > /dev/null; then
  printf 'global\n  maxconn 1000\ndefaults\n  mode tcp\n  timeout connect 5s\n  timeout client 1h\n  timeout server 1h\nlisten pg\n  bind 127.0.0.1:%s\n  server replica 127.0.0.1:%s\n' \
    "$HAPROXY_PORT" "$REPLICA1" > "$WORK/haproxy.cfg"
  haproxy -f "$WORK/haproxy.cfg" > "$WORK/haproxy.log" 2>&1 &
  PIDS+=($!)
  until pg_isready -q -h 127.0.0.1 -p "$HAPROXY_PORT"; do sleep 0.3; done
else
  HAPROXY_PORT=
fi

cpu_ticks() { # pid -> "utime stime" in clock ticks
  awk '{print $14, $15}' "/proc/$1/stat"
}
TICK_US=$((1000000 / $(getconf CLK_TCK)))

run() { # port mode -> "tps latency_ms"; a failed run shows why and returns 1 (which ends the bench, except inside < <(…))
  local out="$WORK/pgbench-$1-$2.out"
  if ! pgbench -S -n -M "$2" -c "$CLIENTS" -j "$THREADS" -T "$SECONDS_PER_RUN" -h 127.0.0.1 -p "$1" -U app app > "$out" 2>&1; then
    echo "pgbench -M $2 on port $1 failed:" >&2; tail -n 20 "$out" >&2
    return 1
  fi
  awk '/latency average/ {lat=$4} /^tps/ {tps=$3} END {print tps, lat}' "$out"
}

# run_measured port mode [pid] -> "tps latency_ms user_us_per_query sys_us_per_query" (the CPU "-" without a pid)
run_measured() {
  local before after tps lat
  [ -n "${3:-}" ] || { read -r tps lat < <(run "$1" "$2"); echo "$tps $lat - -"; return; }
  before=$(cpu_ticks "$3")
  read -r tps lat < <(run "$1" "$2")
  after=$(cpu_ticks "$3")
  awk -v b="$before" -v a="$after" -v tps="$tps" -v lat="$lat" -v s="$SECONDS_PER_RUN" -v t="$TICK_US" 'BEGIN {
    split(b, x, " "); split(a, y, " "); q = tps * s;
    printf "%s %s %.1f %.1f\n", tps, lat, (y[1] - x[1]) * t / q, (y[2] - x[2]) * t / q }'
}

# What is measured: the direct runs first in the list, then each pgsplit, then the references. Each has a port and,
# for the processes whose CPU time is read, a pid.
TARGETS=()
declare -A TARGET_PORT TARGET_PID
add_target() { TARGETS+=("$1"); TARGET_PORT[$1]=$2; TARGET_PID[$1]=${3:-}; }
add_target direct "$REPLICA1"
for i in "${!TRANSPORTS[@]}"; do add_target "pgsplit/${TRANSPORTS[$i]}" "${PROXY_PORTS[$i]}" "${PROXY_PIDS[$i]}"; done
add_target "pgsplit/${TRANSPORTS[0]}-1replica" "$SINGLE_PORT" "$SINGLE_PID"
add_target "pgsplit/${TRANSPORTS[0]}-session" "$SESSION_PORT" "$SESSION_PID"
[ -z "$BOUNCER_PORT" ] || add_target pgbouncer "$BOUNCER_PORT" "$BOUNCER_PID"
[ -z "$HAPROXY_PORT" ] || add_target haproxy "$HAPROXY_PORT"

# measure_rounds mode target… -> RESULT["target round"] = run_measured's output, for ROUNDS rounds. Every target
# runs once unmeasured first (this mode's connections and caches); round r then starts at a different target, so
# no target always runs right after the same one or always at the same point of the machine's drift.
declare -A RESULT
measure_rounds() {
  local mode=$1 target r k offset
  shift
  local list=("$@")
  for target in "${list[@]}"; do run "${TARGET_PORT[$target]}" "$mode" > /dev/null; done
  for r in $(seq 1 "$ROUNDS"); do
    offset=$(((r - 1) * ${#list[@]} / ROUNDS))
    for k in "${!list[@]}"; do
      target=${list[$(((k + offset) % ${#list[@]}))]}
      RESULT["$target $r"]=$(run_measured "${TARGET_PORT[$target]}" "$mode" "${TARGET_PID[$target]}")
    done
  done
}

# field target n -> the n-th field (1 tps, 2 latency, 3 user, 4 system) of each round's result, a line each
field() {
  local r
  for r in $(seq 1 "$ROUNDS"); do awk -v n="$2" '{print $n}' <<< "${RESULT["$1 $r"]}"; done
}
# paired target op -> for each round, the target's result against the direct run of the same round: the TPS ratio
# (op "ratio") or the latency the target adds, in µs (op "added")
paired() {
  local r
  for r in $(seq 1 "$ROUNDS"); do
    awk -v op="$2" 'NR == 1 {dt = $1; dl = $2} NR == 2 {print (op == "ratio" ? $1 / dt : ($2 - dl) * 1000)}' \
      <(echo "${RESULT["direct $r"]}") <(echo "${RESULT["$1 $r"]}")
  done
}
median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2)}'; }
range() { sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.0f-%.0f", lo, hi}'; }

ROUNDS=${BENCH_ROUNDS:-1}
printf '\npgbench -S, %s clients, %s threads, %ss per run, scale %s, %s cores, pgsplit transports %s, %s round(s)\n' \
  "$CLIENTS" "$THREADS" "$SECONDS_PER_RUN" "$SCALE" "$(nproc)" "${TRANSPORTS[*]}" "$ROUNDS"
# Every pgsplit is warmed up in every mode first: the first mode measured would otherwise pay for compiling the
# paths of all of them (the JIT's threads count in the process's CPU time).
for mode in ${BENCH_MODES:-simple extended prepared}; do
  for target in "${TARGETS[@]}"; do
    [[ $target == pgsplit/* ]] && run "${TARGET_PORT[$target]}" "$mode" > /dev/null
  done
done
printf '%-9s %-26s %9s %13s %7s %8s %16s\n' mode target tps tps_range ratio lat_ms cpu_us_per_query
for mode in ${BENCH_MODES:-simple extended prepared}; do
  measure_rounds "$mode" "${TARGETS[@]}"
  for target in "${TARGETS[@]}"; do
    ratio=1 cpu=""
    [ "$target" = direct ] || ratio=$(paired "$target" ratio | median)
    [ -z "${TARGET_PID[$target]}" ] || cpu=$(printf '%.1fu+%.1fs' "$(field "$target" 3 | median)" "$(field "$target" 4 | median)")
    printf '%-9s %-26s %9.0f %13s %7.2f %8.3f %16s\n' "$mode" "$target" "$(field "$target" 1 | median)" \
      "$(field "$target" 1 | range)" "$ratio" "$(field "$target" 2 | median)" "$cpu"
  done
done
echo "(medians over the rounds; ratio: the target's TPS over the direct run's of the same round; cpu_us_per_query:"
echo " user+system microseconds of CPU per query in the proxy process, from /proc)"
echo
echo "single-client latency (1 client, 1 thread; pgsplit/${TRANSPORTS[0]}-1replica reads from the direct runs' replica only;"
echo "medians over the rounds, what each adds to the direct run of the same round):"
CLIENTS=1 THREADS=1
LATENCY_TARGETS=()
for target in "${TARGETS[@]}"; do [ "$target" = haproxy ] || LATENCY_TARGETS+=("$target"); done
for mode in simple prepared; do
  measure_rounds "$mode" "${LATENCY_TARGETS[@]}"
  line=$(printf '%-9s direct %.3f ms' "$mode" "$(field direct 2 | median)")
  for target in "${LATENCY_TARGETS[@]:1}"; do
    line+=$(printf ', %s %.3f ms (added %.0f us)' "$target" "$(field "$target" 2 | median)" "$(paired "$target" added | median)")
  done
  echo "$line"
done
