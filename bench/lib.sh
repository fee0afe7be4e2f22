# Sourced by the bench scripts: their work directory, the cluster they measure against, pgsplit in front of it,
# PgBouncer as a reference.
# Each script sets JAR first; everything started goes into PIDS, so the EXIT trap stops it.

# bench_workdir name -> WORK (readable by the unprivileged users the servers and PgBouncer run as), an empty PIDS,
# and an EXIT trap that stops every pid in PIDS and removes WORK
bench_workdir() {
  WORK=$(mktemp -d "/tmp/pgsplit-$1.XXXXXX")
  chmod 755 "$WORK"
  PIDS=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}

# start_cluster -> a primary and 2 replicas: PRIMARY_PORT, REPLICA1, REPLICA2 (and the rest of cluster.env);
# PGPASSWORD for the app login
start_cluster() {
  java -cp "$JAR" io.pgsplit.cluster.ClusterMain --replicas 2 --env-file "$WORK/cluster.env" < <(exec sleep infinity 2>/dev/null) > "$WORK/cluster.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 120); do [ -s "$WORK/cluster.env" ] && grep -q REPLICA_PORTS "$WORK/cluster.env" && break; sleep 1; done
  # shellcheck disable=SC1091
  source "$WORK/cluster.env"
  IFS=, read -r REPLICA1 REPLICA2 <<< "$REPLICA_PORTS"
  export PGPASSWORD=app
}

# init_pgbench scale -> pgbench's tables on the primary, returning once both replicas have replayed them
init_pgbench() {
  pgbench -i -q -s "$1" -h 127.0.0.1 -p "$PRIMARY_PORT" -U app app > "$WORK/init.log" 2>&1
  local port
  for port in "$REPLICA1" "$REPLICA2"; do
    until psql -X -qAt -h 127.0.0.1 -p "$port" -U app app -c "select count(*) from pgbench_branches" 2>/dev/null | grep -q "^$1$"; do
      sleep 0.5
    done
  done
}

# start_pgbouncer port server_port pool_mode auth_type max_client_conn default_pool_size -> PgBouncer for the app
# login, listening once this returns; its pid in BOUNCER_PID. Up to 20000 open files, as for the load scripts.
start_pgbouncer() {
  printf '[databases]\napp = host=127.0.0.1 port=%s dbname=app\n[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = %s\nauth_type = %s\nauth_file = %s/users.txt\npool_mode = %s\nmax_client_conn = %s\ndefault_pool_size = %s\nlogfile = %s/pgbouncer.log\n' \
    "$2" "$1" "$4" "$WORK" "$3" "$5" "$6" "$WORK" > "$WORK/pgbouncer.ini"
  echo '"app" "app"' > "$WORK/users.txt"
  chmod 644 "$WORK/pgbouncer.ini" "$WORK/users.txt"
  local as_user=()
  if [ "$(id -u)" = 0 ]; then # pgbouncer refuses to run as root
    touch "$WORK/pgbouncer.log"; chown postgres "$WORK/pgbouncer.log"
    as_user=(runuser -u postgres --)
  fi
  "${as_user[@]}" sh -c "ulimit -n 20000 2>/dev/null; exec pgbouncer '$WORK/pgbouncer.ini'" > /dev/null 2>&1 &
  PIDS+=($!)
  until pg_isready -q -h 127.0.0.1 -p "$1"; do sleep 0.3; done
  BOUNCER_PID=$(pgrep -n -f "pgbouncer $WORK/pgbouncer.ini")
  PIDS+=("$BOUNCER_PID")
}

# start_pgsplit transport port admin_port [replicas (2)] [replica_affinity (statement)] -> pgsplit in front of the
# cluster, accepting once this returns; its pid in PROXY_PID. PGSPLIT_JAVA_OPTS goes to its JVM.
start_pgsplit() {
  local third="  - { name: pg3, host: 127.0.0.1, port: $REPLICA2 }" config="$WORK/pgsplit-$1-$2.yaml"
  [ "${4:-2}" = 1 ] && third=""
  cat > "$config" <<YAML
listen: 127.0.0.1:$2
admin: 127.0.0.1:$3
transport: $1
servers:
  - { name: pg1, host: 127.0.0.1, port: $PRIMARY_PORT }
  - { name: pg2, host: 127.0.0.1, port: $REPLICA1 }
$third
users:
  - { name: app, password: app }
health:
  interval: 500ms
routing:
  replica_affinity: ${5:-statement}
YAML
  # shellcheck disable=SC2086
  java ${PGSPLIT_JAVA_OPTS:-} -Dlogback.configurationFile=/dev/null -jar "$JAR" --config "$config" > "$WORK/proxy-$1-$2.log" 2>&1 &
  PROXY_PID=$!
  PIDS+=($PROXY_PID)
  until pg_isready -q -h 127.0.0.1 -p "$2"; do sleep 0.3; done
}
