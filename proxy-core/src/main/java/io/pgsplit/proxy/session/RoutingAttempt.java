package io.pgsplit.proxy.session;

import io.pgsplit.router.Classification;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What routing one request has learnt while it waited or failed, kept with the request so that
 * resuming continues from there: the classifications parsed off the loop (they are not always
 * cached: texts over 16 KiB and parse time-outs never are), the servers that refused it, a pool
 * that stayed full, the server chosen before a connection was opened, and when a fence wait began.
 */
final class RoutingAttempt {
    /** Servers that refused a connection for this request; a read tries another one. */
    final Set<String> failedServers = new LinkedHashSet<>(2);
    /** Set when the pool stayed exhausted: the request is answered with 53300 unless another replica has room. */
    String poolTimeout;
    /** The pool that stayed exhausted was the primary's: nothing else can serve the request, so 53300 at once. */
    boolean poolTimeoutOnPrimary;
    /** After a pool timeout: only a replica with a free connection may serve this read, nothing waits twice. */
    boolean onlyReplicasWithRoom;
    /** The server chosen while its connection was being opened: routing again must not choose another. */
    Route.ToServer chosen;
    /** When this read began to wait for a replica to replay the session's fence (read-your-writes), 0 if not. */
    long fenceWaitStartedNanos;
    private Map<String, Classification> parsedTexts;

    /** The answer of a parse that ran for {@code sql} while this request waited, or null. */
    Classification parsed(String sql) {
        return parsedTexts == null ? null : parsedTexts.get(sql);
    }

    void parsed(String sql, Classification classification) {
        if (parsedTexts == null) {
            parsedTexts = new HashMap<>(2);
        }
        parsedTexts.put(sql, classification);
    }
}
