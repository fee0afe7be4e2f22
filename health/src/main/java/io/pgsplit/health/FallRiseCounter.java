package io.pgsplit.health;

/**
 * HAProxy-style debouncing of probe results: an up server goes down after {@code fall} consecutive failures, a down
 * server comes back after {@code rise} consecutive successes.
 *
 * <p>A server that has never answered starts down, and its first success brings it up at once (HAProxy's
 * {@code init-state up}): a proxy starting next to healthy servers can route after one round instead of {@code rise}
 * rounds, while a server that really was down must still prove itself {@code rise} times.
 */
record FallRiseCounter(boolean up, boolean everUp, int successStreak, int failureStreak) {

    static FallRiseCounter initial() {
        return new FallRiseCounter(false, false, 0, 0);
    }

    FallRiseCounter afterSuccess(int rise) {
        int streak = increment(successStreak);
        return new FallRiseCounter(up || !everUp || streak >= rise, true, streak, 0);
    }

    FallRiseCounter afterFailure(int fall) {
        int streak = increment(failureStreak);
        return new FallRiseCounter(up && streak < fall, everUp, 0, streak);
    }

    private static int increment(int streak) {
        return streak == Integer.MAX_VALUE ? streak : streak + 1;
    }
}
