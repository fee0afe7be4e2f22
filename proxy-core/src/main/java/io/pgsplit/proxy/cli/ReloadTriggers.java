package io.pgsplit.proxy.cli;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What makes pgsplit reload its configuration: SIGHUP, as for HAProxy and PgBouncer, and — with
 * {@code --watch} — a change of the file itself or of a certificate or key file it names (so that
 * a rotated certificate is picked up). Reloads run one at a time on their own thread, never on the
 * signal dispatcher or an event loop.
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
    /** Watched file names per watched directory: a WatchService watches directories. */
    private final Map<Path, Set<Path>> watchedNames = new ConcurrentHashMap<>();

    private ReloadTriggers(Runnable reload) {
        this.reload = reload;
        this.previousHangup = Signal.handle(new Signal("HUP"), signal -> requestReload("SIGHUP"));
        if (ignoredAtStart(previousHangup)) {
            log.warn("SIGHUP was ignored when pgsplit started (as under nohup), and the JVM keeps it ignored: "
                    + "SIGHUP will not reload the configuration. Use --watch, or run pgsplit under a service manager "
                    + "(systemctl reload sends SIGHUP to a process started without it ignored)");
        }
    }

    /**
     * HotSpot installs no handler for a SIGHUP the process inherited as ignored (nohup, some daemon wrappers): it
     * keeps SIG_IGN and answers the registration with it, so reloads by signal silently never happen.
     */
    static boolean ignoredAtStart(SignalHandler previous) {
        return previous == SignalHandler.SIG_IGN;
    }

    static ReloadTriggers install(Runnable reload) {
        return new ReloadTriggers(reload);
    }

    /** Also reload when {@code file} changes on disk; watching a file again changes nothing. */
    synchronized ReloadTriggers watching(Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        if (watcher == null) {
            watcher = FileSystems.getDefault().newWatchService();
            watchThread = new Thread(this::watch, "pgsplit-config-watch");
            watchThread.setDaemon(true);
            watchThread.start();
        }
        Set<Path> names = watchedNames.get(absolute.getParent());
        if (names == null) {
            absolute.getParent().register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            names = ConcurrentHashMap.newKeySet();
            watchedNames.put(absolute.getParent(), names);
        }
        if (names.add(absolute.getFileName())) {
            log.info("watching {} for changes", absolute);
        }
        return this;
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                Set<Path> names = watchedNames.getOrDefault((Path) key.watchable(), Set.of());
                boolean ours = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    ours |= names.contains((Path) event.context());
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
        if (!ignoredAtStart(previousHangup)) {
            Signal.handle(new Signal("HUP"), previousHangup);
        }
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
