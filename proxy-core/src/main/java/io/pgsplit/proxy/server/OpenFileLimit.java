package io.pgsplit.proxy.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every client and every server connection is a file descriptor. The JVM raises its soft limit to the
 * hard limit at start on Linux (HotSpot's {@code -XX:+MaxFDLimit}, on by default); what it cannot
 * raise is the hard limit, which only the operator can (systemd {@code LimitNOFILE}, {@code ulimit -Hn}).
 * This checks, once at start, that the limit in force can carry the configured clients and says so
 * in the log when it cannot.
 */
public final class OpenFileLimit {
    private static final Logger log = LoggerFactory.getLogger(OpenFileLimit.class);
    private static final Path LIMITS = Path.of("/proc/self/limits");
    /** Descriptors the JVM, the listeners, logging and the health probes use besides client traffic. */
    static final int BASELINE = 256;

    private OpenFileLimit() {
    }

    /**
     * Descriptors needed: each client, plus the server connections it may hold at once (one per role
     * in session mode, none while idle in transaction mode, which the pools bound), plus the baseline.
     */
    public static long needed(int maxClients, boolean clientsHoldServerConnections, int pooledConnections) {
        return BASELINE + (long) maxClients * (clientsHoldServerConnections ? 2 : 1) + pooledConnections;
    }

    /** Logs the limit in force, and a warning when it is below {@code needed}. */
    public static void check(long needed) {
        OptionalLong soft = softLimit(LIMITS);
        if (soft.isEmpty()) {
            log.info("open files limit unknown (no {}); pgsplit needs up to {} descriptors", LIMITS, needed);
        } else if (soft.getAsLong() < needed) {
            log.warn("open files limit is {}, but the configured clients and pools need up to {}: raise it "
                    + "(systemd LimitNOFILE=, or ulimit -n as root) or lower limits.max_client_connections",
                    soft.getAsLong(), needed);
        } else {
            log.info("open files limit {} (up to {} needed)", soft.getAsLong(), needed);
        }
    }

    /** The soft "Max open files" of a /proc limits file; empty when absent or unlimited. */
    static OptionalLong softLimit(Path limits) {
        try {
            List<String> lines = Files.readAllLines(limits);
            for (String line : lines) {
                if (line.startsWith("Max open files")) {
                    String[] fields = line.substring("Max open files".length()).trim().split("\\s+");
                    return "unlimited".equals(fields[0]) ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(fields[0]));
                }
            }
        } catch (IOException | RuntimeException e) {
            log.debug("cannot read {}: {}", limits, e.toString());
        }
        return OptionalLong.empty();
    }
}
