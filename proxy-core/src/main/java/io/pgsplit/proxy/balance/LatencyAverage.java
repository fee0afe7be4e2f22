package io.pgsplit.proxy.balance;

/**
 * An exponentially weighted moving average over time rather than over samples: a sample moves the average by
 * {@code 1 - e^(-dt/tau)}, dt being the time since the previous one, so a burst of samples counts about as much
 * as one and an old average fades as soon as new samples arrive (health probes bring one per interval even to
 * a replica that gets no reads). The first sample is taken as it is.
 */
final class LatencyAverage {
    /** A second: a replica that slows down loses its reads within a few probe intervals. */
    static final double TAU_NANOS = 1e9;
    /** The least weight of a sample, so that samples right after one another still move the average. */
    private static final double MIN_WEIGHT = 0.05;

    private double average = -1;
    private long lastSampleNanos;

    synchronized void sample(long latencyNanos, long nowNanos) {
        if (average < 0) {
            average = latencyNanos;
        } else {
            double weight = Math.max(MIN_WEIGHT, 1 - Math.exp(-(nowNanos - lastSampleNanos) / TAU_NANOS));
            average += weight * (latencyNanos - average);
        }
        lastSampleNanos = nowNanos;
    }

    synchronized long nanos() {
        return average < 0 ? -1 : (long) average;
    }
}
