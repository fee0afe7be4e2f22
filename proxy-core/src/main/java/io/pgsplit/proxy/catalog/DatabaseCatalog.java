package io.pgsplit.proxy.catalog;

import io.pgsplit.router.catalog.FunctionCatalog;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The routing catalog of one database: its latest snapshot and whether it is still current. A change of routines
 * made through this proxy marks it stale (with the change's sequence number) until a load that started after the
 * change has finished: only that one can have seen it.
 */
final class DatabaseCatalog {
    final String database;
    final AtomicBoolean queued = new AtomicBoolean();
    private volatile FunctionCatalog snapshot;
    /** The sequence number of the last change made through this proxy; 0 when none. */
    private volatile long changedAt;
    /** The sequence number current when the load behind {@link #snapshot} started. */
    private volatile long loadedFrom;
    private volatile String lastError;

    DatabaseCatalog(String database) {
        this.database = database;
    }

    /** The snapshot when it is current; null before the first load and while a change is not read yet. */
    FunctionCatalog current() {
        FunctionCatalog latest = snapshot;
        return latest != null && changedAt <= loadedFrom ? latest : null;
    }

    FunctionCatalog latest() {
        return snapshot;
    }

    boolean stale() {
        return snapshot == null || changedAt > loadedFrom;
    }

    void changed(long sequence) {
        changedAt = sequence;
    }

    void loaded(FunctionCatalog catalog, long startedAt) {
        snapshot = catalog;
        loadedFrom = startedAt;
        lastError = null;
    }

    void failed(String error) {
        lastError = error;
    }

    String lastError() {
        return lastError;
    }
}
