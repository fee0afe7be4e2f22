package io.pgsplit.proxy.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Turns SIGINT/SIGTERM into an event the main thread waits for, so that the main thread, which started everything,
 * also stops everything, even when the signal arrives halfway through startup. The shutdown hook only wakes the
 * main thread and holds the JVM open until {@link #close()} says the cleanup is done.
 */
final class ShutdownSignal implements AutoCloseable {
    /** Bounds a hung cleanup; long enough for a cluster that is still starting to finish and be stopped again. */
    private static final long CLEANUP_LIMIT_SECONDS = 120;

    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch cleanedUp = new CountDownLatch(1);

    private ShutdownSignal() {
    }

    static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal();
        Runtime.getRuntime().addShutdownHook(new Thread(signal::onShutdown, "pgsplit-shutdown"));
        return signal;
    }

    /** Blocks until the JVM is asked to shut down. */
    void await() throws InterruptedException {
        requested.await();
    }

    /** Lets the JVM exit; after a startup failure the hook stays registered but then returns at once. */
    @Override
    public void close() {
        cleanedUp.countDown();
    }

    private void onShutdown() {
        requested.countDown();
        try {
            cleanedUp.await(CLEANUP_LIMIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
