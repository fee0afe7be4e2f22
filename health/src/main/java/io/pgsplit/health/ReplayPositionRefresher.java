package io.pgsplit.health;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every up replica's replay position now, in rounds, and records the answers in {@link ReplayPositions}.
 *
 * <p>Requests are coalesced: one round runs at a time, and all requests made while it runs share the single round
 * queued behind it. They may not join the running round, which may have read its positions before the request was made,
 * i.e. before the caller's own commit reached the replicas.
 *
 * <p>A round ends when every replica has answered or failed, or when the timeout passes; reads still running then are
 * aborted, and those replicas keep their previous positions. Whether a replica is up is left to the probes.
 */
final class ReplayPositionRefresher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ReplayPositionRefresher.class);

    private final ReplayPositions positions;
    private final Supplier<List<ServerAddress>> upReplicas;
    private final ScheduledExecutorService timer;
    private final ExecutorService readThreads = newReadThreads();
    private volatile Map<ServerAddress, ReplayLsnReader> readers = Map.of();
    private volatile Duration timeout;

    // Guarded by this.
    private CompletableFuture<Void> running;
    private CompletableFuture<Void> queued;
    private boolean closed;

    /**
     * @param upReplicas the replicas to read, asked at the start of each round
     * @param timer      bounds the rounds and completes those that time out
     */
    ReplayPositionRefresher(ReplayPositions positions, Supplier<List<ServerAddress>> upReplicas,
                            ScheduledExecutorService timer, List<ServerAddress> servers, ProbeCredentials credentials,
                            Duration timeout) {
        this.positions = positions;
        this.upReplicas = upReplicas;
        this.timer = timer;
        configure(servers, credentials, timeout);
    }

    /** Completes when a round that started after this call has ended; never blocks. */
    CompletableFuture<Void> refresh() {
        CompletableFuture<Void> round;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            if (running != null) {
                if (queued == null) {
                    queued = new CompletableFuture<>();
                }
                return queued.copy();
            }
            running = new CompletableFuture<>();
            round = running;
        }
        run(round);
        // A copy, so that a caller completing its future cannot end the round for the others.
        return round.copy();
    }

    /** Servers no longer configured are forgotten; kept ones reconnect with changed credentials or timeout. */
    synchronized void configure(List<ServerAddress> servers, ProbeCredentials credentials, Duration newTimeout) {
        Map<ServerAddress, ReplayLsnReader> previous = new HashMap<>(readers);
        Map<ServerAddress, ReplayLsnReader> next = new HashMap<>();
        for (ServerAddress server : servers) {
            ReplayLsnReader reader = previous.remove(server);
            if (reader == null) {
                reader = new ReplayLsnReader(server, credentials, newTimeout, readThreads);
            } else {
                reader.configure(credentials, newTimeout);
            }
            next.put(server, reader);
        }
        timeout = newTimeout;
        readers = Map.copyOf(next);
        previous.values().forEach(ReplayLsnReader::close);
    }

    /** Completes the pending requests and aborts the reads still running. */
    @Override
    public void close() {
        List<CompletableFuture<Void>> unserved;
        synchronized (this) {
            closed = true;
            unserved = Stream.of(running, queued).filter(Objects::nonNull).toList();
            running = null;
            queued = null;
        }
        readers.values().forEach(ReplayLsnReader::close);
        readThreads.shutdownNow();
        unserved.forEach(round -> round.complete(null));
    }

    private void run(CompletableFuture<Void> round) {
        Map<ServerAddress, ReplayLsnReader> current = readers;
        Map<ReplayLsnReader, CompletableFuture<Long>> reads = new LinkedHashMap<>();
        for (ServerAddress replica : upReplicas.get()) {
            ReplayLsnReader reader = current.get(replica);
            if (reader != null) {
                reads.put(reader, reader.read());
            }
        }
        CompletableFuture<?>[] answers = reads.entrySet().stream()
                .map(read -> read.getValue().whenComplete((lsn, failure) -> record(read.getKey(), lsn, failure)))
                .toArray(CompletableFuture[]::new);
        Duration limit = timeout;
        ScheduledFuture<?> watchdog;
        try {
            watchdog = timer.schedule(() -> {
                reads.forEach(ReplayLsnReader::abort);
                end(round);
            }, limit.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException monitorClosed) {
            end(round);
            return;
        }
        CompletableFuture.allOf(answers).whenComplete((done, failure) -> {
            watchdog.cancel(false);
            end(round);
        });
    }

    private void record(ReplayLsnReader reader, Long lsn, Throwable failure) {
        if (failure == null) {
            positions.advance(reader.address(), lsn);
        } else {
            log.debug("{}: reading the replay position failed, keeping the last one", reader.address().name(), failure);
        }
    }

    /** Called by whichever comes first, the last answer or the timeout; the other call finds the round gone. */
    private void end(CompletableFuture<Void> round) {
        CompletableFuture<Void> next;
        synchronized (this) {
            if (running != round) {
                return;
            }
            running = queued;
            queued = null;
            next = running;
        }
        round.complete(null);
        if (next != null) {
            run(next);
        }
    }

    /** At most one read per server is in flight, so this never holds more threads than there are servers. */
    private static ExecutorService newReadThreads() {
        AtomicInteger threadNumber = new AtomicInteger();
        ThreadFactory threads = task -> {
            Thread thread = new Thread(task, "pgsplit-health-replay-" + threadNumber.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
        return Executors.newCachedThreadPool(threads);
    }
}
