package io.pgsplit.it.failover;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the failover tests measured, one line per value, on standard output (the class's surefire output file) and in
 * target/pgsplit-it.log next to the proxy's own lines: {@code grep FAILOVER} compares runs.
 */
final class Measurements {
  private static final Logger log = LoggerFactory.getLogger(Measurements.class);

  private Measurements() {}

  static void report(String scenario, String what, Object value) {
    String line = "FAILOVER " + scenario + " | " + what + " = " + value;
    System.out.println(line);
    log.info(line);
  }

  static long millisBetween(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }
}
