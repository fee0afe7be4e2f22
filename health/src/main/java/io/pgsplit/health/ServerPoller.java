package io.pgsplit.health;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes one server in rounds, one interval after the previous round ended, and debounces the results with fall/rise.
 *
 * <p>Each round has a hard wall-clock bound: a server that accepted the connection and then froze (SIGSTOP, a dead
 * disk) would otherwise hold the probe for as long as the driver's whole-second timeouts allow. When the bound
 * passes, the round fails and the connection is aborted. A connection attempt cannot be aborted, so while one is still
 * hanging, later rounds start no new attempt and simply fail at their own bound.
 */
final class ServerPoller {

    private static final Logger log = LoggerFactory.getLogger(ServerPoller.class);

    private static final long MIN_REFRESH_GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ServerAddress address;
    private final ScheduledExecutorService executor;
    private final ServerProbe probe;
    private final Consumer<ServerObservation> afterEachRound;
    private final ProbeLatencyListener latency;
    private volatile HealthSettings settings;
    private volatile ServerObservation observation;

    // Written only when a round ends; rounds of one server never overlap, and scheduling under the lock orders them.
    private FallRiseCounter counter = FallRiseCounter.initial();
    private ProbeResult lastSuccess;

    // Guarded by this.
    private CompletableFuture<ProbeResult> attempt = CompletableFuture.completedFuture(null);
    private ScheduledFuture<?> nextRound;
    private boolean roundRunning;
    private long lastRoundStartNanos = System.nanoTime() - MIN_REFRESH_GAP_NANOS;
    private boolean closed;
    private List<CompletableFuture<Void>> refreshRequests = new ArrayList<>();

    ServerPoller(ServerAddress address, HealthSettings settings, ProbeCredentials credentials,
                 ScheduledExecutorService executor, Consumer<ServerObservation> afterEachRound,
                 ProbeLatencyListener latency) {
        this.address = address;
        this.latency = latency;
        this.settings = settings;
        this.executor = executor;
        this.afterEachRound = afterEachRound;
        this.probe = new ServerProbe(address, credentials, settings.timeout());
        this.observation = ServerObservation.unprobed(address);
    }

    ServerAddress address() {
        return address;
    }

    ServerObservation observation() {
        return observation;
    }

    synchronized void start() {
        if (!closed && nextRound == null) {
            scheduleRound(0);
        }
    }

    /** New settings apply from the next round; new credentials or timeout also make the probe reconnect. */
    void apply(HealthSettings newSettings, ProbeCredentials credentials) {
        settings = newSettings;
        probe.configure(credentials, newSettings.timeout());
    }

    /** Completes once a round that started after this call has ended. */
    synchronized CompletableFuture<Void> refresh() {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (closed) {
            done.complete(null);
            return done;
        }
        refreshRequests.add(done);
        // A round already under way may have probed before the caller saw its failure: the request waits for the next.
        // Rounds are not forced closer together than MIN_REFRESH_GAP: many sessions failing at once ask for one round
        // between them, not a storm of probes that would starve the probe threads and fail healthy servers.
        long delay = Math.max(0, MIN_REFRESH_GAP_NANOS - (System.nanoTime() - lastRoundStartNanos));
        if (!roundRunning && nextRound != null && nextRound.getDelay(TimeUnit.NANOSECONDS) > delay
                && nextRound.cancel(false)) {
            scheduleRound(delay);
        }
        return done;
    }

    void close() {
        List<CompletableFuture<Void>> unserved;
        synchronized (this) {
            closed = true;
            if (nextRound != null) {
                nextRound.cancel(false);
            }
            unserved = refreshRequests;
            refreshRequests = new ArrayList<>();
        }
        probe.close();
        unserved.forEach(request -> request.complete(null));
    }

    private void startRound() {
        CompletableFuture<ProbeResult> round;
        List<CompletableFuture<Void>> served;
        synchronized (this) {
            if (closed) {
                return;
            }
            roundRunning = true;
            lastRoundStartNanos = System.nanoTime();
            served = refreshRequests;
            refreshRequests = new ArrayList<>();
            if (attempt.isDone()) {
                attempt = CompletableFuture.supplyAsync(this::probeOnce, executor);
                round = attempt.copy();
            } else {
                round = new CompletableFuture<>();
            }
        }
        Duration timeout = settings.timeout();
        ScheduledFuture<?> watchdog = executor.schedule(() -> {
            if (round.completeExceptionally(new TimeoutException("no answer within " + timeout.toMillis() + " ms"))) {
                probe.abort();
            }
        }, timeout.toNanos(), TimeUnit.NANOSECONDS);
        round.whenComplete((result, failure) -> {
            watchdog.cancel(false);
            endRound(result, failure, served);
        });
    }

    private ProbeResult probeOnce() {
        try {
            long started = System.nanoTime();
            ProbeResult result = probe.run();
            latency.probed(address.name(), System.nanoTime() - started);
            return result;
        } catch (SQLException e) {
            throw new CompletionException(e);
        }
    }

    private void endRound(ProbeResult result, Throwable failure, List<CompletableFuture<Void>> served) {
        try {
            HealthSettings current = settings;
            String error = null;
            if (failure == null) {
                counter = counter.afterSuccess(current.rise());
                lastSuccess = result;
            } else {
                counter = counter.afterFailure(current.fall());
                error = describe(failure);
                log.debug("{}: probe failed ({} in a row): {}", address.name(), counter.failureStreak(), error);
            }
            ServerObservation latest = new ServerObservation(address, counter.up(), lastSuccess, Instant.now(), error);
            observation = latest;
            afterEachRound.accept(latest);
        } finally {
            served.forEach(request -> request.complete(null));
            synchronized (this) {
                roundRunning = false;
                if (!closed) {
                    long interval = settings.interval().toNanos();
                    scheduleRound(refreshRequests.isEmpty() ? interval : Math.min(interval, MIN_REFRESH_GAP_NANOS));
                }
            }
        }
    }

    private void scheduleRound(long delayNanos) {
        nextRound = executor.schedule(this::startRound, delayNanos, TimeUnit.NANOSECONDS);
    }

    /** pgjdbc wraps socket errors in a paragraph of advice; the socket's own message ("Connection refused") reads better. */
    private static String describe(Throwable failure) {
        Throwable error = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof IOException && root.getMessage() != null) {
            return root.getMessage();
        }
        return error.getMessage() != null ? error.getMessage() : error.getClass().getSimpleName();
    }
}
