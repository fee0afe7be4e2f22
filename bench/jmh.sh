#!/usr/bin/env bash
# The in-process JMH benchmarks (bench/src/main/java/io/pgsplit/bench), with bytes allocated per operation.
#
#   bench/jmh.sh [JMH arguments…]      e.g. bench/jmh.sh SessionRoundTrip -f 1 -wi 2 -i 3
#
# Without arguments every benchmark runs with its own warm-up and measurement settings. `-prof gc` is always
# added: gc.alloc.rate.norm is the bytes allocated per operation (per proxied round trip for SessionRoundTrip).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl bench -am package -DskipTests
exec java -jar bench/target/benchmarks.jar "$@" -prof gc
