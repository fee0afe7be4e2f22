package io.pgsplit.proxy.frontdoor;

import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Ticker;
import io.pgsplit.proxy.metrics.ProxyMetrics;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Refused and timed-out clients, counted in {@code pgsplit_client_refusals_total{reason}} and logged at
 * WARN, at most one line per reason per 10 s: the first refusal is logged at once with its client, the
 * ones after it in the same window become one line with their count when the window ends. A flood
 * thus costs a few lines, and the operator still learns that it happened and how big it was.
 * Thread-safe; the end-of-window line is written by a task on the event loop of the refusal that opened it.
 */
public final class RefusalLog {
    static final Duration WINDOW = Duration.ofSeconds(10);

    private final ProxyMetrics metrics;
    private final Ticker ticker;
    private final Consumer<String> warn;
    private final Map<Refusal, Window> windows = new EnumMap<>(Refusal.class);

    /** What one reason's current window has held back. */
    private static final class Window {
        long endsAt;
        long heldBack;
        boolean open;
        boolean summaryScheduled;
    }

    RefusalLog(ProxyMetrics metrics, Ticker ticker, Consumer<String> warn) {
        this.metrics = metrics;
        this.ticker = ticker;
        this.warn = warn;
        for (Refusal reason : Refusal.values()) {
            windows.put(reason, new Window());
            metrics.declareClientRefusal(reason.label());
        }
    }

    /** Counts and (rate-limited) logs one refusal; {@code loop} runs the end-of-window summary if one is needed. */
    public void refused(Refusal reason, SocketAddress client, EventExecutor loop) {
        metrics.clientRefused(reason.label());
        Window window = windows.get(reason);
        long now = ticker.nanoTime();
        boolean logNow;
        boolean scheduleSummary = false;
        long untilEnd;
        synchronized (window) {
            logNow = !window.open || now >= window.endsAt && !window.summaryScheduled;
            if (logNow) {
                window.open = true;
                window.endsAt = now + WINDOW.toNanos();
                window.heldBack = 0;
            } else {
                window.heldBack++;
                scheduleSummary = !window.summaryScheduled;
                window.summaryScheduled = true;
            }
            untilEnd = Math.max(0, window.endsAt - now);
        }
        if (logNow) {
            warn.accept("client " + client + " refused (" + reason.label() + "): " + reason.message());
        } else if (scheduleSummary) {
            loop.schedule(() -> summarize(reason, window), untilEnd, TimeUnit.NANOSECONDS);
        }
    }

    /** The window ended with refusals held back: one line for them, and a new window for the ones to come. */
    private void summarize(Refusal reason, Window window) {
        long heldBack;
        synchronized (window) {
            heldBack = window.heldBack;
            window.heldBack = 0;
            window.summaryScheduled = false;
            window.endsAt = ticker.nanoTime() + WINDOW.toNanos();
        }
        warn.accept(heldBack + " more client" + (heldBack == 1 ? "" : "s") + " refused (" + reason.label()
                + ") in the last " + WINDOW.toSeconds() + " s: " + reason.message());
    }
}
