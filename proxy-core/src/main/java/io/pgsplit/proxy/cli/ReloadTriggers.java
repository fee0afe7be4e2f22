package io.pgsplit.proxy.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What makes pgsplit reload its configuration: SIGHUP, as for HAProxy and PgBouncer, and — with
 * {@code --watch} — a change of the file itself. Reloads run one at a time on their own thread,
 * never on the signal dispatcher or an event loop.
 */
final class ReloadTriggers implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReloadTriggers.class);
    /** Editors write a file in several steps; one reload after the burst is enough. */
    private static final long SETTLE_MILLIS = 200;

    private final ExecutorService reloads = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "pgsplit-reload");
        thread.setDaemon(true);
        return thread;
    });
    private final Runnable reload;
    private final SignalHandler previousHangup;
    private WatchService watcher;
    private Thread watchThread;

    private ReloadTriggers(Runnable reload) {
        this.reload = reload;
        this.previousHangup = Signal.handle(new Signal("HUP"), signal -> requestReload("SIGHUP"));
    }

    static ReloadTriggers install(Runnable reload) {
        return new ReloadTriggers(reload);
    }

    /** Also reload when {@code file} changes on disk. */
    ReloadTriggers watching(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        watcher = FileSystems.getDefault().newWatchService();
        absolute.getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
        watchThread = new Thread(() -> watch(absolute.getFileName()), "pgsplit-config-watch");
        watchThread.setDaemon(true);
        watchThread.start();
        log.info("watching {} for changes", absolute);
        return this;
    }

    private void watch(Path fileName) {
        try {
            while (true) {
                WatchKey key = watcher.take();
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= fileName.equals(event.context());
                }
                key.reset();
                if (ours) {
                    TimeUnit.MILLISECONDS.sleep(SETTLE_MILLIS);
                    drain();
                    requestReload("a change of the file");
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    private void drain() {
        WatchKey key;
        while ((key = watcher.poll()) != null) {
            key.pollEvents();
            key.reset();
        }
    }

    private void requestReload(String cause) {
        log.info("reloading the configuration after {}", cause);
        reloads.execute(reload);
    }

    @Override
    public void close() {
        Signal.handle(new Signal("HUP"), previousHangup);
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                log.debug("closing the config watcher: {}", e.toString());
            }
        }
        reloads.shutdownNow();
    }
}
