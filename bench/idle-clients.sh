#!/usr/bin/env bash
# What an idle client costs pgsplit in transaction mode, and whether many of them slow the others down.
#
#   bench/idle-clients.sh [idle clients (10000)]
#
# Starts a primary, 2 replicas and pgsplit (pool_mode: transaction, auth_type: md5, so bare sockets can
# log in cheaply), then measures twice: with 100 idle clients and with N. Each time: pgsplit's heap
# after a full GC, the memory Netty's allocator holds (pgsplit_netty_memory_used_bytes), the server
# connections it holds, and one client's read latency (p50/p99 of 20,000 SELECT 1). Prints the memory
# per idle client between the two, and the p99 ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-10000}
JAR=proxy-core/target/pgsplit.jar
BENCH=bench/target/benchmarks.jar
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_workdir idle
cleanup() {
  exec 3>&- 4>&- 2>/dev/null || true # the idle clients' pipes first, so they end
  bench_cleanup
}
trap cleanup EXIT
[ -f "$JAR" ] && [ -f "$BENCH" ] || mvn -B -q package -DskipTests -pl bench -am

start_cluster
PORT=16434
ADMIN=19434
cat > "$WORK/pgsplit.yaml" <<YAML
listen: 127.0.0.1:$PORT
admin: 127.0.0.1:$ADMIN
auth_type: md5
pool_mode: transaction
servers:
  - { name: pg1, host: 127.0.0.1, port: $PRIMARY_PORT }
  - { name: pg2, host: 127.0.0.1, port: $REPLICA1 }
  - { name: pg3, host: 127.0.0.1, port: $REPLICA2 }
users:
  - { name: app, password: app }
limits:
  max_client_connections: $((N + 1000))
consistency: eventual
YAML
java -Dlogback.configurationFile=/dev/null -jar "$JAR" --config "$WORK/pgsplit.yaml" > "$WORK/proxy.log" 2>&1 &
PROXY=$!
PIDS+=("$PROXY")
until pg_isready -q -h 127.0.0.1 -p "$PORT"; do sleep 0.3; done
URL="jdbc:postgresql://127.0.0.1:$PORT/app?user=app&password=app&preferQueryMode=simple"

heap_used_kib() {
  jcmd "$PROXY" GC.run > /dev/null
  sleep 1
  jcmd "$PROXY" GC.heap_info | awk '/used/ && /total/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub("K", "", v); print v; exit}}'
}
netty_kib() {
  curl -s "http://127.0.0.1:$ADMIN/metrics" | awk '/^pgsplit_netty_memory_used_bytes/ {s += $2} END {printf "%d", s / 1024}'
}
server_connections() {
  curl -s "http://127.0.0.1:$ADMIN/metrics" | awk '/^pgsplit_server_connections\{/ {s += $2} END {printf "%d", s}'
}
idle_clients() { # fd count -> opens them on fd 3 or 4 and waits until they are up
  local fd=$1 count=$2 log=$WORK/idle-$1.log
  eval "exec $fd> >(java -Xss256k -cp \"$BENCH\" io.pgsplit.bench.IdleSockets 127.0.0.1 $PORT app app app $count > \"$log\" 2>&1)"
  until grep -q OPEN "$log" 2>/dev/null; do
    if grep -q -i "exception" "$log" 2>/dev/null; then cat "$log" >&2; exit 1; fi
    sleep 0.5
  done
}
measure() { # label
  local heap netty conns latency
  latency=$(java -cp "$BENCH" io.pgsplit.bench.LatencyProbe "$URL" 20000)
  heap=$(heap_used_kib)
  netty=$(netty_kib)
  conns=$(server_connections)
  echo "$1 heap_kib $heap netty_kib $netty server_connections $conns $latency"
}

java -cp "$BENCH" io.pgsplit.bench.LatencyProbe "$URL" 5000 > /dev/null   # warm-up: JIT, pools, caches
idle_clients 3 100
base=$(measure "100")
idle_clients 4 $((N - 100))
many=$(measure "$N")
echo "$base"
echo "$many"
awk -v b="$base" -v m="$many" -v n="$N" 'BEGIN {
  split(b, x, " "); split(m, y, " ");
  per = ((y[3] + y[5]) - (x[3] + x[5])) * 1024 / (n - 100);
  printf "idle client in transaction mode: %.0f bytes (heap + Netty) each; p99 with %d idle clients %s us vs %s us with 100 (x%.2f)\n",
    per, n, y[11], x[11], y[11] / x[11] }'
