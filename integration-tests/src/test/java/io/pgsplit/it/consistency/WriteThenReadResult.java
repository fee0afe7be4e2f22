package io.pgsplit.it.consistency;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link WriteThenReadChecker} run saw: how many rows were missing right after their own write, how many reads
 * replicas served, and every read's latency.
 *
 * @param missedReads a few of the reads that missed their row, "id on server", for the failure message
 */
record WriteThenReadResult(int pairs, int missing, int replicaReads, long[] readNanos, List<String> missedReads) {
  private static final int MISSED_READS_KEPT = 10;

  static WriteThenReadResult empty() {
    return new WriteThenReadResult(0, 0, 0, new long[0], List.of());
  }

  static Builder builder(int expectedPairs) {
    return new Builder(expectedPairs);
  }

  WriteThenReadResult plus(WriteThenReadResult other) {
    long[] latencies = Arrays.copyOf(readNanos, readNanos.length + other.readNanos.length);
    System.arraycopy(other.readNanos, 0, latencies, readNanos.length, other.readNanos.length);
    List<String> missed = new ArrayList<>(missedReads);
    other.missedReads.stream().limit(MISSED_READS_KEPT - missed.size()).forEach(missed::add);
    return new WriteThenReadResult(pairs + other.pairs, missing + other.missing, replicaReads + other.replicaReads,
        latencies, List.copyOf(missed));
  }

  double staleFraction() {
    return pairs == 0 ? 0 : (double) missing / pairs;
  }

  double replicaShare() {
    return pairs == 0 ? 0 : (double) replicaReads / pairs;
  }

  /** The read latency at {@code percentile} (0..100), in milliseconds. */
  double readMillisAt(double percentile) {
    if (readNanos.length == 0) {
      return 0;
    }
    long[] sorted = readNanos.clone();
    Arrays.sort(sorted);
    int rank = (int) Math.ceil(percentile / 100 * sorted.length) - 1;
    return sorted[Math.max(0, rank)] / 1e6;
  }

  /** {@code CONSISTENCY <configuration> pairs=… missing=… stale=… replicaShare=… p50=… p99=…}. */
  String summary(String configuration) {
    return String.format(Locale.ROOT,
        "CONSISTENCY %s pairs=%d missing=%d stale=%.2f%% replicaShare=%.1f%% p50=%.2fms p99=%.2fms",
        configuration, pairs, missing, 100 * staleFraction(), 100 * replicaShare(), readMillisAt(50),
        readMillisAt(99));
  }

  static final class Builder {
    private final long[] readNanos;
    private final List<String> missedReads = new ArrayList<>();
    private int pairs;
    private int missing;
    private int replicaReads;

    private Builder(int expectedPairs) {
      this.readNanos = new long[expectedPairs];
    }

    void read(long id, boolean found, boolean onReplica, String server, long nanos) {
      readNanos[pairs++] = nanos;
      if (onReplica) {
        replicaReads++;
      }
      if (!found) {
        missing++;
        if (missedReads.size() < MISSED_READS_KEPT) {
          missedReads.add(id + " on " + server);
        }
      }
    }

    WriteThenReadResult build() {
      return new WriteThenReadResult(pairs, missing, replicaReads, Arrays.copyOf(readNanos, pairs),
          List.copyOf(missedReads));
    }
  }
}
