package io.pgsplit.health;

import java.time.Duration;
import java.util.Objects;

/**
 * How often and how patiently servers are probed, how probe results are debounced (HAProxy's fall/rise) and how far a
 * replica may lag before reads stop going to it.
 *
 * @param maxReplicaLagBytes {@code -1} for no limit
 * @param maxReplicaLagTime  {@code null} for no limit
 */
public record HealthSettings(Duration interval, Duration timeout, int fall, int rise, long maxReplicaLagBytes,
                             Duration maxReplicaLagTime) {

    public HealthSettings {
        requirePositive(interval, "interval");
        requirePositive(timeout, "timeout");
        if (fall < 1 || rise < 1) {
            throw new IllegalArgumentException("fall and rise must be at least 1, got fall=" + fall + " rise=" + rise);
        }
        if (maxReplicaLagBytes < -1) {
            throw new IllegalArgumentException("maxReplicaLagBytes must be -1 (no limit) or >= 0: " + maxReplicaLagBytes);
        }
        if (maxReplicaLagTime != null && maxReplicaLagTime.isNegative()) {
            throw new IllegalArgumentException("maxReplicaLagTime must not be negative: " + maxReplicaLagTime);
        }
    }

    /** Probe every 500 ms with a 1 s timeout, down after 3 failures, up after 2 successes, no lag limits. */
    public static HealthSettings defaults() {
        return new HealthSettings(Duration.ofMillis(500), Duration.ofSeconds(1), 3, 2, -1, null);
    }

    private static void requirePositive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isZero() || value.isNegative()) {
            throw new IllegalArgumentException(what + " must be positive: " + value);
        }
    }
}
