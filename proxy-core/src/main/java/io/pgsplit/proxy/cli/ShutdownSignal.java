package io.pgsplit.proxy.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Turns SIGTERM and SIGINT into an event the main thread waits for, so the thread that started
 * everything also stops everything — gracefully, however long that takes — and the process then
 * exits 0, as a service manager expects after a requested stop. Handling the signals (rather than a
 * shutdown hook) keeps the JVM alive during that cleanup. A second signal during a hung cleanup
 * ends the process at once.
 */
final class ShutdownSignal implements AutoCloseable {
    private static final int EXIT_ON_SECOND_SIGNAL = 130;
    private static final String[] SIGNALS = {"TERM", "INT"};

    private final CountDownLatch requested = new CountDownLatch(1);
    private final AtomicInteger received = new AtomicInteger();
    private final SignalHandler[] previous = new SignalHandler[SIGNALS.length];

    private ShutdownSignal() {
    }

    static ShutdownSignal install() {
        ShutdownSignal signal = new ShutdownSignal();
        for (int i = 0; i < SIGNALS.length; i++) {
            signal.previous[i] = Signal.handle(new Signal(SIGNALS[i]), signal::onSignal);
        }
        return signal;
    }

    private void onSignal(Signal signal) {
        if (received.incrementAndGet() > 1) {
            Runtime.getRuntime().halt(EXIT_ON_SECOND_SIGNAL);
        }
        requested.countDown();
    }

    /** Blocks until SIGTERM or SIGINT arrives. */
    void await() throws InterruptedException {
        requested.await();
    }

    /** Puts the JVM's own handlers back. */
    @Override
    public void close() {
        for (int i = 0; i < SIGNALS.length; i++) {
            Signal.handle(new Signal(SIGNALS[i]), previous[i]);
        }
    }
}
