package io.pgsplit.proxy.admin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * What the status page says about the pgsplit process itself: its version, since when it runs, the
 * configuration file it was started with, and how the last reload went. Written by the reload
 * thread, read by the admin loop; one volatile reference, so a reader sees a whole outcome.
 */
public final class ProcessState {
    private final String version;
    private final String configPath;
    private final Clock clock;
    private final Instant started;
    private volatile ProcessStatus.Reload lastReload;

    /** @param configPath null when the configuration came from no file (tests, the demo) */
    public ProcessState(String version, String configPath, Clock clock) {
        this.version = version;
        this.configPath = configPath;
        this.clock = clock;
        this.started = clock.instant();
    }

    /** A reload finished: {@code result} {@code ok} or {@code error}, {@code detail} what was applied or why not. */
    public void reloaded(String result, String detail) {
        lastReload = new ProcessStatus.Reload(result, clock.instant().toString(), detail);
    }

    public ProcessStatus status() {
        return new ProcessStatus(version, started.toString(), Duration.between(started, clock.instant()).toSeconds(),
                configPath, lastReload);
    }
}
