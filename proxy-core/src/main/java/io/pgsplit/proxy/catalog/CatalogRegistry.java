package io.pgsplit.proxy.catalog;

import io.pgsplit.health.MonitorConnections;
import io.pgsplit.health.ServerHealth;
import io.pgsplit.health.Topology;
import io.pgsplit.router.catalog.CatalogContents;
import io.pgsplit.router.catalog.FunctionCatalog;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing catalogs of every database clients use, read from the primary on a thread of their own
 * ({@code pgsplit-catalog}), never on an event loop: at start for every database, when a session first uses a
 * database, every {@code routing.catalog_refresh}, and right after a session changed routines through the proxy.
 * Sessions read snapshots without locks; a database without a current snapshot routes every function call to the
 * primary. Loads of all databases run one at a time.
 */
public final class CatalogRegistry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(CatalogRegistry.class);
    private static final String APPLICATION_NAME = "pgsplit-catalog";

    private final ConcurrentHashMap<String, DatabaseCatalog> databases = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private final AtomicLong versions = new AtomicLong();
    private final Supplier<Topology> topology;
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pgsplit-catalog");
        thread.setDaemon(true);
        return thread;
    });
    private volatile CatalogSettings settings;
    /** Nothing is loaded before {@link #start}: a proxy built for a test of something else reads no catalog. */
    private volatile boolean started;
    private ScheduledFuture<?> periodic; // guarded by this

    public CatalogRegistry(CatalogSettings settings, Supplier<Topology> topology) {
        this.settings = settings;
        this.topology = topology;
    }

    /** Whether function calls are judged by the catalog ({@code routing.catalog}). */
    public boolean enabled() {
        return settings.enabled();
    }

    /**
     * Loads every database of the primary, then keeps them fresh. Completes when the first loads are done
     * (successfully or not), on the catalog thread.
     */
    public synchronized CompletableFuture<Void> start() {
        started = true;
        schedulePeriodic();
        return settings.enabled() ? CompletableFuture.runAsync(this::loadEveryDatabase, executor)
                : CompletableFuture.completedFuture(null);
    }

    /** New settings: a new refresh interval, login or deny-list takes effect with a reload of everything now. */
    public synchronized void reconfigure(CatalogSettings next) {
        CatalogSettings previous = settings;
        settings = next;
        if (!started) {
            return;
        }
        if (!next.refresh().equals(previous.refresh())) {
            schedulePeriodic();
        }
        if (next.enabled() && !next.equals(previous)) {
            executor.execute(this::loadEveryDatabase);
        }
    }

    /**
     * The current snapshot of {@code database}, or null when there is none yet (a load is then queued) or a change
     * made through the proxy has not been read back yet. Lock-free.
     */
    public FunctionCatalog current(String database) {
        return catalogOf(database).current();
    }

    /**
     * The catalog of {@code database}, its first load queued when it had none. Entries are never replaced, so a
     * session may keep the one of its database and skip this lookup per statement.
     */
    DatabaseCatalog catalogOf(String database) {
        DatabaseCatalog catalog = databases.get(database);
        if (catalog == null) {
            catalog = databases.computeIfAbsent(database, DatabaseCatalog::new);
            queueLoad(catalog);
        }
        return catalog;
    }

    /**
     * A session changed (or may have changed) routines, views, schemas or search_path defaults of {@code database}:
     * its snapshot is stale from now until a load that starts after this call has finished; that load is queued.
     * Call it when such a statement is sent and again once it committed.
     */
    public void changed(String database) {
        DatabaseCatalog catalog = databases.computeIfAbsent(database, DatabaseCatalog::new);
        catalog.changed(changes.incrementAndGet());
        queueLoad(catalog);
    }

    /** Every database's catalog at a glance, for /status. */
    public List<CatalogStatus> status() {
        List<CatalogStatus> all = new ArrayList<>();
        for (DatabaseCatalog catalog : databases.values()) {
            all.add(CatalogStatus.of(catalog));
        }
        all.sort(Comparator.comparing(CatalogStatus::database));
        return all;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    private void schedulePeriodic() {
        if (periodic != null) {
            periodic.cancel(false);
        }
        long every = settings.refresh().toNanos();
        periodic = executor.scheduleWithFixedDelay(this::refreshAll, every, every, TimeUnit.NANOSECONDS);
    }

    private void refreshAll() {
        if (settings.enabled()) {
            databases.values().forEach(this::queueLoad);
        }
    }

    private void queueLoad(DatabaseCatalog catalog) {
        if (started && settings.enabled() && catalog.queued.compareAndSet(false, true)) {
            try {
                executor.execute(() -> load(catalog));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                catalog.queued.set(false); // closed
            }
        }
    }

    private void loadEveryDatabase() {
        try {
            for (String database : listDatabases()) {
                load(databases.computeIfAbsent(database, DatabaseCatalog::new));
            }
        } catch (SQLException | RuntimeException e) {
            log.warn("routing catalog: could not list the databases of the primary: {}", e.getMessage());
        }
    }

    private List<String> listDatabases() throws SQLException {
        CatalogSettings current = settings;
        Optional<ServerHealth> primary = topology.get().primary();
        if (primary.isEmpty()) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (Connection connection = MonitorConnections.open(primary.get().address(), APPLICATION_NAME,
                current.credentials(), current.credentials().database(), current.timeout());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(CatalogQueries.DATABASES)) {
            while (rows.next()) {
                names.add(rows.getString(1));
            }
        }
        return names;
    }

    /** One load, on the catalog thread. The sequence is read before anything else: see {@link DatabaseCatalog}. */
    private void load(DatabaseCatalog catalog) {
        catalog.queued.set(false);
        long startedAt = changes.get();
        CatalogSettings current = settings;
        Optional<ServerHealth> primary = topology.get().primary();
        if (!current.enabled()) {
            return;
        }
        if (primary.isEmpty()) {
            catalog.failed("no primary is known");
            return;
        }
        try (Connection connection = MonitorConnections.open(primary.get().address(), APPLICATION_NAME,
                current.credentials(), catalog.database, current.timeout())) {
            CatalogContents contents = CatalogReader.read(connection, catalog.database);
            FunctionCatalog snapshot = FunctionCatalog.of(contents, current.denied(), versions.incrementAndGet(),
                    Instant.now());
            catalog.loaded(snapshot, startedAt);
            log.debug("routing catalog of {}: version {}, {} functions, {} may write, {} views that call them",
                    catalog.database, snapshot.version(), snapshot.functionCount(), snapshot.writingFunctions(),
                    snapshot.writingViewCount());
        } catch (SQLException | RuntimeException e) {
            if (catalog.lastError() == null) {
                log.warn("routing catalog of {} could not be read on {} (function calls go to the primary): {}",
                        catalog.database, primary.get().name(), e.getMessage());
            }
            catalog.failed(String.valueOf(e.getMessage()));
        }
    }
}
