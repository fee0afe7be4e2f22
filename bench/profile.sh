#!/usr/bin/env bash
# Where pgsplit's CPU time per query goes, under `pgbench -S` on its own cluster: system calls per query (pgsplit
# and, when installed, PgBouncer in session mode in front of the same replica), the user/kernel split of pgsplit's
# samples, its user-mode time by component, and the hottest user-mode frames. A profile, not a benchmark: perf
# slows what it samples, so read the shares, not the TPS.
#
#   bench/profile.sh [mode (prepared)] [seconds (20)] [replicas (1)]
#
# Needs what bench/pgbench.sh needs, plus perf (Debian: linux-perf) and python3; run as root or with
# kernel.perf_event_paranoid <= 1. Java frames are named through the JVM's own perf map (jcmd Compiler.perfmap),
# with frame pointers kept (-XX:+PreserveFramePointer) so perf can walk JIT-compiled stacks.
set -euo pipefail
cd "$(dirname "$0")/.."
MODE=${1:-prepared}
SECS=${2:-20}
REPLICAS=${3:-1}
CLIENTS=8
JAR=proxy-core/target/pgsplit.jar
for tool in perf python3 pgbench jcmd; do
  command -v "$tool" > /dev/null || { echo "profile.sh needs $tool" >&2; exit 1; }
done
[ "$SECS" -ge 12 ] || { echo "profile.sh needs at least 12 seconds per run" >&2; exit 1; }
# shellcheck source=bench/lib.sh
source bench/lib.sh
bench_workdir profile

[ -f "$JAR" ] || mvn -B -q package -DskipTests

start_cluster
init_pgbench 5

PORT=17632
# frame pointers and debug info at every instruction, so that perf can walk and name the JIT's frames
PGSPLIT_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -XX:+PreserveFramePointer ${PGSPLIT_JAVA_OPTS:-}"
start_pgsplit epoll "$PORT" $((PORT + 1)) "$REPLICAS"
PGSPLIT_PID=$PROXY_PID

BOUNCER_PORT=""
if command -v pgbouncer > /dev/null; then
  BOUNCER_PORT=$((PORT + 2))
  start_pgbouncer "$BOUNCER_PORT" "$REPLICA1" session plain 200 50
fi

load() { # port seconds -> pgbench's output in $WORK/load.out, in the background; its pid in LOAD_PID
  pgbench -S -n -M "$MODE" -c "$CLIENTS" -j 2 -T "$2" -h 127.0.0.1 -p "$1" -U app app > "$WORK/load.out" 2>&1 &
  LOAD_PID=$!
}
# syscalls_per_query label port pid -> one line: the system calls the process made per query during 5 s of load
# (perf stat watches the process for exactly as long as pgbench runs, so its transactions are the queries counted)
syscalls_per_query() {
  perf stat -x, -e 'syscalls:sys_enter_*' -p "$3" -o "$WORK/sys.csv" -- \
    pgbench -S -n -M "$MODE" -c "$CLIENTS" -j 2 -T 5 -h 127.0.0.1 -p "$2" -U app app > "$WORK/load.out" 2>&1
  awk -F, -v label="$1" -v q="$(awk '/^number of transactions actually processed/{print $NF}' "$WORK/load.out")" '
    $1 ~ /^[0-9]+$/ && $1 > 0 { n=$3; sub(/syscalls:sys_enter_/, "", n); per=$1/q; if (per >= 0.01) { line = line sprintf(" %s %.2f", n, per); total += per } }
    END { printf "%-10s %5.2f per query:%s\n", label, total, line }' "$WORK/sys.csv"
}

# C2 keeps compiling for some 15-20 s of this load on a busy 2-core machine; profile a JIT that has settled
echo "warming up (30 s)…"
load "$PORT" 30; wait "$LOAD_PID"
echo "system calls per query, -M $MODE (perf stat, 5 s of load):"
syscalls_per_query pgsplit "$PORT" "$PGSPLIT_PID"
[ -z "$BOUNCER_PORT" ] || { pgbench -S -n -M "$MODE" -c "$CLIENTS" -j 2 -T 5 -h 127.0.0.1 -p "$BOUNCER_PORT" -U app app > /dev/null 2>&1;
                             syscalls_per_query pgbouncer "$BOUNCER_PORT" "$BOUNCER_PID"; }

load "$PORT" "$SECS"; sleep 2
perf record -F 2999 -g -p "$PGSPLIT_PID" -o "$WORK/perf.data" -- sleep $((SECS - 4)) > /dev/null 2>&1
wait "$LOAD_PID"
echo "pgsplit under perf: $(awk '/^tps/{printf "%.0f TPS", $3}' "$WORK/load.out"), $REPLICAS replica(s)"
jcmd "$PGSPLIT_PID" Compiler.perfmap > /dev/null # /tmp/perf-<pid>.map, read by perf script
perf script -i "$WORK/perf.data" > "$WORK/perf.txt" 2> /dev/null
rm -f "/tmp/perf-$PGSPLIT_PID.map"

python3 - "$WORK/perf.txt" <<'PY'
import collections, re, sys

# perf script: a header line per sample (thread name first), then one indented line per frame, innermost first.
samples, current = [], None
for line in open(sys.argv[1], errors="replace"):
    if not line.strip():
        if current: samples.append(current)
        current = None
    elif line[0] not in " \t":
        current = (line.split()[0], [])
    elif current is not None:
        parts = line.strip().split(None, 1)
        if len(parts) == 2:
            symbol, _, dso = parts[1].rpartition(" (")
            current[1].append((re.sub(r"\+0x[0-9a-f]+$", "", symbol), dso))
if current: samples.append(current)
if not samples: sys.exit("no samples")

user = [s for s in samples if s[1] and "kernel" not in s[1][0][1]]
print("pgsplit's samples in user mode: %.1f %% (kernel %.1f %%)" % (100 * len(user) / len(samples), 100 - 100 * len(user) / len(samples)))

def share(predicate):
    return 100 * sum(1 for s in user if predicate(s)) / len(user)

def frames(pattern):
    regex = re.compile(pattern)
    return lambda s: any(regex.search(f) for f, _ in s[1])

def thread(prefix):
    return lambda s: s[0].startswith(prefix)

components = [
    ("event-loop threads", thread("pgsplit-io")),
    ("  client reads: framing, routing, sending", frames(r"ClientSessionHandler\.channelRead\(")),
    ("  server replies: scan, relay, release", frames(r"BackendHandler\.channelRead\(")),
    ("  socket writes (Netty's flush)", frames(r"\.flush0\(|\.doWrite")),
    ("  buffer allocation", frames(r"PoolingAllocator|AdaptiveByteBuf|Recycler")),
    ("  Netty leak detector (sampled records)", frames(r"ResourceLeakDetector|LeakAware")),
    ("  clock reads", frames(r"clock_gettime|javaTimeNanos")),
    ("JIT compiler threads", lambda s: s[0] in ("C1", "C2") or s[0].startswith("C2_") or s[0].startswith("C1_")),
    ("GC threads", lambda s: s[0].startswith("G1") or s[0].startswith("GC")),
    ("health probes", thread("pgsplit-health")),
]
print("user-mode time by component (inclusive, % of user-mode samples):")
for label, predicate in components:
    print("  %5.1f %%  %s" % (share(predicate), label))

print("hottest user-mode frames (self, % of user-mode samples):")
for frame, count in collections.Counter(s[1][0][0] for s in user).most_common(20):
    print("  %5.1f %%  %s" % (100 * count / len(user), frame[:150]))
PY
