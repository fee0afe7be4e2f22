#!/usr/bin/env bash
# Heap cost of an idle client connection: pgsplit's heap after a full GC, before and while N
# idle clients are connected (each has run one query, so it holds a server connection too).
#
#   bench/idle-memory.sh [clients (80)]
#
# Each client keeps its own primary connection (session mode), so N stays under the demo cluster's
# max_connections (100).
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-80}
JAR=proxy-core/target/pgsplit.jar
BENCH=bench/target/benchmarks.jar
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_workdir mem
[ -f "$JAR" ] && [ -f "$BENCH" ] || mvn -B -q package -DskipTests -pl bench -am

start_cluster
cat > "$WORK/pgsplit.yaml" <<YAML
listen: 127.0.0.1:16433
servers:
  - { name: pg1, host: 127.0.0.1, port: $PRIMARY_PORT }
  - { name: pg2, host: 127.0.0.1, port: $REPLICA1 }
  - { name: pg3, host: 127.0.0.1, port: $REPLICA2 }
users:
  - { name: app, password: app }
YAML
java -jar "$JAR" --config "$WORK/pgsplit.yaml" > "$WORK/proxy.log" 2>&1 &
PROXY=$!
PIDS+=("$PROXY")
until pg_isready -q -h 127.0.0.1 -p 16433; do sleep 0.3; done

heap_used_kib() {
  jcmd "$PROXY" GC.run > /dev/null
  sleep 1
  jcmd "$PROXY" GC.heap_info | awk '/used/ && /total/ {for (i = 1; i <= NF; i++) if ($i == "used") {v = $(i + 1); sub("K", "", v); print v; exit}}'
}
# one warm-up client so classes, pools and caches exist before the baseline
java -cp "$BENCH" io.pgsplit.bench.IdleClients "jdbc:postgresql://127.0.0.1:16433/app?user=app&password=app" 1 < /dev/null > /dev/null
before=$(heap_used_kib)
exec 3> >(java -cp "$BENCH" io.pgsplit.bench.IdleClients "jdbc:postgresql://127.0.0.1:16433/app?user=app&password=app" "$N" > "$WORK/clients.log" 2>&1)
until grep -q OPEN "$WORK/clients.log" 2>/dev/null; do
  if grep -q -i "exception" "$WORK/clients.log" 2>/dev/null; then cat "$WORK/clients.log" >&2; exit 1; fi
  sleep 0.5
done
after=$(heap_used_kib)
exec 3>&-
awk -v b="$before" -v a="$after" -v n="$N" 'BEGIN { printf "heap before %d KiB, with %d idle clients %d KiB: %.1f KiB per idle client connection\n", b, n, a, (a - b) / n }'
