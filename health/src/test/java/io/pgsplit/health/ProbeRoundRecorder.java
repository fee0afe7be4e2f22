package io.pgsplit.health;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;

/**
 * Records every probe round of one server as published in the monitor's snapshots, by sampling them far more often
 * than servers are probed. Listeners only hear of role and up/down changes; the tests need each round.
 */
final class ProbeRoundRecorder implements AutoCloseable {

    private static final long SAMPLE_PERIOD_NANOS = 2_000_000;

    private final HealthMonitor monitor;
    private final String server;
    private final List<ServerHealth> rounds = new ArrayList<>();
    private final Thread sampler;
    private volatile boolean running = true;

    ProbeRoundRecorder(HealthMonitor monitor, String server) {
        this.monitor = monitor;
        this.server = server;
        sampler = new Thread(this::sample, "probe-round-recorder-" + server);
        sampler.setDaemon(true);
        sampler.start();
    }

    synchronized List<ServerHealth> rounds() {
        return List.copyOf(rounds);
    }

    @Override
    public void close() {
        running = false;
        try {
            sampler.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void sample() {
        while (running) {
            monitor.topology().server(server).filter(health -> health.lastProbe() != null).ifPresent(this::record);
            LockSupport.parkNanos(SAMPLE_PERIOD_NANOS);
        }
    }

    private synchronized void record(ServerHealth health) {
        if (rounds.isEmpty() || !Objects.equals(rounds.get(rounds.size() - 1).lastProbe(), health.lastProbe())) {
            rounds.add(health);
        }
    }
}
