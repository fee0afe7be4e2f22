package io.pgsplit.router;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Thread-safe round-robin choice among candidates that may change between calls. */
public final class RoundRobin {

    private final AtomicInteger counter = new AtomicInteger();

    /** The next candidate, or null for an empty list. */
    public <T> T next(List<T> candidates) {
        int size = candidates.size();
        if (size == 0) {
            return null;
        }
        // floorMod keeps the index valid after the counter wraps past Integer.MAX_VALUE.
        return candidates.get(Math.floorMod(counter.getAndIncrement(), size));
    }
}
