package io.pgsplit.health;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out by itself which configured server is the primary and which replicas are fit for reads, by polling every
 * server with {@code pg_is_in_recovery()} and its WAL positions, and publishes the result as immutable
 * {@link Topology} snapshots.
 *
 * <p>Probes run on this monitor's own daemon threads ({@code pgsplit-health-N}), never on the caller's. Each server
 * is probed independently, so a server that hangs delays nobody else's probes. Replay positions read on demand between
 * probes ({@link #refreshReplayPositions}) use connections and threads ({@code pgsplit-health-replay-N}) of their own,
 * so they never delay probes either. Every method may be called from any thread and none of them blocks, except
 * {@link #awaitFirstRound} and {@link #close}.
 */
public final class HealthMonitor implements ClusterView, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthMonitor.class);

    private final ScheduledThreadPoolExecutor executor;
    private final TopologyPublisher publisher;
    private final ReplayPositions replayPositions;
    private final ReplayPositionRefresher replayRefresher;
    private volatile List<ServerPoller> pollers;
    private volatile HealthSettings settings;
    private final List<ProbeLatencyListener> latencyListeners = new CopyOnWriteArrayList<>();

    // Guarded by this.
    private boolean started;
    private boolean closed;

    public HealthMonitor(List<ServerAddress> servers, HealthSettings settings, ProbeCredentials credentials) {
        requireValid(servers, settings, credentials);
        this.settings = settings;
        this.executor = newExecutor(servers.size());
        this.replayPositions = new ReplayPositions(servers);
        this.pollers = servers.stream().map(server -> newPoller(server, settings, credentials)).toList();
        this.publisher = new TopologyPublisher(this::observations, () -> this.settings);
        this.replayRefresher = new ReplayPositionRefresher(replayPositions, this::upReplicas, executor, servers,
                credentials, settings.timeout());
    }

    /** Schedules the first round of probes right away and returns. */
    public synchronized void start() {
        if (closed) {
            throw new IllegalStateException("health monitor is closed");
        }
        if (!started) {
            started = true;
            pollers.forEach(ServerPoller::start);
        }
    }

    /** True once every configured server has been probed at least once, successfully or not. */
    public boolean awaitFirstRound(Duration max) {
        try {
            return publisher.awaitUntil(this::everyServerProbedInSnapshot, max);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The latest snapshot, read without locking. Until a server has been probed it is listed down with role UNKNOWN. */
    @Override
    public Topology topology() {
        return publisher.current();
    }

    /**
     * Called on a health thread after each snapshot whose set of up servers, roles or split-brain flag changed (lag
     * alone does not count). Listeners run in publication order and must return quickly.
     */
    public void addListener(Consumer<Topology> listener) {
        publisher.addListener(Objects.requireNonNull(listener, "listener"));
    }

    /** Told the round trip of every successful probe (replica choice by latency); runs on a health thread. */
    public void addLatencyListener(ProbeLatencyListener listener) {
        latencyListeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Probes every server again now, e.g. after a client saw a connection fail, and completes with the snapshot that
     * includes those probes. It completes on a health thread: chain slow work with the {@code *Async} methods.
     */
    @Override
    public CompletableFuture<Topology> refreshNow() {
        CompletableFuture<?>[] rounds = pollers.stream().map(ServerPoller::refresh).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(rounds).thenApply(done -> topology());
    }

    /**
     * Best known replay LSN of a replica (max of the last probe's and the last on-demand reading), or -1. Lock-free.
     *
     * <p>-1 also while the server is not an up replica: a server that is rewound or re-cloned can come back behind a
     * position it once reported.
     */
    @Override
    public long replayLsn(String serverName) {
        return replayPositions.get(serverName);
    }

    /**
     * Reads {@code pg_last_wal_replay_lsn()} on every up replica now, on dedicated connections (not the probe
     * connections, so it never waits behind a probe round), and completes when all answered or {@code settings.timeout}
     * passed (late or failed ones keep their previous value). Coalesced: while a refresh is in flight, callers get the
     * NEXT refresh's future if their request came after it started (so the answer is at least as new as the request),
     * else the current one. Never blocks the caller; completes on a health thread.
     *
     * <p>Use it when a read's fence is ahead of {@link #replayLsn} of the replicas: probes report replay positions up
     * to an interval late, while streaming replication on a LAN usually catches up within a millisecond.
     */
    @Override
    public CompletableFuture<Void> refreshReplayPositions() {
        return replayRefresher.refresh();
    }

    /**
     * Live reload: servers that are new are probed from now on, removed ones are forgotten, and kept ones (same name,
     * host and port) keep their state and get the new settings and credentials from their next probe.
     */
    public synchronized void reconfigure(List<ServerAddress> servers, HealthSettings newSettings,
                                         ProbeCredentials credentials) {
        requireValid(servers, newSettings, credentials);
        if (closed) {
            throw new IllegalStateException("health monitor is closed");
        }
        // Before any new poller runs, so that its first rounds are recorded.
        replayPositions.retain(servers);
        Map<ServerAddress, ServerPoller> previous = new LinkedHashMap<>();
        pollers.forEach(poller -> previous.put(poller.address(), poller));
        List<ServerPoller> next = new ArrayList<>();
        for (ServerAddress server : servers) {
            ServerPoller kept = previous.remove(server);
            if (kept == null) {
                next.add(newPoller(server, newSettings, credentials));
            } else {
                kept.apply(newSettings, credentials);
                next.add(kept);
            }
        }
        executor.setCorePoolSize(threadsFor(next.size()));
        settings = newSettings;
        pollers = List.copyOf(next);
        previous.values().forEach(ServerPoller::close);
        replayRefresher.configure(servers, credentials, newSettings.timeout());
        if (started) {
            next.forEach(ServerPoller::start);
        }
        log.info("health checks reconfigured: {}, servers {}", newSettings,
                next.stream().map(poller -> poller.address().name()).toList());
        executor.execute(this::publish);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        pollers.forEach(ServerPoller::close);
        replayRefresher.close();
        executor.shutdownNow();
        try {
            // Aborted probes unblock at once; bounded anyway so that close() never hangs on a driver.
            executor.awaitTermination(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the published snapshot rather than the pollers, so that the caller then finds every result in it. */
    private boolean everyServerProbedInSnapshot() {
        Topology current = topology();
        return pollers.stream().allMatch(poller -> current.server(poller.address().name())
                .filter(server -> server.address().equals(poller.address()) && server.lastProbe() != null)
                .isPresent());
    }

    private ServerPoller newPoller(ServerAddress server, HealthSettings serverSettings, ProbeCredentials credentials) {
        return new ServerPoller(server, serverSettings, credentials, executor, this::roundEnded, this::probed);
    }

    private void probed(String serverName, long roundTripNanos) {
        for (ProbeLatencyListener listener : latencyListeners) {
            listener.probed(serverName, roundTripNanos);
        }
    }

    private void roundEnded(ServerObservation observation) {
        // Recorded before publishing, so that a snapshot listing an up replica finds its probed position here too.
        replayPositions.observe(observation);
        publish();
    }

    private List<ServerAddress> upReplicas() {
        return topology().servers().stream().filter(ServerHealth::isReplica).map(ServerHealth::address).toList();
    }

    private void publish() {
        publisher.publish();
    }

    private List<ServerObservation> observations() {
        return pollers.stream().map(ServerPoller::observation).toList();
    }

    /** Each server blocks at most one thread in the driver at a time; one more runs the timers. */
    private static int threadsFor(int servers) {
        return servers + 1;
    }

    private static ScheduledThreadPoolExecutor newExecutor(int servers) {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "pgsplit-health-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(threadsFor(servers), threads);
        // Every round schedules a watchdog and usually cancels it: do not let them pile up in the queue.
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static void requireValid(List<ServerAddress> servers, HealthSettings settings,
                                     ProbeCredentials credentials) {
        Objects.requireNonNull(settings, "settings");
        Objects.requireNonNull(credentials, "credentials");
        Set<String> names = new HashSet<>();
        for (ServerAddress server : servers) {
            if (!names.add(server.name())) {
                throw new IllegalArgumentException("server name configured twice: " + server.name());
            }
        }
    }
}
