package io.pgsplit.proxy.session;

import io.netty.buffer.ByteBuf;
import io.pgsplit.proxy.backend.BackendConnection;
import io.pgsplit.router.Classification;
import io.pgsplit.router.TransactionControl;

/**
 * A read in flight whose bytes are kept (a retained duplicate of the slice sent) until the first
 * byte of its answer reaches the client, so that it can be sent again to another server if its
 * server dies first. Writes are never kept: a write is never retried by the proxy.
 */
record RetryableRead(Segment segment, BackendConnection backend, ByteBuf bytes) {

    /**
     * Only a whole group (ending in Sync or a simple Query), routed on its own as a read outside
     * any transaction, sent to an idle server, and not retried before.
     */
    static boolean allows(Segment segment, Requirement requirement, Classification classification, BackendConnection backend) {
        return requirement != null
                && requirement.need() == Requirement.Need.READ
                && classification != null
                && classification.transaction() == TransactionControl.NONE
                && segment.end == Segment.End.READY_FOR_QUERY
                && !segment.retried
                && !backend.owesClient();
    }
}
