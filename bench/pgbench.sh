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

# run_measured port mode pid -> "tps latency_ms user_us_per_query sys_us_per_query"
run_measured() {
  local before after tps lat
  before=$(cpu_ticks "$3")
  read -r tps lat < <(run "$1" "$2")
  after=$(cpu_ticks "$3")
  awk -v b="$before" -v a="$after" -v tps="$tps" -v lat="$lat" -v s="$SECONDS_PER_RUN" -v t="$TICK_US" 'BEGIN {
    split(b, x, " "); split(a, y, " "); q = tps * s;
    printf "%s %s %.1f %.1f\n", tps, lat, (y[1] - x[1]) * t / q, (y[2] - x[2]) * t / q }'
}

# measure_column port pid width -> appends this pgsplit's TPS and ratio to row, its CPU per query to cpu
measure_column() {
  local ptps plat pusr psys
  read -r ptps plat pusr psys < <(run_measured "$1" "$mode" "$2")
  row+=$(awk -v pt="$ptps" -v dt="$dtps" -v w="$3" 'BEGIN { printf " %*.0f %7.2f", w, pt, pt/dt }')
  cpu+=$(printf ' %16s' "${pusr}u+${psys}s")
}

printf '\npgbench -S, %s clients, %s threads, %ss per run, scale %s, %s cores, pgsplit transports %s\n' "$CLIENTS" "$THREADS" \
  "$SECONDS_PER_RUN" "$SCALE" "$(nproc)" "${TRANSPORTS[*]}"
header=$(printf '%-9s %11s' mode direct_tps)
for transport in "${TRANSPORTS[@]}"; do header+=$(printf ' %16s %7s' "pgsplit/$transport" ratio); done
header+=$(printf ' %24s %7s' "pgsplit/${TRANSPORTS[0]}-1replica" ratio)
header+=$(printf ' %22s %7s' "pgsplit/${TRANSPORTS[0]}-session" ratio)
header+=$(printf ' %11s %7s %11s %7s' pgbouncer ratio haproxy ratio)
for transport in "${TRANSPORTS[@]}"; do header+=$(printf ' %16s' "${transport}_cpu_us"); done
header+=$(printf ' %16s %16s' "1replica_cpu_us" "session_cpu_us")
echo "$header$(printf ' %16s' pgbouncer_cpu_us)"
# Every pgsplit is warmed up in every mode first: the first mode measured would otherwise pay for compiling the
# paths of all of them (the JIT's threads count in the process's CPU time).
for mode in ${BENCH_MODES:-simple extended prepared}; do
  for i in "${!TRANSPORTS[@]}"; do
    run "${PROXY_PORTS[$i]}" "$mode" > /dev/null
  done
  run "$SINGLE_PORT" "$mode" > /dev/null
  run "$SESSION_PORT" "$mode" > /dev/null
done
for mode in ${BENCH_MODES:-simple extended prepared}; do
  for i in "${!TRANSPORTS[@]}"; do
    run "${PROXY_PORTS[$i]}" "$mode" > /dev/null   # warm-up: this mode's connections and caches
  done
  read -r dtps dlat < <(run "$REPLICA1" "$mode")
  row=$(printf '%-9s %11.0f' "$mode" "$dtps") cpu=""
  for i in "${!TRANSPORTS[@]}"; do
    measure_column "${PROXY_PORTS[$i]}" "${PROXY_PIDS[$i]}" 16
  done
  run "$SINGLE_PORT" "$mode" > /dev/null   # warm-up, as above
  measure_column "$SINGLE_PORT" "$SINGLE_PID" 24
  run "$SESSION_PORT" "$mode" > /dev/null   # warm-up, as above
  measure_column "$SESSION_PORT" "$SESSION_PID" 22
  btps=0 busr=0 bsys=0 htps=0
  [ -n "$BOUNCER_PORT" ] && read -r btps _ busr bsys < <(run_measured "$BOUNCER_PORT" "$mode" "$BOUNCER_PID")
  [ -n "$HAPROXY_PORT" ] && read -r htps _ < <(run "$HAPROXY_PORT" "$mode")
  row+=$(awk -v dt="$dtps" -v bt="$btps" -v ht="$htps" 'BEGIN { printf " %11.0f %7.2f %11.0f %7.2f", bt, bt/dt, ht, ht/dt }')
  echo "$row$cpu$(printf ' %16s' "${busr}u+${bsys}s")"
done
echo "(cpu_us: user+system microseconds of CPU per query in the proxy process, from /proc)"
echo
echo "single-client latency (1 client, 1 thread; pgsplit/${TRANSPORTS[0]}-1replica reads from the direct runs' replica only):"
CLIENTS=1 THREADS=1
for mode in simple prepared; do
  run "$SINGLE_PORT" "$mode" > /dev/null   # warm-up
  run "$SESSION_PORT" "$mode" > /dev/null
done
# latency_column label port -> appends what this target's single client adds to the direct latency to line
latency_column() {
  local plat
  read -r _ plat < <(run "$2" "$mode")
  line+=$(awk -v t="$1" -v dl="$dlat" -v pl="$plat" 'BEGIN { printf ", %s %.3f ms (added %.0f us)", t, pl, (pl-dl)*1000 }')
}
for mode in simple prepared; do
  read -r dtps dlat < <(run "$REPLICA1" "$mode")
  line=$(printf '%-9s direct %.3f ms' "$mode" "$dlat")
  for i in "${!TRANSPORTS[@]}"; do
    latency_column "pgsplit/${TRANSPORTS[$i]}" "${PROXY_PORTS[$i]}"
  done
  latency_column "pgsplit/${TRANSPORTS[0]}-1replica" "$SINGLE_PORT"
  latency_column "pgsplit/${TRANSPORTS[0]}-session" "$SESSION_PORT"
  [ -z "$BOUNCER_PORT" ] || latency_column pgbouncer "$BOUNCER_PORT"
  echo "$line"
done
