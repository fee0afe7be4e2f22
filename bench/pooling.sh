#!/usr/bin/env bash
# Pooling throughput: pgbench through pgsplit in both pool modes, against the same load sent directly
# to the primary and through PgBouncer in transaction mode, in one run.
#
#   bench/pooling.sh [seconds-per-run (15)] [scale (10)]
#
# Workloads: `pgbench -S` (reads) and pgbench's default TPC-B-like script (a write transaction), each
# with 100 and with 1,000 clients (-C off: clients stay connected). The demo cluster's servers allow
# 200 connections each: direct runs with more clients than that fail, which is what pooling is for.
# pgsplit's pools: 20 connections per server (pool.primary_max_per_server, pool.replica_max_per_server).
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_RUN=${1:-15}
SCALE=${2:-10}
THREADS=2
JAR=proxy-core/target/pgsplit.jar
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_workdir pooling
ulimit -n 20000 2>/dev/null || true
[ -f "$JAR" ] || mvn -B -q package -DskipTests

start_cluster
init_pgbench "$SCALE"

start_pgsplit() { # port mode
  cat > "$WORK/pgsplit-$2.yaml" <<YAML
listen: 127.0.0.1:$1
auth_type: md5
pool_mode: $2
servers:
  - { name: pg1, host: 127.0.0.1, port: $PRIMARY_PORT }
  - { name: pg2, host: 127.0.0.1, port: $REPLICA1 }
  - { name: pg3, host: 127.0.0.1, port: $REPLICA2 }
users:
  - { name: app, password: app }
pool: { primary_max_per_server: 20, replica_max_per_server: 20, acquire_timeout: 30s }
limits: { max_client_connections: 2000 }
consistency: eventual
YAML
  java -Dlogback.configurationFile=/dev/null -jar "$JAR" --config "$WORK/pgsplit-$2.yaml" > "$WORK/proxy-$2.log" 2>&1 &
  PIDS+=($!)
  until pg_isready -q -h 127.0.0.1 -p "$1"; do sleep 0.3; done
}
start_pgsplit 16435 session
start_pgsplit 16436 transaction

BOUNCER_PORT=16441
if command -v pgbouncer > /dev/null; then
  start_pgbouncer "$BOUNCER_PORT" "$PRIMARY_PORT" transaction md5 2000 20
fi

run() { # port clients select|tpcb -> "tps" or "failed"
  local options=(-n -c "$2" -j "$THREADS" -T "$SECONDS_PER_RUN" -h 127.0.0.1 -p "$1" -U app)
  [ "$3" = select ] && options+=(-S)
  pgbench "${options[@]}" app > "$WORK/run.log" 2>&1 || true
  awk '/^tps/ {tps=$3} END {if (tps == "") print "failed"; else printf "%.0f\n", tps}' "$WORK/run.log"
}

printf '\npgbench, %ss per run, scale %s, %s cores; pools of 20 connections per server\n' "$SECONDS_PER_RUN" "$SCALE" "$(nproc)"
printf '%-8s %8s %14s %18s %22s %22s\n' workload clients direct pgbouncer_tx pgsplit_session pgsplit_transaction
for workload in select tpcb; do
  for clients in 100 1000; do
    run 16436 10 "$workload" > /dev/null   # warm-up
    direct=$(run "$PRIMARY_PORT" "$clients" "$workload")
    bouncer=n/a
    [ -n "${BOUNCER_PORT:-}" ] && command -v pgbouncer > /dev/null && bouncer=$(run "$BOUNCER_PORT" "$clients" "$workload")
    session=$(run 16435 "$clients" "$workload")
    transaction=$(run 16436 "$clients" "$workload")
    printf '%-8s %8s %14s %18s %22s %22s\n' "$workload" "$clients" "$direct" "$bouncer" "$session" "$transaction"
  done
done
echo "(direct and PgBouncer go to the primary only; pgsplit spreads reads over both replicas)"
